"""When things happen: piecewise-constant rates, event counts (Poisson or a fixed total) and timestamps."""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Sequence

from demo.people import DAY, WEEK, Person

Segments = list[tuple[float, float, float]]  # (from, to, weekly rate)
WORK_HOURS = (8, 9, 9, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 16, 17, 18)
PERSONAL_HOURS = (7, 8, 12, 13, 17, 18, 19, 19, 20, 20, 21, 21, 22, 23)


def person_segments(person: Person, start: float, end: float, share: float) -> Segments:
    """The person's rate over [start, end) times a channel share, split at the drift point."""
    if person.change_at is None or not start < person.change_at < end:
        rate = person.current_rate if person.change_at is not None and person.change_at <= start else person.rate_before
        return [(start, end, rate * share)]
    return [(start, person.change_at, person.rate_before * share), (person.change_at, end, person.rate_after * share)]


def expected_count(segments: Segments) -> float:
    return sum(rate * (t1 - t0) / WEEK for t0, t1, rate in segments)


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 60:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def draw_counts(rng: random.Random, means: Sequence[float], total: int | None) -> list[int]:
    """Poisson counts around `means`, or exactly `total` split in proportion to them (largest remainder)."""
    if total is None:
        return [poisson(rng, mean) for mean in means]
    weight = sum(means)
    if weight <= 0:
        return [0] * len(means)
    shares = [total * mean / weight for mean in means]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(means)), key=lambda i: (counts[i] - shares[i], i))
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


def sample_times(rng: random.Random, count: int, segments: Segments, work: bool) -> list[float]:
    """`count` sorted timestamps with density proportional to the rate, placed at plausible hours."""
    masses = [rate * (t1 - t0) for t0, t1, rate in segments]
    cumulative = []
    running = 0.0
    for mass in masses:
        running += mass
        cumulative.append(running)
    if running <= 0:
        return []
    times = []
    for _ in range(count):
        target = rng.random() * running
        index = min(bisect.bisect_right(cumulative, target), len(segments) - 1)
        t0, t1, _rate = segments[index]
        before = cumulative[index] - masses[index]
        moment = t0 + (target - before) / masses[index] * (t1 - t0) if masses[index] else t0
        times.append(at_plausible_hour(rng, moment, work))
    times.sort()
    return times


def at_plausible_hour(rng: random.Random, moment: float, work: bool) -> float:
    day = math.floor(moment / DAY)
    if work and (day + 3) % 7 >= 5:  # 1970-01-01 was a Thursday: (day + 3) % 7 is 5/6 on weekends
        day -= (day + 3) % 7 - 4  # move to the Friday before
    hour = rng.choice(WORK_HOURS if work else PERSONAL_HOURS)
    return day * DAY + hour * 3600 + rng.randrange(3600)


def channel_shares(person: Person) -> dict[str, float]:
    """How a tie's interactions split between email, meetings and LinkedIn messages."""
    if person.one_way or person.role or person.kind in ("newsletter", "noreply"):
        return {"email": 0.0, "meeting": 0.0, "linkedin": 0.0}
    base = {
        "family": (0.65, 0.3, 0.0), "friend": (0.65, 0.3, 0.05), "colleague": (0.6, 0.35, 0.05),
        "client": (0.6, 0.3, 0.1), "acquaintance": (0.5, 0.1, 0.4),
    }[person.kind]
    has_mail = bool(person.personal_email or any(job.email for job in person.jobs))
    on_linkedin = person.linkedin_state == "connected"
    shares = {"email": base[0] * has_mail, "meeting": base[1] * has_mail, "linkedin": base[2] * on_linkedin}
    total = sum(shares.values())
    if total == 0 and on_linkedin:
        return {"email": 0.0, "meeting": 0.0, "linkedin": 1.0}
    return {channel: share / total for channel, share in shares.items()} if total else shares
