"""Cuts calendar text into numbered content lines, and those into the calendar's own properties, its VTIMEZONE
blocks and its VEVENT blocks."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from connectors import charsets
from connectors.ics.quoted_printable import soft_breaks_joined

_LINE_BREAK = re.compile(rb"\r\n|\n|\r")
# Lines no component can contain: met inside an open block, they show that block was cut off.
_NEVER_NESTED = frozenset({"BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "BEGIN:VTIMEZONE"})


@dataclass(slots=True)
class Block:
    text: str
    line: int  # of its BEGIN line, from 1
    closed: bool  # ended by its END line, not cut off


@dataclass(slots=True)
class CalendarParts:
    header: list[tuple[int, str]] = field(default_factory=list)  # VCALENDAR property lines, numbered
    timezones: list[Block] = field(default_factory=list)  # VTIMEZONE blocks
    events: list[Block] = field(default_factory=list)
    orphan_ends: list[tuple[int, str]] = field(default_factory=list)  # END lines closing no block: number, component
    has_frame: bool = False  # saw BEGIN:VCALENDAR

    @property
    def is_calendar(self) -> bool:
        return self.has_frame or bool(self.events)

    def add(self, kind: str, lines: list[str], line: int, *, closed: bool) -> None:
        if kind == "VEVENT":
            self.events.append(Block("\r\n".join(lines), line, closed))
        elif kind == "VTIMEZONE":
            self.timezones.append(Block("\r\n".join(lines), line, closed))


def content_lines(text: str | bytes) -> list[tuple[int, str]]:
    """The calendar's unfolded lines, each with the number of the physical line it starts on. Folds are joined
    before decoding, as one may split a UTF-8 character; a file that is not all UTF-8 is read as windows-1252."""
    # Text handed over as str is read as its UTF-8 bytes; one with a lone surrogate is no UTF-8, but must not raise.
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    data = charsets.utf16_as_utf8(data).removeprefix(codecs.BOM_UTF8)
    lines = list(soft_breaks_joined(charsets.unfolded(enumerate(_LINE_BREAK.split(data), start=1))))
    try:
        return [(number, line.decode("utf-8")) for number, line in lines]
    except UnicodeDecodeError:
        return [(number, line.decode("cp1252", errors="replace")) for number, line in lines]


def split_calendar(lines: list[tuple[int, str]]) -> CalendarParts:
    """Cut the numbered lines into calendar properties, VTIMEZONE and VEVENT blocks (other components dropped).

    Each block is parsed on its own later, so one broken event does not lose the others and a
    20,000-event calendar never becomes one giant parse.
    """
    parts = CalendarParts()
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
