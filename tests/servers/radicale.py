"""Pytest fixture that runs a throwaway Radicale CalDAV/CardDAV server on 127.0.0.1 for the test session."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from tests.servers.common import free_port, stop, wait_until_listening

START_TIMEOUT_SECONDS = 20
ANY_PASSWORD = "kith-test-password"  # auth is off: Radicale takes the user name and ignores the password


class RadicaleServer(NamedTuple):
    """Where the test server listens; each user name owns the collections under `/<user>/`."""

    url: str  # "http://127.0.0.1:<port>/"
    storage: Path
    password: str

    def home(self, user: str) -> str:
        """URL of the user's principal collection, where calendars and address books are created."""
        return f"{self.url}{user}/"


@pytest.fixture(scope="session")
def radicale_server() -> Iterator[RadicaleServer]:
    """Start Radicale (from this venv) with filesystem storage in a temp folder; stop it after the session.

    Authentication is off, so any user name logs in with any password and gets an empty home:
    tests that pick distinct user names do not see each other's collections.
    """
    root = Path(tempfile.mkdtemp(prefix="kith-radicale-"))
    try:
        port = free_port()
        log = root / "radicale.log"
        with open(log, "wb") as log_file:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "radicale",
                    "--config",
                    "",  # no system or user config files
                    "--server-hosts",
                    f"127.0.0.1:{port}",
                    "--storage-filesystem-folder",
                    str(root / "collections"),
                    "--auth-type",
                    "none",
                    "--rights-type",
                    "owner_only",
                    "--logging-level",
                    "warning",
                ],
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_listening(
                process, port, "radicale", lambda: log.read_text(errors="replace"), START_TIMEOUT_SECONDS
            )
            yield RadicaleServer(f"http://127.0.0.1:{port}/", root / "collections", ANY_PASSWORD)
        finally:
            stop(process, START_TIMEOUT_SECONDS)
    finally:
        shutil.rmtree(root, ignore_errors=True)
