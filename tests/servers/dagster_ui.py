"""Pytest fixture that runs `dagster dev` (webserver and daemon) for Kith on 127.0.0.1, in a process group of its own."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.conftest import SMALL_INBOX
from tests.servers.common import free_port

REPO = Path(__file__).resolve().parents[2]
CODE_LOCATION = "pipelines.definitions"
START_TIMEOUT_SECONDS = 90


class DagsterUI(NamedTuple):
    """A running Dagster webserver over Kith's definitions, building a copy of the small inbox."""

    url: str  # "http://127.0.0.1:<port>"
    inbox: Path
    warehouse: Path
    log: Path

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.url}/graphql",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        assert "errors" not in answer, answer["errors"]
        return answer["data"]


def wait_until_serving(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"dagster dev exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/server_info", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    pytest.fail(f"dagster dev did not serve {url} within {START_TIMEOUT_SECONDS} s:\n{log.read_text(errors='replace')}")


@pytest.fixture
def dagster_ui(tmp_path) -> Iterator[DagsterUI]:
    """`dagster dev` with a fresh instance (the repo's dagster.yaml) and KITH_INBOX/KITH_WAREHOUSE in tmp_path.

    `dagster dev` ignores SIGINT and hangs on SIGTERM with children alive, so it runs in its own session
    and the whole process group is killed at the end.
    """
    dagster_home = tmp_path / "dagster-home"
    dagster_home.mkdir()
    shutil.copy(REPO / "dagster.yaml", dagster_home / "dagster.yaml")
    inbox = tmp_path / "inbox"
    shutil.copytree(SMALL_INBOX, inbox)
    warehouse = tmp_path / "kith.duckdb"
    log = tmp_path / "dagster-dev.log"
    port = free_port()
    environment = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home),
        "KITH_HOME": str(tmp_path / "kith-home"),
        "KITH_INBOX": str(inbox),
        "KITH_WAREHOUSE": str(warehouse),
    }
    dagster = Path(sys.executable).parent / "dagster"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [str(dagster), "dev", "-m", CODE_LOCATION, "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # setsid: its own process group, killed as one
        )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_serving(process, url, log)
        yield DagsterUI(url, inbox, warehouse, log)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
