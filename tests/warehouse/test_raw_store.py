"""The raw layer (warehouse/raw_store.py): what an account sync merges into it."""

from __future__ import annotations

import duckdb
import pytest

from connectors.records import ContactCard, Identifier, Reject
from warehouse.raw_store import create_raw_tables, load_account_records

ACCOUNT = "contacts"


@pytest.fixture
def con(tmp_path):
    connection = duckdb.connect(str(tmp_path / "work.duckdb"))
    create_raw_tables(connection)
    yield connection
    connection.close()


def _card(href: str) -> ContactCard:
    return ContactCard("carddav", f"account:{ACCOUNT}", href, href, full_name="Ann Lee",
                       identifiers=[Identifier("email", "ann@example.org")])


def _sync(con, *records) -> list[tuple[str, str]]:
    load_account_records(con, ACCOUNT, "carddav", list(records), {"sync_token": "t"})
    return con.execute("select location, reason from raw_rejected order by all").fetchall()


def test_an_item_failing_on_every_sync_is_one_reject_until_it_lands(con):
    failing = Reject("carddav", f"account:{ACCOUNT}", "/books/ann.vcf", "unreadable XML; to be fetched again")
    other = Reject("carddav", f"account:{ACCOUNT}", "/books/bo.vcf", "unreadable XML; to be fetched again")
    assert _sync(con, failing, other) == [("/books/ann.vcf", failing.reason), ("/books/bo.vcf", other.reason)]
    assert _sync(con, failing) == [("/books/ann.vcf", failing.reason), ("/books/bo.vcf", other.reason)]
    assert _sync(con, _card("/books/ann.vcf, card 1 (line 1)")) == [("/books/bo.vcf", other.reason)]  # as CardDAV
    assert con.execute("select rejected from source_files").fetchall() == [(1,)]
