"""The Dagster resource that carries Kith's settings and opens the private work database."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from pipelines.settings import Settings, load_settings
from transforms.build import BuildParameters
from transforms.normalise import register_functions, staged_phone_settings
from warehouse.files import private_files
from warehouse.raw_store import create_raw_tables


WAIT_FOR_OTHER_BUILD_SECONDS = 3600


class KithResource(dg.ConfigurableResource):
    """Where the inbox and warehouse are, who the owner is; empty values fall back to the config file."""

    inbox: str = ""
    warehouse: str = ""
    owner_emails: list[str] = []
    config_file: str = ""
    as_of: str = ""  # ISO timestamp; empty means the time of the build
    resync_accounts: list[str] = []  # accounts to read again from the start ("all": every one)
    forget_accounts: list[str] = []  # accounts no longer in the config whose records to drop
    show_progress: bool = False

    # In a run, one connection serves every step: opening the work DB and registering the helpers
    # costs about 0.1 s each time, and holding it keeps a second build waiting for the whole run.
    _held_for_run: bool = PrivateAttr(default=False)
    _run_connection: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._held_for_run = True

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        self.release_work_database()

    def settings(self) -> Settings:
        return load_settings(
            Path(self.config_file).expanduser() if self.config_file else None,
            inbox=Path(self.inbox).expanduser() if self.inbox else None,
            warehouse=Path(self.warehouse).expanduser() if self.warehouse else None,
            owner_emails=self.owner_emails,
        )

    def parameters(self) -> BuildParameters:
        settings = self.settings()
        as_of = datetime.fromisoformat(self.as_of) if self.as_of else datetime.now(timezone.utc)
        if as_of.tzinfo is None:
            as_of = as_of.replace(tzinfo=timezone.utc)
        return BuildParameters(
            as_of=as_of.astimezone(timezone.utc),
            owner_emails=tuple(settings.owner_emails),
            owner_timezone=settings.owner_timezone,
            default_region=settings.default_region,
            store_titles=settings.store_titles,
            **asdict(settings.scoring),
        )

    @contextmanager
    def work_database(self, memory_limit: str = "1GB") -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the private work DB: the run's own in a run, else one closed on exit.

        DuckDB spills to disk past `memory_limit`, which keeps a laptop build within its RAM.
        """
        con = self._run_connection or self._open_work_database()
        if self._held_for_run:
            self._run_connection = con
        try:
            con.execute("set memory_limit = ?", [memory_limit])
            yield con
        except BaseException:
            if self._run_connection is con:
                self._run_connection = None  # a failed step may leave a transaction open: start afresh
            con.close()
            raise
        if not self._held_for_run:
            con.close()

    def release_work_database(self) -> None:
        """Close the run's connection, so another DuckDB instance (publish) can read the file."""
        if self._run_connection is not None:
            self._run_connection.close()
            self._run_connection = None

    def _open_work_database(self) -> duckdb.DuckDBPyConnection:
        settings = self.settings()
        settings.work_db.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect_when_free(settings.work_db)
        con.execute("set TimeZone = 'UTC'")
        create_raw_tables(con)
        register_functions(con, *staged_phone_settings(con, settings.default_region))
        return con

    def _connect_when_free(self, path: Path) -> duckdb.DuckDBPyConnection:
        """Open the work DB, waiting while another build (a scheduled run, a second `kith build`) holds it."""
        deadline = time.monotonic() + WAIT_FOR_OTHER_BUILD_SECONDS
        while True:
            try:
                with private_files():  # like the warehouse, it holds every correspondent
                    return duckdb.connect(str(path))
            except duckdb.IOException as error:
                if "lock" not in str(error).lower() or time.monotonic() > deadline:
                    raise
                self.progress("another build holds the work database; waiting for it to finish")
                time.sleep(5)

    def progress(self, message: str) -> None:
        if self.show_progress:
            print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
