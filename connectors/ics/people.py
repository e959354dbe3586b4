"""Reads the people of an event from its ATTENDEE and ORGANIZER lines, parameters and all: icalendar's parameter
parsing would be most of its time, and it gives up on lines producers write every day."""

from __future__ import annotations

import re
from urllib.parse import unquote

from connectors.meetings import is_calendar_address
from connectors.records import Participant, snippet

PEOPLE_PROPERTIES = {"ORGANIZER": "organizer", "ATTENDEE": "attendee"}
_NOT_PEOPLE_CUTYPES = {"RESOURCE", "ROOM", "GROUP"}
_MAILTO = re.compile(r"^\s*mailto:", re.IGNORECASE)
# The address after a line's last colon, for an attendee whose parameters cannot be read.
_TRAILING_MAILTO = re.compile(r"mailto:[^:]*$", re.IGNORECASE)
# vCalendar 1.0 writes an attendee as `John Smith <jsmith@host1.com>`.
_NAME_AND_ADDRESS = re.compile(r"([^<>]*)<([^<>]*@[^<>]*)>")
_WHITESPACE = re.compile(r"\s+")
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


def participant_of_line(role: str, line: str, name_length: int) -> Participant | str | None:
    """The participant of one unfolded ATTENDEE or ORGANIZER line, None for no person (`_participant`), or why the
    line names no one. A parameter that cannot be read (ownCloud's SCHEDULE-STATUS with a stray quote, vobject#72)
    loses the parameters after it, and the address is the mailto: URI after the line's last colon."""
    params: dict[str, str] = {}
    position = name_length
    while position < len(line) and line[position] == ";":
        name = _PARAMETER_NAME.match(line, position + 1)
        if name is None:
            break
        key = name.group(1).upper()
        value = (_URI_PARAMETER_VALUE if key in _URI_PARAMETERS else _PARAMETER_VALUE).match(line, name.end())
        params[key] = _parameter_text(value.group())
        position = value.end()
    if position < len(line) and line[position] == ":":
        return _participant(role, line[position + 1 :], params)
    address = _TRAILING_MAILTO.search(line)
    if address is not None:
        return _participant(role, address.group(), params)
    return f"has unreadable parameters: {snippet(line)}"


def _parameter_text(raw: str) -> str:
    stripped = raw.strip(" \t")
    if len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
        raw = stripped[1:-1]
    raw = _BACKSLASH_ESCAPE.sub(r"\1", raw)  # not in the RFC, but Outlook writes CN=Smith\, John
    return _CARET_ESCAPES.sub(lambda match: _CARET_VALUES[match.group()], raw)


def _participant(role: str, value: str, params: dict[str, str]) -> Participant | str | None:
    """The Participant of an ATTENDEE or ORGANIZER value, None for rooms, resources and group calendars, which are
    not people, or why it names no one: no email address and no CN."""
    address, written_name = _address(value, params)
    if (
        params.get("CUTYPE", "").upper() in _NOT_PEOPLE_CUTYPES
        or params.get("ROLE", "").upper() == "NON-PARTICIPANT"
        or is_calendar_address(address)
    ):
        return None
    name = params.get("CN", "").strip().strip('"').strip() or written_name
    if name is not None and name.lower() == address:
        name = None
    response = params.get("PARTSTAT", "NEEDS-ACTION").lower() if role == "attendee" else None
    if address:
        return Participant(role=role, kind="email", value=address, name=name, response=response)
    if name is not None:
        return Participant(role=role, kind="name", value=name, response=response)
    return f"{snippet(value.strip())} is no email address and no CN names anyone"


def _address(value: str, params: dict[str, str]) -> tuple[str, str | None]:
    """The email address of an ATTENDEE or ORGANIZER value ("" if it has none), and the name written beside it.

    Besides a mailto: URI: vCalendar 1.0's `John Smith <jsmith@host1.com>`; Apple's urn:uuid: with the address in
    EMAIL=, itself sometimes a mailto: URI (ical4j#670); a CalDAV principal path whose last segment is the address
    (Radicale's /radicale/jo%40example.com/, simple-caldav#20).
    """
    named = _NAME_AND_ADDRESS.fullmatch(value.strip())
    if named is not None:
        return _bare_address(named.group(2)), named.group(1).strip().strip('"').strip() or None
    for candidate in (value, params.get("EMAIL", ""), unquote(value.rstrip("/").rsplit("/", 1)[-1])):
        address = _bare_address(candidate)
        if "@" in address:
            return address, None
    return "", None


def _bare_address(uri: str) -> str:
    return _WHITESPACE.sub("", _MAILTO.sub("", uri)).lower()

