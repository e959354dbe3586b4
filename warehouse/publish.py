"""Publishes the marts: copy them into a new file, fsync, and swap it over the served warehouse atomically."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"

# The public tables, in the order users meet them. Everything else in the work DB is private.
PUBLISHED_TABLES = (
    "people",
    "identifiers",
    "source_records",
    "interactions",
    "interaction_participants",
    "interaction_sources",
    "relationships",
    "relationship_history",
    "connections_between_contacts",
    "owner_identifiers",
    "resolution_overrides",
    "rejected",
    "source_files",
)

# DuckDB 1.x clients (CLI, DBeaver, JDBC) cannot open a 2.0-format file; 1.4's format opens in both.
STORAGE_VERSION = "v1.4.0"


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(work_db: Path, warehouse: Path) -> dict[str, int]:
    """Copy the public tables of `work_db` into `warehouse`; readers never see a half-written file.

    Returns the row count of each published table.
    """
    warehouse = warehouse.resolve()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    staging = warehouse.with_name(warehouse.name + ".tmp")
    staging.unlink(missing_ok=True)
    # Private from the first byte: the warehouse holds a life's correspondents.
    old_umask = os.umask(0o077)
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(staging), config={"storage_compatibility_version": STORAGE_VERSION})
        try:
            con.execute(f"attach {_quoted(work_db)} as work (read_only)")
            for table in PUBLISHED_TABLES:
                con.execute(f"create table main.{table} as select * from work.main.{table}")
                counts[table] = con.execute(f"select count(*) from main.{table}").fetchall()[0][0]
            con.execute("detach work")
            con.execute((SQL_DIR / "views.sql").read_text())
            con.execute((SQL_DIR / "comments.sql").read_text())
            con.execute("checkpoint")
        finally:
            con.close()
        os.chmod(staging, 0o600)
        _fsync(staging)
        os.replace(staging, warehouse)
        _fsync(warehouse.parent)
    finally:
        os.umask(old_umask)
        staging.unlink(missing_ok=True)
        Path(str(staging) + ".wal").unlink(missing_ok=True)
    return counts
