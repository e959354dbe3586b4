"""Finding the owner's addresses (transforms/sql/owner.sql, owner_from_mail.sql) on small inboxes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from connectors import discover
from connectors.registry import parse
from transforms import build
from warehouse.ingest import ingest_files
from warehouse.raw_store import create_raw_tables


def _message(number: int, sender: str, to: str, cc: str = "") -> str:
    return (f"From x@y Mon Jan  6 04:49:45 2025\nFrom: {sender}\nTo: {to}\n" + (f"Cc: {cc}\n" if cc else "")
            + f"Date: Mon, {number} Jan 2025 09:00:00 +0000\nMessage-ID: <m{number}@example.org>\n\nbody\n")


def _owner_emails(tmp_path: Path, messages: list[str], me: tuple[str, ...] = ()) -> list[tuple[str, list[str]]]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "mail.mbox").write_text("".join(messages))
    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    try:
        create_raw_tables(con)
        ingest_files(con, discover.discover(inbox), discover.FILE_KINDS, parse)
        build.stage(con, build.BuildParameters(as_of=datetime(2025, 6, 1, tzinfo=UTC), owner_emails=me))
        return con.execute("select value, evidence from owner_identifiers where kind = 'email'").fetchall()
    finally:
        con.close()


MAILBOX = [
    _message(1, "Ana Lima <ana@example.org>", "Alex Doe <alex.doe@gmail.com>"),
    _message(2, "Alex Doe <alex.doe@gmail.com>", "Ana Lima <ana@example.org>"),
    _message(3, "Bo Ng <bo@example.net>", "alex.doe@gmail.com", cc="ana@example.org"),
    _message(4, "Shop <orders@shop.example>", "alexdoe@gmail.com"),  # the same Gmail address, undotted
    _message(5, "Alex Doe <alex.doe@gmail.com>", "Cy Ma <cy@example.com>"),
]


def test_with_nothing_naming_the_owner_the_address_in_most_mail_is_theirs(tmp_path):
    assert _owner_emails(tmp_path, MAILBOX) == [("alexdoe@gmail.com", ["in most mail"])]


def test_an_address_given_by_the_user_is_no_guess(tmp_path):
    assert _owner_emails(tmp_path, MAILBOX, me=("alex@work.example",)) == [("alex@work.example", ["settings"])]


def _list_message(number: int) -> str:
    return _message(number, f"p{number}@example.org", "dev@lists.example").replace(
        "Date:", "List-Id: <dev.lists.example>\nDate:")


def test_a_mailing_list_is_not_the_owner_however_much_of_the_mail_it_gets(tmp_path):
    messages = [_list_message(n) for n in range(10, 22)] + MAILBOX
    assert _owner_emails(tmp_path, messages) == [("alexdoe@gmail.com", ["in most mail"])]


@pytest.mark.parametrize("messages", [
    # lists' mail: no address is in a third of it
    [_message(n, f"p{n}@example.org", f"list{n % 4}@lists.example") for n in range(1, 13)],
    # two addresses in all of it: either could be the owner's
    [_message(n, "ana@example.org", "bo@example.net") for n in range(1, 5)],
])
def test_no_address_stands_out_so_the_owner_stays_unknown(tmp_path, messages):
    assert _owner_emails(tmp_path, messages) == []
