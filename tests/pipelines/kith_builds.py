"""`kith build` as the pipeline tests run it: an inbox into a warehouse, as of the small inbox's day."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.cli import main
from tests.conftest import SMALL_INBOX_AS_OF


def build(inbox: Path, warehouse: Path) -> None:
    assert main(["build", "--inbox", str(inbox), "--warehouse", str(warehouse), "--as-of", SMALL_INBOX_AS_OF]) == 0


def build_and_open(inbox: Path, warehouse: Path) -> duckdb.DuckDBPyConnection:
    """The built warehouse, opened read-only; the caller closes it."""
    build(inbox, warehouse)
    return duckdb.connect(str(warehouse), read_only=True)
