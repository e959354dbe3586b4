"""Brings the raw layer up to date with an inbox folder: new and changed files parsed, vanished ones dropped."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import duckdb

from connectors.discover import InboxFile
from connectors.records import Record
from warehouse.raw_store import RAW_TABLES, FileLoad, forget_source_file, load_source_file, stored_fingerprint

_HEAD_BYTES = 1 << 20


def fingerprint(path: Path) -> tuple[int, str]:
    """(size, fingerprint) of a file or folder: size, mtime and a hash of the first MiB of each file."""
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha256()
    total = 0
    for file in files:
        try:
            stat = file.stat()
            with open(file, "rb") as handle:
                head = handle.read(_HEAD_BYTES)
        except OSError:
            continue
        total += stat.st_size
        digest.update(f"{file.relative_to(path) if path.is_dir() else ''}|{stat.st_size}|{stat.st_mtime_ns}|".encode())
        digest.update(hashlib.sha256(head).digest())
    return total, digest.hexdigest()


def ingest_files(
    con: duckdb.DuckDBPyConnection,
    files: Iterable[InboxFile],
    kinds: Iterable[str],
    parse: Callable[[str, Path], Iterator[Record]],
) -> list[FileLoad]:
    """Load every file of `kinds` that is new or changed; drop what vanished from those kinds."""
    kinds = set(kinds)
    loads: list[FileLoad] = []
    present: set[str] = set()
    for item in files:
        if item.kind not in kinds:
            continue
        path = str(item.path)
        present.add(path)
        size, print_ = fingerprint(item.path)
        if stored_fingerprint(con, path) == print_:
            loads.append(FileLoad(path=path, kind=item.kind, skipped=True))
            continue
        loads.append(load_source_file(con, path, item.kind, parse(item.kind, item.path), size, print_))
    placeholders = ", ".join("?" for _ in kinds)
    known = con.execute(f"select path from source_files where kind in ({placeholders})", sorted(kinds)).fetchall()
    for (path,) in known:
        if path not in present:
            forget_source_file(con, path)
    _drop_rows_of_unfinished_loads(con)
    return loads


def _drop_rows_of_unfinished_loads(con: duckdb.DuckDBPyConnection) -> None:
    """Rows of a file whose load died before its `source_files` row was written belong to nobody."""
    for table in RAW_TABLES:
        con.execute(f"delete from {table} where source_file not in (select path from source_files)")


def inbox_is_readable(inbox: Path) -> bool:
    return inbox.is_dir() and os.access(inbox, os.R_OK | os.X_OK)
