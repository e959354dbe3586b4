"""A second build waits for the one holding the work database instead of failing on DuckDB's lock."""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb

from pipelines.cli import main
from tests.conftest import SMALL_INBOX, SMALL_INBOX_AS_OF

HOLD_THE_WORK_DB = (
    "import duckdb, sys, time\n"
    "con = duckdb.connect(sys.argv[1])\n"
    "print('holding', flush=True)\n"
    "time.sleep(6)\n"
    "con.close()\n"
)


def test_a_build_waits_while_another_process_holds_the_work_database(tmp_path, capfd):
    inbox = tmp_path / "inbox"
    shutil.copytree(SMALL_INBOX, inbox)
    warehouse = tmp_path / "kith.duckdb"
    other_build = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WORK_DB, str(tmp_path / ".kith.work.duckdb")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert other_build.stdout.readline().strip() == "holding"
        assert main(["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--as-of", SMALL_INBOX_AS_OF]) == 0
    finally:
        other_build.wait(30)
    assert "another build holds the work database; waiting for it to finish" in capfd.readouterr().err
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("select count(*) from people").fetchall() == [(5,)]
    finally:
        con.close()
