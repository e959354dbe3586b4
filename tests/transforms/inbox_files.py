"""Small hand-written inboxes for the transform tests: mbox messages, vCards, and an inbox staged or resolved in a
work DB."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from connectors import discover
from connectors.registry import parse
from transforms import build
from transforms.resolve import assign_person_ids, resolve
from warehouse.ingest import ingest_files
from warehouse.raw_store import create_raw_tables

RESOLVE_FIXTURES = Path(__file__).parents[1] / "fixtures" / "resolve"


def mbox_message(day: int, sender: str, to: str, cc: str = "", headers: str = "") -> str:
    """One mbox message of January 2025; `headers` are more header lines, each ending in a newline."""
    return (f"From x@y Mon Jan  6 04:49:45 2025\nFrom: {sender}\n{headers}To: {to}\n" + (f"Cc: {cc}\n" if cc else "")
            + f"Date: Mon, {day} Jan 2025 09:00:00 +0000\nMessage-ID: <m{day}.{sender[:3]}@example.org>\n\nbody\n")


def card(full_name: str, structured: str, *lines: str) -> str:
    """A vCard 3.0 with FN, N (`structured`) and more property `lines`."""
    return "".join(["BEGIN:VCARD\r\nVERSION:3.0\r\n", f"FN:{full_name}\r\nN:{structured}\r\n",
                    *(f"{line}\r\n" for line in lines), "END:VCARD\r\n"])


# Five messages; alex.doe@gmail.com (once written undotted) is in most of them, so a build takes it for the owner's.
ALEX_DOE_MAILBOX = [
    mbox_message(1, "Ana Lima <ana@example.org>", "Alex Doe <alex.doe@gmail.com>"),
    mbox_message(2, "Alex Doe <alex.doe@gmail.com>", "Ana Lima <ana@example.org>"),
    mbox_message(3, "Bo Ng <bo@example.net>", "alex.doe@gmail.com", cc="ana@example.org"),
    mbox_message(4, "Shop <orders@shop.example>", "alexdoe@gmail.com"),  # the same Gmail address, undotted
    mbox_message(5, "Alex Doe <alex.doe@gmail.com>", "Cy Ma <cy@example.com>"),
]


def write_inbox(tmp_path: Path, files: dict[str, str]) -> Path:
    """An inbox folder holding `files` (name -> text)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, text in files.items():
        (inbox / name).write_text(text, encoding="utf-8")
    return inbox


def ingested(inbox: Path, work_db: Path) -> duckdb.DuckDBPyConnection:
    """The open work DB `work_db` with the files of `inbox` parsed into the raw tables."""
    con = duckdb.connect(str(work_db))
    create_raw_tables(con)
    ingest_files(con, discover.discover(inbox), discover.FILE_KINDS, parse)
    return con


def staged(tmp_path: Path, files: dict[str, str], owner_emails: tuple[str, ...] = (),
           default_region: str | None = "US") -> duckdb.DuckDBPyConnection:
    """The open work DB of an inbox holding `files`, ingested and staged (records, the owner's identifiers)."""
    con = ingested(write_inbox(tmp_path, files), tmp_path / "work.duckdb")
    parameters = build.BuildParameters(as_of=datetime(2026, 1, 1, tzinfo=UTC), owner_emails=owner_emails,
                                       default_region=default_region)
    build.stage(con, parameters)
    return con


def run_build(inbox: Path, work_db: Path, overrides: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The open work DB of `inbox` staged and resolved into people (`overrides`: the user's decisions file)."""
    con = ingested(inbox, work_db)
    build.stage(con, build.BuildParameters(as_of=datetime(2026, 11, 1, tzinfo=UTC), default_region="GB"))
    resolve(con, overrides)
    assign_person_ids(con)
    con.execute((build.SQL_DIR / "people.sql").read_text())
    return con
