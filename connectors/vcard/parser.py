"""Reads .vcf files (or already-decoded vCard text) of any dialect, card by card, into ContactCards and Rejects."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from connectors.records import ContactCard, Reject
from connectors.vcard.blocks import BrokenBlock, CardBlock, NumberedLine, split_cards
from connectors.vcard.card import build_card

SOURCE = "vcard"
_BOM = "\ufeff"
# Bytes that were not UTF-8, kept by the surrogateescape decoding so the card can be decoded again.
_UNDECODED_BYTE = re.compile("[\udc80-\udcff]")


def parse_vcard(path: Path) -> Iterator[ContactCard | Reject]:
    """Every card of a .vcf file: one ContactCard per usable card, a Reject for each broken one."""
    source_file = str(path)
    try:
        handle = open(path, "rb")
    except OSError as error:
        yield Reject(SOURCE, source_file, "file", f"cannot open the file: {error}")
        return
    with handle:
        try:
            yield from _records(_file_lines(handle), SOURCE, source_file)
        except OSError as error:
            yield Reject(SOURCE, source_file, "file", f"cannot read the file: {error}")


def cards_from_text(text: str, source: str, source_file: str) -> Iterator[ContactCard | Reject]:
    """Every card of already-decoded vCard text (a CardDAV resource, a Google export, ...)."""
    return _records(_text_lines(text), source, source_file)


def _records(lines: Iterable[NumberedLine], source: str, source_file: str) -> Iterator[ContactCard | Reject]:
    for block in split_cards(lines):
        if isinstance(block, BrokenBlock):
            yield Reject(source, source_file, block.location, block.reason)
        else:
            yield build_card(_decoded_as_legacy_if_needed(block), source, source_file)


def _file_lines(handle: BinaryIO) -> Iterator[NumberedLine]:
    # Decoding line by line is safe for UTF-8: no multi-byte sequence contains a newline byte.
    for number, raw in enumerate(handle, start=1):
        text = raw.decode("utf-8", "surrogateescape").rstrip("\r\n")
        yield number, text.removeprefix(_BOM) if number == 1 else text


def _text_lines(text: str) -> Iterator[NumberedLine]:
    # Split on LF only: a stray CR (the iPhone's "\r\r\n") must not make a blank line inside a value.
    for number, line in enumerate(io.StringIO(text, newline="\n"), start=1):
        line = line.rstrip("\r\n")
        yield number, line.removeprefix(_BOM) if number == 1 else line


def _decoded_as_legacy_if_needed(block: CardBlock) -> CardBlock:
    """The block itself when it was UTF-8; otherwise its bytes decoded as Windows-1252, or Latin-1."""
    if not any(_UNDECODED_BYTE.search(text) for _, text in block.lines):
        return block
    raw_lines = [(number, text.encode("utf-8", "surrogateescape")) for number, text in block.lines]
    try:
        lines = [(number, raw.decode("cp1252")) for number, raw in raw_lines]
    except UnicodeDecodeError:
        lines = [(number, raw.decode("latin-1")) for number, raw in raw_lines]
    return CardBlock(block.number, block.begin_line, lines)
