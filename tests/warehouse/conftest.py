"""One published warehouse built from the small inbox, shared by the warehouse tests (read it, copy it, never change it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SMALL_INBOX, SMALL_INBOX_AS_OF
from warehouse.publish import PUBLISHED_TABLES

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Build:
    folder: Path
    inbox: Path
    warehouse: Path
    work_db: Path
    home: Path

    def environment(self) -> dict[str, str]:
        return {**os.environ, "KITH_HOME": str(self.home)}


def kith_build_command(build: Build) -> list[str]:
    return [
        sys.executable, "-m", "pipelines.cli", "build",
        "--inbox", str(build.inbox), "--warehouse", str(build.warehouse), "--as-of", SMALL_INBOX_AS_OF,
    ]


@pytest.fixture(scope="session")
def small_build(tmp_path_factory) -> Build:
    """`kith build` of the small inbox, run once as a real process."""
    folder = tmp_path_factory.mktemp("published")
    build = Build(folder, folder / "inbox", folder / "kith.duckdb", folder / ".kith.work.duckdb", folder / "home")
    shutil.copytree(SMALL_INBOX, build.inbox)
    completed = subprocess.run(
        kith_build_command(build), cwd=REPO, env=build.environment(), capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr
    return build


def table_counts(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {table: con.execute(f"select count(*) from {table}").fetchall()[0][0] for table in PUBLISHED_TABLES}
    finally:
        con.close()


def work_db_with_one_more_person(work_db: Path, copy: Path) -> Path:
    """A copy of the work DB whose next publish is recognisably different: one more person."""
    shutil.copy(work_db, copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute("insert into people (person_id, display_name) values (999, 'Added Later')")
    finally:
        con.close()
    return copy
