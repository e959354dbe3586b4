"""Runs every SQL block of docs/queries.md and of the README against a warehouse built from a small demo world."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from demo import generate_world
from pipelines.cli import main

QUERIES = Path(__file__).resolve().parent.parent / "docs" / "queries.md"
README = Path(__file__).resolve().parent.parent / "README.md"
NOW = datetime(2026, 11, 1, tzinfo=UTC)


def query_blocks(page: Path) -> list[tuple[str, str]]:
    """(heading, sql) for every ```sql block, numbered within its heading when there are several."""
    blocks, heading = [], None
    for match in re.finditer(r"^## ([^\n]+)$|^```sql\n(.*?)^```", page.read_text(encoding="utf-8"), re.M | re.S):
        if match.group(1):
            heading, number = match.group(1), 0
        else:
            number += 1
            blocks.append((f"{heading} #{number}", match.group(2)))
    return blocks


BLOCKS = query_blocks(QUERIES)
README_BLOCKS = query_blocks(README)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    summary = generate_world(folder / "world", seed=5, people=120, years=3, now=NOW)
    truth = json.loads(summary.truth.read_text(encoding="utf-8"))
    path = folder / "kith.duckdb"
    arguments = ["build", "--inbox", str(summary.inbox), "--warehouse", str(path), "--as-of", truth["now"],
                 "--config", str(folder / "no-config.toml")]
    for address in truth["owner"]["emails"]:
        arguments += ["--me", address]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KITH_HOME", str(folder / "home"))
        assert main(arguments) == 0
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def run(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def test_the_page_has_the_three_product_questions():
    headings = [heading for heading, _ in BLOCKS]
    assert headings[:4] == [
        "Whom should I write to when job hunting? #1",
        "Whom should I write to when job hunting? #2",
        "Who can introduce me to someone at Acme? #1",
        "Whom have I lost touch with? #1",
    ]


@pytest.mark.parametrize("heading, sql", BLOCKS + README_BLOCKS,
                         ids=[heading for heading, _ in BLOCKS] + [f"README {heading}" for heading, _ in README_BLOCKS])
def test_every_query_runs(warehouse, heading, sql):
    rows = run(warehouse, sql)
    if "introduce" not in heading:  # the organisation named in the example may have nobody in this world
        assert rows, heading


@pytest.mark.parametrize("sql", [BLOCKS[0][1], README_BLOCKS[0][1]], ids=["docs", "README"])
def test_job_hunting_lists_warm_work_ties_two_per_organisation_but_not_the_owner_s(warehouse, sql):
    rows = run(warehouse, sql)
    employers = {row["organization"] for row in run(warehouse, "from organizations where is_owner_employer")}
    assert employers and not employers & {row["organization"] for row in rows}
    assert all(row["strength"] > 0 and row["organization"] for row in rows)
    assert all(row["context"] in ("work", "both") for row in rows if "context" in row)
    per_organisation = {}
    for row in rows:
        per_organisation[row["organization"]] = per_organisation.get(row["organization"], 0) + 1
    assert max(per_organisation.values()) <= 2
    assert [row["strength"] for row in rows] == sorted((row["strength"] for row in rows), reverse=True)


def test_introductions_at_a_real_organisation_go_through_two_ties(warehouse):
    organisation = warehouse.execute(
        "select target_organization from introductions where target_organization is not null "
        "and owner_to_target_strength < 20 order by introduction_score desc limit 1").fetchone()[0]
    sql = BLOCKS[2][1].replace("'%acme%'", "'" + organisation.replace("'", "''") + "'")
    rows = run(warehouse, sql)
    assert rows
    for row in rows:
        assert row["target_organization"] == organisation
        assert row["owner_to_via_strength"] > 0 and row["via_to_target_strength"] > 0
        assert row["owner_to_target_strength"] < 20
        both = row["owner_to_via_strength"] * row["via_to_target_strength"]
        assert row["introduction_score"] == round(both**0.5, 2)


def test_lost_touch_returns_the_dormant_ties(warehouse):
    rows = run(warehouse, BLOCKS[3][1])
    dormant = {name for (name,) in warehouse.execute(
        "select display_name from relationships join people using (person_id) where dormant").fetchall()}
    assert rows and {row["display_name"] for row in rows} <= dormant
    assert all(row["days_since_last_conversation"] >= 180 and row["strength_at_last_contact"] >= 50 for row in rows)


def test_history_of_the_closest_tie_ends_at_its_strength(warehouse):
    heading, sql = next(block for block in BLOCKS if block[0].startswith("How has my closest"))
    rows = run(warehouse, sql)
    strongest = warehouse.execute("select strength from relationships where strength_rank = 1").fetchone()[0]
    assert rows[-1]["strength"] == strongest


def test_unanswered_mail_scores_only_for_known_contacts(warehouse):
    heading, sql = next(block for block in BLOCKS if block[0].startswith("Whom do I write to"))
    rows = run(warehouse, sql)
    assert rows and all(row["messages_sent"] > 0 for row in rows)
    assert all(row["strength"] == 0 or row["known_contact"] for row in rows)


def test_unanswered_mail_is_mail_addressed_to_them_not_copied(tmp_path):
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "sent.mbox").write_text("".join(
        f"From x@y Mon Jan  6 04:49:45 2025\nFrom: me@example.com\nTo: Ana Lima <ana@example.org>\n"
        f"Cc: Bo Ng <bo@example.org>\nDate: Mon, {day} Oct 2026 09:00:00 +0000\nMessage-ID: <s{day}@example.com>\n"
        f"\nhello\n" for day in (5, 12)))
    path = tmp_path / "kith.duckdb"
    assert main(["build", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(path), "--me", "me@example.com",
                 "--as-of", "2026-11-01T00:00:00+00:00"]) == 0
    heading, sql = next(block for block in BLOCKS if block[0].startswith("Whom do I write to"))
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = run(con, sql)
    finally:
        con.close()
    assert [(row["primary_email"], row["messages_sent"]) for row in rows] == [("ana@example.org", 2)]
