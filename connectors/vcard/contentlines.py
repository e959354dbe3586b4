"""Turns a card's physical lines into content lines: unfolds, joins QP soft breaks and base64 runs, splits params."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from connectors.charsets import decode_quoted_printable
from connectors.records import snippet
from connectors.vcard.blocks import NumberedLine

_NAME = re.compile(r"(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]+)")
_BASE64_CONTINUATION = re.compile(r"[A-Za-z0-9+/=]+")
# ez-vcard 0.10 (re-exporting Samsung cards) indents a line after a QP soft break as if folding it, so an escape
# can come out split as "=D0=" / " =B0". A space that is content starts a continuation with text (ical.js's
# "ch=E4racters=" / " and a line"); one before an =XX escape is taken for that indent, since kept it can
# break a UTF-8 sequence in two.
_FOLDED_QP_CONTINUATION = re.compile(r"^[ \t](?==[0-9A-Fa-f]{2})")
# vCard 2.1 writes parameters bare (TEL;WORK;VOICE, PHOTO;BASE64); these bare words name an encoding.
_BARE_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_QUOTED_PRINTABLE = "QUOTED-PRINTABLE"
# Properties whose text may run over lines: a line break in their value is kept as one.
_MULTILINE_VALUES = {"NOTE", "ADR", "LABEL"}
_BASE64 = {"BASE64", "B"}


class CardError(ValueError):
    """A card that cannot be used; the message is the reject reason."""


class UndecodableValue(ValueError):
    """A property whose value cannot be decoded: the card is still usable without it, so only the property goes."""


@dataclass(slots=True)
class ContentLine:
    """One unfolded property: `item1.EMAIL;TYPE=work:x@y` has group "item1", name "EMAIL"."""

    line_number: int  # physical line where the property starts
    group: str | None  # lower-cased
    name: str  # upper-cased
    params: dict[str, list[str]]  # upper-cased names; bare 2.1 params under TYPE or ENCODING
    value: str  # still encoded and escaped
    text: str  # the whole unfolded line, as written

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None

    @property
    def encoding(self) -> str | None:
        encoding = self.param("ENCODING")
        return encoding.upper() if encoding else None

    def decoded_value(self) -> str:
        """The value with any quoted-printable encoding undone (UndecodableValue if that fails)."""
        if self.encoding != _QUOTED_PRINTABLE:
            return self.value
        try:
            return decode_quoted_printable(self.value, self.param("CHARSET"))
        except ValueError as error:
            raise UndecodableValue(f"undecodable quoted-printable {self.name} ({error})") from None


@dataclass(slots=True)
class StrayLine:
    """A line of a card that is no property and cannot continue the property before it: it is dropped."""

    line_number: int
    reason: str


def content_lines(lines: Iterable[NumberedLine]) -> Iterator[ContentLine | StrayLine]:
    """The card's content lines in order. A line that is no property continues a NOTE, ADR or LABEL before it, as
    Outlook and other exporters write a line break in one unescaped; after any other property it is a StrayLine."""
    last: ContentLine | None = None  # held back, as the next line may continue it
    for line_number, text in _logical_lines(lines):
        try:
            line = parse_content_line(line_number, text)
        except CardError as error:
            if last is not None and last.name in _MULTILINE_VALUES:
                last = parse_content_line(last.line_number, f"{last.text}\\n{text}")
            else:
                yield StrayLine(line_number, f"{error}; the line is dropped")
            continue
        if last is not None:
            yield last
        last = line
    if last is not None:
        yield last


def parse_content_line(line_number: int, text: str) -> ContentLine:
    """One unfolded line split into group, name, parameters and value; CardError if it is no property."""
    head = _NAME.match(text)
    if not head or head.end() == len(text) or text[head.end()] not in ";:":
        raise CardError(f"not a vCard property: {snippet(text)}")
    params: dict[str, list[str]] = {}
    position = head.end()
    while text[position] == ";":
        raw, position = _read_until(text, position + 1, ";:")
        if position == len(text):
            raise CardError(f"property without a ':' before its value: {snippet(text)}")
        _add_param(params, raw)
    group, name = head.groups()
    return ContentLine(
        line_number=line_number,
        group=group.lower() if group else None,
        name=name.upper(),
        params=params,
        value=text[position + 1 :],
        text=text,
    )


class _LogicalLine:
    """A property being unfolded; knows its encoding once its parameters have been read."""

    def __init__(self, line_number: int, text: str) -> None:
        self.line_number = line_number
        self.parts = [text]
        self._encoding: str | None = None
        self._encoding_known = False

    def text(self) -> str:
        return "".join(self.parts)

    def encoding(self) -> str | None:
        # Cached because a 2.1 base64 photo can run to thousands of lines.
        if not self._encoding_known:
            try:
                self._encoding = parse_content_line(self.line_number, self.text()).encoding
                self._encoding_known = True
            except CardError:
                return None
        return self._encoding

    def ends_in_soft_break(self) -> bool:
        return self.parts[-1].endswith("=") and self.encoding() == _QUOTED_PRINTABLE

    def continues_base64(self, text: str) -> bool:
        return bool(_BASE64_CONTINUATION.fullmatch(text.strip())) and self.encoding() in _BASE64


def _logical_lines(lines: Iterable[NumberedLine]) -> Iterator[NumberedLine]:
    current: _LogicalLine | None = None
    for line_number, text in lines:
        if current and current.ends_in_soft_break():
            # A QP soft break: the "=" goes and the next line continues the value as it stands.
            current.parts[-1] = current.parts[-1][:-1]
            current.parts.append(_FOLDED_QP_CONTINUATION.sub("", text, count=1))
        elif current and text[:1] in (" ", "\t"):
            current.parts.append(text[1:])
        elif current and current.continues_base64(text):
            current.parts.append(text.strip())
        else:
            if current:
                yield current.line_number, current.text()
            # Blank lines separate nothing in a card, but they do end a 2.1 base64 value.
            current = _LogicalLine(line_number, text) if text.strip() else None
    if current:
        yield current.line_number, current.text()


def _read_until(text: str, position: int, stops: str) -> tuple[str, int]:
    """The text from position up to the first stop character outside double quotes, and that stop's index."""
    quoted = False
    index = position
    while index < len(text):
        char = text[index]
        if char == '"':
            quoted = not quoted
        elif not quoted and char in stops:
            break
        index += 1
    return text[position:index], index


def _add_param(params: dict[str, list[str]], raw: str) -> None:
    name, equals, value = raw.partition("=")
    if not equals:
        bare = raw.strip()
        if bare:
            params.setdefault("ENCODING" if bare.upper() in _BARE_ENCODINGS else "TYPE", []).append(bare)
        return
    name = name.strip().upper()
    values = params.setdefault(name, [])
    for piece in _split_param_values(value):
        # vCard 4.0 quotes a TYPE list as one value: TYPE="voice,cell".
        parts = piece.split(",") if name == "TYPE" else [piece]
        values.extend(part.strip() for part in parts if part.strip())


def _split_param_values(value: str) -> list[str]:
    pieces = []
    position = 0
    while position <= len(value):
        piece, position = _read_until(value, position, ",")
        pieces.append(piece.strip().strip('"'))
        position += 1
    return pieces
