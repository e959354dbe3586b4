"""Parses email dates (RFC 2822 and its usual deviations, Received stamps, mbox From_ lines) into UTC."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_tz
from zoneinfo import ZoneInfo

MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
)}
# Dates before this are broken clients (the 1970 epoch, year 0), not mail anyone sent.
EARLIEST_PLAUSIBLE = datetime(1980, 1, 1, tzinfo=UTC)
# A date this far in the future is a wrong clock, not a real message time.
FUTURE_TOLERANCE_SECONDS = 2 * 86400

# The common shape, `[Day,] 6 Jan 2020 04:49:45 +0100`, parsed without email.utils.
_COMMON_DATE = re.compile(
    r"\s*(?:[A-Za-z]{3},?\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})"
    r"\s+(\d{1,2}):(\d\d)(?::(\d\d))?\s+([+-])(\d\d)(\d\d)(?:\s|$)"
)
_ISO_DATE = re.compile(r"\s*\d{4}-\d\d-\d\d[T ]\d\d:\d\d")
# extract_msg writes `09:26:24 GMT +0100` (msg-extractor#69): the offset says when, the name before it is noise.
_ZONE_NAME_BEFORE_OFFSET = re.compile(r"\s(?:GMT|UTC|UT)\s*(?=[+-]\d{4}(?:\s|$))", re.IGNORECASE)
# POSIX TZ names some old Unix mailers wrote for the local zone (`14:53:31 EST5EDT`, mail-parser#89), which the
# email package reads as UTC; their offset changes with daylight saving time, as in these zones.
_POSIX_ZONES = {
    "EST5EDT": "America/New_York",
    "CST6CDT": "America/Chicago",
    "MST7MDT": "America/Denver",
    "PST8PDT": "America/Los_Angeles",
}
_POSIX_ZONE = re.compile(r"\s(" + "|".join(_POSIX_ZONES) + r")\s*$", re.IGNORECASE)


def _plausible(moment: datetime) -> datetime | None:
    if moment < EARLIEST_PLAUSIBLE or moment.timestamp() > time.time() + FUTURE_TOLERANCE_SECONDS:
        return None
    return moment


def to_utc(
    year: int, month: int, day: int, hour: int, minute: int, second: int, offset_seconds: int
) -> datetime | None:
    """The UTC moment of a wall-clock time at an offset east of UTC; None when the fields are impossible.

    An absurd offset (+9900) is ignored: the wall time is kept as UTC.
    """
    if abs(offset_seconds) >= 86400:
        offset_seconds = 0
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        if offset_seconds:
            moment -= timedelta(seconds=offset_seconds)
    except (ValueError, OverflowError):
        return None
    return _plausible(moment)


def _parse_common(match: re.Match) -> datetime | None:
    day, month_name, year, hour, minute, second, sign, offset_hours, offset_minutes = match.groups()
    month = MONTHS.get(month_name.lower())
    if month is None:
        return None
    offset = (int(offset_hours) * 3600 + int(offset_minutes) * 60) * (-1 if sign == "-" else 1)
    return to_utc(int(year), month, int(day), int(hour), int(minute), int(second or 0), offset)


def parse_mail_date(value: str | None) -> datetime | None:
    """The UTC moment of a Date-like header value; None when missing, unparseable or implausible."""
    if not value:
        return None
    match = _COMMON_DATE.match(value) or _COMMON_DATE.match(_ZONE_NAME_BEFORE_OFFSET.sub(" ", value))
    if match is not None:
        return _parse_common(match)
    posix_zone = _POSIX_ZONE.search(value)
    if posix_zone is not None:
        return _in_zone(value[: posix_zone.start()], ZoneInfo(_POSIX_ZONES[posix_zone.group(1).upper()]))
    fields = parsedate_tz(value)
    if fields is not None:
        year, month, day, hour, minute, second = fields[:6]
        return to_utc(year, month, day, hour, minute, second, fields[9] or 0)
    if _ISO_DATE.match(value):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
        return _plausible(moment.replace(tzinfo=moment.tzinfo or UTC).astimezone(UTC))
    return None


def _in_zone(value: str, zone: ZoneInfo) -> datetime | None:
    """The UTC moment of a date written without an offset, as a wall-clock time in `zone`."""
    fields = parsedate_tz(value)
    if fields is None:
        return None
    try:
        moment = datetime(*fields[:6], tzinfo=zone).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return _plausible(moment)


def parse_received_date(value: str | None) -> datetime | None:
    """The date stamp after the last `;` of a Received header value."""
    if not value or ";" not in value:
        return None
    return parse_mail_date(value.rsplit(";", 1)[1])
