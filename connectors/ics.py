"""Reads iCalendar (.ics) text into one meeting Interaction per event occurrence, recurrences expanded."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from connectors.records import Interaction, Participant, Reject

__all__ = ["EXPANSION_LIMIT", "events_from_calendar_text", "parse_ics"]

EXPANSION_LIMIT = 5000
_SPARSE_SPAN_OCCURRENCES = 500
_LONGEST_SPAN = timedelta(days=366)  # occurrences per series; an endless RRULE stops here
PAST_HORIZON = timedelta(days=365 * 30)
FUTURE_HORIZON = timedelta(days=365)
ALL_DAY_LABEL = "all-day"

_STATUSES = {"confirmed", "tentative", "cancelled"}
# Broken values of these make the event unusable; broken values of others are dropped.
_ESSENTIAL = {"DTSTART", "RECURRENCE-ID"}
_RECURRENCE_PROPERTIES = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
_NOT_PEOPLE_CUTYPES = {"RESOURCE", "ROOM", "GROUP"}
_NOT_PEOPLE_DOMAINS = ("@resource.calendar.google.com", "@group.calendar.google.com")
_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_MAILTO = re.compile(r"^\s*mailto:", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_RAW_UID = re.compile(r"^UID(?:;[^:\r\n]*)?:(.*)$", re.IGNORECASE | re.MULTILINE)
_FOLD = re.compile(r"\r\n[ \t]")
_PROPERTY_NAME = re.compile(r"[^;:]*")
# RFC 5545 3.1: a parameter value is quoted or runs to the next ; : or , (a stray comma in CN= is kept).
_PARAMETER = re.compile(r'([A-Za-z0-9-]+)=((?:"[^"]*"|(?:\\.|[^";:,\\])*)(?:,(?:"[^"]*"|(?:\\.|[^";:,\\])*))*)')
_CARET_ESCAPES = re.compile(r"\^[n'^]")  # RFC 6868
_CARET_VALUES = {"^n": "\n", "^'": '"', "^^": "^"}
_BACKSLASH_ESCAPE = re.compile(r"\\([\\,;:])")
# Only what Kith reads goes to icalendar: descriptions, conference data and alarms cost parse time and
# say nothing about people. Attendees are read here: icalendar's parameter parsing is most of its time.
_EVENT_PROPERTIES = frozenset({
    "UID", "DTSTART", "DTEND", "DURATION", *_RECURRENCE_PROPERTIES, "SEQUENCE", "STATUS", "SUMMARY",
    "ORGANIZER", "X-MICROSOFT-CDO-ALLDAYEVENT",
})
_PEOPLE_PROPERTIES = {"ORGANIZER": "organizer", "ATTENDEE": "attendee"}
# The people of an event travel with it into its occurrences, which are shallow copies of the component.
_PARTICIPANTS = "X-KITH-PARTICIPANTS"


def parse_ics(path: Path, *, now: datetime | None = None) -> Iterator[Interaction | Reject]:
    """Yield every occurrence of every event of the calendar file at `path`, and rejects."""
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Reject("ics", str(path), "file", f"cannot read file: {error}")
        return
    yield from events_from_calendar_text(data, source="ics", source_file=str(path), now=now)


def events_from_calendar_text(
    text: str | bytes, *, source: str, source_file: str, now: datetime | None = None
) -> Iterator[Interaction | Reject]:
    """Yield one Interaction per occurrence (past and future, cancelled ones too) and rejects.

    Occurrences are expanded from the series' first start (at most 30 years back) to a year after
    `now`, and at most `EXPANSION_LIMIT` per series.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    context = _Context(source, source_file, now)
    parts = _split_calendar(_decode(text))
    if not parts.is_calendar:
        yield Reject(source, source_file, "file", "not an iCalendar file: no BEGIN:VCALENDAR or VEVENT")
        return
    calendar = _parse_calendar_frame(parts)
    context.zone = _calendar_zone(calendar)
    context.cancel_all = str(calendar.get("METHOD", "")).upper() == "CANCEL"
    name = calendar.get("X-WR-CALNAME")
    context.labels = [str(name)] if name else []

    series: dict[str, list[icalendar.Event]] = {}
    for number, block in enumerate(parts.events, start=1):
        event_or_reject = _parse_event(block, number, context)
        if isinstance(event_or_reject, Reject):
            yield event_or_reject
        else:
            series.setdefault(_series_key(event_or_reject, number), []).append(event_or_reject)
    for uid, events in series.items():
        try:
            yield from _occurrences(uid, events, calendar, context)
        except Exception as error:  # noqa: BLE001  a value no code path expected costs its series, not the file
            yield context.reject(f"UID {uid}", f"unusable event: {type(error).__name__}: {error}")


@dataclass(slots=True)
class _CalendarParts:
    header: list[str] = field(default_factory=list)  # VCALENDAR property lines
    timezones: list[str] = field(default_factory=list)  # VTIMEZONE blocks
    events: list[str] = field(default_factory=list)  # VEVENT blocks
    has_frame: bool = False  # saw BEGIN:VCALENDAR

    @property
    def is_calendar(self) -> bool:
        return self.has_frame or bool(self.events)


@dataclass(slots=True)
class _Context:
    source: str
    source_file: str
    now: datetime
    zone: tzinfo | None = None  # X-WR-TIMEZONE: for floating times and all-day dates
    cancel_all: bool = False  # METHOD:CANCEL
    labels: list[str] = field(default_factory=list)

    def reject(self, location: str, reason: str) -> Reject:
        return Reject(self.source, self.source_file, location, reason)


def _decode(text: str | bytes) -> str:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            text = text.decode("cp1252", errors="replace")
    return text.lstrip("\ufeff")


def _split_calendar(text: str) -> _CalendarParts:
    """Cut the text into calendar properties, VTIMEZONE and VEVENT blocks (other components dropped).

    Each block is parsed on its own later, so one broken event does not lose the others and a
    20,000-event calendar never becomes one giant parse.
    """
    parts = _CalendarParts()
    block: list[str] | None = None
    block_end = ""
    for line in _LINE_BREAK.split(text):
        marker = line.strip().upper()
        if block is not None:
            block.append(line)
            if marker == block_end:
                kind = block_end[4:]
                if kind == "VEVENT":
                    parts.events.append("\r\n".join(block))
                elif kind == "VTIMEZONE":
                    parts.timezones.append("\r\n".join(block))
                block = None
        elif marker.startswith("BEGIN:") and marker != "BEGIN:VCALENDAR":
            block, block_end = [line], "END:" + marker[6:]
        elif marker == "BEGIN:VCALENDAR":
            parts.has_frame = True
        elif marker and marker != "END:VCALENDAR":
            parts.header.append(line)
    return parts


def _parse_calendar_frame(parts: _CalendarParts) -> icalendar.Calendar:
    """The calendar's own properties; parsing its VTIMEZONEs also registers them for the events."""
    for header in (parts.header, []):
        try:
            return icalendar.Calendar.from_ical(
                "\r\n".join(["BEGIN:VCALENDAR", *header, *parts.timezones, "END:VCALENDAR"])
            )
        except ValueError:
            continue
    return icalendar.Calendar()


def _calendar_zone(calendar: icalendar.Calendar) -> tzinfo | None:
    name = calendar.get("X-WR-TIMEZONE")
    if not name:
        return None
    try:
        return ZoneInfo(str(name).strip())
    except (ValueError, KeyError, OSError):
        return None


def _parse_event(block: str, number: int, context: _Context) -> icalendar.Event | Reject:
    unfolded = _FOLD.sub("", block)
    location = _location(_raw_uid(unfolded), number)
    properties, participants = _read_event_lines(unfolded)
    try:
        event = icalendar.Event.from_ical(properties)
    except Exception as error:  # noqa: BLE001  icalendar raises more than ValueError on mangled blocks
        return context.reject(location, f"unparseable VEVENT: {error}")
    event[_PARTICIPANTS] = participants
    location = _location(str(event["UID"]) if event.get("UID") else None, number)
    errors = dict(event.errors)
    for name in _ESSENTIAL:
        if name in errors:
            return context.reject(location, f"{name}: {errors[name]}")
    if not isinstance(_value(event, "DTSTART"), date):
        return context.reject(location, "no DTSTART")
    for name in errors:
        if name and name in event:  # icalendar reports a line it could not even name under None
            del event[name]  # an unreadable DTEND, EXDATE, ... is dropped, the event kept
    _clamp_end(event)
    return event


def _read_event_lines(unfolded: str) -> tuple[str, list[Participant]]:
    """The VEVENT's lines that icalendar should parse (nested VALARMs dropped), and its participants; the block
    comes with its folded lines joined."""
    kept: list[str] = []
    participants: dict[str, list[Participant]] = {"organizer": [], "attendee": []}  # organizer first
    depth = 0
    for line in unfolded.split("\r\n"):
        raw_name = _PROPERTY_NAME.match(line).group()
        name = raw_name.strip().upper()
        if name == "BEGIN":
            depth += 1
        if depth == 1:
            if name in _PEOPLE_PROPERTIES:
                role = _PEOPLE_PROPERTIES[name]
                participants[role].extend(_participant_of_line(role, line, len(raw_name)))
            if name in _EVENT_PROPERTIES or name in ("BEGIN", "END"):
                kept.append(line)
        if name == "END":
            depth -= 1
    return "\r\n".join(kept), participants["organizer"] + participants["attendee"]


def _participant_of_line(role: str, line: str, name_length: int) -> Iterator[Participant]:
    """The participant of one unfolded ATTENDEE or ORGANIZER line; a line it cannot read gives none."""
    params: dict[str, str] = {}
    position = name_length
    while position < len(line) and line[position] == ";":
        match = _PARAMETER.match(line, position + 1)
        if match is None:
            return
        params[match.group(1).upper()] = _parameter_text(match.group(2))
        position = match.end()
    if position < len(line) and line[position] == ":":
        yield from _participant(role, line[position + 1 :], params)


def _parameter_text(raw: str) -> str:
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        raw = raw[1:-1]
    raw = _BACKSLASH_ESCAPE.sub(r"\1", raw)  # not in the RFC, but Outlook writes CN=Smith\, John
    return _CARET_ESCAPES.sub(lambda match: _CARET_VALUES[match.group()], raw)


def _raw_uid(unfolded: str) -> str | None:
    match = _RAW_UID.search(unfolded)
    return match.group(1).strip() if match else None


def _location(uid: str | None, number: int) -> str:
    return f"UID {uid}" if uid else f"event {number}"


def _series_key(event: icalendar.Event, number: int) -> str:
    uid = event.get("UID")
    if uid:
        return str(uid)
    # No UID: a key stable across re-exports of the same event, so dedupe still works.
    seed = "|".join(str(event.get(name, "")) for name in ("DTSTART", "SUMMARY", "ORGANIZER"))
    return "no-uid-" + hashlib.sha1(seed.encode()).hexdigest()[:16]


def _value(component: icalendar.cal.Component, name: str):
    prop = component.get(name)
    return getattr(prop, "dt", None)


def _clamp_end(event: icalendar.Event) -> None:
    """DTEND before DTSTART happens in the wild; treat it as a zero-length event."""
    start, end = _value(event, "DTSTART"), _value(event, "DTEND")
    if end is None:
        return
    try:
        backwards = _as_utc(end, None) < _as_utc(start, None)
    except TypeError:
        backwards = False
    if backwards:
        del event["DTEND"]
        event.add("DTEND", start)


def _occurrences(
    uid: str, events: list[icalendar.Event], frame: icalendar.Calendar, context: _Context
) -> Iterator[Interaction | Reject]:
    if len(events) == 1 and not any(name in events[0] for name in _RECURRENCE_PROPERTIES):
        yield _interaction(uid, events[0], context)  # the common case, without the expansion machinery
        return
    calendar = icalendar.Calendar()
    if context.zone is not None:
        calendar.add("X-WR-TIMEZONE", frame["X-WR-TIMEZONE"])
    for event in events:
        calendar.add_component(event)
    first_start = min(_as_utc(_value(event, "DTSTART"), context.zone) for event in events)
    window_start = max(first_start, context.now - PAST_HORIZON)
    window_end = context.now + FUTURE_HORIZON
    location = f"UID {uid}"
    if any(_rule_never_advances(event) for event in events):
        yield context.reject(location, "RRULE INTERVAL must be 1 or more; the series is not expanded")
        return
    count = 0
    try:
        for start, occurrence in _expanded(calendar, window_start, window_end, context):
            if count == EXPANSION_LIMIT:
                yield context.reject(location, f"recurrence expands beyond {EXPANSION_LIMIT} occurrences; truncated")
                return
            count += 1
            yield _interaction(uid, occurrence, context)
    except Exception as error:  # noqa: BLE001  one series the library chokes on must not lose the file
        yield context.reject(location, f"cannot expand recurrence: {error!r}")


def _expanded(
    calendar: icalendar.Calendar, window_start: datetime, window_end: datetime, context: _Context
) -> Iterator[tuple[datetime, icalendar.Event]]:
    """Occurrences starting in [window_start, window_end], in order, asked for span by span.

    `between()` over growing spans is fast (recurring-ical-events' `after()` walks tiny windows, about
    3 ms an occurrence); a span starts at one hour and doubles while it stays sparse, so an endless
    SECONDLY rule never materialises more than a few thousand occurrences at once.
    """
    query = recurring_ical_events.of(calendar)
    span = timedelta(hours=1)
    low = window_start
    while low <= window_end:
        high = min(low + span, window_end + timedelta(seconds=1))
        found = []
        for occurrence in query.between(low, high):
            start = _as_utc(_value(occurrence, "DTSTART"), context.zone)
            if low <= start < high:  # an occurrence overlapping a span edge belongs to the span it starts in
                found.append((start, occurrence))
        found.sort(key=lambda pair: pair[0])
        yield from found
        if len(found) < _SPARSE_SPAN_OCCURRENCES:
            span = min(span * 2, _LONGEST_SPAN)
        low = high


def _rule_never_advances(event: icalendar.Event) -> bool:
    """INTERVAL=0 makes the expansion library loop forever without yielding."""
    rules = event.get("RRULE", [])
    for rule in rules if isinstance(rules, list) else [rules]:
        intervals = rule.get("INTERVAL", [1])
        if any(not isinstance(interval, int) or interval < 1 for interval in intervals):
            return True
    return False


def _as_utc(value: date | datetime, zone: tzinfo | None) -> datetime:
    """Aware UTC datetime of a DATE (midnight), floating or zoned DATE-TIME."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone or UTC)
    return value.astimezone(UTC)


def _interaction(uid: str, occurrence: icalendar.Event, context: _Context) -> Interaction:
    start, end = _value(occurrence, "DTSTART"), _value(occurrence, "DTEND")
    all_day = not isinstance(start, datetime) or _is_outlook_all_day(occurrence)
    if all_day:
        start_day = start.date() if isinstance(start, datetime) else start
        end_day = end.date() if isinstance(end, datetime) else end
        if end_day is None:
            end_day = start_day + (_duration(occurrence) or timedelta(days=1))
        occurred_at = _as_utc(start_day, context.zone)
        duration = max((end_day - start_day).days, 0) * 1440
    else:
        occurred_at = _as_utc(start, context.zone)
        ends_at = _as_utc(end, context.zone) if end is not None else occurred_at + _duration(occurrence)
        duration = max((ends_at - occurred_at).total_seconds() / 60, 0)
    status = str(occurrence.get("STATUS", "confirmed")).strip().lower()
    summary = occurrence.get("SUMMARY")
    return Interaction(
        source=context.source,
        source_file=context.source_file,
        location=f"UID {uid} / {occurred_at.isoformat()}",
        interaction_key=f"{uid}/{occurred_at.isoformat()}",
        channel="meeting",
        occurred_at=occurred_at,
        participants=list(occurrence.get(_PARTICIPANTS, [])),
        thread_id=str(occurrence["UID"]) if occurrence.get("UID") else None,
        title=str(summary) if summary is not None else None,
        duration_minutes=duration,
        status="cancelled" if context.cancel_all else (status if status in _STATUSES else "confirmed"),
        labels=[*context.labels, ALL_DAY_LABEL] if all_day else list(context.labels),
    )


def _is_outlook_all_day(event: icalendar.Event) -> bool:
    return str(event.get("X-MICROSOFT-CDO-ALLDAYEVENT", "")).strip().upper() == "TRUE"


def _duration(event: icalendar.Event) -> timedelta:
    duration = _value(event, "DURATION")
    return duration if isinstance(duration, timedelta) else timedelta()


def _participant(role: str, address: str, params: dict[str, str]) -> Iterator[Participant]:
    """Zero or one Participant: rooms, resources and group calendars are not people."""
    value = _WHITESPACE.sub("", _MAILTO.sub("", address)).lower()
    if "@" not in value:  # urn:uuid:..., a principal path: Apple puts the address in EMAIL=
        value = _WHITESPACE.sub("", params.get("EMAIL", "")).lower()
    if (
        params.get("CUTYPE", "").upper() in _NOT_PEOPLE_CUTYPES
        or params.get("ROLE", "").upper() == "NON-PARTICIPANT"
        or value.endswith(_NOT_PEOPLE_DOMAINS)
    ):
        return
    name = params.get("CN", "").strip().strip('"').strip() or None
    if name is not None and name.lower() == value:
        name = None
    response = params.get("PARTSTAT", "NEEDS-ACTION").lower() if role == "attendee" else None
    if "@" in value:
        yield Participant(role=role, kind="email", value=value, name=name, response=response)
    elif name is not None:
        yield Participant(role=role, kind="name", value=name, response=response)
