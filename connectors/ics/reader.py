"""Reads a whole calendar file or text: its structure, its zones, its events, and the occurrences of each series."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import icalendar

from connectors.ics.context import Context
from connectors.ics.events import event_location, parse_event, series_key
from connectors.ics.lines import CalendarParts, content_lines, split_calendar
from connectors.ics.recurrence import occurrences
from connectors.ics.zones import TZID_LINE, calendar_zone, read_zones, tzid_of, unknown_zones, zone_location
from connectors.records import Interaction, Reject, cannot_open


def parse_ics(path: Path, *, now: datetime | None = None) -> Iterator[Interaction | Reject]:
    """Yield every occurrence of every event of the calendar file at `path`, and rejects."""
    try:
        data = path.read_bytes()
    except OSError as error:
        yield cannot_open("ics", str(path), error)
        return
    yield from events_from_calendar_text(data, source="ics", source_file=str(path), now=now)


def events_from_calendar_text(
    text: str | bytes, *, source: str, source_file: str, now: datetime | None = None
) -> Iterator[Interaction | Reject]:
    """Yield one Interaction per occurrence (past and future, cancelled ones too) and rejects.

    Occurrences are expanded from the series' first start (at most 30 years back, and not before 1980) to a year
    after `now`, and at most `EXPANSION_LIMIT` per series: those nearest `now`. A meeting that starts before 1980 or
    more than `PLAUSIBLE_YEARS_AHEAD` years after `now` is a reject.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    context = Context(source, source_file, now)
    parts = split_calendar(content_lines(text))
    if not parts.is_calendar:
        yield Reject(source, source_file, "file", "not an iCalendar file: no BEGIN:VCALENDAR or VEVENT")
        return
    yield from _orphan_ends(parts, context)
    yield from read_zones(parts.timezones, context)
    calendar = _parse_calendar_frame(parts.header)
    context.zone = calendar_zone(calendar)
    context.cancel_all = str(calendar.get("METHOD", "")).upper() == "CANCEL"
    name = calendar.get("X-WR-CALNAME")
    context.labels = [str(name)] if name else []

    series: dict[str, list[icalendar.Event]] = {}
    for number, block in enumerate(parts.events, start=1):
        for event_or_reject in parse_event(block, number, context):
            if isinstance(event_or_reject, Reject):
                yield event_or_reject
            else:
                yield from unknown_zones(event_or_reject, event_location(event_or_reject, number), context)
                series.setdefault(series_key(event_or_reject, number), []).append(event_or_reject)
    for uid, events in series.items():
        try:
            yield from occurrences(uid, events, calendar, context)
        except Exception as error:  # noqa: BLE001  a value no code path expected costs its series, not the file
            yield context.reject(f"UID {uid}", f"unusable event: {type(error).__name__}: {error}")


def _orphan_ends(parts: CalendarParts, context: Context) -> Iterator[Reject]:
    """A reject for each END line that closes nothing: the component it ends lost its BEGIN line, so its lines were
    read as the calendar's own. A zone is named by the TZID line before its END."""
    for number, component in parts.orphan_ends:
        tzid_lines = [(line, text) for line, text in parts.header if line < number and TZID_LINE.match(text)]
        location = f"line {number}"
        if component == "VTIMEZONE" and tzid_lines:
            line, text = tzid_lines[-1]
            location = zone_location(tzid_of(text), line)
        yield context.reject(
            location, f"END:{component} at line {number} has no BEGIN:{component}: what it ends is not read")


def _parse_calendar_frame(header: list[tuple[int, str]]) -> icalendar.Calendar:
    """The calendar's own properties (X-WR-TIMEZONE, METHOD, ...)."""
    for lines in ([line for _, line in header], []):
        try:
            return icalendar.Calendar.from_ical("\r\n".join(["BEGIN:VCALENDAR", *lines, "END:VCALENDAR"]))
        except ValueError:
            continue
    return icalendar.Calendar()
