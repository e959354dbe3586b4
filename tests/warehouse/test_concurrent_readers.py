"""Readers never wait and never fail: real reader processes keep working while another process publishes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.warehouse.conftest import REPO, Build, table_counts, work_db_with_one_more_person

# Holds one read-only connection open, as `duckdb -readonly` or a notebook does, and queries until told to stop.
LONG_LIVED_READER = """
import sys, time
from pathlib import Path
import duckdb
warehouse, stop = sys.argv[1], Path(sys.argv[2])
con = duckdb.connect(warehouse, read_only=True)
def people():
    return con.execute("select count(*) from people_overview").fetchall()[0][0]
print("ready", people(), flush=True)
seen = set()
for _ in range(20_000):
    seen.add(people())
    if stop.exists():
        break
    time.sleep(0.005)
print("seen", *sorted(seen), flush=True)
print("after publish", people(), flush=True)
"""

# Opens a new connection for every query, as `kith query` does, until told to stop.
NEW_CONNECTION_EACH_TIME = """
import sys, time
from pathlib import Path
import duckdb
warehouse, stop = sys.argv[1], Path(sys.argv[2])
seen = set()
for queries in range(1, 20_001):
    con = duckdb.connect(warehouse, read_only=True)
    try:
        seen.add(con.execute("select count(*) from people").fetchall()[0][0])
    finally:
        con.close()
    if queries == 1:
        print("answered", flush=True)
    if stop.exists():
        break
print("seen", *sorted(seen), flush=True)
"""

PUBLISH = """
import sys
from pathlib import Path
from warehouse.publish import publish
for work_db in sys.argv[2:]:
    publish(Path(work_db), Path(sys.argv[1]))
"""


def start(script: str, *arguments: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, arguments)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def run_publisher(warehouse: Path, *work_dbs: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PUBLISH, str(warehouse), *map(str, work_dbs)], cwd=REPO, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr


def finish(reader: subprocess.Popen, stop: Path) -> list[str]:
    stop.touch()
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    return out.splitlines()


def test_open_reader_keeps_its_snapshot_and_new_connections_see_the_new_build(small_build: Build, tmp_path):
    warehouse = tmp_path / "kith.duckdb"
    shutil.copy(small_build.warehouse, warehouse)
    people_before = table_counts(warehouse)["people"]
    bigger = work_db_with_one_more_person(small_build.work_db, tmp_path / "bigger.work.duckdb")
    stop = tmp_path / "stop"
    reader = start(LONG_LIVED_READER, warehouse, stop)
    assert reader.stdout.readline() == f"ready {people_before}\n"

    run_publisher(warehouse, bigger)  # the writer is not blocked by the open reader
    assert table_counts(warehouse)["people"] == people_before + 1  # a new connection, in this process

    rest = finish(reader, stop)
    assert rest == [f"seen {people_before}", f"after publish {people_before}"]


def test_readers_opening_connections_during_publishes_always_get_a_whole_build(small_build: Build, tmp_path):
    warehouse = tmp_path / "kith.duckdb"
    shutil.copy(small_build.warehouse, warehouse)
    people_before = table_counts(warehouse)["people"]
    bigger = work_db_with_one_more_person(small_build.work_db, tmp_path / "bigger.work.duckdb")
    stop = tmp_path / "stop"
    readers = [start(NEW_CONNECTION_EACH_TIME, warehouse, stop) for _ in range(2)]
    for reader in readers:
        assert reader.stdout.readline() == "answered\n"

    run_publisher(warehouse, bigger, small_build.work_db, bigger)

    for reader in readers:
        (seen,) = finish(reader, stop)
        assert seen.startswith("seen ") and {int(n) for n in seen.split()[1:]} <= {people_before, people_before + 1}
    assert table_counts(warehouse)["people"] == people_before + 1
