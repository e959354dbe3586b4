"""Publishes the marts: copy them into a new file, fsync, and swap it over the served warehouse atomically."""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.files import replacing, sql_literal

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


def file_signature(warehouse: Path) -> tuple | None:
    """Which file is served now (a publish swaps in a new one; an edit changes its size or time)."""
    try:
        stat = warehouse.stat()
    except OSError:
        return None
    return (str(warehouse.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns)


def publish(work_db: Path, warehouse: Path) -> dict[str, int]:
    """Copy the public tables of `work_db` into `warehouse`; readers never see a half-written file.

    Returns the row count of each published table.
    """
    counts: dict[str, int] = {}
    with replacing(warehouse) as staging:
        con = duckdb.connect(str(staging), config={"storage_compatibility_version": STORAGE_VERSION})
        try:
            con.execute(f"attach {sql_literal(work_db)} as work (read_only)")
            for table in PUBLISHED_TABLES:
                con.execute(f"create table main.{table} as select * from work.main.{table}")
                counts[table] = con.execute(f"select count(*) from main.{table}").fetchall()[0][0]
            con.execute("detach work")
            for macros in ("personal_mail.sql", "legal_forms.sql"):  # macros the views use
                con.execute((SQL_DIR / macros).read_text())
            con.execute((SQL_DIR / "views.sql").read_text())
            con.execute((SQL_DIR / "comments.sql").read_text())
            con.execute("checkpoint")
        finally:
            con.close()
    return counts
