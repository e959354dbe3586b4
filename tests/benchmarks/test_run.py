"""Smoke test of the scaling runner on a tiny world: every build, baseline, table and plot is produced."""

from __future__ import annotations

import shutil

import pytest

from benchmarks import run

pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which(run.MBOX_TO_SQLITE) is None, reason="mbox-to-sqlite not installed (pip install -e '.[bench]')")
def test_tiny_world_is_built_measured_and_reported(tmp_path):
    result = run.run_size(tmp_path, "tiny", baselines_up_to=10**9)

    assert result.messages > 0
    for build in (result.full, result.unchanged, result.next_day, result.grown):
        assert build["returncode"] == 0 and build["wall_seconds"] > 0 and build["peak_rss_mb"] > 0
    assert {
        "parse vCard", "parse ICS", "parse LinkedIn", "parse mail", "staging", "resolution",
        "interactions", "scoring", "publish", "summary and exit",
    } <= {row["stage"] for row in result.stages}
    assert set(result.baselines) == {"Kith build of the mbox alone", "stdlib header loop", "mbox-to-sqlite"}
    assert not (tmp_path / "tiny" / "held-back-tail.mbox").exists()

    table = run.report([run.asdict(result)], tmp_path / "results")

    assert "| tiny | parse mail |" in table
    assert (tmp_path / "results" / "scaling.png").stat().st_size > 0
