"""Staging raw rows as records to resolve (transforms/sql/records.sql): what lands and what is rejected."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from connectors import discover
from connectors.registry import parse
from transforms import build
from warehouse.ingest import ingest_files
from warehouse.raw_store import create_raw_tables


def test_an_identifier_that_normalises_to_nothing_is_rejected_and_its_card_lands(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "contacts.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Tom O'Neill\r\nTEL:07700 900456\r\nTEL:+44 7700 900457\r\n"
        "EMAIL:tom at example dot com\r\nEMAIL:tom@example.com\r\nEND:VCARD\r\n")
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    try:
        create_raw_tables(con)
        ingest_files(con, discover.discover(inbox), discover.FILE_KINDS, parse)
        build.stage(con, build.BuildParameters(as_of=datetime(2026, 1, 1, tzinfo=UTC), default_region="US"))
        rejected = con.execute(
            "select location, reason from rejected where scope = 'identifier' order by reason").fetchall()
        kept = con.execute("select kind, value from stg_record_identifiers order by all").fetchall()
    finally:
        con.close()
    assert rejected == [
        ("card 1 (line 1)", 'email "tom at example dot com" left out: not an email address'),
        ("card 1 (line 1)", 'phone "07700 900456" left out: not a phone number (one without a country code is read '
                            "in [owner] default_region)"),
    ]
    assert kept == [("email", "tom@example.com"), ("phone", "+447700900457")]


def test_the_owner_s_own_card_is_no_record(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "contacts.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Katrin Müller\r\nEMAIL:k.mueller@bergmann.example\r\n"
        "TEL:+49 30 1234567\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jan Müller\r\nEMAIL:jan@example.org\r\n"
        "TEL:+49 30 1234567\r\nEND:VCARD\r\n", encoding="utf-8")  # her partner, with the home phone
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    try:
        create_raw_tables(con)
        ingest_files(con, discover.discover(inbox), discover.FILE_KINDS, parse)
        build.stage(con, build.BuildParameters(as_of=datetime(2026, 1, 1, tzinfo=UTC),
                                               owner_emails=("k.mueller@bergmann.example",)))
        assert con.execute("select display_name from stg_cards").fetchall() == [("Jan Müller",)]
    finally:
        con.close()
