"""The raw layer (warehouse/raw_store.py): what an account sync merges into it."""

from __future__ import annotations

import duckdb
import pytest

from connectors.records import ContactCard, Identifier, Reject
from warehouse.raw_store import (
    READ_BY_PARSER, account_state, accounts_not_in, accounts_read_by_other_parsers, create_raw_tables,
    forget_account, load_account_records, unreconciled_file_count,
)

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
    load_account_records(con, ACCOUNT, "carddav", list(records), {"sync_token": "t"}, "parser-1")
    return con.execute("select location, reason from raw_rejected order by all").fetchall()


def test_an_item_failing_on_every_sync_is_one_reject_until_it_lands(con):
    failing = Reject("carddav", f"account:{ACCOUNT}", "/books/ann.vcf", "unreadable XML; to be fetched again")
    other = Reject("carddav", f"account:{ACCOUNT}", "/books/bo.vcf", "unreadable XML; to be fetched again")
    assert _sync(con, failing, other) == [("/books/ann.vcf", failing.reason), ("/books/bo.vcf", other.reason)]
    assert _sync(con, failing) == [("/books/ann.vcf", failing.reason), ("/books/bo.vcf", other.reason)]
    assert _sync(con, _card("/books/ann.vcf, card 1 (line 1)")) == [("/books/bo.vcf", other.reason)]  # as CardDAV
    assert con.execute("select rejected from source_files").fetchall() == [(1,)]


def test_a_full_sync_keeps_the_parser_version_that_read_it_and_an_incremental_one_keeps_the_old(con):
    state: dict = {}

    def first_sync():  # the connector fills the state as it goes, as a sync token comes with the last page
        yield _card("/books/ann.vcf")
        state["sync_token"] = "t1"

    load_account_records(con, ACCOUNT, "carddav", first_sync(), state, "parser-1")
    assert accounts_read_by_other_parsers(con, [ACCOUNT], "parser-1") == []

    state = account_state(con, ACCOUNT) | {"sync_token": "t2"}
    load_account_records(con, ACCOUNT, "carddav", [_card("/books/bo.vcf")], state, "parser-2")  # incremental
    assert account_state(con, ACCOUNT)[READ_BY_PARSER] == "parser-1"
    assert accounts_read_by_other_parsers(con, [ACCOUNT, "never-synced"], "parser-2") == [ACCOUNT]

    full = {"sync_token": "t3", "full_resync": True}  # the server made the connector list everything again
    load_account_records(con, ACCOUNT, "carddav", [_card("/books/bo.vcf")], full, "parser-2")
    assert accounts_read_by_other_parsers(con, [ACCOUNT], "parser-2") == []
    assert con.execute("select location from raw_contacts").fetchall() == [("/books/bo.vcf",)]


def test_a_first_sync_that_failed_stays_a_first_sync(con):
    failed = Reject("carddav", f"account:{ACCOUNT}", "account", "sync stopped: ConnectionRefusedError")
    load_account_records(con, ACCOUNT, "carddav", [failed], {}, "parser-1")
    assert account_state(con, ACCOUNT) == {}


def test_an_account_not_in_the_config_is_named_and_forgotten_only_on_request(con):
    _sync(con, _card("/books/ann.vcf"))
    assert accounts_not_in(con, [ACCOUNT]) == []
    assert accounts_not_in(con, ["another"]) == [ACCOUNT]
    assert con.execute("select count(*) from raw_contacts").fetchone() == (1,)
    forget_account(con, ACCOUNT)
    assert con.execute("select count(*) from raw_contacts").fetchone() == (0,)
    assert con.execute("select count(*) from source_files").fetchone() == (0,)
    assert account_state(con, ACCOUNT) == {}


def test_a_full_sync_that_stopped_keeps_what_it_did_not_get_to(con):
    _sync(con, _card("/books/ann.vcf"), _card("/books/bo.vcf"))
    stopped = Reject("carddav", f"account:{ACCOUNT}", "account", "sync stopped: ConnectionRefusedError")
    load_account_records(con, ACCOUNT, "carddav", [_card("/books/cy.vcf"), stopped], {}, "parser-2")  # --resync
    assert con.execute("select location from raw_contacts order by 1").fetchall() == [
        ("/books/ann.vcf",), ("/books/bo.vcf",), ("/books/cy.vcf",)]
    assert READ_BY_PARSER not in account_state(con, ACCOUNT)


def test_a_file_holding_other_rows_than_its_counts_say_is_unreconciled(con):
    _sync(con, _card("/books/ann.vcf"), _card("/books/bo.vcf"))
    assert unreconciled_file_count(con) == 0
    con.execute("delete from raw_contacts where location = '/books/bo.vcf'")
    assert unreconciled_file_count(con) == 1
