"""Builds scaled demo worlds end to end with `kith build` and reports per stage time, CPU, memory and size.

Usage: python benchmarks/run.py [--sizes small,100k,200k,1m] [--workdir DIR] [--baselines-up-to 200000]

For each size: generate the world (once; kept in the workdir), hold back the mbox's last 1 %, build from
scratch, build again with nothing new, run on that same mbox a full build of an inbox holding only it, the
stdlib header loop of benchmarks/email_stage.py and the published `mbox-to-sqlite` CLI
(pip install -e '.[bench]'), then put the 1 % back and build once more (a grown mbox).
Results go to benchmarks/results/scaling.md and scaling.png (and the workdir's scaling.json).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.monitor import Measurement, measure  # noqa: E402
from benchmarks.scaling_report import write_plot, write_table  # noqa: E402
from benchmarks.stages import stage_rows  # noqa: E402
from warehouse.files import work_database_beside  # noqa: E402

PYTHON = sys.executable
KITH = str(Path(PYTHON).with_name("kith"))
MBOX_TO_SQLITE = str(Path(PYTHON).with_name("mbox-to-sqlite"))
GROWTH = 0.01  # the share of the mbox's messages that arrive between the full build and the "grown" re-build

# `python -m demo` arguments per size; small is the default demo world.
SIZES: dict[str, list[str]] = {
    "tiny": ["--people", "40", "--years", "1"],
    "small": ["--people", "300"],
    "100k": ["--people", "3000", "--messages", "100000"],
    "200k": ["--people", "3000", "--messages", "200000"],
    "1m": ["--people", "5000", "--messages", "1000000", "--events", "100000"],
}


@dataclass
class SizeResult:
    size: str
    messages: int
    inbox_mb: float
    mbox_mb: float
    full: dict
    unchanged: dict
    next_day: dict
    grown: dict
    stages: list[dict]
    unchanged_stages: list[dict]
    warehouse_mb: float
    work_db_mb: float
    baselines: dict[str, dict] = field(default_factory=dict)


def _summary(measurement: Measurement) -> dict:
    return {
        "wall_seconds": measurement.wall_seconds,
        "cpu_seconds": measurement.cpu_seconds,
        "peak_rss_mb": measurement.peak_rss_mb,
        "returncode": measurement.returncode,
    }


def _checked(measurement: Measurement, what: str) -> Measurement:
    if measurement.returncode != 0:
        errors = "\n".join(line.text for line in measurement.lines[-20:])
        raise SystemExit(f"{what} failed ({measurement.returncode}):\n{errors}")
    return measurement


def _world(workdir: Path, size: str) -> Path:
    folder = workdir / size
    if not (folder / "truth.json").exists():
        shutil.rmtree(folder, ignore_errors=True)
        _checked(measure([PYTHON, "-m", "demo", str(folder), "--seed", "1", *SIZES[size]], cwd=str(REPO)), "demo")
    return folder


def _mbox(inbox: Path) -> Path:
    return max(inbox.rglob("*.mbox"), key=lambda path: path.stat().st_size)


def _hold_back_tail(mbox: Path, share: float, keep: Path) -> None:
    """Move the last `share` of the mbox's bytes (from a message start) into the file `keep`."""
    from warehouse.ingest import mbox_message_after

    cut = mbox_message_after(mbox, int(mbox.stat().st_size * (1 - share)))
    with open(mbox, "r+b") as handle:
        handle.seek(cut)
        keep.write_bytes(handle.read())
        handle.truncate(cut)


def _put_back_tail(mbox: Path, keep: Path) -> None:
    """Append what `_hold_back_tail` kept (also after an interrupted run) and drop the keep file."""
    if keep.exists():
        with open(mbox, "ab") as handle:
            handle.write(keep.read_bytes())
        keep.unlink()


def _build(folder: Path, owner: list[str], as_of: str, home: Path) -> Measurement:
    """`kith build` of `folder`/inbox into `folder`/kith.duckdb."""
    command = [KITH, "build", "--inbox", str(folder / "inbox"), "--warehouse", str(folder / "kith.duckdb"), "--as-of", as_of]
    for address in owner:
        command += ["--me", address]
    return _checked(measure(command, env={**os.environ, "KITH_HOME": str(home)}, cwd=str(REPO)), "kith build")


def _day_after(as_of: str) -> str:
    """Scores move with time: a build a day later with nothing new re-scores and publishes again."""
    return (datetime.fromisoformat(as_of.replace("Z", "+00:00")) + timedelta(days=1)).isoformat()


def _mbox_only_build(mbox: Path, folder: Path, owner: list[str], as_of: str, home: Path) -> Measurement:
    """A full build of an inbox holding nothing but `mbox` (hard-linked), as the mbox baselines read it."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "inbox").mkdir(parents=True)
    os.link(mbox, folder / "inbox" / mbox.name)
    try:
        return _build(folder, owner, as_of, home)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _baselines(mbox: Path, scratch: Path) -> dict[str, dict]:
    stdlib = measure(
        [PYTHON, str(REPO / "benchmarks" / "email_stage.py"), "--child", "stdlib", "--mbox", str(mbox),
         "--database", str(scratch / "unused.duckdb")],
        cwd=str(REPO),
    )
    sqlite_db = scratch / "mbox.sqlite"
    sqlite_db.unlink(missing_ok=True)
    mbox_to_sqlite = measure([MBOX_TO_SQLITE, "mbox", str(sqlite_db), str(mbox)])
    sqlite_db.unlink(missing_ok=True)
    return {
        "stdlib header loop": _summary(_checked(stdlib, "stdlib loop")),
        "mbox-to-sqlite": _summary(_checked(mbox_to_sqlite, "mbox-to-sqlite")),
    }


def _folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def run_size(workdir: Path, size: str, baselines_up_to: int) -> SizeResult:
    """Full build, unchanged re-builds (the same day, a day later) and the mbox baselines on the mbox less its last
    1 %; then the grown re-build."""
    folder = _world(workdir, size)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    owner, as_of = truth["owner"]["emails"], truth["now"]
    for stale in folder.glob("*kith*.duckdb*"):
        stale.unlink()
    home = Path(tempfile.mkdtemp(prefix="kith-home-"))  # no user config.toml
    mbox = _mbox(folder / "inbox")
    keep = folder / "held-back-tail.mbox"
    _put_back_tail(mbox, keep)
    _hold_back_tail(mbox, GROWTH, keep)
    held_back_mb = keep.stat().st_size / 1e6
    try:
        full = _build(folder, owner, as_of, home)
        unchanged = _build(folder, owner, as_of, home)
        next_day = _build(folder, owner, _day_after(as_of), home)
        messages = next(row["rows"] for row in stage_rows(full) if row["stage"] == "parse mail")
        mbox_mb = mbox.stat().st_size / 1e6
        baselines = {}
        if messages <= baselines_up_to:
            baselines = {
                "Kith build of the mbox alone": _summary(_mbox_only_build(mbox, folder / "mbox-only", owner, as_of, home)),
                **_baselines(mbox, folder),
            }
    finally:
        _put_back_tail(mbox, keep)
    grown = _build(folder, owner, as_of, home)
    shutil.rmtree(home, ignore_errors=True)
    return SizeResult(
        size=size,
        messages=messages,
        inbox_mb=_folder_mb(folder / "inbox") - held_back_mb,
        mbox_mb=mbox_mb,
        full=_summary(full),
        unchanged=_summary(unchanged),
        next_day=_summary(next_day),
        grown=_summary(grown),
        stages=stage_rows(full),
        unchanged_stages=stage_rows(unchanged),
        warehouse_mb=(folder / "kith.duckdb").stat().st_size / 1e6,
        work_db_mb=work_database_beside(folder / "kith.duckdb").stat().st_size / 1e6,
        baselines=baselines,
    )


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--sizes", default="small,100k,200k,1m", help=f"comma-separated, of {', '.join(SIZES)}")
    arguments.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kith-scaling")
    arguments.add_argument("--baselines-up-to", type=int, default=200_000, help="run the mbox baselines up to this many messages")
    arguments.add_argument("--results", type=Path, default=REPO / "benchmarks" / "results")
    arguments.add_argument("--report-from", type=Path, nargs="+", metavar="JSON", help="only write the report from earlier runs' scaling.json files")
    options = arguments.parse_args()
    if options.report_from:
        results = [result for path in options.report_from for result in json.loads(path.read_text())]
        print(report(sorted(results, key=lambda result: result["messages"]), options.results))
        return
    sizes = [size.strip() for size in options.sizes.split(",") if size.strip()]
    unknown = [size for size in sizes if size not in SIZES]
    if unknown:
        raise SystemExit(f"unknown size(s) {unknown}; known: {list(SIZES)}")
    options.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for size in sizes:
        print(f"{datetime.now(UTC):%H:%M:%S} building {size}", file=sys.stderr, flush=True)
        result = run_size(options.workdir, size, options.baselines_up_to)
        results.append(result)
        print(json.dumps(asdict(result)["full"]), file=sys.stderr, flush=True)
        (options.workdir / "scaling.json").write_text(json.dumps([asdict(result) for result in results], indent=1))
    print(report([asdict(result) for result in results], options.results))


def report(results: list[dict], folder: Path) -> str:
    """Write scaling.md and scaling.png into `folder`; return the Markdown."""
    folder.mkdir(parents=True, exist_ok=True)
    write_plot(results, folder / "scaling.png")
    return write_table(results, folder / "scaling.md")


if __name__ == "__main__":
    main()
