"""docs/warehouse.md is the database's own comments, rendered: regenerated from a fresh build, it must not change."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from tests.warehouse.conftest import REPO, Build
from warehouse.docs import EXAMPLE_QUERIES, main, public_relations, render

COMMITTED = REPO / "docs" / "warehouse.md"


@pytest.fixture
def con(small_build: Build):
    connection = duckdb.connect(str(small_build.warehouse), read_only=True)
    yield connection
    connection.close()


def test_committed_docs_match_the_database_comments(con):
    assert COMMITTED.read_text(encoding="utf-8") == render(con), (
        "docs/warehouse.md is out of date: kith build, then python -m warehouse.docs kith.duckdb > docs/warehouse.md"
    )


def test_every_table_view_and_column_has_a_comment(con):
    relations = public_relations(con)
    assert [r.name for r in relations if not r.comment] == []
    undocumented = con.execute(
        "select table_name, column_name from duckdb_columns() "
        "where database_name = current_database() and comment is null order by all"
    ).fetchall()
    assert undocumented == []
    assert {r.kind for r in relations} == {"table", "view"}


@pytest.mark.parametrize("question, sql", EXAMPLE_QUERIES, ids=[question for question, _ in EXAMPLE_QUERIES])
def test_every_example_query_runs(con, question, sql):
    con.execute(sql).fetchall()


def test_command_line_writes_the_file(small_build: Build, tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "warehouse.docs", str(small_build.warehouse)], cwd=REPO, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    assert main([str(small_build.warehouse), "--output", str(tmp_path / "w.md")]) == 0
    assert (tmp_path / "w.md").read_text(encoding="utf-8") == completed.stdout
    assert main([str(tmp_path / "missing.duckdb")]) == 1
