"""Private files, where the work database lies, and the locked atomic swap that serves a new warehouse file."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def private_files() -> Iterator[None]:
    """Files created inside are readable by the user alone (0600): they hold a life's correspondents."""
    old_umask = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old_umask)


def work_database_beside(warehouse: Path) -> Path:
    """The private work database a build keeps beside the served warehouse: `.<name>.work.duckdb`."""
    return warehouse.with_name(f".{warehouse.stem}.work.duckdb")


def sql_literal(path: Path | str) -> str:
    """A path as a quoted SQL string literal, for ATTACH and COPY (which take no parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


@contextmanager
def replacing(target: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a private staging path beside `target`; when the block succeeds, swap it in atomically.

    Readers of `target` never see a half-written file. One writer at a time holds a lock on the
    folder from the first byte written to the swap, so a build's publish and `kith forget` cannot
    undo each other (the lock leaves no file behind). On failure the staging file goes and `target`
    is untouched.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + suffix)
    with private_files(), _folder_lock(target.parent):
        staging.unlink(missing_ok=True)
        try:
            yield staging
            os.chmod(staging, 0o600)
            _fsync(staging)
            os.replace(staging, target)
            _fsync(target.parent)
        finally:
            staging.unlink(missing_ok=True)
            Path(str(staging) + ".wal").unlink(missing_ok=True)
