"""The best ranking a demo world allows: each tie's expected latent strength given its one-to-one events,
under the demo generator's own prior (layer rates, their spread, drift).

No scorer knows the generator's prior; this one does, approximately, so its Spearman rho against the latent
strengths is a reference for what the observed interactions can say: the ranking a scorer that knew how the
world was drawn would make. It is not a strict upper bound. It leaves out what the generator does to a few
ties (the dormant tie, whose rate drops to 0; close kinds lifted to a stronger layer), a posterior mean is not
exactly the ranking that maximises Spearman rho (ranking by the expected prior quantile gave the same figures),
and it ignores group contact, which says a little about a tie's layer. It also ignores LinkedIn invitations
and the gate.

A tie's prior: layer l with the share of ties the generator puts there, weekly rate LAYER_RATES[l] times a
lognormal(0, RATE_SPREAD) factor (for the SIGNATURE layer shape: every rank equally likely, the rank's power-law
rate times that factor, gathered in log-spaced bins); with chance DRIFT_SHARE the rate changed once, at a time
uniform in DRIFT_WINDOW, by a factor drawn about as the generator draws it (a job change, or a project's start or
end). Knowing when each job change happened (visible in real data as a new work address) would add 0.000-0.006 to
its rho on the default worlds (an exploration, session 6), so it is left out.
Given the event times in the window, the posterior is computed on a grid over (rate, change time, factor).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from demo.people import (
    DRIFT_SHARE, DRIFT_WINDOW, DUNBAR, LAYER_RATES, LEAVING_TEAM_FACTOR, NEW_EMPLOYER_FACTOR, PROJECT_END_FACTOR,
    PROJECT_START_FACTOR, RATE_SPREAD, SIGNATURE, STRENGTH_HALF_RATE, WEEK, layer_sizes, signature_rates,
)

RATE_POINTS = 31  # Gauss-Hermite points of the lognormal spread within a layer
SIGNATURE_RATE_POINTS = 240  # log-spaced bins the signature shape's prior is gathered in
CHANGE_POINTS = 36  # change times across the drift window
FACTOR_POINTS = 8  # factors per range


def _factor_grid() -> tuple[np.ndarray, np.ndarray]:
    """The change factors and their prior weights: half job changes (about a third of them colleagues leaving
    the owner's team), half a project's start or end."""
    ranges = ((NEW_EMPLOYER_FACTOR, 1 / 3), (LEAVING_TEAM_FACTOR, 1 / 6),
              (PROJECT_END_FACTOR, 0.25), (PROJECT_START_FACTOR, 0.25))
    factors = np.concatenate([np.linspace(*bounds, FACTOR_POINTS) for bounds, _ in ranges])
    weights = np.concatenate([np.full(FACTOR_POINTS, share / FACTOR_POINTS) for _, share in ranges])
    return factors, weights


def _rate_prior(world_ties: int, layer_shape: str) -> tuple[np.ndarray, np.ndarray]:
    """The weekly rates a tie may have before any drift, and their prior weights."""
    spread, spread_weight = np.polynomial.hermite_e.hermegauss(RATE_POINTS)
    spread_factor, spread_weight = np.exp(RATE_SPREAD * spread), spread_weight / spread_weight.sum()
    if layer_shape == DUNBAR:
        sizes = layer_sizes(world_ties)
        sizes.append(max(1, world_ties - sum(sizes)))
        layer_share = np.array(sizes, float) / sum(sizes)
        rates = (np.array(LAYER_RATES)[:, None] * spread_factor[None, :]).ravel()
        return rates, (layer_share[:, None] * spread_weight[None, :]).ravel()
    if layer_shape != SIGNATURE:
        raise ValueError(f"unknown layer shape {layer_shape!r}")
    # every rank equally likely, times the spread: rank x node points gathered into bins, each at its mean log rate
    log_rates = np.log(np.array(signature_rates(world_ties))[:, None] * spread_factor[None, :]).ravel()
    weights = np.tile(spread_weight, world_ties) / world_ties
    edges = np.histogram_bin_edges(log_rates, bins=SIGNATURE_RATE_POINTS)
    mass = np.histogram(log_rates, bins=edges, weights=weights)[0]
    weighted_log_rate = np.histogram(log_rates, bins=edges, weights=weights * log_rates)[0]
    full = mass > 0
    return np.exp(weighted_log_rate[full] / mass[full]), mass[full]


def expected_strengths(event_times: Mapping[object, Iterable[float]], ties: Iterable[object],
                       start: float, now: float, world_ties: int,
                       drift_share: float = DRIFT_SHARE, layer_shape: str = DUNBAR) -> dict[object, float]:
    """tie -> E[latent strength | its one-to-one event times (epoch seconds) in [start, now)], in a world of
    `world_ties` real ties (which sets how many the generator puts in each layer) where `drift_share` of them
    changed pace once and `layer_shape` spread the rates."""
    rates, rate_weight = _rate_prior(world_ties, layer_shape)
    factors, factor_weight = _factor_grid()
    changes = start + (now - start) * np.linspace(*DRIFT_WINDOW, CHANGE_POINTS)
    weeks_before, weeks_after = (changes - start) / WEEK, (now - changes) / WEEK

    def strength(rate: np.ndarray) -> np.ndarray:
        return rate / (rate + STRENGTH_HALF_RATE)

    # axes: rate, change time, factor
    rate3, factor3 = rates[:, None, None], factors[None, None, :]
    drift_prior = drift_share * rate_weight[:, None, None] * factor_weight[None, None, :] / CHANGE_POINTS
    drift_strength = strength(rate3 * factor3)
    exposure = weeks_before[None, :, None] + factor3 * weeks_after[None, :, None]
    expected = {}
    for tie in ties:
        times = np.sort(np.fromiter(event_times.get(tie, ()), float))
        times = times[(times >= start) & (times < now)]
        count = len(times)
        after = (count - np.searchsorted(times, changes))[None, :, None]
        steady_log = count * np.log(rates) - rates * (now - start) / WEEK
        drift_log = count * np.log(rate3) + after * np.log(factor3) - rate3 * exposure
        top = max(steady_log.max(), drift_log.max())
        steady = (1 - drift_share) * rate_weight * np.exp(steady_log - top)
        drifted = drift_prior * np.exp(drift_log - top)
        expected[tie] = float(((steady * strength(rates)).sum() + (drifted * drift_strength).sum())
                              / (steady.sum() + drifted.sum()))
    return expected
