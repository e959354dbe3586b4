"""`forget`: a person leaves the served warehouse at once and stays out of every later build."""

from __future__ import annotations

import shutil
import stat
import tomllib

import duckdb
import pytest

from pipelines.cli import main
from pipelines.settings import kith_home
from tests.conftest import SMALL_INBOX, SMALL_INBOX_AS_OF
from transforms.forget import (
    PERSON_COLUMNS_SQL, ForgetError, forget, forgotten_path, load_forgotten, read_forgotten,
)
from warehouse.publish import PUBLISHED_TABLES

BOB_EMAILS = {"robert.smith@acme.example", "bobsmith77@gmail.com"}  # as staging canonicalises them


@pytest.fixture
def built(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SMALL_INBOX, inbox)
    warehouse = tmp_path / "kith.duckdb"
    args = ["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--as-of", SMALL_INBOX_AS_OF]
    assert main(args) == 0
    return warehouse, args


def rows(warehouse, sql, params=None):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def published_text(warehouse) -> str:
    return "\n".join(str(rows(warehouse, f"select * from {table}")) for table in PUBLISHED_TABLES)


def assert_bob_is_gone(warehouse, bob_ids):
    ids = list(bob_ids)
    assert rows(warehouse, "select count(*) from people where display_name = 'Bob Smith'") == [(0,)]
    person_columns = rows(warehouse, PERSON_COLUMNS_SQL)
    assert {table for table, _ in person_columns} >= {
        "people", "identifiers", "source_records", "interaction_participants", "relationships", "relationship_history",
        "connections_between_contacts"}
    for table, column in person_columns:
        assert rows(warehouse, f"select count(*) from {table} where list_contains(?, {column})", [ids]) == [(0,)], table
    text = published_text(warehouse)
    for value in (*BOB_EMAILS, "robert-smith-42"):
        assert value not in text


def test_forget_by_email_removes_the_person_now_and_from_later_builds(built):
    warehouse, args = built
    bob_ids = {pid for (pid,) in rows(warehouse, "select person_id from people where display_name = 'Bob Smith'")}
    people_before = rows(warehouse, "select count(*) from people")[0][0]
    meetings_before = rows(warehouse, "select count(*) from interactions")[0][0]
    forgotten = forget(kith_home(), warehouse, "Robert.Smith@acme.example")
    assert set(forgotten.person_ids) == bob_ids and len(bob_ids) == 1
    assert BOB_EMAILS | {"robert-smith-42"} <= {value for _, value in forgotten.identifiers}
    assert_bob_is_gone(warehouse, bob_ids)
    assert rows(warehouse, "select count(*) from people")[0][0] == people_before - 1
    assert stat.S_IMODE(warehouse.stat().st_mode) == 0o600
    assert main(args) == 0  # the rebuild re-reads every source that named Bob
    assert_bob_is_gone(warehouse, bob_ids)
    assert rows(warehouse, "select count(*) from people")[0][0] == people_before - 1
    assert rows(warehouse, "select count(*) from interactions")[0][0] == meetings_before  # they happened; Bob is not named
    assert {"Ana Lima", "Priya Natarajan"} <= {n for (n,) in rows(warehouse, "select display_name from people")}


def test_forget_by_person_id_and_the_file_it_writes(built):
    warehouse, _ = built
    [(ana,)] = rows(warehouse, "select person_id from people where display_name = 'Ana Lima'")
    forget(kith_home(), warehouse, str(ana))
    assert rows(warehouse, "select count(*) from people where person_id = ?", [ana]) == [(0,)]
    path = kith_home() / "forgotten.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    [entry] = tomllib.loads(path.read_text())["forgotten"]
    assert entry["target"] == str(ana)
    assert read_forgotten(kith_home()) == [("email", "analima@gmail.com")]  # not the phone she shares with João
    assert rows(warehouse, "select count(*) from people where display_name = 'João Lima'") == [(1,)]


def test_an_unknown_address_is_still_kept_out_and_an_unknown_id_is_an_error(tmp_path):
    forget(tmp_path, None, "Stranger.One+news@GMail.com")
    assert read_forgotten(tmp_path) == [("email", "strangerone@gmail.com")]
    with pytest.raises(ForgetError, match="no person '424242'"):
        forget(tmp_path, tmp_path / "missing.duckdb", "424242")


def test_load_forgotten_makes_the_staging_table(tmp_path):
    forget(tmp_path, None, "a@example.com")
    with duckdb.connect(str(tmp_path / "work.duckdb")) as con:
        load_forgotten(con, tmp_path)
        assert con.execute("select * from forgotten_identifiers").fetchall() == [("email", "a@example.com")]
        load_forgotten(con, tmp_path / "empty-home")
        assert con.execute("select count(*) from forgotten_identifiers").fetchall() == [(0,)]


def test_the_command_says_whether_anyone_was_removed(built, capsys):
    warehouse, _ = built
    assert main(["forget", "--warehouse", str(warehouse), "nobody@nowhere.example"]) == 0
    unknown = capsys.readouterr().out
    assert main(["forget", "--warehouse", str(warehouse), "Robert.Smith@acme.example"]) == 0
    known = capsys.readouterr().out
    assert f"nobody in {warehouse} has it yet, and kept out of every later build" in unknown
    assert f"1 person removed from {warehouse}, and kept out of every later build" in known


def test_forgetting_an_address_several_people_share_keeps_it_out_of_later_builds(built):
    warehouse, args = built
    inbox = warehouse.parent / "inbox"
    (inbox / "household.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Carlos Garcia\r\nN:Garcia;Carlos;;;\r\nEMAIL:garcias@example.net\r\n"
        "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maria Lopez\r\nN:Lopez;Maria;;;\r\nEMAIL:garcias@example.net\r\n"
        "TEL:+49 30 1234567\r\nEND:VCARD\r\n")  # her own phone: something of hers besides the shared address
    assert main(args) == 0
    shared = "select bool_and(shared_by_several_people) from identifiers where value = 'garcias@example.net'"
    assert rows(warehouse, shared) == [(True,)]
    forgotten = forget(kith_home(), warehouse, "garcias@example.net")
    assert len(forgotten.person_ids) == 2  # the address names both: both are forgotten, with what is theirs alone
    assert {("email", "garcias@example.net"), ("phone", "+49301234567")} <= set(forgotten.identifiers)
    assert main(args) == 0
    assert rows(warehouse, "select count(*) from identifiers where value = 'garcias@example.net'") == [(0,)]


def test_a_phone_forgotten_before_kith_kept_extensions_still_forgets_its_card(tmp_path):
    """forgotten.toml holds normalised numbers, which had no extension before: +12125550100 for a card giving
    +1 212 555 0100 x5555."""
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "contacts.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nN:Lima;Ana;;;\r\nTEL;TYPE=work:+1 212 555 0100 x5555\r\n"
        "EMAIL:ana@example.org\r\nEND:VCARD\r\n")
    forgotten_path(kith_home()).write_text('[[forgotten]]\ntarget = "Ana Lima"\nidentifiers = [["phone", "+12125550100"]]\n')
    warehouse = tmp_path / "kith.duckdb"
    assert main(["build", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(warehouse),
                 "--as-of", SMALL_INBOX_AS_OF]) == 0
    assert rows(warehouse, "select count(*) from people") == [(0,)]
