"""Reads iCalendar (.ics) text into one meeting Interaction per event occurrence, recurrences expanded.

Occurrences are keyed as `connectors.meetings` says: an all-day one starts at 00:00 UTC of its date, not at
midnight in X-WR-TIMEZONE, so a Google Takeout export and the Google Calendar API key it alike.
"""

from __future__ import annotations

import codecs
import hashlib
import heapq
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import icalendar
import recurring_ical_events

from connectors import charsets
from connectors.mail.dates import EARLIEST_PLAUSIBLE
from connectors.meetings import ALL_DAY_LABEL, all_day_start, is_calendar_address, occurrence_key
from connectors.records import Interaction, Participant, Reject

__all__ = ["EXPANSION_LIMIT", "events_from_calendar_text", "parse_ics"]

EXPANSION_LIMIT = 5000
_SPARSE_SPAN_OCCURRENCES = 500
_LONGEST_SPAN = timedelta(days=366)  # occurrences per series; an endless RRULE stops here
# A capped series is walked to `now` if that costs at most this many caps' worth of occurrences (~2 s).
_AFFORDABLE_CAPS_TO_NOW = 20
PAST_HORIZON = timedelta(days=365 * 30)
FUTURE_HORIZON = timedelta(days=365)
# Calendars hold plans a few years ahead (a conference, a sabbatical, a wedding); a meeting set further ahead than this
# is a mistyped year (2204 for 2024) or a placeholder date, and an upcoming one says nothing about a tie yet anyway.
# The earliest plausible start is mail's EARLIEST_PLAUSIBLE.
PLAUSIBLE_YEARS_AHEAD = 10

_STATUSES = {"confirmed", "tentative", "cancelled"}
# Broken values of these make the event unusable; broken values of others are dropped.
_ESSENTIAL = {"DTSTART", "RECURRENCE-ID"}
_RECURRENCE_PROPERTIES = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
_NOT_PEOPLE_CUTYPES = {"RESOURCE", "ROOM", "GROUP"}
_LINE_BREAK = re.compile(rb"\r\n|\n|\r")
_MAILTO = re.compile(r"^\s*mailto:", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_RAW_UID = re.compile(r"^UID(?:;[^:\r\n]*)?:(.*)$", re.IGNORECASE | re.MULTILINE)
_PROPERTY_NAME = re.compile(r"[^;:]*")
_PARAMETER_NAME = re.compile(r"([A-Za-z0-9-]+)=")
# RFC 5545 3.1: a parameter value is quoted or runs to the next ; : or , (a stray comma in CN= is kept).
# A fold indented by two spaces leaves a space before a quoted value (khal: DELEGATED-FROM= "mailto:...").
_QUOTED = r'[ \t]*"[^"]*"[ \t]*'
_UNQUOTED = r'(?:\\.|[^";:,\\])*'
# The RFC wants URI values quoted, but producers write SENT-BY=MAILTO:boss@example.com unquoted (so does
# the RFC's own example): in these parameters a scheme's colon belongs to the value.
_URI = r"[ \t]*[A-Za-z][A-Za-z0-9+.-]*:[^\";:,]*"
_URI_PARAMETERS = {"SENT-BY", "DELEGATED-FROM", "DELEGATED-TO", "MEMBER", "DIR"}


def _value_list(item: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{item})(?:,(?:{item}))*")


_PARAMETER_VALUE = _value_list(f"{_QUOTED}|{_UNQUOTED}")
_URI_PARAMETER_VALUE = _value_list(f"{_QUOTED}|{_URI}|{_UNQUOTED}")
_CARET_ESCAPES = re.compile(r"\^[n'^]")  # RFC 6868
_CARET_VALUES = {"^n": "\n", "^'": '"', "^^": "^"}
_BACKSLASH_ESCAPE = re.compile(r"\\([\\,;:])")
# Only what Kith reads goes to icalendar: descriptions, conference data and alarms cost parse time and
# say nothing about people. Attendees are read here: icalendar's parameter parsing is most of its time.
_EVENT_PROPERTIES = frozenset({
    "UID", "DTSTART", "DTEND", "DURATION", *_RECURRENCE_PROPERTIES, "SEQUENCE", "STATUS", "SUMMARY",
    "ORGANIZER", "X-MICROSOFT-CDO-ALLDAYEVENT",
})
# RFC 5545 allows these once; Apple writes UID twice in some invites, and icalendar then gives a list.
_SINGLE_PROPERTIES = frozenset({
    "UID", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SEQUENCE", "STATUS", "SUMMARY",
    "X-MICROSOFT-CDO-ALLDAYEVENT",
})
_ZONED_PROPERTIES = frozenset({"DTSTART", "DTEND", "RDATE", "EXDATE", "RECURRENCE-ID"})
_TZID_PARAMETER = re.compile(r';TZID=("[^"]*"|[^;:]*)', re.IGNORECASE)
_TZID_LINE = re.compile(r"^TZID(?:;[^:\r\n]*)?:([^\r\n]*)", re.IGNORECASE | re.MULTILINE)
_TIMED_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID")  # those that say when an occurrence is
_PEOPLE_PROPERTIES = {"ORGANIZER": "organizer", "ATTENDEE": "attendee"}
# Lines no component can contain: met inside an open block, they show that block was cut off.
_NEVER_NESTED = frozenset({"BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "BEGIN:VTIMEZONE"})
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

    Occurrences are expanded from the series' first start (at most 30 years back, and not before 1980) to a year
    after `now`, and at most `EXPANSION_LIMIT` per series: those nearest `now`. A meeting that starts before 1980 or
    more than `PLAUSIBLE_YEARS_AHEAD` years after `now` is a reject.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    context = _Context(source, source_file, now)
    parts = _split_calendar(_content_lines(text))
    if not parts.is_calendar:
        yield Reject(source, source_file, "file", "not an iCalendar file: no BEGIN:VCALENDAR or VEVENT")
        return
    yield from _orphan_ends(parts, context)
    yield from _read_zones(parts.timezones, context)
    calendar = _parse_calendar_frame(parts.header)
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
            yield from _unknown_zones(event_or_reject, number, context)
            series.setdefault(_series_key(event_or_reject, number), []).append(event_or_reject)
    for uid, events in series.items():
        try:
            yield from _occurrences(uid, events, calendar, context)
        except Exception as error:  # noqa: BLE001  a value no code path expected costs its series, not the file
            yield context.reject(f"UID {uid}", f"unusable event: {type(error).__name__}: {error}")


@dataclass(slots=True)
class _Block:
    text: str
    line: int  # of its BEGIN line, from 1
    closed: bool  # ended by its END line, not cut off


@dataclass(slots=True)
class _CalendarParts:
    header: list[tuple[int, str]] = field(default_factory=list)  # VCALENDAR property lines, numbered
    timezones: list[_Block] = field(default_factory=list)  # VTIMEZONE blocks
    events: list[_Block] = field(default_factory=list)
    orphan_ends: list[tuple[int, str]] = field(default_factory=list)  # END lines closing no block: number, component
    has_frame: bool = False  # saw BEGIN:VCALENDAR

    @property
    def is_calendar(self) -> bool:
        return self.has_frame or bool(self.events)

    def add(self, kind: str, lines: list[str], line: int, *, closed: bool) -> None:
        if kind == "VEVENT":
            self.events.append(_Block("\r\n".join(lines), line, closed))
        elif kind == "VTIMEZONE":
            self.timezones.append(_Block("\r\n".join(lines), line, closed))


@dataclass(slots=True)
class _Context:
    source: str
    source_file: str
    now: datetime
    zone: tzinfo | None = None  # X-WR-TIMEZONE: for floating times
    zone_names: dict[str, str] = field(default_factory=dict)  # TZID -> where this file's VTIMEZONE is registered
    cancel_all: bool = False  # METHOD:CANCEL
    labels: list[str] = field(default_factory=list)
    unknown_zones: set[str] = field(default_factory=set)  # TZIDs already rejected once

    def reject(self, location: str, reason: str) -> Reject:
        return Reject(self.source, self.source_file, location, reason)


def _content_lines(text: str | bytes) -> list[tuple[int, str]]:
    """The calendar's unfolded lines, each with the number of the physical line it starts on. Folds are joined
    before decoding, as one may split a UTF-8 character; a file that is not all UTF-8 is read as windows-1252."""
    # Text handed over as str is read as its UTF-8 bytes; one with a lone surrogate is no UTF-8, but must not raise.
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    data = charsets.utf16_as_utf8(data).removeprefix(codecs.BOM_UTF8)
    lines = list(charsets.unfolded(enumerate(_LINE_BREAK.split(data), start=1)))
    try:
        return [(number, line.decode("utf-8")) for number, line in lines]
    except UnicodeDecodeError:
        return [(number, line.decode("cp1252", errors="replace")) for number, line in lines]


def _split_calendar(lines: list[tuple[int, str]]) -> _CalendarParts:
    """Cut the numbered lines into calendar properties, VTIMEZONE and VEVENT blocks (other components dropped).

    Each block is parsed on its own later, so one broken event does not lose the others and a
    20,000-event calendar never becomes one giant parse.
    """
    parts = _CalendarParts()
    block: list[str] | None = None
    kind, block_line = "", 0
    for number, line in lines:
        marker = line.strip().upper()
        if block is not None and marker in _NEVER_NESTED:  # the open block was cut off
            parts.add(kind, block, block_line, closed=False)
            block = None
        if block is not None:
            block.append(line)
            if marker == "END:" + kind:
                parts.add(kind, block, block_line, closed=True)
                block = None
        elif marker.startswith("BEGIN:") and marker != "BEGIN:VCALENDAR":
            block, kind, block_line = [line], marker[6:], number
        elif marker == "BEGIN:VCALENDAR":
            parts.has_frame = True
        elif marker.startswith("END:") and marker != "END:VCALENDAR":
            parts.orphan_ends.append((number, marker[4:]))
        elif marker and marker != "END:VCALENDAR":
            parts.header.append((number, line))
    if block is not None:
        parts.add(kind, block, block_line, closed=False)
    return parts


def _orphan_ends(parts: _CalendarParts, context: _Context) -> Iterator[Reject]:
    """A reject for each END line that closes nothing: the component it ends lost its BEGIN line, so its lines were
    read as the calendar's own. A zone is named by the TZID line before its END."""
    for number, component in parts.orphan_ends:
        tzid_lines = [(line, text) for line, text in parts.header if line < number and _TZID_LINE.match(text)]
        location = f"line {number}"
        if component == "VTIMEZONE" and tzid_lines:
            line, text = tzid_lines[-1]
            location = _zone_location(_tzid(text), line)
        yield context.reject(
            location, f"END:{component} at line {number} has no BEGIN:{component}: what it ends is not read")


def _read_zones(blocks: list[_Block], context: _Context) -> Iterator[Reject]:
    """Register each VTIMEZONE for the events to use, under a name of its own if the zone database lacks it
    (`_own_zone`). A zone cut off or unreadable is a reject, and the times in its TZID are read as the zone database
    has it, if it has it (icalendar's lookup), else as floating with a reject (`_unknown_zones`)."""
    for block in blocks:
        tzid = _tzid(block.text)
        location = _zone_location(tzid, block.line)
        if not block.closed:
            yield context.reject(location, "no END:VTIMEZONE: the zone is cut off")
            continue
        own_name, text = _own_zone(tzid, block.text)
        try:
            with _tzid_guesses_unreported():
                icalendar.Timezone.from_ical(text)  # caches the zone in icalendar for the events that name it
        except Exception as error:  # noqa: BLE001  icalendar and dateutil raise TypeError, AttributeError, ...
            yield context.reject(location, f"unreadable VTIMEZONE: {type(error).__name__}: {error}")
            continue
        if own_name:
            context.zone_names[tzid] = own_name


def _tzid(text: str) -> str:
    found = _TZID_LINE.search(text)
    return found.group(1).strip() if found else ""


def _zone_location(tzid: str, line: int) -> str:
    return f"VTIMEZONE {tzid} (line {line})" if tzid else f"VTIMEZONE (line {line})"


def _own_zone(tzid: str, block: str) -> tuple[str | None, str]:
    """A name unique to the definition of a zone the zone database lacks, or None for a zone it has, and the block
    under that name.

    icalendar caches a zone process-wide by TZID as it parses it and keeps the first definition it sees, while
    Outlook calls every custom zone "Customized Time Zone": renamed before any parsing, one file's zone never
    shifts another file's events, whatever order a worker reads the files in.
    """
    if not tzid or tzid.strip("/") in _known_zones():
        return None, block  # icalendar uses the zone database for known names, whatever the file says
    own = f"{tzid} [{hashlib.sha1(block.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}]"
    return own, _TZID_LINE.sub(lambda _: f"TZID:{own}", block, count=1)


@contextmanager
def _tzid_guesses_unreported() -> Iterator[None]:
    """icalendar warns, on stderr with its own source line, each time it reads a TZID such as Lightning's
    /mozilla.org/20070129_1/Europe/Berlin as the zone it ends in; that is right, and no news for the user."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", icalendar.GloballyUniqueTZIDGuessed)
        yield


def _parse_calendar_frame(header: list[tuple[int, str]]) -> icalendar.Calendar:
    """The calendar's own properties (X-WR-TIMEZONE, METHOD, ...)."""
    for lines in ([line for _, line in header], []):
        try:
            return icalendar.Calendar.from_ical("\r\n".join(["BEGIN:VCALENDAR", *lines, "END:VCALENDAR"]))
        except ValueError:
            continue
    return icalendar.Calendar()


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _calendar_zone(calendar: icalendar.Calendar) -> tzinfo | None:
    name = calendar.get("X-WR-TIMEZONE")
    if not name:
        return None
    try:
        return ZoneInfo(str(name).strip())
    except (ValueError, KeyError, OSError):
        return None


def _parse_event(block: _Block, number: int, context: _Context) -> icalendar.Event | Reject:
    if not block.closed:
        return context.reject(f"event {number} (line {block.line})", "no END:VEVENT: the event is cut off")
    location = _location(_raw_uid(block.text), number)
    properties, participants = _read_event_lines(block.text, context.zone_names)
    try:
        with _tzid_guesses_unreported():
            event = icalendar.Event.from_ical(properties)
    except Exception as error:  # noqa: BLE001  icalendar raises more than ValueError on mangled blocks
        return context.reject(location, f"unparseable VEVENT: {error}")
    event[_PARTICIPANTS] = participants
    location = _event_location(event, number)
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


def _unknown_zones(event: icalendar.Event, number: int, context: _Context) -> Iterator[Reject]:
    """A reject for each TZID of the event's times that names no zone, at the first event using it (the events
    still land; one reject a zone, as an Outlook calendar may write it on every event): no readable VTIMEZONE
    of the file defines it and neither the zone database nor Windows' zone names (icalendar's table) know it, as
    with Outlook's "(UTC+01:00) Amsterdam, Berlin, ..." sent without its VTIMEZONE. icalendar reads such a time as
    floating."""
    tzids = set()
    for name in _TIMED_PROPERTIES:
        prop = event.get(name)
        moment = getattr(prop, "dt", None)
        if isinstance(moment, datetime) and moment.tzinfo is None and "TZID" in prop.params:
            tzids.add(prop.params["TZID"])
    assumed = str(context.zone) if context.zone else "UTC"
    for tzid in sorted(tzids - context.unknown_zones):
        context.unknown_zones.add(tzid)
        reason = (f"unknown time zone {tzid!r}: no readable VTIMEZONE defines it; the times of every event in it "
                  f"are read as {assumed}")
        yield context.reject(_event_location(event, number), reason)


def _read_event_lines(unfolded: str, zone_names: dict[str, str]) -> tuple[str, list[Participant]]:
    """The VEVENT's lines that icalendar should parse (nested VALARMs and repeats of a once-only property
    dropped, TZIDs renamed to the file's own zones), and its participants; folded lines come joined."""
    kept: list[str] = []
    seen: set[str] = set()
    participants: dict[str, list[Participant]] = {"organizer": [], "attendee": []}  # organizer first
    depth = 0
    for line in unfolded.split("\r\n"):
        raw_name = _PROPERTY_NAME.match(line).group()
        name = raw_name.strip().upper()
        if name == "BEGIN":
            depth += 1
        if depth == 1 and not (name in _SINGLE_PROPERTIES and name in seen):
            seen.add(name)
            if name in _PEOPLE_PROPERTIES:
                role = _PEOPLE_PROPERTIES[name]
                participants[role].extend(_participant_of_line(role, line, len(raw_name)))
            if name in _ZONED_PROPERTIES and zone_names:
                line = _TZID_PARAMETER.sub(lambda match: _own_zone_parameter(match, zone_names), line, count=1)
            if name in _EVENT_PROPERTIES or name in ("BEGIN", "END"):
                kept.append(line)
        if name == "END":
            depth -= 1
    return "\r\n".join(kept), participants["organizer"] + participants["attendee"]


def _own_zone_parameter(match: re.Match[str], zone_names: dict[str, str]) -> str:
    own = zone_names.get(match.group(1).strip('"'))
    return f';TZID="{own}"' if own else match.group()


def _participant_of_line(role: str, line: str, name_length: int) -> Iterator[Participant]:
    """The participant of one unfolded ATTENDEE or ORGANIZER line; a line it cannot read gives none."""
    params: dict[str, str] = {}
    position = name_length
    while position < len(line) and line[position] == ";":
        name = _PARAMETER_NAME.match(line, position + 1)
        if name is None:
            return
        key = name.group(1).upper()
        value = (_URI_PARAMETER_VALUE if key in _URI_PARAMETERS else _PARAMETER_VALUE).match(line, name.end())
        params[key] = _parameter_text(value.group())
        position = value.end()
    if position < len(line) and line[position] == ":":
        yield from _participant(role, line[position + 1 :], params)


def _parameter_text(raw: str) -> str:
    stripped = raw.strip(" \t")
    if len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
        raw = stripped[1:-1]
    raw = _BACKSLASH_ESCAPE.sub(r"\1", raw)  # not in the RFC, but Outlook writes CN=Smith\, John
    return _CARET_ESCAPES.sub(lambda match: _CARET_VALUES[match.group()], raw)


def _raw_uid(unfolded: str) -> str | None:
    match = _RAW_UID.search(unfolded)
    return match.group(1).strip() if match else None


def _location(uid: str | None, number: int) -> str:
    return f"UID {uid}" if uid else f"event {number}"


def _event_location(event: icalendar.Event, number: int) -> str:
    return _location(str(event["UID"]) if event.get("UID") else None, number)


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
    location = f"UID {uid}"
    for event in events:
        _drop_rules_ending_before_start(event, context.zone)
    if len(events) == 1 and not any(name in events[0] for name in _RECURRENCE_PROPERTIES):
        # The common case, without the expansion machinery.
        implausible = _implausible_start(_expansion_time(_value(events[0], "DTSTART"), context.zone), context.now)
        yield context.reject(location, implausible) if implausible else _interaction(uid, events[0], context)
        return
    calendar = icalendar.Calendar()
    if context.zone is not None:
        calendar.add("X-WR-TIMEZONE", frame["X-WR-TIMEZONE"])
    for event in events:
        calendar.add_component(event)
    first_start = min(_expansion_time(_value(event, "DTSTART"), context.zone) for event in events)
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
        yield _interaction(uid, occurrence, context)
    if not kept and first_start < window_end:  # a series yet to start is no loss
        span = f"{window_start.date().isoformat()} to {window_end.date().isoformat()}"
        yield context.reject(location, f"the series has no occurrence from {span}, the dates Kith reads")
    if truncation:
        yield context.reject(location, f"recurrence expands beyond {EXPANSION_LIMIT} occurrences; {truncation}")


def _capped(
    query: recurring_ical_events.CalendarQuery, window_start: datetime, window_end: datetime, context: _Context
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
            start = _expansion_time(_value(occurrence, "DTSTART"), zone)
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
    rules, start = _rules(event), _value(event, "DTSTART")
    if rules and all(_ends_before(rule, start, zone) for rule in rules):
        del event["RRULE"]


def _ends_before(rule: icalendar.vRecur, start: date | datetime, zone: tzinfo | None) -> bool:
    until = rule.get("UNTIL", [None])[0]
    return isinstance(until, date) and _as_utc(until, zone) < _as_utc(start, zone)


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


def _as_utc(value: date | datetime, zone: tzinfo | None) -> datetime:
    """Aware UTC datetime of a DATE (midnight), floating or zoned DATE-TIME."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone or UTC)
    return value.astimezone(UTC)


def _expansion_time(value: date | datetime, zone: tzinfo | None) -> datetime:
    """The start as recurring-ical-events matches it against a UTC span: a floating time in X-WR-TIMEZONE
    (the library applies it), but a DATE at midnight UTC, whatever the calendar's zone."""
    return _as_utc(value, zone if isinstance(value, datetime) else UTC)


def _interaction(uid: str, occurrence: icalendar.Event, context: _Context) -> Interaction:
    start, end = _value(occurrence, "DTSTART"), _value(occurrence, "DTEND")
    all_day = not isinstance(start, datetime) or _is_outlook_all_day(occurrence)
    if all_day:
        start_day = start.date() if isinstance(start, datetime) else start
        end_day = end.date() if isinstance(end, datetime) else end
        if end_day is None:
            end_day = start_day + (_duration(occurrence) or timedelta(days=1))
        occurred_at = all_day_start(start_day)
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
        interaction_key=occurrence_key(uid, occurred_at),
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
        or is_calendar_address(value)
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
