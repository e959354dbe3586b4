"""Parses every date and time format a LinkedIn export uses into timezone-aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime

# Tried in order; the exports write no zone except "UTC", so zone-less values are taken as UTC.
_FORMATS = (
    "%d %b %Y",  # Connections "Connected On" since about 2021: "17 Nov 2021", also "7 Nov 2021"
    "%Y-%m-%d %H:%M:%S UTC",  # messages DATE: "2021-11-17 18:14:58 UTC"
    "%Y/%m/%d %H:%M:%S UTC",  # Endorsement Date: "2021/09/14 12:18:19 UTC"
    "%m/%d/%y, %I:%M %p",  # Invitations "Sent At", Creation Date, Updated On: "11/16/21, 9:40 AM"
    "%m/%d/%y, %H:%M %p",  # about 2017, Java "MM/dd/YY, HH:mm a": a 24-hour clock with a marker
    "%b %Y",  # Positions "Started On": "Nov 2021"
    "%a %b %d %H:%M:%S UTC %Y",  # Java Date.toString(): "Fri Mar 12 10:00:00 UTC 2021"
)


def parse_linkedin_date(value: str) -> datetime:
    """The UTC datetime a LinkedIn export value stands for; ValueError when no known format fits."""
    text = " ".join(value.split())
    for layout in _FORMATS:
        try:
            parsed = datetime.strptime(text, layout)
        except ValueError:
            continue
        return parsed.replace(tzinfo=UTC)
    raise ValueError(f"unrecognised LinkedIn date {value!r}")
