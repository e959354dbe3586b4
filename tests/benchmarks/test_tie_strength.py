"""The tie-strength benchmark's world families: the names of their folders and results files, and their options."""

from __future__ import annotations

import pytest

from benchmarks.tie_strength import WorldFamily


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
