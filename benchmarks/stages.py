"""Turns the progress lines of a measured `kith build` into per-stage rows: wall, CPU, rows, rows/s, peak RSS."""

from __future__ import annotations

import re

from benchmarks.monitor import Measurement

# Asset name in the progress line -> the stage it belongs to, in build order.
STAGES = {
    "address_books": "parse vCard",
    "calendars": "parse ICS",
    "linkedin_exports": "parse LinkedIn",
    "mailboxes": "parse mail",
    "unreadable_inputs": "parse unreadable",
    "account": "accounts",
    "contact_records": "staging",
    "people": "resolution",
    "interactions": "interactions",
    "relationships": "scoring",
    "published_warehouse": "publish",
}
_PROGRESS = re.compile(r"^\[\d\d:\d\d:\d\d\] (\w+)[ :]")
# What each stage processed, read from its own progress line.
_ROWS = [
    re.compile(r"(\d+) records to resolve"),
    re.compile(r"people from (\d+) records"),
    re.compile(r"(\d+) records"),
    re.compile(r"(\d+) interactions"),
]


def _rows(text: str) -> int | None:
    for pattern in _ROWS:
        if match := pattern.search(text):
            return int(match.group(1))
    return None


def stage_rows(build: Measurement) -> list[dict]:
    """One row per stage; a stage's time runs from the previous progress line to its own.

    The first stage also carries interpreter start-up and Dagster's imports; scoring and publish count
    the interactions they read as their rows.
    """
    rows: list[dict] = []
    wall = cpu = 0.0
    interactions = None
    for line in build.lines:
        match = _PROGRESS.match(line.text)
        if not match or match.group(1) not in STAGES:
            continue
        stage = STAGES[match.group(1)]
        count = _rows(line.text)
        if stage == "interactions":
            interactions = count
        if stage in ("scoring", "publish"):
            count = interactions
        seconds = line.wall_seconds - wall
        rows.append(
            {
                "stage": stage,
                "wall_seconds": seconds,
                "cpu_seconds": line.cpu_seconds - cpu,
                "rows": count,
                "rows_per_second": count / seconds if count and seconds > 0 else None,
                "peak_rss_mb": line.peak_rss_mb,
            }
        )
        wall, cpu = line.wall_seconds, line.cpu_seconds
    rows.append(
        {
            "stage": "summary and exit",
            "wall_seconds": build.wall_seconds - wall,
            "cpu_seconds": build.cpu_seconds - cpu,
            "rows": None,
            "rows_per_second": None,
            "peak_rss_mb": None,
        }
    )
    return rows
