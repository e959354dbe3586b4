"""Runs `kith build` for a benchmark the way a user would: the installed command, in a child process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
KITH = str(Path(sys.executable).with_name("kith"))


def kith_build(inbox: Path, warehouse: Path, as_of: datetime, me: Iterable[str], config: Path | None = None) -> None:
    """Build `inbox` into `warehouse` as of `as_of` (UTC); a failed build stops the benchmark with its output."""
    command = [KITH, "build", "--inbox", str(inbox), "--warehouse", str(warehouse),
               "--as-of", as_of.strftime("%Y-%m-%dT%H:%M:%S")]
    command += [part for address in me for part in ("--me", address)]
    if config:
        command += ["--config", str(config)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if done.returncode:
        raise SystemExit(f"kith build of {inbox} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
