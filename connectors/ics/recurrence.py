"""Expands a series (an event, its recurrence rules and dates, its moved occurrences) into its occurrences in the
years Kith reads, each one an Interaction."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import islice

import icalendar
import recurring_ical_events

from connectors.ics.context import Context
from connectors.ics.events import RECURRENCE_PROPERTIES, property_value
from connectors.ics.interactions import interaction
from connectors.ics.zones import as_utc
from connectors.mail.dates import EARLIEST_PLAUSIBLE
from connectors.records import Interaction, Reject

EXPANSION_LIMIT = 5000  # occurrences per series; an endless RRULE stops here
# A series is expanded span by span; a span that holds fewer occurrences than this doubles, up to a year.
_SPARSE_SPAN_OCCURRENCES = 500
_LONGEST_SPAN = timedelta(days=366)
# A capped series is walked to `now` if that costs at most this many caps' worth of occurrences (~2 s).
_AFFORDABLE_CAPS_TO_NOW = 20
PAST_HORIZON = timedelta(days=365 * 30)
FUTURE_HORIZON = timedelta(days=365)
# Calendars hold plans a few years ahead (a conference, a sabbatical, a wedding); a meeting set further ahead than this
# is a mistyped year (2204 for 2024) or a placeholder date, and an upcoming one says nothing about a tie yet anyway.
# The earliest plausible start is mail's EARLIEST_PLAUSIBLE.
PLAUSIBLE_YEARS_AHEAD = 10


def occurrences(
    uid: str, events: list[icalendar.Event], frame: icalendar.Calendar, context: Context
) -> Iterator[Interaction | Reject]:
    """The Interactions of the series `uid` (its events: the master and its moved occurrences), and rejects."""
    location = f"UID {uid}"
    for event in events:
        _drop_rules_ending_before_start(event, context.zone)
    if len(events) == 1 and not any(name in events[0] for name in RECURRENCE_PROPERTIES):
        # The common case, without the expansion machinery.
        start = _expansion_time(property_value(events[0], "DTSTART"), context.zone)
        implausible = _implausible_start(start, context.now)
        yield context.reject(location, implausible) if implausible else interaction(uid, events[0], context)
        return
    calendar = icalendar.Calendar()
    if context.zone is not None:
        calendar.add("X-WR-TIMEZONE", frame["X-WR-TIMEZONE"])
    for event in events:
        calendar.add_component(event)
    first_start = min(_expansion_time(property_value(event, "DTSTART"), context.zone) for event in events)
    # A series that began before the earliest plausible start is read from there on.
    implausible = _implausible_start(max(first_start, EARLIEST_PLAUSIBLE), context.now)
    if implausible:
        yield context.reject(location, implausible)
        return
    window_start = max(first_start, context.now - PAST_HORIZON, EARLIEST_PLAUSIBLE)
    window_end = context.now + FUTURE_HORIZON
    if any(_rule_never_advances(event) for event in events):
        yield context.reject(location, "RRULE INTERVAL must be 1 or more; the series is not expanded")
        return
    try:
        kept, truncation = _capped(recurring_ical_events.of(calendar), window_start, window_end, context)
    except Exception as error:  # noqa: BLE001  one series the library chokes on must not lose the file
        yield context.reject(location, f"cannot expand recurrence: {error!r}")
        return
    for _, occurrence in kept:
        yield interaction(uid, occurrence, context)
    if not kept and first_start < window_end:  # a series yet to start is no loss
        span = f"{window_start.date().isoformat()} to {window_end.date().isoformat()}"
        yield context.reject(location, f"the series has no occurrence from {span}, the dates Kith reads")
    if truncation:
        yield context.reject(location, f"recurrence expands beyond {EXPANSION_LIMIT} occurrences; {truncation}")


def _capped(
    query: recurring_ical_events.CalendarQuery, window_start: datetime, window_end: datetime, context: Context
) -> tuple[list[tuple[datetime, icalendar.Event]], str | None]:
    """At most `EXPANSION_LIMIT` occurrences starting in [window_start, window_end), in order, and a note
    if the cap truncated the series.

    Past the cap the occurrences nearest `now` are kept: they say most about a relationship today. The
    library counts every occurrence from DTSTART to reach them, so a series too dense for that (an
    endless SECONDLY rule) keeps its first ones instead.
    """
    first = list(islice(_walk(query, window_start, window_end, context.zone, backward=False), EXPANSION_LIMIT + 1))
    if len(first) <= EXPANSION_LIMIT:
        return first, None
    if (context.now - window_start) > (first[-1][0] - window_start) * _AFFORDABLE_CAPS_TO_NOW:
        return first[:EXPANSION_LIMIT], "truncated"
    nearest = islice(_nearest_now(query, window_start, window_end, context.now, context.zone), EXPANSION_LIMIT)
    return sorted(nearest, key=lambda pair: pair[0]), f"truncated to the {EXPANSION_LIMIT} nearest now"


def _nearest_now(
    query: recurring_ical_events.CalendarQuery,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
    zone: tzinfo | None,
) -> Iterator[tuple[datetime, icalendar.Event]]:
    """Occurrences starting in [window_start, window_end), nearest `now` first."""
    pivot = min(max(now, window_start), window_end)
    past = _walk(query, window_start, pivot, zone, backward=True)
    future = _walk(query, pivot, window_end, zone, backward=False)
    return heapq.merge(past, future, key=lambda pair: abs(pair[0] - now))


def _walk(
    query: recurring_ical_events.CalendarQuery, low: datetime, high: datetime, zone: tzinfo | None, *, backward: bool
) -> Iterator[tuple[datetime, icalendar.Event]]:
    """Occurrences starting in [low, high), asked for span by span, from `high` down if `backward`, else up.

    `between()` over growing spans is fast (recurring-ical-events' `after()` walks tiny windows, about
    3 ms an occurrence); a span starts at one hour and doubles while it stays sparse, so an endless
    SECONDLY rule never materialises more than a few thousand occurrences at once.
    """
    span = timedelta(hours=1)
    while low < high:
        span_low, span_high = (max(high - span, low), high) if backward else (low, min(low + span, high))
        found = []
        for occurrence in query.between(span_low, span_high):
            start = _expansion_time(property_value(occurrence, "DTSTART"), zone)
            if span_low <= start < span_high:  # an occurrence overlapping a span edge belongs to the span it starts in
                found.append((start, occurrence))
        found.sort(key=lambda pair: pair[0], reverse=backward)
        yield from found
        if len(found) < _SPARSE_SPAN_OCCURRENCES:
            span = min(span * 2, _LONGEST_SPAN)
        low, high = (low, span_low) if backward else (span_high, high)


def _implausible_start(start: datetime, now: datetime) -> str | None:
    """Why no meeting starts at `start`, or None if one may."""
    if start < EARLIEST_PLAUSIBLE:
        return f"starts {start.date().isoformat()}, before {EARLIEST_PLAUSIBLE.year}: a broken date"
    if start.year > now.year + PLAUSIBLE_YEARS_AHEAD:
        return (
            f"starts {start.date().isoformat()}, more than {PLAUSIBLE_YEARS_AHEAD} years ahead: "
            "a mistyped year or a placeholder date"
        )
    return None


def _drop_rules_ending_before_start(event: icalendar.Event, zone: tzinfo | None) -> None:
    """RFC 5545 3.8.5.3: "The "DTSTART" property defines the first instance in the recurrence set", so rules whose
    UNTIL comes before it add no instance to that one; recurring-ical-events drops DTSTART as well, and the event
    vanished."""
    rules, start = _rules(event), property_value(event, "DTSTART")
    if rules and all(_ends_before(rule, start, zone) for rule in rules):
        del event["RRULE"]


def _ends_before(rule: icalendar.vRecur, start: date | datetime, zone: tzinfo | None) -> bool:
    until = rule.get("UNTIL", [None])[0]
    return isinstance(until, date) and as_utc(until, zone) < as_utc(start, zone)


def _rules(event: icalendar.Event) -> list[icalendar.vRecur]:
    rules = event.get("RRULE", [])
    return rules if isinstance(rules, list) else [rules]


def _rule_never_advances(event: icalendar.Event) -> bool:
    """INTERVAL=0 makes the expansion library loop forever without yielding."""
    for rule in _rules(event):
        intervals = rule.get("INTERVAL", [1])
        if any(not isinstance(interval, int) or interval < 1 for interval in intervals):
            return True
    return False


def _expansion_time(value: date | datetime, zone: tzinfo | None) -> datetime:
    """The start as recurring-ical-events matches it against a UTC span: a floating time in X-WR-TIMEZONE
    (the library applies it), but a DATE at midnight UTC, whatever the calendar's zone."""
    return as_utc(value, zone if isinstance(value, datetime) else UTC)
