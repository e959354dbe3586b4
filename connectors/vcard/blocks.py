"""Splits a stream of numbered physical lines into vCard blocks (BEGIN:VCARD to END:VCARD) and broken stretches."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from connectors.records import snippet

NumberedLine = tuple[int, str]  # 1-based physical line number, text without its line ending

# vCard 2.1 writes an AGENT (a secretary, an assistant) as an empty AGENT property followed by a whole card.
_EMPTY_AGENT = re.compile(r"(?:[A-Za-z0-9_-]+\.)?AGENT(?:;[^:]*)?:\s*", re.IGNORECASE)


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


def split_cards(lines: Iterable[NumberedLine]) -> Iterator[CardBlock | BrokenBlock]:
    """Card blocks as each one ends; each cut-off card and each run of text between cards is a BrokenBlock.

    A 2.1 AGENT card nested in a card is a block of its own, read as the contact it describes (it names a real
    person, often with a phone or email), and the card around it goes on after its END:VCARD.
    """
    number = 0
    cards: list[CardBlock] = []  # open cards: the last is being read, each one before it holds the next as an AGENT
    stray_first: NumberedLine | None = None  # first non-blank line of the current run outside cards
    stray_count = 0
    for line_number, text in lines:
        marker = text.rstrip().upper()
        if marker == "BEGIN:VCARD":
            if stray_first is not None:
                yield _outside_cards(stray_first, stray_count)
                stray_first, stray_count = None, 0
            if cards and not _ends_in_empty_agent(cards[-1]):
                yield from _cut_off(cards, f"no END:VCARD before the next BEGIN:VCARD at line {line_number}")
            number += 1
            cards.append(CardBlock(number, line_number))
        elif not cards:
            if text.strip():
                stray_first = stray_first or (line_number, text)
                stray_count += 1
        elif marker == "END:VCARD":
            yield cards.pop()
        else:
            cards[-1].lines.append((line_number, text))
    if stray_first is not None:
        yield _outside_cards(stray_first, stray_count)
    yield from _cut_off(cards, "card cut off: the file ends before END:VCARD")


def _ends_in_empty_agent(card: CardBlock) -> bool:
    return bool(card.lines) and bool(_EMPTY_AGENT.fullmatch(card.lines[-1][1]))


def _cut_off(cards: list[CardBlock], reason: str) -> Iterator[BrokenBlock]:
    """A BrokenBlock for each open card, outermost first; the list is left empty."""
    for card in cards:
        yield BrokenBlock(card.location, reason)
    cards.clear()


def _outside_cards(first: NumberedLine, count: int) -> BrokenBlock:
    line_number, text = first
    lines = f"{count} lines" if count > 1 else "1 line"
    return BrokenBlock(f"line {line_number}", f"text outside any card ({lines}): {snippet(text)}")
