"""Reads one VEVENT block into an icalendar Event carrying its people: the lines Kith needs, rewritten where
producers bend the format, parsed by icalendar, and checked."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import icalendar

from connectors.ics import quoted_printable
from connectors.ics.context import Context
from connectors.ics.lines import Block
from connectors.ics.people import PEOPLE_PROPERTIES, participant_of_line
from connectors.ics.zones import as_utc, tzid_guesses_unreported, with_known_zone
from connectors.records import Participant, Reject

RECURRENCE_PROPERTIES = ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID")
# The people of an event travel with it into its occurrences, which are shallow copies of the component.
PARTICIPANTS = "X-KITH-PARTICIPANTS"
# Broken values of these make the event unusable; broken values of others are dropped.
_ESSENTIAL = {"DTSTART", "RECURRENCE-ID"}
_RAW_UID = re.compile(r"^UID(?:;[^:\r\n]*)?:(.*)$", re.IGNORECASE | re.MULTILINE)
_PROPERTY_NAME = re.compile(r"[^;:]*")
# Only what Kith reads goes to icalendar: descriptions, conference data and alarms cost parse time and
# say nothing about people. Attendees are read here (`people`).
_EVENT_PROPERTIES = frozenset({
    "UID", "DTSTART", "DTEND", "DURATION", *RECURRENCE_PROPERTIES, "SEQUENCE", "STATUS", "SUMMARY",
    "ORGANIZER", "X-MICROSOFT-CDO-ALLDAYEVENT",
})
# RFC 5545 allows these once; Apple writes UID twice in some invites, and icalendar then gives a list.
_SINGLE_PROPERTIES = frozenset({
    "UID", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SEQUENCE", "STATUS", "SUMMARY",
    "X-MICROSOFT-CDO-ALLDAYEVENT",
})
_ZONED_PROPERTIES = frozenset({"DTSTART", "DTEND", "RDATE", "EXDATE", "RECURRENCE-ID"})


def parse_event(block: Block, number: int, context: Context) -> Iterator[icalendar.Event | Reject]:
    """The event, or a reject for it; before it, a reject for each attendee or organizer it drops."""
    if not block.closed:
        yield context.reject(f"event {number} (line {block.line})", "no END:VEVENT: the event is cut off")
        return
    location = _location(_raw_uid(block.text), number)
    lines = _read_event_lines(block.text, context.zone_names)
    try:
        with tzid_guesses_unreported():
            event = icalendar.Event.from_ical(lines.text)
    except Exception as error:  # noqa: BLE001  icalendar raises more than ValueError on mangled blocks
        yield context.reject(location, f"unparseable VEVENT: {error}")
        return
    event[PARTICIPANTS] = lines.participants
    location = event_location(event, number)
    errors = dict(event.errors)
    for name in _ESSENTIAL:
        if name in errors:
            yield context.reject(location, f"{name}: {errors[name]}")
            return
    if not isinstance(property_value(event, "DTSTART"), date):
        yield context.reject(location, "no DTSTART")
        return
    for name in errors:
        if name and name in event:  # icalendar reports a line it could not even name under None
            del event[name]  # an unreadable DTEND, EXDATE, ... is dropped, the event kept
    _clamp_end(event)
    for reason in lines.unread_people:
        yield context.reject(location, reason)
    yield event


@dataclass(slots=True)
class _EventLines:
    text: str  # the lines icalendar should parse
    participants: list[Participant]
    unread_people: list[str]  # why each ATTENDEE or ORGANIZER that names no one Kith can count was dropped


def _read_event_lines(unfolded: str, zone_names: dict[str, str]) -> _EventLines:
    """The VEVENT's lines that icalendar should parse (nested VALARMs and repeats of a once-only property
    dropped, TZIDs renamed to zones icalendar knows, quoted-printable text decoded), and its participants; folded
    lines come joined."""
    kept: list[str] = []
    seen: set[str] = set()
    participants: dict[str, list[Participant]] = {"organizer": [], "attendee": []}  # organizer first
    unread_people: list[str] = []
    depth = 0
    for line in unfolded.split("\r\n"):
        raw_name = _PROPERTY_NAME.match(line).group()
        name = raw_name.strip().upper()
        if name == "BEGIN":
            depth += 1
        if depth == 1 and not (name in _SINGLE_PROPERTIES and name in seen):
            seen.add(name)
            if name in PEOPLE_PROPERTIES:
                role = PEOPLE_PROPERTIES[name]
                participant = participant_of_line(role, line, len(raw_name))
                if isinstance(participant, Participant):
                    participants[role].append(participant)
                elif participant is not None:
                    unread_people.append(f"{name} {participant}: the {role} is dropped")
            if name in _ZONED_PROPERTIES:
                line = with_known_zone(line, zone_names)
            if name in _EVENT_PROPERTIES or name in ("BEGIN", "END"):
                kept.append(quoted_printable.decoded(line) if quoted_printable.is_quoted_printable(line) else line)
        if name == "END":
            depth -= 1
    return _EventLines("\r\n".join(kept), participants["organizer"] + participants["attendee"], unread_people)


def _raw_uid(unfolded: str) -> str | None:
    match = _RAW_UID.search(unfolded)
    return match.group(1).strip() if match else None


def _location(uid: str | None, number: int) -> str:
    return f"UID {uid}" if uid else f"event {number}"


def event_location(event: icalendar.Event, number: int) -> str:
    return _location(str(event["UID"]) if event.get("UID") else None, number)


def series_key(event: icalendar.Event, number: int) -> str:
    """The key of the series the event belongs to: its UID."""
    uid = event.get("UID")
    if uid:
        return str(uid)
    # No UID: a key stable across re-exports of the same event, so dedupe still works.
    seed = "|".join(str(event.get(name, "")) for name in ("DTSTART", "SUMMARY", "ORGANIZER"))
    return "no-uid-" + hashlib.sha1(seed.encode()).hexdigest()[:16]


def property_value(component: icalendar.cal.Component, name: str):
    """The date, time or duration of a property of the component, None if it has none."""
    prop = component.get(name)
    return getattr(prop, "dt", None)


def _clamp_end(event: icalendar.Event) -> None:
    """DTEND before DTSTART happens in the wild; treat it as a zero-length event."""
    start, end = property_value(event, "DTSTART"), property_value(event, "DTEND")
    if end is None:
        return
    try:
        backwards = as_utc(end, None) < as_utc(start, None)
    except TypeError:
        backwards = False
    if backwards:
        del event["DTEND"]
        event.add("DTEND", start)
