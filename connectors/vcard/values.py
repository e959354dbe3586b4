"""Decodes vCard property values: escapes, compound splitting, dates and labels."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

_ESCAPED = {"n": "\n", "N": "\n"}
_APPLE_BUILT_IN_LABEL = re.compile(r"_\$!<(.*)>!\$_")
_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?")
_YEARLESS_DATE = re.compile(r"--(\d{2})-?(\d{2})")
_TIMESTAMP = re.compile(
    r"(\d{4})-?(\d{2})-?(\d{2})"
    r"(?:T(\d{2}):?(\d{2}):?(\d{2})(?:[.,]\d+)?(Z|[+-]\d{2}:?\d{2})?)?"
)
# Apple and CardBook write a birthday without a year as year 1604; some phones write 0000.
_NO_YEAR_SENTINELS = {1604, 0}


def unescape(text: str) -> str:
    """The text with vCard backslash escapes resolved: \\n is a newline, \\x is x (\\, \\; \\: \\\\)."""
    if "\\" not in text:
        return text
    out: list[str] = []
    chars = iter(text)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        following = next(chars, None)
        if following is None:
            out.append(char)
        else:
            out.append(_ESCAPED.get(following, following))
    return "".join(out)


def split_unescaped(text: str, separator: str) -> list[str]:
    """The raw pieces of text between separators that no backslash escapes (escapes stay in place)."""
    pieces: list[str] = []
    start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == separator:
            pieces.append(text[start:index])
            start = index + 1
        index += 1
    pieces.append(text[start:])
    return pieces


def clean_label(text: str) -> str:
    """An Apple X-ABLabel as a label: built-in ones ("_$!<Other>!$_") lower-cased, custom ones as written."""
    built_in = _APPLE_BUILT_IN_LABEL.fullmatch(text.strip())
    return built_in.group(1).lower() if built_in else text.strip()


def parse_birthday(text: str) -> str | None:
    """An ISO date, "--MM-DD" when the year is unknown, or None when the value is no date."""
    text = text.strip()
    yearless = _YEARLESS_DATE.fullmatch(text)
    if yearless:
        year, month, day = 0, int(yearless.group(1)), int(yearless.group(2))
    else:
        dated = _DATE.fullmatch(text)
        if not dated:
            return None
        year, month, day = (int(part) for part in dated.groups())
    try:
        # A leap year lets 29 February through when the year is unknown.
        parsed = date(2000 if year in _NO_YEAR_SENTINELS else year, month, day)
    except ValueError:
        return None
    if year in _NO_YEAR_SENTINELS:
        return f"--{month:02d}-{day:02d}"
    return parsed.isoformat()


def parse_timestamp(text: str) -> datetime | None:
    """A REV value as a UTC datetime (zone-less values are taken as UTC), or None when unreadable."""
    match = _TIMESTAMP.fullmatch(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
            tzinfo=_zone(zone),
        ).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment


def _zone(text: str | None) -> timezone:
    if not text or text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
