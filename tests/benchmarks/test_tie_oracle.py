"""The Bayes oracle of the tie-strength benchmark: expected latent strength under the demo generator's prior."""

from __future__ import annotations

from benchmarks.tie_oracle import expected_strengths
from demo.people import DAY

START, NOW = 0.0, 5 * 365 * DAY


def evenly(count: float, first: float = START, last: float = NOW) -> list[float]:
    return [first + (last - first) * (n + 0.5) / count for n in range(count)]


def test_more_events_over_the_window_mean_a_stronger_tie():
    counts = (0, 1, 3, 10, 50, 250, 800)
    expected = expected_strengths({count: evenly(count) for count in counts}, counts, START, NOW)
    assert [expected[c] for c in counts] == sorted(expected[c] for c in counts)
    assert 0 < expected[0] < 0.05 < expected[250] < expected[800] < 1


def test_the_same_count_lately_is_a_stronger_tie_now_than_long_ago():
    year = 365 * DAY
    times = {"lately": evenly(20, NOW - year, NOW), "long ago": evenly(20, START, START + year)}
    expected = expected_strengths(times, times, START, NOW)
    assert expected["lately"] > 2 * expected["long ago"]


def test_events_outside_the_window_are_not_evidence():
    expected = expected_strengths({"outside": [NOW + DAY] * 30, "none": []}, ["outside", "none"], START, NOW)
    assert expected["outside"] == expected["none"]
