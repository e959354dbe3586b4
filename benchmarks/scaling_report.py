"""Writes the scaling results (dicts of benchmarks/run.py's SizeResult) as a Markdown table and a PNG plot."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

BASELINES = ("Kith build of the mbox alone", "stdlib header loop", "mbox-to-sqlite")


def _f(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def _share(part: float | None, whole: float) -> str:
    return f"{part / whole:.0%}" if whole and part is not None else ""


def write_table(results: list[dict], path: Path) -> str:
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"load average at the end {os.getloadavg()[0]:.1f} (other work shares the machine: CPU seconds are the "
        "steadier figure). Every figure is for the whole process tree of one command, sampled every 0.1 s.",
        "",
        "### Full build (`kith build`, empty work database)",
        "",
        "| size | messages | inbox MB | mbox MB | wall s | CPU s | peak RSS MB | messages/s (wall) | warehouse MB | work DB MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        full = r["full"]
        lines.append(
            f"| {r['size']} | {r['messages']:,} | {_f(r['inbox_mb'])} | {_f(r['mbox_mb'])} | {_f(full['wall_seconds'])} "
            f"| {_f(full['cpu_seconds'])} | {_f(full['peak_rss_mb'], 0)} | {_f(r['messages'] / full['wall_seconds'], 0)} "
            f"| {_f(r['warehouse_mb'])} | {_f(r['work_db_mb'])} |"
        )
    lines += [
        "",
        "### Re-builds: nothing new (the same day, and a day later), and the mbox grown by 1 % of its messages",
        "",
        "Scores move with time, so a build on a new day re-scores and publishes even when nothing is new; a second "
        "build the same day reuses both (`relationships` and `published_warehouse` say \"unchanged\").",
        "",
        "| size | full wall s | full CPU s | unchanged wall s | unchanged CPU s | unchanged / full (wall) "
        "| next day wall s | next day CPU s | next day / full (wall) | grown wall s | grown CPU s | grown / full (wall) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        full, same, grown = r["full"], r["unchanged"], r["grown"]
        later = r.get("next_day") or {"wall_seconds": None, "cpu_seconds": None}
        lines.append(
            f"| {r['size']} | {_f(full['wall_seconds'])} | {_f(full['cpu_seconds'])} | {_f(same['wall_seconds'])} "
            f"| {_f(same['cpu_seconds'])} | {_share(same['wall_seconds'], full['wall_seconds'])} "
            f"| {_f(later['wall_seconds'])} | {_f(later['cpu_seconds'])} | {_share(later['wall_seconds'], full['wall_seconds'])} "
            f"| {_f(grown['wall_seconds'])} | {_f(grown['cpu_seconds'])} | {_share(grown['wall_seconds'], full['wall_seconds'])} |"
        )
    with_baselines = [r for r in results if r["baselines"]]
    if with_baselines:
        lines += [
            "",
            "### Side by side on the same mbox, same run",
            "",
            "The stdlib loop only reads From/To/Cc/Date of each message (`benchmarks/email_stage.py`); "
            "mbox-to-sqlite loads whole messages into SQLite with full-text search. \"Kith build of the mbox "
            "alone\" is `kith build` of an inbox holding only that mbox: parse, resolve, score, publish.",
            "",
            "| size | what ran | wall s | CPU s | peak RSS MB | ÷ stdlib loop (wall) | ÷ stdlib loop (CPU) |",
            "|---|---|---:|---:|---:|---:|---:|",
        ]
        for r in with_baselines:
            stdlib = r["baselines"]["stdlib header loop"]
            for name, run in [("Kith full build (whole world)", r["full"]), *r["baselines"].items()]:
                lines.append(
                    f"| {r['size']} | {name} | {_f(run['wall_seconds'])} | {_f(run['cpu_seconds'])} "
                    f"| {_f(run['peak_rss_mb'], 0)} | {run['wall_seconds'] / stdlib['wall_seconds']:.2f} "
                    f"| {run['cpu_seconds'] / stdlib['cpu_seconds']:.2f} |"
                )
    lines += [
        "",
        "### Per stage: full build, and the re-build with nothing new",
        "",
        "A stage runs from the previous progress line to its own; the first also carries start-up and imports. "
        "Peak RSS is the tree's peak during the full build's stage.",
        "",
        "| size | stage | wall s | CPU s | rows | rows/s (wall) | peak RSS MB | unchanged: wall s | unchanged: CPU s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        unchanged = {stage["stage"]: stage for stage in r.get("unchanged_stages", [])}
        for stage in r["stages"]:
            again = unchanged.get(stage["stage"], {})
            lines.append(
                f"| {r['size']} | {stage['stage']} | {_f(stage['wall_seconds'])} | {_f(stage['cpu_seconds'])} "
                f"| {_f(stage['rows'], 0)} | {_f(stage['rows_per_second'], 0)} | {_f(stage['peak_rss_mb'], 0)} "
                f"| {_f(again.get('wall_seconds'))} | {_f(again.get('cpu_seconds'))} |"
            )
    table = "\n".join(lines) + "\n"
    path.write_text(table)
    return table


def write_plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    messages = [r["messages"] for r in results]
    figure, (times, memory) = plt.subplots(1, 2, figsize=(12, 4.5))
    # CPU seconds: wall time on a shared machine mostly measures the neighbours.
    series = {
        "Kith full build (wall)": [r["full"]["wall_seconds"] for r in results],
        "Kith full build": [r["full"]["cpu_seconds"] for r in results],
        "Kith re-build, nothing new": [r["unchanged"]["cpu_seconds"] for r in results],
        "Kith re-build a day later, nothing new": [
            r["next_day"]["cpu_seconds"] if "next_day" in r else float("nan") for r in results
        ],
        "Kith re-build, +1 % mail": [r["grown"]["cpu_seconds"] for r in results],
    }
    for label, values in series.items():
        times.plot(messages, values, marker="o", label=label)
    memory.plot(messages, [r["full"]["peak_rss_mb"] for r in results], marker="o", label="Kith full build")
    for name in BASELINES:
        points = [(r["messages"], r["baselines"][name]) for r in results if name in r["baselines"]]
        if points:
            times.plot([m for m, _ in points], [b["cpu_seconds"] for _, b in points], marker="s", linestyle="--", label=name)
            memory.plot([m for m, _ in points], [b["peak_rss_mb"] for _, b in points], marker="s", linestyle="--", label=name)
    memory.axhline(1024, color="grey", linewidth=0.8, linestyle=":")
    memory.axhline(2048, color="grey", linewidth=0.8, linestyle=":")
    times.set(xscale="log", yscale="log", xlabel="messages in the mbox", ylabel="seconds: CPU of the process tree, unless marked wall", title="Time")
    memory.set(xscale="log", xlabel="messages in the mbox", ylabel="peak RSS, MB (process tree)", title="Memory")
    times.legend(fontsize=8)
    memory.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
