"""Time zones: each VTIMEZONE of a file registered with icalendar under a name of its own, the TZIDs of event
times renamed to zones icalendar knows, and the TZIDs that name no zone found."""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import icalendar

from connectors.ics.context import Context
from connectors.ics.lines import Block
from connectors.records import Reject

TZID_LINE = re.compile(r"^TZID(?:;[^:\r\n]*)?:([^\r\n]*)", re.IGNORECASE | re.MULTILINE)
# An unquoted TZID runs to the next parameter or to the line's last colon: no date, time or period holds a colon, but
# a TZID may (Google's TZID=GMT+05:30, libical#152; Outlook's TZID=tzone://Microsoft/Utc).
_TZID_PARAMETER = re.compile(r';TZID=("[^"]*"|[^;"]*)(?=;|:[^:]*$)', re.IGNORECASE)
# Zone names that are an offset from UTC and nothing more, which the zone database lacks.
_FIXED_OFFSET_TZID = re.compile(r"(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d\d))?", re.IGNORECASE)
_LONGEST_OFFSET_HOURS = 14  # Kiribati's
# Outlook's name for UTC, which neither the zone database nor icalendar knows.
_UTC_TZIDS = frozenset({"tzone://microsoft/utc"})
# Outlook may name a zone by its Windows display name and send no VTIMEZONE: "(UTC+01:00) Amsterdam, Berlin, ...".
_WINDOWS_DISPLAY_NAME = re.compile(r"\((?:UTC|GMT)(?:([+-])(\d\d):(\d\d))?\)\s*(.*)", re.IGNORECASE)
# Places of display names the zone database has under another name, where summer time makes a fixed offset wrong
_REGION_ZONES = {
    "eastern time (us & canada)": "America/New_York", "central time (us & canada)": "America/Chicago",
    "mountain time (us & canada)": "America/Denver", "pacific time (us & canada)": "America/Los_Angeles",
    "atlantic time (canada)": "America/Halifax", "alaska": "America/Anchorage", "hawaii": "Pacific/Honolulu",
    "arizona": "America/Phoenix", "coordinated universal time": "UTC", "aleutian islands": "America/Adak",
    "baja california": "America/Tijuana", "easter island": "Pacific/Easter", "haiti": "America/Port-au-Prince",
    "indiana (east)": "America/Indiana/Indianapolis", "turks and caicos": "America/Grand_Turk",
    "greenland": "America/Nuuk", "saint pierre and miquelon": "America/Miquelon", "brasilia": "America/Sao_Paulo",
    "lord howe island": "Australia/Lord_Howe", "norfolk island": "Pacific/Norfolk", "chatham islands": "Pacific/Chatham",
    "samoa": "Pacific/Apia", "nuku'alofa": "Pacific/Tongatapu", "chetumal": "America/Cancun",
}
_TIMED_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID")  # those that say when an occurrence is


def read_zones(blocks: list[Block], context: Context) -> Iterator[Reject]:
    """Register each VTIMEZONE for the events to use, under a name of its own if the zone database lacks it
    (`_own_zone`). A zone cut off or unreadable is a reject, and the times in its TZID are read as the zone database
    has it, if it has it (icalendar's lookup), else as floating with a reject (`unknown_zones`)."""
    for block in blocks:
        tzid = tzid_of(block.text)
        location = zone_location(tzid, block.line)
        if not block.closed:
            yield context.reject(location, "no END:VTIMEZONE: the zone is cut off")
            continue
        own_name, text = _own_zone(tzid, block.text)
        try:
            with tzid_guesses_unreported():
                icalendar.Timezone.from_ical(text)  # caches the zone in icalendar for the events that name it
        except Exception as error:  # noqa: BLE001  icalendar and dateutil raise TypeError, AttributeError, ...
            yield context.reject(location, f"unreadable VTIMEZONE: {type(error).__name__}: {error}")
            continue
        if own_name:
            context.zone_names[tzid] = own_name


def tzid_of(text: str) -> str:
    """The TZID of a VTIMEZONE block or line, "" if it has none."""
    found = TZID_LINE.search(text)
    return found.group(1).strip() if found else ""


def zone_location(tzid: str, line: int) -> str:
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
    return own, TZID_LINE.sub(lambda _: f"TZID:{own}", block, count=1)


@contextmanager
def tzid_guesses_unreported() -> Iterator[None]:
    """icalendar warns, on stderr with its own source line, each time it reads a TZID such as Lightning's
    /mozilla.org/20070129_1/Europe/Berlin as the zone it ends in; that is right, and no news for the user."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", icalendar.GloballyUniqueTZIDGuessed)
        yield


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def calendar_zone(calendar: icalendar.Calendar) -> tzinfo | None:
    """The calendar's X-WR-TIMEZONE, for its floating times."""
    name = calendar.get("X-WR-TIMEZONE")
    if not name:
        return None
    try:
        return ZoneInfo(str(name).strip())
    except (ValueError, KeyError, OSError):
        return None


def with_known_zone(line: str, zone_names: dict[str, str]) -> str:
    """A date property's line with its TZID naming a zone icalendar knows, if there is one: the file's own
    definition of it, else UTC for Outlook's tzone://Microsoft/Utc, a zone of that offset for GMT+05:30, the zone a
    Windows display name names; else with its TZID as written, quoted if it holds a colon. `zone_names` learns the
    zones met."""
    return _TZID_PARAMETER.sub(lambda match: _known_zone_parameter(match, zone_names), line, count=1)


def _known_zone_parameter(match: re.Match[str], zone_names: dict[str, str]) -> str:
    tzid = match.group(1).strip('"')
    if tzid not in zone_names:
        known = "UTC" if tzid.lower() in _UTC_TZIDS else _fixed_offset_zone(tzid) or _windows_display_zone(tzid)
        if known:
            zone_names[tzid] = known
    known = zone_names.get(tzid)
    return f';TZID="{known or tzid}"' if known or ":" in tzid else match.group()


def _fixed_offset_zone(tzid: str) -> str | None:
    """For a TZID that is an offset from UTC, the name under which icalendar now knows a zone of that offset."""
    offset = _FIXED_OFFSET_TZID.fullmatch(tzid.strip())
    if offset is None:
        return None
    sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
    if hours > _LONGEST_OFFSET_HOURS or minutes >= 60:
        return None
    offset, label = f"{sign}{hours:02d}{minutes:02d}", f"UTC{sign}{hours:02d}:{minutes:02d}"
    name = f"{label} [fixed offset]"
    # TZNAME is no ornament: x-wr-timezone (under recurring-ical-events) takes a time whose zone has no name for a
    # floating one, and moves it to X-WR-TIMEZONE.
    icalendar.Timezone.from_ical(  # caches the zone in icalendar for the events that name it
        f"BEGIN:VTIMEZONE\r\nTZID:{name}\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZNAME:{label}\r\n"
        f"TZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )
    return name


def _windows_display_zone(tzid: str) -> str | None:
    """For a Windows display name, the zone of the first place it names that the zone database has at its offset
    ("(UTC+01:00) Amsterdam, Berlin, ..." is Europe/Amsterdam, with its summer time), else a zone of its offset."""
    match = _WINDOWS_DISPLAY_NAME.fullmatch(tzid.strip())
    if match is None:
        return None
    sign, hours, minutes, places = match.groups()
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0)) * (-1 if sign == "-" else 1)
    zones = [_REGION_ZONES.get(place.strip().lower()) or _zones_by_place().get(place.strip().lower())
             for place in places.split(",")]
    # a place at that offset today first (Mazatlan, not Chihuahua, which left it in 2022), else in the last years
    # (Amman, whose display name still says +02:00)
    for years in (range(2025, 2026), range(2015, 2026)):
        for zone in zones:
            if zone and offset in _standard_and_summer_offsets(zone, years):
                return zone
    return _fixed_offset_zone(f"UTC{sign}{hours}:{minutes}") if sign else "UTC"


@cache
def _zones_by_place() -> dict[str, str]:
    """The zone database's zones by their place, as people write it: Asia/Kuala_Lumpur under "kuala lumpur"."""
    return {zone.rsplit("/", 1)[-1].replace("_", " ").lower(): zone for zone in sorted(_known_zones()) if "/" in zone}


def _standard_and_summer_offsets(zone: str, years: range) -> set[timedelta]:
    instants = [datetime(year, month, 15, tzinfo=UTC) for year in years for month in (1, 7)]
    return {instant.astimezone(ZoneInfo(zone)).utcoffset() for instant in instants}


def unknown_zones(event: icalendar.Event, location: str, context: Context) -> Iterator[Reject]:
    """A reject for each TZID of the event's times that names no zone, at the first event using it (the events
    still land; one reject a zone, as an Outlook calendar may write it on every event): no readable VTIMEZONE
    of the file defines it and neither the zone database nor Windows' zone names (icalendar's table, and their
    display names) know it, as with Outlook's "Customized Time Zone" sent without its VTIMEZONE. icalendar reads
    such a time as floating."""
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
        yield context.reject(location, reason)


def as_utc(value: date | datetime, zone: tzinfo | None) -> datetime:
    """Aware UTC datetime of a DATE (midnight), floating or zoned DATE-TIME."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone or UTC)
    return value.astimezone(UTC)
