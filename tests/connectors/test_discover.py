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


def test_files_that_only_come_with_mail_are_skipped_and_empty_ones_of_a_known_kind_are_not(tmp_path):
    folders = tmp_path / "Mail" / "Local Folders"
    folders.mkdir(parents=True)
    (folders / "Inbox").write_text("From a@b Mon Jan  6 04:49:45 2020\nFrom: a@b\n\nhi\n")
    for name in ("Inbox.msf", "Trash.MSF", "msgFilterRules.dat", "Thumbs.db", "desktop.ini", "notes.txt"):
        (folders / name).write_text("version=9\n")
    (folders / "Trash").write_bytes(b"")  # Thunderbird's file of an empty folder
    apple = tmp_path / "Archive.mbox"
    apple.mkdir()
    (apple / "mbox").write_text("From a@b Mon Jan  6 04:49:45 2020\nFrom: a@b\n\nhi\n")
    (apple / "Info.plist").write_text("<?xml version='1.0'?><plist/>\n")
    (apple / "table_of_contents").write_bytes(b"\x00\x01binary")
    for name in ("empty.vcf", "empty.ics", "empty.mbox", "empty.eml"):
        (tmp_path / name).write_bytes(b"")  # still found: the registry rejects them as empty files
    assert _found(tmp_path) == [
        ("eml", "empty.eml"),
        ("ics", "empty.ics"),
        ("mbox", "empty.mbox"),
        ("vcard", "empty.vcf"),
        ("mbox", "Archive.mbox/mbox"),
        ("mbox", "Mail/Local Folders/Inbox"),
        ("unrecognised", "Mail/Local Folders/notes.txt"),
    ]


def test_proton_and_takeout_companion_files_are_skipped_but_a_lone_json_is_not(tmp_path):
    proton = tmp_path / "proton"
    proton.mkdir()
    for name in ("a1.eml", "a1.metadata.json", "b2.eml", "b2.metadata.json", "labels.json"):
        (proton / name).write_text("From: a@b\n\nhi\n" if name.endswith(".eml") else "{}")
    (tmp_path / "Takeout").mkdir()
    (tmp_path / "Takeout" / "archive_browser.html").write_text("<html></html>\n")
    (tmp_path / "labels.json").write_text("[]")  # no Proton export beside it
    (tmp_path / "c3.metadata.json").write_text("{}")  # no c3.eml beside it
    assert _found(tmp_path) == [
        ("unrecognised", "c3.metadata.json"),
        ("unrecognised", "labels.json"),
        ("eml", "proton/a1.eml"),
        ("eml", "proton/b2.eml"),
    ]
