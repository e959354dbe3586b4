"""Splits a stream of numbered physical lines into vCard blocks (BEGIN:VCARD to END:VCARD) and broken stretches."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

NumberedLine = tuple[int, str]  # 1-based physical line number, text without its line ending

_SNIPPET_CHARS = 40


@dataclass(slots=True)
class CardBlock:
    """The physical lines between one BEGIN:VCARD and its END:VCARD."""

    number: int  # counts every BEGIN:VCARD of the file from 1, broken cards included
    begin_line: int
    lines: list[NumberedLine] = field(default_factory=list)

    @property
    def location(self) -> str:
        return f"card {self.number} (line {self.begin_line})"


@dataclass(slots=True)
class BrokenBlock:
    """A stretch of the file that holds no usable card: a cut-off card or text outside any card."""

    location: str
    reason: str


def snippet(text: str) -> str:
    """A short quotable piece of a line for a reject reason."""
    return repr(text if len(text) <= _SNIPPET_CHARS else text[:_SNIPPET_CHARS] + "…")


def split_cards(lines: Iterable[NumberedLine]) -> Iterator[CardBlock | BrokenBlock]:
    """Card blocks in file order; each cut-off card and each run of text between cards is a BrokenBlock."""
    number = 0
    card: CardBlock | None = None
    stray_first: NumberedLine | None = None  # first non-blank line of the current run outside cards
    stray_count = 0
    for line_number, text in lines:
        marker = text.rstrip().upper()
        if marker == "BEGIN:VCARD":
            if stray_first is not None:
                yield _outside_cards(stray_first, stray_count)
                stray_first, stray_count = None, 0
            if card is not None:
                yield BrokenBlock(card.location, f"no END:VCARD before the next BEGIN:VCARD at line {line_number}")
            number += 1
            card = CardBlock(number, line_number)
        elif card is None:
            if text.strip():
                stray_first = stray_first or (line_number, text)
                stray_count += 1
        elif marker == "END:VCARD":
            yield card
            card = None
        else:
            card.lines.append((line_number, text))
    if stray_first is not None:
        yield _outside_cards(stray_first, stray_count)
    if card is not None:
        yield BrokenBlock(card.location, "card cut off: the file ends before END:VCARD")


def _outside_cards(first: NumberedLine, count: int) -> BrokenBlock:
    line_number, text = first
    lines = f"{count} lines" if count > 1 else "1 line"
    return BrokenBlock(f"line {line_number}", f"text outside any card ({lines}): {snippet(text)}")
