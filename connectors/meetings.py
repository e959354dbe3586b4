"""What the calendar connectors (ICS files, CalDAV, Google Calendar) agree on, so that one event read from two
of them is one meeting: which addresses on an event are not people, and how an occurrence is keyed and labelled.

An occurrence's key is `"<UID>/<start ISO UTC>"`. An all-day occurrence is a date, not an instant: it starts
at 00:00 UTC of its date whatever the calendar's zone, because the Google Calendar API gives the bare date
while an ICS export places it in X-WR-TIMEZONE, and both must give the same key.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

ALL_DAY_LABEL = "all-day"

# Google puts addresses no person reads on events: rooms, group, holiday and subscribed calendars, and
# the organizer of the events Gmail makes from mails (every flight and reservation).
_NOT_PEOPLE_ADDRESSES = frozenset({"unknownorganizer@calendar.google.com"})
_NOT_PEOPLE_DOMAINS = (
    "@resource.calendar.google.com",
    "@group.calendar.google.com",
    "@group.v.calendar.google.com",
    "@import.calendar.google.com",
)


def is_calendar_address(address: str) -> bool:
    """Whether `address` belongs to a room, a calendar or Gmail's stand-in organizer rather than a person."""
    address = address.lower()
    return address in _NOT_PEOPLE_ADDRESSES or address.endswith(_NOT_PEOPLE_DOMAINS)


def all_day_start(day: date) -> datetime:
    """When an all-day occurrence on `day` starts: 00:00 UTC, whatever the calendar's zone."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def occurrence_key(uid: str, start: datetime) -> str:
    """The interaction key of the occurrence of event `uid` starting at `start` (UTC)."""
    return f"{uid}/{start.isoformat()}"
