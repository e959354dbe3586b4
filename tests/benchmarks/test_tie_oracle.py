"""The Bayes oracle of the tie-strength benchmark: expected latent strength under the demo generator's prior."""

from __future__ import annotations

import math

import pytest
from scipy.integrate import quad

from benchmarks.tie_oracle import expected_strengths
from demo.people import (
    DAY, DUNBAR, LAYER_RATES, RATE_SPREAD, SIGNATURE, STRENGTH_HALF_RATE, WEEK, layer_sizes, signature_rates,
)

START, NOW = 0.0, 5 * 365 * DAY
WORLD = 285  # real ties in a 300-person world


def evenly(count: int, first: float = START, last: float = NOW) -> list[float]:
    return [first + (last - first) * (n + 0.5) / count for n in range(count)]


@pytest.mark.parametrize("layer_shape", [DUNBAR, SIGNATURE])
def test_without_drift_it_is_the_posterior_mean_of_a_lognormal_poisson_mixture(layer_shape):
    weeks = (NOW - START) / WEEK
    if layer_shape == DUNBAR:
        sizes = layer_sizes(WORLD)
        components = list(zip([n / WORLD for n in sizes + [WORLD - sum(sizes)]], LAYER_RATES))
    else:
        components = [(1 / WORLD, rate) for rate in signature_rates(WORLD)]

    def integral(count: int, value) -> float:
        """sum over components of the integral over log-rates of value(rate) x Poisson likelihood x lognormal prior"""
        def integrand(z: float, base_rate: float) -> float:
            rate = base_rate * math.exp(z)
            likelihood = math.exp(count * math.log(rate * weeks) - rate * weeks - math.lgamma(count + 1))
            return value(rate) * likelihood * math.exp(-z * z / (2 * RATE_SPREAD**2))
        return sum(share * quad(integrand, -6 * RATE_SPREAD, 6 * RATE_SPREAD, args=(rate,), limit=200)[0]
                   for share, rate in components)

    counts = (0, 1, 3, 10)
    expected = expected_strengths({count: evenly(count) for count in counts}, counts, START, NOW, world_ties=WORLD,
                                  drift_share=0.0, layer_shape=layer_shape)
    for count in counts:
        direct = integral(count, lambda rate: rate / (rate + STRENGTH_HALF_RATE)) / integral(count, lambda rate: 1.0)
        assert expected[count] == pytest.approx(direct, rel=0.01)


def test_more_events_over_the_window_mean_a_stronger_tie():
    counts = (0, 1, 3, 10, 50, 250, 800)
    expected = expected_strengths({count: evenly(count) for count in counts}, counts, START, NOW, world_ties=WORLD)
    assert [expected[c] for c in counts] == sorted(expected[c] for c in counts)
    assert 0 < expected[0] < 0.05 < expected[250] < expected[800] < 1


def test_the_same_count_lately_is_a_stronger_tie_now_than_long_ago():
    year = 365 * DAY
    times = {"lately": evenly(20, NOW - year, NOW), "long ago": evenly(20, START, START + year)}
    expected = expected_strengths(times, times, START, NOW, world_ties=WORLD)
    assert expected["lately"] > 2 * expected["long ago"]


def test_in_a_world_where_more_ties_drift_a_busy_past_says_less_of_now():
    year = 365 * DAY
    times = {"long ago": evenly(20, START, START + year)}
    usual = expected_strengths(times, times, START, NOW, world_ties=WORLD)["long ago"]
    restless = expected_strengths(times, times, START, NOW, world_ties=WORLD, drift_share=0.5)["long ago"]
    steady = expected_strengths(times, times, START, NOW, world_ties=WORLD, drift_share=0.0)["long ago"]
    assert restless < usual < steady


def test_events_outside_the_window_are_not_evidence():
    expected = expected_strengths({"outside": [NOW + DAY] * 30, "none": []}, ["outside", "none"], START, NOW,
                                  world_ties=WORLD)
    assert expected["outside"] == expected["none"]
