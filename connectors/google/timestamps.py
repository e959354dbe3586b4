"""Turns the RFC 3339 and epoch-millisecond timestamps Google APIs return into UTC datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

# Google writes 0, 3, 6 or 9 fractional digits; datetime keeps at most 6.
_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_rfc3339(value: str) -> datetime:
    """The UTC datetime of "2024-05-01T10:00:00.123456789Z" or "...+02:00"; ValueError when not RFC 3339."""
    parsed = datetime.fromisoformat(_FRACTION.sub(r"\1", value.strip()))
    if parsed.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no UTC offset")
    return parsed.astimezone(UTC)


def from_epoch_millis(value: str | int) -> datetime:
    """The UTC datetime of a count of milliseconds since 1970 (Gmail's `internalDate`)."""
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
