"""Finding the exports in an inbox (connectors/discover.py): which connector reads which file or folder."""

from __future__ import annotations

from pathlib import Path

from connectors.discover import discover

CONNECTIONS = ('Notes:\n"When exporting your connection data..."\n\n'
               "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")


def _found(inbox: Path) -> list[tuple[str, str]]:
    return [(item.kind, item.path.relative_to(inbox).as_posix() or ".") for item in discover(inbox)]


def _write(inbox: Path, *names: str) -> None:
    contents = {".csv": CONNECTIONS, ".vcf": "BEGIN:VCARD\r\nEND:VCARD\r\n", ".ics": "BEGIN:VCALENDAR\r\n",
                ".mbox": "From a@b Mon Jan  6 04:49:45 2020\n", ".txt": "notes\n", ".html": "<p>article</p>\n"}
    for name in names:
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(contents[path.suffix])


def test_a_linkedin_export_unpacked_into_the_inbox_leaves_the_other_exports_readable(tmp_path):
    _write(tmp_path, "Connections.csv", "messages.csv", "contacts.vcf", "mail.mbox", "calendar/work.ics",
           "Jobs/Saved Jobs.csv", "Articles/Articles/first.html", "notes.txt")
    assert _found(tmp_path) == [
        ("linkedin", "."),
        ("vcard", "contacts.vcf"),
        ("mbox", "mail.mbox"),
        ("ics", "calendar/work.ics"),
    ]


def test_files_beside_an_export_folder_are_read_as_before(tmp_path):
    _write(tmp_path, "linkedin/Connections.csv", "linkedin/Profile.csv", "linkedin/readme.txt", "zz/other.vcf",
           "notes.txt", "people.csv")
    assert _found(tmp_path) == [
        ("unrecognised", "notes.txt"),
        ("unrecognised", "people.csv"),
        ("linkedin", "linkedin"),
        ("vcard", "zz/other.vcf"),
    ]
