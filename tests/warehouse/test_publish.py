"""Publishing: the served file is complete, private, 1.x-readable, and survives a rebuild killed at any moment."""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time

import duckdb

from tests.warehouse.conftest import REPO, Build, kith_build_command, table_counts, work_db_with_one_more_person
from warehouse.publish import publish

# DuckDB's main header: an 8-byte checksum, the magic "DUCK", then the storage version number (uint64 LE).
MAGIC_OFFSET, VERSION_OFFSET = 8, 12
# Storage version numbers that DuckDB 1.x writes: 64 (v0.10-v1.1), 65 (v1.2), 66 (v1.3), 67 (v1.4).
DUCKDB_1X_STORAGE_VERSIONS = {64, 65, 66, 67}

PUBLISH_IN_A_LOOP = """
import sys
from pathlib import Path
from warehouse.publish import publish
work_db, warehouse = Path(sys.argv[1]), Path(sys.argv[2])
for _ in range(1000):
    print("publishing", flush=True)
    publish(work_db, warehouse)
"""


def test_publish_writes_every_table_and_leaves_nothing_behind(small_build: Build, tmp_path):
    warehouse = tmp_path / "served" / "kith.duckdb"
    counts = publish(small_build.work_db, warehouse)
    assert counts == table_counts(small_build.warehouse)
    assert table_counts(warehouse) == counts
    assert sorted(path.name for path in warehouse.parent.iterdir()) == ["kith.duckdb"]
    assert stat.S_IMODE(warehouse.stat().st_mode) == 0o600


def test_published_file_declares_a_duckdb_1x_storage_version(small_build: Build):
    # The DuckDB 1.x CLI is not installable here, so this reads what the file declares instead of opening it with 1.x.
    header = small_build.warehouse.read_bytes()[:64]
    assert header[MAGIC_OFFSET:VERSION_OFFSET] == b"DUCK"
    assert int.from_bytes(header[VERSION_OFFSET : VERSION_OFFSET + 8], "little") in DUCKDB_1X_STORAGE_VERSIONS
    con = duckdb.connect(str(small_build.warehouse), read_only=True)
    try:
        tags = con.execute("select tags from duckdb_databases() where database_name = current_database()").fetchall()
    finally:
        con.close()
    assert tags == [({"storage_version": "v1.4.0+"},)]


def test_publish_killed_at_random_moments_leaves_a_whole_warehouse(small_build: Build, tmp_path):
    warehouse = tmp_path / "kith.duckdb"
    before = publish(small_build.work_db, warehouse)
    bigger = work_db_with_one_more_person(small_build.work_db, tmp_path / "bigger.work.duckdb")
    started = time.monotonic()
    after = publish(bigger, tmp_path / "measure.duckdb")
    one_publish = time.monotonic() - started
    assert after["people"] == before["people"] + 1
    shuffle = random.Random(9)
    for _ in range(6):
        publisher = subprocess.Popen(
            [sys.executable, "-c", PUBLISH_IN_A_LOOP, str(bigger), str(warehouse)],
            cwd=REPO, stdout=subprocess.PIPE, text=True,
        )
        assert publisher.stdout.readline() == "publishing\n"
        time.sleep(shuffle.uniform(0, 1.5 * one_publish))
        publisher.send_signal(signal.SIGKILL)
        publisher.wait()
        publisher.stdout.close()
        # Either the old build or the new one, whole: never a mix, never unopenable.
        assert table_counts(warehouse) in (before, after)
    assert publish(small_build.work_db, warehouse) == before
    assert table_counts(warehouse) == before
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith("kith.duckdb")) == ["kith.duckdb"]


def test_build_killed_at_random_stages_leaves_the_last_warehouse(small_build: Build, tmp_path):
    build = Build(tmp_path, tmp_path / "inbox", tmp_path / "kith.duckdb", tmp_path / ".kith.work.duckdb", tmp_path / "home")
    shutil.copytree(small_build.inbox, build.inbox)
    shutil.copy(small_build.warehouse, build.warehouse)
    shutil.copy(small_build.work_db, build.work_db)
    published = table_counts(build.warehouse)
    # A new card makes the rebuild do real work in every stage, and its publish differ from the last one.
    (build.inbox / "contacts" / "new.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dee Newman\r\nEMAIL:dee@newman.example\r\nEND:VCARD\r\n", encoding="utf-8"
    )
    shuffle = random.Random(9)
    after_kills = []
    # Progress lines: 5 raw inputs, contact_records, people, interactions, relationships; then it publishes.
    for lines_before_kill in (shuffle.randrange(1, 9), 9):
        process = subprocess.Popen(
            kith_build_command(build), cwd=REPO, env=build.environment(),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        for _ in range(lines_before_kill):
            assert process.stderr.readline().startswith("["), "the build ended before the stage to kill it in"
        time.sleep(shuffle.uniform(0, 0.5))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.stderr.close()
        after_kills.append(table_counts(build.warehouse))
    completed = subprocess.run(kith_build_command(build), cwd=REPO, env=build.environment(), capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    rebuilt = table_counts(build.warehouse)
    assert rebuilt["people"] == published["people"] + 1
    # Each kill left a whole warehouse: the last one published, or (killed just after the swap) the new one.
    assert all(counts in (published, rebuilt) for counts in after_kills), after_kills
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith("kith.duckdb")) == ["kith.duckdb"]


def test_a_second_writer_waits_for_the_first_and_neither_undoes_the_other(tmp_path):
    """publish and `kith forget` both swap the served file; the lock makes them take turns."""
    import threading

    from warehouse.files import replacing

    target = tmp_path / "served.duckdb"
    target.write_text("old")
    order: list[str] = []
    first_inside = threading.Event()
    release_first = threading.Event()

    def first_writer():
        with replacing(target) as staging:
            staging.write_text("first")
            order.append("first in")
            first_inside.set()
            release_first.wait(10)

    def second_writer():
        first_inside.wait(10)
        with replacing(target, suffix=".other.tmp") as staging:
            order.append("second in")
            staging.write_text(target.read_text() + "+second")

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for thread in threads:
        thread.start()
    first_inside.wait(10)
    release_first.set()
    for thread in threads:
        thread.join(10)
    assert order == ["first in", "second in"]
    assert target.read_text() == "first+second"  # the second writer started from the first one's swap
    assert oct(target.stat().st_mode & 0o777) == "0o600"
