"""Incremental ingest: unchanged files skipped, a grown mbox parsed from its old end, a changed one re-read, ranges in parallel."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from connectors import discover
from connectors.registry import parse
from warehouse import ingest
from warehouse.raw_store import create_raw_tables

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
MAILBOX = (FIXTURES / "mailbox.mbox").read_bytes()
NEW_MAIL = (FIXTURES / "new-mail.mbox").read_bytes()


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "work.duckdb"))
    connection.execute("set TimeZone = 'UTC'")
    create_raw_tables(connection)
    yield connection
    connection.close()


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "mail.mbox").write_bytes(MAILBOX)
    return folder


parse_from = parse  # the registry's parser resumes an mbox at `start_offset`


def parse_whole(kind, path):
    """A parser that cannot resume: ingest must read a grown mbox whole with it."""
    return parse(kind, path)


class ParseSpy:
    """Records what the parser was asked to read, (file name, start offset), and how many records it gave."""

    def __init__(self):
        self.calls: list[tuple[str, int]] = []
        self.records = 0

    def parse(self, kind, path, start_offset=0):
        self.calls.append((Path(path).name, start_offset))
        for record in parse_from(kind, path, start_offset=start_offset):
            self.records += 1
            yield record


def _ingest(con, inbox, parser, workers=1):
    return ingest.ingest_files(con, discover.discover(inbox), discover.FILE_KINDS, parser, workers=workers)


def _messages(con) -> list[tuple[str, str]]:
    return con.execute("select location, interaction_key from raw_interactions order by location").fetchall()


def _grow(path: Path, data: bytes) -> None:
    """Append `data`, and move the modification time on as a second's later write would."""
    with open(path, "ab") as handle:
        handle.write(data)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_unchanged_mbox_is_skipped(con, inbox):
    _ingest(con, inbox, parse_from)
    spy = ParseSpy()

    loads = _ingest(con, inbox, spy.parse)

    assert [(load.skipped, load.records) for load in loads] == [(True, 0)]
    assert spy.calls == []
    assert len(_messages(con)) == 2


def test_grown_mbox_parses_only_the_new_messages(con, inbox):
    _ingest(con, inbox, parse_from)
    keys_before = _messages(con)
    mbox = inbox / "mail.mbox"
    _grow(mbox, NEW_MAIL)
    spy = ParseSpy()

    loads = _ingest(con, inbox, spy.parse)

    assert spy.calls == [("mail.mbox", len(MAILBOX))]
    assert spy.records == 1
    assert [(load.skipped, load.records, load.rejected) for load in loads] == [(False, 3, 0)]
    messages = _messages(con)
    assert messages[:2] == keys_before
    assert [location for location, _ in messages] == ["byte 0", "byte 356", f"byte {len(MAILBOX)}"]
    assert con.execute("select records, rejected, parsed_bytes from source_files").fetchall() == [
        (3, 0, len(MAILBOX) + len(NEW_MAIL))
    ]

    again = _ingest(con, inbox, spy.parse)
    assert again[0].skipped


@pytest.fixture
def upgraded_kith(monkeypatch):
    """The connectors' code changed since the last build (an upgrade)."""
    monkeypatch.setattr(ingest, "parser_version", lambda: "another-version")


def test_an_unchanged_file_is_parsed_again_by_an_upgraded_kith_and_then_skipped(con, inbox, request):
    _ingest(con, inbox, parse_from)
    request.getfixturevalue("upgraded_kith")
    spy = ParseSpy()

    loads = _ingest(con, inbox, spy.parse)
    again = _ingest(con, inbox, spy.parse)

    assert spy.calls == [("mail.mbox", 0)]
    assert [(load.skipped, load.records) for load in loads] == [(False, 2)]
    assert again[0].skipped
    assert len(_messages(con)) == 2


def test_a_grown_mbox_is_parsed_whole_by_an_upgraded_kith(con, inbox, request):
    _ingest(con, inbox, parse_from)
    mbox = inbox / "mail.mbox"
    _grow(mbox, NEW_MAIL)
    request.getfixturevalue("upgraded_kith")
    spy = ParseSpy()

    _ingest(con, inbox, spy.parse)

    assert spy.calls == [("mail.mbox", 0)]
    assert len(_messages(con)) == 3


def test_the_parser_version_follows_the_file_parsers_code_not_the_account_sync_code(tmp_path):
    before = tmp_path / "before"
    shutil.copytree(ingest.CONNECTORS, before, ignore=shutil.ignore_patterns("*.pyc"))

    def version_after(edited: str) -> str:
        after = tmp_path / edited.replace("/", "-")
        shutil.copytree(before, after)
        with open(after / edited, "a") as code:
            code.write("# a fix\n")
        return ingest.parser_version(after)

    assert ingest.parser_version(before) == ingest.parser_version()
    assert version_after("mail/mbox.py") != ingest.parser_version()
    assert version_after("imap.py") == ingest.parser_version()
    assert version_after("google/gmail.py") == ingest.parser_version()


def test_mbox_with_a_changed_prefix_is_parsed_again_in_full(con, inbox):
    _ingest(con, inbox, parse_from)
    mbox = inbox / "mail.mbox"
    mbox.write_bytes(MAILBOX.replace(b"Subject: lunch?", b"Subject: LUNCH?") + NEW_MAIL)
    spy = ParseSpy()

    loads = _ingest(con, inbox, spy.parse)

    assert spy.calls == [("mail.mbox", 0)]
    assert [(load.skipped, load.records) for load in loads] == [(False, 3)]
    assert len(_messages(con)) == 3


def test_mbox_whose_old_end_is_no_longer_a_message_start_is_parsed_again(con, inbox):
    _ingest(con, inbox, parse_from)
    mbox = inbox / "mail.mbox"
    _grow(mbox, b"a line that continues the last message\n" + NEW_MAIL)
    spy = ParseSpy()

    _ingest(con, inbox, spy.parse)

    assert spy.calls == [("mail.mbox", 0)]
    assert len(_messages(con)) == 3


def test_mbox_ranges_start_at_messages_not_at_body_lines_that_look_like_separators(tmp_path):
    mbox = tmp_path / "mail.mbox"
    mbox.write_bytes(MAILBOX + NEW_MAIL)

    ranges = ingest.mbox_ranges(mbox, 0, mbox.stat().st_size, 3)

    # The `From 123@xxx ...` body line at byte 241 is not followed by a header, so it never starts a range.
    assert ranges == [(0, 356), (356, 607), (607, None)]


def test_parallel_ranges_load_exactly_what_one_process_loads(tmp_path, monkeypatch):
    mbox_bytes = MAILBOX + NEW_MAIL + (FIXTURES.parent / "mail" / "mboxo.mbox").read_bytes()
    serial_inbox, parallel_inbox = tmp_path / "serial", tmp_path / "parallel"
    for folder in (serial_inbox, parallel_inbox):
        folder.mkdir()
        (folder / "mail.mbox").write_bytes(mbox_bytes)
        shutil.copy(FIXTURES.parent / "mail" / "invitation.eml", folder / "invitation.eml")
    monkeypatch.setattr(ingest, "RANGE_BYTES", 200)
    monkeypatch.setattr(ingest, "PARALLEL_MIN_BYTES", 0)
    results = []
    for folder, workers in ((serial_inbox, 1), (parallel_inbox, 2)):
        connection = duckdb.connect(str(tmp_path / f"{folder.name}.duckdb"))
        connection.execute("set TimeZone = 'UTC'")
        create_raw_tables(connection)
        loads = _ingest(connection, folder, parse_from, workers=workers)
        rows = connection.execute(
            "select location, interaction_key, occurred_at, participants::varchar, labels::varchar "
            "from raw_interactions order by location"
        ).fetchall()
        rejected = connection.execute("select location, reason from raw_rejected order by location").fetchall()
        counts = connection.execute("select records, rejected from source_files order by path").fetchall()
        results.append((sorted((Path(l.path).name, l.records, l.rejected) for l in loads), rows, rejected, counts))
        connection.close()

    assert results[0] == results[1]
    assert results[0][0] == [("invitation.eml", 1, 0), ("mail.mbox", 6, 0)]


def test_a_parser_without_start_offset_reads_a_grown_mbox_whole(con, inbox):
    _ingest(con, inbox, parse_whole)
    with open(inbox / "mail.mbox", "ab") as handle:
        handle.write(NEW_MAIL)

    loads = _ingest(con, inbox, parse_whole)

    assert not ingest.parser_resumes_mbox(parse_whole)
    assert [(load.skipped, load.records) for load in loads] == [(False, 3)]
    assert len(_messages(con)) == 3


def test_raw_data_version_changes_only_when_the_raw_layer_does(con, inbox):
    empty = ingest.raw_data_version(con)
    _ingest(con, inbox, parse_from)
    loaded = ingest.raw_data_version(con)
    _ingest(con, inbox, parse_from)
    unchanged = ingest.raw_data_version(con)
    with open(inbox / "mail.mbox", "ab") as handle:
        handle.write(NEW_MAIL)
    _ingest(con, inbox, parse_from)
    grown = ingest.raw_data_version(con)
    (inbox / "mail.mbox").unlink()
    _ingest(con, inbox, parse_from)

    assert loaded != empty and unchanged == loaded and grown != loaded
    assert ingest.raw_data_version(con) == empty


def test_mail_beside_an_unpacked_linkedin_export_is_no_change_to_the_export(con, inbox):
    (inbox / "Connections.csv").write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ann,Lee,https://www.linkedin.com/in/ann-lee,,Acme,Engineer,01 Feb 2024\n"
    )
    first = {Path(load.path).name: load for load in _ingest(con, inbox, parse_from)}
    mbox = inbox / "mail.mbox"
    _grow(mbox, NEW_MAIL)

    again = {Path(load.path).name: load for load in _ingest(con, inbox, parse_from)}

    assert [(first[name].skipped, first[name].records) for name in ("inbox", "mail.mbox")] == [(False, 1), (False, 2)]
    assert [(again[name].skipped, again[name].records) for name in ("inbox", "mail.mbox")] == [(True, 0), (False, 3)]
