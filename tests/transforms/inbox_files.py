"""Small hand-written inboxes for the transform tests: mbox messages, vCards, and an inbox staged in a work DB."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from connectors import discover
from connectors.registry import parse
from transforms import build
from warehouse.ingest import ingest_files
from warehouse.raw_store import create_raw_tables


def mbox_message(day: int, sender: str, to: str, cc: str = "", headers: str = "") -> str:
    """One mbox message of January 2025; `headers` are more header lines, each ending in a newline."""
    return (f"From x@y Mon Jan  6 04:49:45 2025\nFrom: {sender}\n{headers}To: {to}\n" + (f"Cc: {cc}\n" if cc else "")
            + f"Date: Mon, {day} Jan 2025 09:00:00 +0000\nMessage-ID: <m{day}.{sender[:3]}@example.org>\n\nbody\n")


def card(full_name: str, structured: str, *lines: str) -> str:
    """A vCard 3.0 with FN, N (`structured`) and more property `lines`."""
    return "".join(["BEGIN:VCARD\r\nVERSION:3.0\r\n", f"FN:{full_name}\r\nN:{structured}\r\n",
                    *(f"{line}\r\n" for line in lines), "END:VCARD\r\n"])


def write_inbox(tmp_path: Path, files: dict[str, str]) -> Path:
    """An inbox folder holding `files` (name -> text)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, text in files.items():
        (inbox / name).write_text(text, encoding="utf-8")
    return inbox


def staged(tmp_path: Path, files: dict[str, str], owner_emails: tuple[str, ...] = (),
           default_region: str | None = "US") -> duckdb.DuckDBPyConnection:
    """The open work DB of an inbox holding `files`, ingested and staged (records, the owner's identifiers)."""
    inbox = write_inbox(tmp_path, files)
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    create_raw_tables(con)
    ingest_files(con, discover.discover(inbox), discover.FILE_KINDS, parse)
    parameters = build.BuildParameters(as_of=datetime(2026, 1, 1, tzinfo=UTC), owner_emails=owner_emails,
                                       default_region=default_region)
    build.stage(con, parameters)
    return con
