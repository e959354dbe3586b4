"""End to end: `kith build` on a small inbox of every file kind, checked table by table."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from datetime import datetime, timedelta

import duckdb
import pytest

import transforms.build

import pipelines.cli
from pipelines.cli import main
from tests.conftest import SMALL_INBOX, SMALL_INBOX_AS_OF
from warehouse.publish import PUBLISHED_TABLES


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("build")
    inbox = folder / "inbox"
    shutil.copytree(SMALL_INBOX, inbox)
    warehouse = folder / "kith.duckdb"
    assert main(["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--as-of", SMALL_INBOX_AS_OF]) == 0
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con, folder
    con.close()


def rows(con, sql):
    return con.execute(sql).fetchall()


def test_every_contract_table_exists_and_has_rows(built):
    con, _ = built
    for table in PUBLISHED_TABLES:
        count = rows(con, f"select count(*) from {table}")[0][0]
        # no user decisions yet: the overrides table exists but is empty
        assert count == 0 if table == "resolution_overrides" else count > 0, table


def test_one_person_per_real_person_across_sources(built):
    con, _ = built
    people = dict(rows(con, "select display_name, list_sort(sources) from people"))
    assert people == {
        "Ana Lima": ["ics", "mbox", "vcard"],
        "João Lima": ["vcard"],
        "Bob Smith": ["ics", "linkedin", "mbox", "vcard"],
        "Priya Natarajan": ["ics", "linkedin", "mbox"],
        "Chloé Dubois": ["linkedin", "mbox"],
    }


def test_owner_is_nowhere_in_people(built):
    con, _ = built
    owner = {value for _, value in rows(con, "select kind, value from owner_identifiers")}
    assert {"samowner@gmail.com", "sam-owner", "sam owner"} <= owner
    assert rows(con, "select count(*) from identifiers where value in ('samowner@gmail.com', 'sam-owner')") == [(0,)]
    assert rows(con, "select count(*) from people where display_name ilike '%owner%'") == [(0,)]


def test_household_phone_joins_nobody(built):
    con, _ = built
    shared = rows(con, "select count(distinct person_id) from identifiers where value = '+442079460001'")
    assert shared == [(2,)]
    assert rows(con, "select bool_and(shared_by_several_people) from identifiers where value = '+442079460001'") == [(True,)]


def test_automated_senders_are_flagged_not_people(built):
    con, _ = built
    automated = dict(rows(con, "select value, automated_reason from identifiers where person_id is null"))
    assert automated == {"digest@news.example": "list-id", "no-reply@shop.example": "no-reply"}


def test_interactions_directions_and_statuses(built):
    con, _ = built
    by_status = dict(rows(con, "select status, count(*) from interactions group by all"))
    assert by_status == {"happened": 14, "cancelled": 1, "declined": 1, "upcoming": 1}
    sent = rows(con, "select count(*) from interactions where channel = 'email' and direction = 'sent'")
    assert sent == [(2,)]  # one from the gmail address, one from its googlemail alias
    assert rows(con, "select count(*) from upcoming_meetings") == [(1,)]


def test_declined_attendee_did_not_meet(built):
    con, _ = built
    bob_meetings = rows(
        con, "select meetings from relationships join people using (person_id) where display_name = 'Bob Smith'"
    )
    assert bob_meetings == [(0,)]


def test_a_meeting_the_owner_declined_is_no_contact(built):
    con, _ = built
    priya = rows(con, "select meetings, explanation from relationships join people using (person_id)"
                      " where display_name = 'Priya Natarajan'")
    assert priya[0][0] == 0 and "meeting" not in priya[0][1]


def test_counts_reconcile(built):
    con, _ = built
    per_file = rows(con, "select sum(records), sum(rejected) from source_files")[0]
    landed_interactions = rows(con, "select count(*) from interaction_sources")[0][0]
    cards = rows(con, "select count(*) from source_records where record_kind = 'card'")[0][0]
    rejected = rows(con, "select count(*) from rejected where scope = 'record'")[0][0]
    assert per_file == (landed_interactions + cards, rejected)
    assert rows(con, "select location, reason from rejected order by location") == [
        ("card 4 (line 28)", "card cut off: the file ends before END:VCARD"),
        ("file", "not a file kind Kith reads (LinkedIn export, .vcf, mbox, Maildir, .eml, .ics)"),
    ]


def test_strongest_relationship_is_the_friend_met_often(built):
    con, _ = built
    top = rows(con, "select display_name, tier from people_overview limit 1")
    assert top == [("Ana Lima", "support clique (5)")]
    assert rows(con, "select count(*) from relationships where strength not between 0 and 100") == [(0,)]


def test_warehouse_is_readable_by_the_owner_only(built):
    _, folder = built
    assert stat.S_IMODE((folder / "kith.duckdb").stat().st_mode) == 0o600


def test_rebuild_is_idempotent_and_keeps_person_ids(built, tmp_path):
    con, folder = built
    before = rows(con, "select person_id, display_name from people order by all")
    warehouse = tmp_path / "again.duckdb"
    shutil.copy(folder / ".kith.work.duckdb", tmp_path / ".again.work.duckdb")
    assert main(["build", "--inbox", str(folder / "inbox"), "--warehouse", str(warehouse), "--as-of", SMALL_INBOX_AS_OF]) == 0
    again = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert rows(again, "select person_id, display_name from people order by all") == before
        for table in ("identifiers", "interactions", "relationships", "interaction_participants"):
            assert rows(again, f"select * from {table} order by all") == rows(con, f"select * from {table} order by all")
    finally:
        again.close()


def test_a_second_build_the_same_day_reuses_scores_and_the_served_file_a_new_day_rescores(
    tmp_path, capsys, monkeypatch
):
    inbox = tmp_path / "inbox"
    shutil.copytree(SMALL_INBOX, inbox)
    warehouse = tmp_path / "kith.duckdb"
    as_of = datetime.fromisoformat(SMALL_INBOX_AS_OF)
    days_since = "select sum(days_since_last_interaction), count(days_since_last_interaction) from relationships"

    def build(when: datetime) -> tuple[list[str], int, tuple[int, int]]:
        capsys.readouterr()
        assert main(["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--as-of", when.isoformat()]) == 0
        unchanged = [line.split("] ")[1].split(":")[0] for line in capsys.readouterr().err.splitlines() if "(unchanged)" in line]
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return unchanged, warehouse.stat().st_ino, rows(con, days_since)[0]
        finally:
            con.close()

    _, first_file, first_days = build(as_of)
    unchanged, same_day_file, same_day_days = build(as_of.replace(hour=23, minute=59))
    assert unchanged == ["contact_records", "people", "relationships", "published_warehouse"]
    assert (same_day_file, same_day_days) == (first_file, first_days)
    unchanged, next_day_file, next_day_days = build(as_of + timedelta(days=1))
    assert unchanged == ["contact_records", "people"]
    assert next_day_file != first_file
    days, ties = first_days
    assert next_day_days == (days + ties, ties)  # every tie's last contact is a day further back

    monkeypatch.setattr(transforms.build, "_code_version", lambda: "an upgraded Kith")
    unchanged, _, _ = build(as_of + timedelta(days=1))
    assert unchanged == []


def test_a_new_time_zone_rescores_without_parsing_again(tmp_path, capsys):
    inbox, warehouse, config = tmp_path / "inbox", tmp_path / "kith.duckdb", tmp_path / "config.toml"
    shutil.copytree(SMALL_INBOX, inbox)

    def build_in(zone: str) -> list[str]:
        config.write_text(f'[owner]\ntimezone = "{zone}"\n', encoding="utf-8")
        capsys.readouterr()
        assert main(["build", "--config", str(config), "--inbox", str(inbox), "--warehouse", str(warehouse),
                     "--as-of", SMALL_INBOX_AS_OF]) == 0
        return [line.split("] ")[1].split(":")[0] for line in capsys.readouterr().err.splitlines() if "(unchanged)" in line]

    build_in("UTC")
    assert build_in("UTC") == ["contact_records", "people", "relationships", "published_warehouse"]
    assert build_in("Pacific/Auckland") == ["contact_records", "people"]


def test_meetings_that_came_to_pass_are_updated_as_a_fresh_build_would_have_them(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    shutil.copytree(SMALL_INBOX, inbox)
    after_the_meeting = "2026-12-16T00:00:00+00:00"  # the inbox's one upcoming meeting is on 15 December
    statuses = "select interaction_id, status from interactions order by all"

    def build(folder: str, *times: str) -> list[tuple]:
        warehouse = tmp_path / folder / "kith.duckdb"
        for when in times:
            assert main(["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--as-of", when]) == 0
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            return rows(con, statuses)
        finally:
            con.close()

    rebuilt = []
    build_interactions = transforms.build.build_interactions
    monkeypatch.setattr(transforms.build, "build_interactions", lambda con: rebuilt.append(1) or build_interactions(con))
    updated = build("updated", SMALL_INBOX_AS_OF, after_the_meeting)
    assert "upcoming" not in {status for _, status in updated}
    assert len(rebuilt) == 1  # the second build updated the statuses in place
    assert updated == build("fresh", after_the_meeting)


def test_missing_inbox_is_one_line_and_nonzero(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "build", "--inbox", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb")],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 1
    assert completed.stderr.strip().splitlines() == [f"kith: inbox folder {tmp_path / 'nope'} does not exist"]


def test_bad_paths_are_one_line_before_any_work(tmp_path, capsys, monkeypatch):
    inbox, mail = tmp_path / "inbox", tmp_path / "mail.mbox"
    inbox.mkdir()
    mail.write_text("From x@y Mon Jan  6 04:49:45 2025\n")

    def error_of(inbox_path, warehouse) -> str:
        assert main(["build", "--inbox", str(inbox_path), "--warehouse", str(warehouse)]) == 1
        return capsys.readouterr().err.strip()

    assert error_of(mail, tmp_path / "w.duckdb") == (
        f"kith: inbox {mail} is a file: pass the folder that holds your exports")
    assert error_of(inbox, inbox) == (
        f"kith: warehouse {inbox} is a folder: pass a file path, such as {inbox / 'kith.duckdb'}")

    def refused(*args, **kwargs):  # a folder the user cannot write to (a chmod does not stop root)
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(pipelines.cli.tempfile, "TemporaryFile", refused)
    assert error_of(inbox, tmp_path / "w.duckdb") == (
        f"kith: cannot write the warehouse in {tmp_path}: Permission denied")
    assert list(inbox.iterdir()) == [] and not (tmp_path / "w.duckdb").exists()


def test_query_prints_a_table(built, capsys):
    _, folder = built
    assert main(["query", "--warehouse", str(folder / "kith.duckdb"), "select count(*) as n from people"]) == 0
    assert "5" in capsys.readouterr().out


def test_bad_sql_is_one_line(built, capsys):
    _, folder = built
    assert main(["query", "--warehouse", str(folder / "kith.duckdb"), "select * from nowhere"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("kith: Catalog Error")
