"""vCalendar 1.0 (Nokia phones, old Outlook .vcs files) writes non-ASCII text quoted-printable, which iCalendar
lacks: its soft line breaks joined, its values decoded into iCalendar text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import icalendar

from connectors import charsets

_PARAMETER = re.compile(r";ENCODING=QUOTED-PRINTABLE(?=[;:])", re.IGNORECASE)
_LINE = re.compile(rb"[^:]*;ENCODING=QUOTED-PRINTABLE[;:]", re.IGNORECASE)
_CHARSET_PARAMETER = re.compile(r";CHARSET=([^;:]*)", re.IGNORECASE)


def soft_breaks_joined(lines: Iterable[tuple[int, bytes]]) -> Iterator[tuple[int, bytes]]:
    """The numbered lines with each quoted-printable value whole: a long one is broken with a soft line break, an "="
    ending the line that the next, unindented, continues."""
    held: tuple[int, bytes] | None = None
    for number, line in lines:
        held = (held[0], held[1][:-1] + line) if held else (number, line)
        if not (held[1].endswith(b"=") and _LINE.match(held[1])):
            yield held
            held = None
    if held:
        yield held


def is_quoted_printable(line: str) -> bool:
    return _PARAMETER.search(line) is not None


def decoded(line: str) -> str:
    """A line with its quoted-printable value decoded into iCalendar text, or as it is if that fails."""
    head, _, value = line.partition(":")
    charset = _CHARSET_PARAMETER.search(head)
    try:
        text = charsets.decode_quoted_printable(value, charset.group(1).strip('"') if charset else None)
    except ValueError:
        return line
    head = _CHARSET_PARAMETER.sub("", _PARAMETER.sub("", head))
    return f"{head}:{icalendar.vText(text).to_ical().decode()}"
