"""A whole inbox of bad files: discovery copes with loops and odd names, and `kith build` publishes with every bad file named."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from connectors import discover
from connectors.records import ContactCard
from warehouse.ingest import ingest_files
from warehouse.raw_store import create_raw_tables
from connectors.registry import parse
from pipelines.cli import main
from tests.badinput.contract import random_bytes
from tests.badinput.mail_samples import mbox_message
from tests.conftest import SMALL_INBOX, SMALL_INBOX_AS_OF

GOOD_CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:good\r\nFN:Gina Good\r\nEMAIL:gina@good.example\r\nEND:VCARD\r\n"
NOT_UTF8_NAME = os.fsdecode(b"caf\xe9 latin-1.vcf")


def bad_inbox(folder: Path) -> tuple[Path, dict[str, str]]:
    """An inbox of bad files beside the small good inbox; returns it and, per bad file, the reject location expected."""
    inbox = folder / "inbox"
    shutil.copytree(SMALL_INBOX, inbox)
    bad = inbox / "bad"
    bad.mkdir()
    (bad / "random.vcf").write_bytes(random_bytes())
    (bad / "cut.vcf").write_text(GOOD_CARD.replace("good", "cut")[:60])
    (bad / "empty.ics").write_bytes(b"")
    (bad / "garbage.mbox").write_bytes(b"not mail\n" + random_bytes(5000))
    (bad / "LinkedIn_export.zip").write_bytes(random_bytes(3000))
    (bad / "endless.ics").write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:stuck\r\nDTSTART:20260101T100000Z\r\nRRULE:FREQ=DAILY;INTERVAL=0\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (bad / "-rf.vcf").write_text(GOOD_CARD.replace("good", "dash")[:70])
    (bad / "new\nline.eml").write_bytes(random_bytes(100))
    (bad / NOT_UTF8_NAME).write_bytes(b"garbage\xff\n" + GOOD_CARD.replace("good", "latin").encode())
    locked = bad / "locked.eml"
    locked.write_bytes(b"\x00" * 10)
    locked.chmod(0)  # root still reads it; the file is bad anyway, so it is rejected either way
    (bad / "x.vcf").mkdir()  # a folder named like a file: walked as a folder, not parsed
    os.symlink("loop", bad / "loop")  # a link to itself
    os.symlink(inbox, bad / "up")  # a link back to the inbox: a folder loop
    os.symlink(bad / "nowhere.vcf", bad / "dangling.vcf")
    expected = {
        "random.vcf": "line 1",
        "cut.vcf": "card 1 (line 1)",
        "empty.ics": "file",
        "garbage.mbox": "byte 0",
        "LinkedIn_export.zip": "file",
        "endless.ics": "UID stuck",
        "-rf.vcf": "card 1 (line 1)",
        "new\nline.eml": "file",
        discover.storable_text(NOT_UTF8_NAME): "line 1",
        "locked.eml": "file",
    }
    return inbox, expected


def test_discovery_survives_loops_and_odd_names(tmp_path):
    inbox, expected = bad_inbox(tmp_path)
    found = {item.path.name: item.kind for item in discover.discover(inbox) if item.path.parent.name == "bad"}
    assert found == {
        "random.vcf": "vcard",
        "cut.vcf": "vcard",
        "empty.ics": "ics",
        "garbage.mbox": "mbox",
        "LinkedIn_export.zip": "linkedin",
        "endless.ics": "ics",
        "-rf.vcf": "vcard",
        "new\nline.eml": "eml",
        NOT_UTF8_NAME: "vcard",
        "locked.eml": "eml",
    }  # symlinks to folders, to themselves and to nothing are not followed


def test_every_bad_file_is_a_reject_through_the_registry(tmp_path):
    inbox, expected = bad_inbox(tmp_path)
    for item in discover.discover(inbox / "bad"):
        records = list(parse(item.kind, item.path))
        name = discover.storable_text(item.path.name)
        assert expected[name] in [r.location for r in records if type(r).__name__ == "Reject"], name
        assert {r.source_file for r in records} == {discover.path_text(item.path)}


def test_empty_file_is_a_reject_for_every_kind(tmp_path):
    for kind, name in [("vcard", "e.vcf"), ("mbox", "e.mbox"), ("ics", "e.ics"), ("eml", "e.eml"), ("linkedin", "e.zip")]:
        path = tmp_path / name
        path.write_bytes(b"")
        assert [(r.location, r.reason) for r in parse(kind, path)] == [("file", "empty file")], kind


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-build")
    inbox, expected = bad_inbox(folder)
    warehouse = folder / "kith.duckdb"
    yield inbox, expected, warehouse, folder


def test_build_on_bad_inbox_exits_0_without_traceback_and_names_every_bad_file(bad_build, capfd):
    inbox, expected, warehouse, _ = bad_build
    code = main(["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--as-of", SMALL_INBOX_AS_OF])
    out, err = capfd.readouterr()
    assert code == 0, err
    assert "Traceback" not in out + err
    assert f"Published {warehouse}" in out
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rejected = con.execute("select source_file, location from rejected").fetchall()
        people = {name for (name,) in con.execute("select display_name from people").fetchall()}
        reconciled = con.execute(
            "select count(*) from source_files where records + rejected = 0 and path like '%/bad/%'"
        ).fetchall()[0][0]
    finally:
        con.close()
    by_name = {}
    for source_file, location in rejected:
        by_name.setdefault(source_file.rsplit("/", 1)[-1], []).append(location)
    for name, location in expected.items():
        assert location in by_name.get(name, []), name
    assert {"Ana Lima", "Bob Smith", "Gina Good"} <= people  # good records beside the bad ones (Gina: the latin-1 named file)
    assert reconciled == 0  # every bad file left at least one row: nothing vanished silently


def test_a_record_the_raw_layer_cannot_store_costs_its_file_only(tmp_path):
    good, bad = tmp_path / "good.vcf", tmp_path / "bad.vcf"
    good.write_text(GOOD_CARD)
    bad.write_text(GOOD_CARD)

    def parse_with_a_lone_surrogate(kind, path):
        name = "Gina Good" if path == good else "broken \udcff name"
        yield ContactCard("vcard", str(path), "card 1", "k", full_name=name)

    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    try:
        create_raw_tables(con)
        items = [discover.InboxFile("vcard", bad), discover.InboxFile("vcard", good)]
        ingest_files(con, items, ["vcard"], parse_with_a_lone_surrogate, workers=1)
        files = con.execute("select path, records, rejected, fingerprint is null from source_files order by path").fetchall()
        names = con.execute("select full_name from raw_contacts").fetchall()
        reasons = con.execute("select location, reason from raw_rejected").fetchall()
    finally:
        con.close()
    assert files == [(str(bad), 0, 1, True), (str(good), 1, 0, False)]
    assert names == [("Gina Good",)]
    assert [(location, reason.split(":")[0]) for location, reason in reasons] == [("file", "could not be stored")]
