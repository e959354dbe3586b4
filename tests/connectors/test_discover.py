"""Finding the exports in an inbox (connectors/discover.py): which connector reads which file or folder."""

from __future__ import annotations

import os
from pathlib import Path

from connectors.discover import discover, path_text

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
    _write(tmp_path, "Connections.csv", "messages.csv", "Rich_Media.csv", "contacts.vcf", "mail.mbox",
           "calendar/work.ics", "Jobs/Saved Jobs.csv", "Articles/Articles/first.html", "notes.txt")
    assert _found(tmp_path) == [
        ("linkedin", "."),
        ("vcard", "contacts.vcf"),
        ("mbox", "mail.mbox"),
        ("unrecognised", "notes.txt"),
        ("ics", "calendar/work.ics"),
    ]


def test_files_of_no_kind_kith_reads_beside_a_linkedin_export_in_the_inbox_are_still_listed(tmp_path):
    _write(tmp_path, "Connections.csv", "Profile.csv", "google_contacts.csv", "mail/bob.vcf")
    (tmp_path / "mail" / "Outlook-backup.pst").write_bytes(b"!BDN\x00\x01")
    (tmp_path / "takeout-20240101.zip").write_bytes(b"PK\x03\x04 cut short")
    assert _found(tmp_path) == [
        ("linkedin", "."),
        ("unrecognised", "google_contacts.csv"),
        ("unrecognised", "takeout-20240101.zip"),
        ("unrecognised", "mail/Outlook-backup.pst"),
        ("vcard", "mail/bob.vcf"),
    ]


def test_files_beside_an_export_folder_are_read_as_before(tmp_path):
    _write(tmp_path, "linkedin/Connections.csv", "linkedin/Profile.csv", "linkedin/readme.txt", "zz/other.vcf",
           "notes.txt", "people.csv")
    assert _found(tmp_path) == [
        ("unrecognised", "notes.txt"),
        ("unrecognised", "people.csv"),
        ("linkedin", "linkedin"),
        ("unrecognised", "linkedin/readme.txt"),  # not LinkedIn's: listed, as it would be anywhere else
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


def _mail(sender: str) -> bytes:
    return f"Return-Path: <{sender}>\nFrom: {sender}\nDate: Mon, 2 Mar 2020 10:00:00 +0000\n\nhi\n".encode()


def test_a_maildir_copied_without_its_empty_folders_is_a_maildir_and_a_folder_named_cur_or_new_is_not(tmp_path):
    for folder, present in (("no-new", ("cur", "tmp")), ("cur-only", ("cur",)), ("new-only", ("new",))):
        for name in present:
            (tmp_path / folder / name).mkdir(parents=True)
        (tmp_path / folder / present[0] / "1583312400.M1P1.host:2,S").write_bytes(_mail("a@example.org"))
    (tmp_path / "notes" / "cur").mkdir(parents=True)
    (tmp_path / "notes" / "cur" / "rates.txt").write_text("EUR 1.08\n")
    (tmp_path / "new-only" / "contacts.vcf").write_text("BEGIN:VCARD\r\nEND:VCARD\r\n")
    assert _found(tmp_path) == [
        ("maildir", "cur-only"),
        # a folder with new/ alone is no Maildir (an inbox with a new/ folder of fresh exports): its files are found
        ("vcard", "new-only/contacts.vcf"),
        ("unrecognised", "new-only/new/1583312400.M1P1.host:2,S"),
        ("maildir", "no-new"),
        ("unrecognised", "notes/cur/rates.txt"),
    ]


def test_apple_mail_emlx_files_are_messages(tmp_path):
    messages = tmp_path / "INBOX.mbox" / "Messages"
    messages.mkdir(parents=True)
    for name in ("12345.emlx", "12346.partial.emlx"):
        (messages / name).write_bytes(b"%d\n" % len(_mail("a@example.org")) + _mail("a@example.org"))
    assert _found(tmp_path) == [
        ("eml", "INBOX.mbox/Messages/12345.emlx"),
        ("eml", "INBOX.mbox/Messages/12346.partial.emlx"),
    ]


def test_file_names_apart_only_in_bytes_that_are_not_utf8_stay_apart_as_text(tmp_path):
    for name in (b"M\xfcller.vcf", b"M\xf6ller.vcf"):
        (tmp_path / os.fsdecode(name)).write_text("BEGIN:VCARD\r\nEND:VCARD\r\n")
    names = sorted(path_text(item.path.relative_to(tmp_path)) for item in discover(tmp_path))
    assert names == ["M\\xf6ller.vcf", "M\\xfcller.vcf"]  # not both "M\ufffdller.vcf"
