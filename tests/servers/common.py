"""What every test server fixture needs: a free loopback port, waiting until the server listens, stopping it."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Callable

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(
    process: subprocess.Popen, port: int, name: str, logs: Callable[[], str], timeout_seconds: float
) -> None:
    """Return once 127.0.0.1:`port` accepts connections; fail the test with the server's logs otherwise."""
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} exited with {process.returncode}:\n{logs()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"{name} did not listen on port {port} within {timeout_seconds} s:\n{logs()}")


def stop(process: subprocess.Popen, timeout_seconds: float) -> None:
    """Ask the server to stop; kill it if it has not gone within `timeout_seconds`."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
