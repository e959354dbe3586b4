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
# The CHARSET parameter of a property line (2.1 phones write raw Shift-JIS, GB2312, ... under one).
_DECLARED_CHARSET = re.compile(rb'[^:]*?;\s*CHARSET\s*=\s*"?([^;:"]+)', re.IGNORECASE)
_FOLD_INDENT = (b" ", b"\t")
# A charset may decode a whole line only if it reads the line's ASCII name and parameters as ASCII; the escapes
# catch codecs such as unicode_escape, which would turn a vCard's "\\n" into a newline before it is unescaped.
_ASCII_PROBE = bytes(range(0x20, 0x7F)).replace(b"\\", b"") + b"\\u0041\\n"


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
            yield from build_card(_decoded_as_legacy_if_needed(block), source, source_file)


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
    """The block itself when it was UTF-8; otherwise each line's bytes decoded from the CHARSET its property
    declares, if that works, or else from Windows-1252 (Latin-1 when a byte is undefined there) like the whole card.
    """
    if not any(_UNDECODED_BYTE.search(text) for _, text in block.lines):
        return block
    raw_lines = [(number, text.encode("utf-8", "surrogateescape")) for number, text in block.lines]
    fallback = _legacy_codec(raw for _, raw in raw_lines)
    lines: list[NumberedLine] = []
    charset: str | None = None
    for number, raw in raw_lines:
        if not raw.startswith(_FOLD_INDENT):  # a folded line belongs to the property above it
            declared = _DECLARED_CHARSET.match(raw)
            charset = declared.group(1).decode("ascii", "replace").strip() if declared else None
        lines.append((number, _decoded_line(raw, charset, fallback)))
    return CardBlock(block.number, block.begin_line, lines)


def _legacy_codec(raw_lines: Iterable[bytes]) -> str:
    try:
        for raw in raw_lines:
            raw.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def _decoded_line(raw: bytes, charset: str | None, fallback: str) -> str:
    if charset:
        try:
            if _ASCII_PROBE.decode(charset) == _ASCII_PROBE.decode("ascii"):
                return raw.decode(charset)
        except (LookupError, ValueError):
            pass  # an unknown charset, or bytes that are not in it (UnicodeError): the card's codec still reads them
    return raw.decode(fallback)
