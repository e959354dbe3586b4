"""Killing `kith build` anywhere, or a full disk at publish, leaves the served warehouse intact; rebuilds are identical."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from tests.conftest import SMALL_INBOX, SMALL_INBOX_AS_OF
from warehouse import files as files_module
from warehouse.publish import PUBLISHED_TABLES, publish

REPO = Path(__file__).resolve().parents[2]


def snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    """Every published table, every row, in a stable order."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {table: con.execute(f"select * from {table} order by all").fetchall() for table in PUBLISHED_TABLES}
    finally:
        con.close()


def without_parse_times(tables: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    # source_files.parsed_at is when a file was parsed: the one column that differs between two builds.
    return {**tables, "source_files": [row[:-1] for row in tables["source_files"]]}


def build_args(inbox: Path, warehouse: Path) -> list[str]:
    return ["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--as-of", SMALL_INBOX_AS_OF]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory):
    """A clean build of the small inbox: the reference every later build must reproduce."""
    folder = tmp_path_factory.mktemp("clean")
    inbox = folder / "inbox"
    shutil.copytree(SMALL_INBOX, inbox)
    warehouse = folder / "kith.duckdb"
    assert main(build_args(inbox, warehouse)) == 0
    return inbox, warehouse, without_parse_times(snapshot(warehouse))


def kill_build_after(marker: str, inbox: Path, warehouse: Path, sent: signal.Signals = signal.SIGKILL,
                     exit_status: int = -signal.SIGKILL) -> list[str]:
    """Run `kith build` in a process, send it `sent` as soon as `marker` appears on its progress output, and
    check it ends with `exit_status`; returns its progress output."""
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *build_args(inbox, warehouse)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in process.stderr:
        seen.append(line)
        if marker in line:
            process.send_signal(sent)
            break
    seen += process.stderr.readlines()
    process.wait()
    process.stderr.close()
    assert process.returncode == exit_status, seen
    return seen


def test_killed_builds_leave_the_warehouse_intact_and_the_next_build_correct(clean_build, tmp_path):
    inbox, clean_warehouse, reference = clean_build
    warehouse = tmp_path / "kith.duckdb"
    shutil.copy(clean_warehouse, warehouse)
    shutil.copy(clean_warehouse.with_name(".kith.work.duckdb"), tmp_path / ".kith.work.duckdb")
    served = digest(warehouse)
    (inbox / "contacts" / "new.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:new\r\nFN:Nia New\r\nEMAIL:nia@new.example\r\nEND:VCARD\r\n"
    )
    try:
        # While parsing (a raw asset done, others running), while resolving, while scoring, just before publishing.
        for marker in ("address_books:", "contact_records:", "interactions:", "relationships:"):
            kill_build_after(marker, inbox, warehouse)
            assert digest(warehouse) == served, marker
            assert without_parse_times(snapshot(warehouse)) == reference, marker
    finally:
        (inbox / "contacts" / "new.vcf").unlink()
    assert main(build_args(inbox, warehouse)) == 0
    assert without_parse_times(snapshot(warehouse)) == reference


def test_ctrl_c_is_one_line_and_keeps_the_warehouse(clean_build, tmp_path):
    inbox, clean_warehouse, _ = clean_build
    warehouse = tmp_path / "kith.duckdb"
    shutil.copy(clean_warehouse, warehouse)
    served = digest(warehouse)
    (tmp_path / "inbox").mkdir()
    shutil.copytree(inbox, tmp_path / "inbox", dirs_exist_ok=True)
    (tmp_path / "inbox" / "new.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Nia New\r\nEND:VCARD\r\n")
    seen = kill_build_after("contact_records:", tmp_path / "inbox", warehouse, signal.SIGINT, 130)
    assert seen[-1] == "kith: interrupted; the last published warehouse is unchanged\n"
    assert not any("Traceback" in line or "step " in line for line in seen)
    assert digest(warehouse) == served


def test_kill_in_the_middle_of_publish_keeps_the_served_file(clean_build, tmp_path):
    """The publishing process dies after writing the new file and before swapping it in."""
    inbox, clean_warehouse, reference = clean_build
    warehouse = tmp_path / "kith.duckdb"
    shutil.copy(clean_warehouse, warehouse)
    work = clean_warehouse.with_name(".kith.work.duckdb")
    served = digest(warehouse)
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from warehouse import files, publish\n"
        "files.os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)\n"
        "publish.publish(Path(sys.argv[1]), Path(sys.argv[2]))\n"
    )
    completed = subprocess.run([sys.executable, "-c", script, str(work), str(warehouse)], cwd=REPO, capture_output=True)
    assert completed.returncode == -signal.SIGKILL
    assert (tmp_path / "kith.duckdb.tmp").exists()  # the half-done publish is left beside, never served
    assert digest(warehouse) == served
    publish(work, warehouse)
    assert not (tmp_path / "kith.duckdb.tmp").exists()
    assert without_parse_times(snapshot(warehouse)) == reference


@pytest.fixture
def small_disk(tmp_path):
    """A 6 MiB tmpfs (tests run as root in CI); skipped where mounting is not allowed."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount_point)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_full_disk_during_publish_keeps_the_served_file(clean_build, small_disk):
    _, clean_warehouse, reference = clean_build
    work = clean_warehouse.with_name(".kith.work.duckdb")
    warehouse = small_disk / "kith.duckdb"
    publish(work, warehouse)
    served = digest(warehouse)
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "filler").write_bytes(b"\0" * (free - 256 * 1024))  # too little room for a second copy
    with pytest.raises((OSError, duckdb.Error)) as raised:
        publish(work, warehouse)
    assert "space" in str(raised.value).lower() or "ENOSPC" in str(raised.value)
    assert digest(warehouse) == served
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "kith.duckdb"]
    assert without_parse_times(snapshot(warehouse)) == reference


def test_full_disk_at_publish_is_one_line_from_the_cli(clean_build, tmp_path, monkeypatch, capfd):
    inbox, clean_warehouse, _ = clean_build
    warehouse = tmp_path / "kith.duckdb"
    shutil.copy(clean_warehouse, warehouse)
    shutil.copy(clean_warehouse.with_name(".kith.work.duckdb"), tmp_path / ".kith.work.duckdb")
    served = digest(warehouse)

    def disk_full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files_module.os, "replace", disk_full)
    assert main(build_args(inbox, warehouse)) == 1
    err = [line for line in capfd.readouterr().err.splitlines() if not line.startswith("[")]
    assert err == ["kith: step published_warehouse failed: OSError: [Errno 28] No space left on device"]
    assert digest(warehouse) == served
    assert not (tmp_path / "kith.duckdb.tmp").exists()


def test_rebuild_with_a_fresh_work_db_is_identical(clean_build, tmp_path):
    inbox, _, reference = clean_build
    assert main(build_args(inbox, tmp_path / "fresh.duckdb")) == 0
    assert without_parse_times(snapshot(tmp_path / "fresh.duckdb")) == reference


def test_rebuild_reusing_the_work_db_is_identical(clean_build, tmp_path):
    inbox, clean_warehouse, reference = clean_build
    shutil.copy(clean_warehouse.with_name(".kith.work.duckdb"), tmp_path / ".again.work.duckdb")
    assert main(build_args(inbox, tmp_path / "again.duckdb")) == 0
    assert without_parse_times(snapshot(tmp_path / "again.duckdb")) == reference


def test_inputs_reconcile_fails_when_the_bookkeeping_is_corrupted(clean_build, tmp_path, capfd):
    inbox, clean_warehouse, _ = clean_build
    work = tmp_path / ".kith.work.duckdb"
    shutil.copy(clean_warehouse.with_name(".kith.work.duckdb"), work)
    con = duckdb.connect(str(work))
    try:
        con.execute("delete from raw_interactions where rowid = (select min(rowid) from raw_interactions)")
    finally:
        con.close()
    assert main(build_args(inbox, tmp_path / "kith.duckdb")) == 0  # files are unchanged, so the hole stays
    warnings = [line for line in capfd.readouterr().err.splitlines() if "[check inputs_reconcile:" in line]
    assert len(warnings) == 1 and "files_not_reconciled 1," in warnings[0]
    assert warnings[0].startswith("warning: 1 source file(s) hold other rows than their counts say")
