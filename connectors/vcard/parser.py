"""Reads .vcf files (or already-decoded vCard text) of any dialect, card by card, into ContactCards and Rejects."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from connectors.charsets import (
    FOLD_INDENTS,
    UTF16_SNIFF_BYTES,
    decode_windows_1252,
    reads_ascii_as_ascii,
    unfolded,
    utf16_codec,
)
from connectors.records import ContactCard, Reject, cannot_open
from connectors.vcard.blocks import BrokenBlock, CardBlock, NumberedLine, split_cards
from connectors.vcard.card import build_card
from connectors.vcard.groups import ContactGroup, GroupMembership

SOURCE = "vcard"
# What `kith export --format vcard` writes: its cards are the warehouse's own people, never read back as a source
KITH_EXPORT_PRODID = "-//Kith//Kith warehouse export//EN"
_HEAD_BYTES = 4096  # where the first card's PRODID is
_BOM = "\ufeff"
# Bytes that were not UTF-8, kept by the surrogateescape decoding so the card can be decoded again.
_UNDECODED_BYTE = re.compile("[\udc80-\udcff]")
# The CHARSET parameter of a property line (2.1 phones write raw Shift-JIS, GB2312, ... under one).
_DECLARED_CHARSET = re.compile(rb'[^:]*?;\s*CHARSET\s*=\s*"?([^;:"]+)', re.IGNORECASE)
# The property that makes a card a group card: KIND (vCard 4) or Apple's X-ADDRESSBOOKSERVER-KIND.
_KIND_LINE = re.compile(r"(?:[A-Za-z0-9-]+\.)?(?:X-ADDRESSBOOKSERVER-)?KIND\s*[;:]", re.IGNORECASE)


def parse_vcard(path: Path) -> Iterator[ContactCard | Reject]:
    """Every card of a .vcf file: one ContactCard per usable card, a Reject for each broken one.

    A group card (macOS Contacts exports them) is no contact: its name is added to its members' categories.
    """
    source_file = str(path)
    try:
        handle = open(path, "rb")
    except OSError as error:
        yield cannot_open(SOURCE, source_file, error)
        return
    with handle:
        if f"PRODID:{KITH_EXPORT_PRODID}".encode() in handle.read(_HEAD_BYTES):
            yield Reject(SOURCE, source_file, "file", "Kith's own export (kith export): not read back, as its people "
                         "are the warehouse's already; keep exports out of the inbox")
            return
        try:
            yield from _with_groups(lambda: _file_lines(handle), SOURCE, source_file)
        except OSError as error:
            yield Reject(SOURCE, source_file, "file", f"cannot read the file: {error}")


def cards_from_text(text: str, source: str, source_file: str) -> Iterator[ContactCard | Reject]:
    """Every card of already-decoded vCard text (a Google export, ...), group cards read as in `parse_vcard`."""
    return _with_groups(lambda: _text_lines(text), source, source_file)


def entries_from_text(text: str, source: str, source_file: str) -> Iterator[ContactCard | ContactGroup | Reject]:
    """Every card of the text as it is, group cards as ContactGroups: for a reader that holds groups and
    members in many texts (a CardDAV address book keeps one card per resource)."""
    return _records(_text_lines(text), source, source_file)


def _with_groups(
    read_lines: Callable[[], Iterable[NumberedLine]], source: str, source_file: str
) -> Iterator[ContactCard | Reject]:
    """The records of the lines, group cards turned into categories. The lines are read twice, as a group card
    may come after its members: memory holds the groups, not the cards."""
    membership = GroupMembership(_groups(read_lines(), source, source_file))
    return membership.applied(_records(read_lines(), source, source_file))


def _groups(lines: Iterable[NumberedLine], source: str, source_file: str) -> Iterator[ContactGroup]:
    """The group cards of the lines. Only a card with a KIND line is built, so this pass costs little."""
    for block in split_cards(lines):
        if isinstance(block, CardBlock) and any(_KIND_LINE.match(text) for _, text in block.lines):
            yield from (record for record in _built(block, source, source_file) if isinstance(record, ContactGroup))


def _records(
    lines: Iterable[NumberedLine], source: str, source_file: str
) -> Iterator[ContactCard | ContactGroup | Reject]:
    for block in split_cards(lines):
        if isinstance(block, BrokenBlock):
            yield Reject(source, source_file, block.location, block.reason)
        else:
            yield from _built(block, source, source_file)


def _built(block: CardBlock, source: str, source_file: str) -> list[ContactCard | ContactGroup | Reject]:
    return build_card(_decoded(block), source, source_file)


def _file_lines(handle: BinaryIO) -> Iterator[NumberedLine]:
    handle.seek(0)  # from the start on every pass
    wide_codec = utf16_codec(handle.read(UTF16_SNIFF_BYTES))
    handle.seek(0)
    if wide_codec:
        yield from _utf16_lines(handle, wide_codec)
        return
    # Decoding line by line loses nothing: bytes that are not UTF-8 here (a legacy charset, a character split by a
    # fold) stay as surrogates for _decoded to read again.
    for number, raw in enumerate(handle, start=1):
        text = raw.decode("utf-8", "surrogateescape").rstrip("\r\n")
        yield number, text.removeprefix(_BOM) if number == 1 else text


def _utf16_lines(handle: BinaryIO, codec: str) -> Iterator[NumberedLine]:
    """The lines of a UTF-16 file (Outlook's export), decoded as they are read, so a large file still streams."""
    # Split on LF only, as _text_lines does.
    reader = io.TextIOWrapper(handle, encoding=codec, errors="replace", newline="\n")
    try:
        yield from _numbered(reader)
    finally:
        reader.detach()  # closing the reader would close the handle, which the next pass reads again


def _text_lines(text: str) -> Iterator[NumberedLine]:
    # Split on LF only: a stray CR (the iPhone's "\r\r\n") must not make a blank line inside a value.
    return _numbered(io.StringIO(text, newline="\n"))


def _numbered(lines: Iterable[str]) -> Iterator[NumberedLine]:
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        yield number, line.removeprefix(_BOM) if number == 1 else line


def _decoded(block: CardBlock) -> CardBlock:
    """The block itself when each line was UTF-8. Otherwise its folded lines are joined as bytes first (a fold may
    split a character), then decoded as UTF-8 if that is what they all are, else as a legacy charset."""
    if not any(_UNDECODED_BYTE.search(text) for _, text in block.lines):
        return block
    physical_lines = ((number, text.encode("utf-8", "surrogateescape")) for number, text in block.lines)
    raw_lines = list(unfolded(physical_lines, _may_be_folded))
    try:
        lines = [(number, raw.decode("utf-8")) for number, raw in raw_lines]
    except UnicodeDecodeError:
        lines = _decoded_as_legacy(raw_lines)
    return CardBlock(block.number, block.begin_line, lines)


def _may_be_folded(raw: bytes) -> bool:
    """Whether a fold may continue this line here: content_lines starts anew after a blank line, and reads a line
    after a 2.1 quoted-printable soft break ("=" at the end) itself, as its leading space can be content. No split
    character ends in "=", so content_lines joins those lines unharmed."""
    return bool(raw.strip()) and not raw.endswith(b"=")


def _decoded_as_legacy(raw_lines: list[tuple[int, bytes]]) -> list[NumberedLine]:
    """Each line's bytes decoded from the CHARSET its property declares, if that works, or else as windows-1252
    (a byte undefined there as Latin-1 reads it)."""
    lines: list[NumberedLine] = []
    charset: str | None = None
    for number, raw in raw_lines:
        if not raw.startswith(FOLD_INDENTS):  # a line still folded belongs to the property above it
            declared = _DECLARED_CHARSET.match(raw)
            charset = declared.group(1).decode("ascii", "replace").strip() if declared else None
        lines.append((number, _decoded_line(raw, charset)))
    return lines


def _decoded_line(raw: bytes, charset: str | None) -> str:
    # A charset may decode a whole line only if it reads the line's ASCII name and parameters as ASCII (not
    # unicode_escape, which would turn a vCard's "\\n" into a newline before it is unescaped).
    if charset and reads_ascii_as_ascii(charset):
        try:
            return raw.decode(charset)
        except UnicodeError:
            pass  # bytes that are not in it: windows-1252 still reads them
    return decode_windows_1252(raw)
