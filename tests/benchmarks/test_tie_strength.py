"""The tie-strength benchmark: its world families (folder and results-file names, options), and one small world
evaluated end to end, the perfect-identity scoring and the oracle included."""

from __future__ import annotations

import pytest

from benchmarks.tie_strength import WorldFamily, build_world, evaluate


@pytest.mark.parametrize(
    ("family", "suffix", "options"),
    [
        (WorldFamily(), "", ""),
        (WorldFamily(years=10), "-10y", " --years 10"),
        (WorldFamily(reply_chains=0.6), "-chains0.6", " --reply-chains 0.6"),
        (WorldFamily(group_traffic=4.0), "-groups4", " --group-traffic 4"),
        (WorldFamily(drift_share=0.3), "-drift0.3", " --drift-share 0.3"),
        (WorldFamily(layer_shape="signature"), "-signature", " --layer-shape signature"),
        (WorldFamily(years=10, reply_chains=0.6), "-10y-chains0.6", " --years 10 --reply-chains 0.6"),
    ],
)
def test_a_family_is_named_by_how_it_differs_from_the_demo(family, suffix, options):
    assert (family.suffix, family.options) == (suffix, options)


def test_a_small_world_is_evaluated_end_to_end(tmp_path, monkeypatch):
    monkeypatch.setenv("KITH_HOME", str(tmp_path / "home"))
    warehouse, truth = build_world(tmp_path, size=60, seed=3, rescore=False, scoring={})
    result = evaluate(warehouse, truth)
    for measure in ("spearman", "perfect_identity", "oracle"):
        assert -1 <= result[measure] <= 1 and result[measure] > 0.5, measure
    assert result["silent"] > 0 and result["silent_max"] == 0  # newsletters and one-way senders score 0
