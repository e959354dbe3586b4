"""Reads an mbox file (Takeout CRLF or mboxo LF) in large binary chunks, parsing only each message's headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import BinaryIO

from connectors.mail.dates import MONTHS, to_utc
from connectors.mail.header_block import MAX_HEADER_BLOCK_BYTES, header_end
from connectors.mail.headers import interaction_from_headers
from connectors.records import Interaction, Reject, cannot_open

CHUNK_SIZE = 8 * 1024 * 1024
# Bytes wanted after a candidate `From ` before judging it: its line and the start of the next one.
_LOOKAHEAD = 4096
_SOURCE = "mbox"
_MBOX_SUFFIX = re.compile(r"\.(mbox|mbx)$", re.IGNORECASE)

# A From_ line is `From ` and the rest of its line, whatever that holds. Real mboxes have
# `From 1654953015393719153@xxx Mon Jan 06 04:49:45 +0000 2020`, `From MAILER-DAEMON Sun Aug  7 11:40:37 2022 extra`,
# `From jwz  Fri, Jul 01 09:13:09 1994 (+0700)`, `... remote from host`, even a bare `From `. Body lines starting
# with `From ` (mboxo does not escape them) are told apart by the header line a real From_ line has after it.
# Longer lines are body text: a separator is short, and the cap keeps it inside the lookahead window.
_FROM_LINE = re.compile(rb"From [^\n]{0,1000}\n")
# The line after a real From_ line is a header: `Name:` with printable non-colon name characters.
_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")
# A From_ line without a date names at most a sender; a longer one is a sentence ("From now on...\nNote: ..."). It
# separates only before a header that opens messages, not any `Word:` ("From Alice\nPS: ...", "From here\nhttps://").
_UNDATED_FROM_LINE = re.compile(rb"From [ \t]*(?:\S+[ \t]*)?\r?\n")
_OPENING_HEADER = re.compile(
    rb"(?:Return-Path|Received|Delivered-To|X-Original-To|Envelope-To|X-Mozilla-Status2?|X-Mozilla-Keys|X-Gmail-Labels"
    rb"|X-GM-THRID|From|Sender|Date|Message-ID|Subject|To|Cc|MIME-Version|Content-Type)[ \t]*:",
    re.IGNORECASE,
)
# The asctime-like date somewhere in a From_ line: `<weekday>[,] <month> <day> <hh:mm[:ss]> [<zone>] <year>
# [<zone> | (<zone>)]`. Named zones (`PST`) are ambiguous, so the time is taken as UTC, as a zone-less one is.
_FROM_LINE_DATE = re.compile(
    rb"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?[ \t]+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ \t]+(\d{1,2})"
    rb"[ \t]+(\d{1,2}):(\d\d)(?::(\d\d))?[ \t]+(?:([+-]\d{4})[ \t]+|[A-Za-z]{1,5}[ \t]+)?(\d{4})"
    rb"(?:[ \t]+\(?([+-]\d{4})\)?)?"
)


def _offset_seconds(zone: bytes | None) -> int:
    if not zone:
        return 0
    return (int(zone[1:3]) * 3600 + int(zone[3:5]) * 60) * (-1 if zone[:1] == b"-" else 1)


def from_line_date(from_line: re.Match) -> datetime | None:
    """The UTC date of a From_ line, None when it holds none that parses (zone-less dates are taken as UTC)."""
    found = _FROM_LINE_DATE.search(from_line.group())
    if found is None:
        return None
    month, day, hour, minute, second, zone, year, zone_after_year = found.groups()
    return to_utc(
        int(year), MONTHS[month.decode().lower()], int(day), int(hour), int(minute), int(second or 0),
        _offset_seconds(zone or zone_after_year),
    )


class _MboxScanner:
    """A sliding window over the file: finds separators and header blocks, skips bodies without decoding."""

    def __init__(self, stream: BinaryIO, start_offset: int):
        self.stream = stream
        self.buf = b""
        self.base = start_offset  # file offset of buf[0]
        self.eof = False
        self.dropped_text = False  # whether dropped bytes held more than whitespace (checked before the first message)
        self.watch_dropped = True

    def refill(self, keep_from: int) -> None:
        """Drop buf[:keep_from] and append the next chunk of the file."""
        if self.watch_dropped and not self.dropped_text:
            self.dropped_text = bool(self.buf[:keep_from].strip())
        chunk = self.stream.read(CHUNK_SIZE)
        self.buf = self.buf[keep_from:] + chunk
        self.base += keep_from
        self.eof = not chunk

    def separator_at(self, position: int) -> re.Match | None | bool:
        """The From_ line match when a message starts at `position`, None if not, False if more data is needed."""
        buf = self.buf
        if not self.eof and len(buf) - position < _LOOKAHEAD:
            next_line = buf.find(b"\n", position)
            if next_line < 0 or buf.find(b"\n", next_line + 1) < 0:
                return False
        match = _FROM_LINE.match(buf, position)
        if match is None or _HEADER_LINE.match(buf, match.end()) is None:
            return None
        if _FROM_LINE_DATE.search(match.group()) is None and (
            _UNDATED_FROM_LINE.fullmatch(match.group()) is None or _OPENING_HEADER.match(buf, match.end()) is None
        ):
            return None
        return match

    def next_separator(self, position: int, at_line_start: bool) -> tuple[int, re.Match | None]:
        """(index, From_ line) of the next message at or after `position`; the match is None at the end of the file.

        Bytes before the returned index may have been dropped from the buffer, so indexes are only valid
        until the next call.
        """
        if at_line_start:
            while (match := self.separator_at(position)) is False:
                self.refill(position)
                position = 0
            if match is not None:
                return position, match
        while True:
            found = self.buf.find(b"\nFrom ", position)
            if found < 0:
                if self.eof:
                    return len(self.buf), None
                keep = max(position, len(self.buf) - 5)  # a `\nFrom` cut by the chunk boundary
                self.refill(keep)
                position = 0
                continue
            match = self.separator_at(found + 1)
            if match is False:
                self.refill(found)
                position = 0
                continue
            if match is not None:
                return found + 1, match
            position = found + 1

    def header_block(self, start: int) -> tuple[int, int]:
        """(start, end) of the header block beginning at index `start`; refills may move the indexes."""
        while True:
            stop = min(len(self.buf), start + MAX_HEADER_BLOCK_BYTES)
            end = header_end(self.buf, start, stop)
            if end >= 0:
                return start, end
            if self.eof or stop == start + MAX_HEADER_BLOCK_BYTES:
                return start, stop  # the rest of an over-long block is skipped like a body
            self.refill(start)
            start = 0


def _messages(stream: BinaryIO, start_offset: int) -> Iterator[tuple[int, re.Match | None, bytes]]:
    """(file offset, From_ line, header block) of each message; a From_ line of None marks leading garbage."""
    scanner = _MboxScanner(stream, start_offset)
    scanner.refill(0)
    position, from_line = scanner.next_separator(0, at_line_start=True)
    scanner.watch_dropped = False
    if scanner.dropped_text or scanner.buf[:position].strip():
        yield start_offset, None, b""
    while from_line is not None:
        offset = scanner.base + position
        start, end = scanner.header_block(from_line.end())
        next_message = _separator_inside(scanner, start, end)
        if next_message >= 0:
            end = next_message
        yield offset, from_line, scanner.buf[start:end]
        # Only a From_ line that cut the headers short can start right at `end`: not the blank line
        # after the headers, nor the middle of an over-long block.
        position, from_line = scanner.next_separator(end, at_line_start=next_message >= 0)


def _separator_inside(scanner: _MboxScanner, start: int, end: int) -> int:
    """Where a From_ line cuts a header block short (a truncated message, then the next), or -1."""
    found = scanner.buf.find(b"\nFrom ", max(start - 1, 0), end)
    while found >= 0:
        if scanner.separator_at(found + 1):
            return found + 1
        found = scanner.buf.find(b"\nFrom ", found + 1, end)
    return -1


def folder_name(path: Path) -> str:
    """The mail folder an mbox file holds: Thunderbird's `Sent`, `Sent.mbox`, Apple Mail's `Sent Messages.mbox/mbox`."""
    name = path.parent.name if path.name.lower() == "mbox" else path.name
    return _MBOX_SUFFIX.sub("", name)


def parse_mbox(path: Path, start_offset: int = 0) -> Iterator[Interaction | Reject]:
    """Every message of an mbox as an Interaction (or a Reject), from the From_ line at `start_offset` on.

    `start_offset` is where a previous parse stopped, so a grown mbox is read from there. The mail of a sent
    folder is marked sent, and that of a drafts or spam folder automated, as labels would mark it (a mail client's
    folders have none; Takeout's one mbox has).
    """
    source_file = str(path)
    folder = folder_name(path)
    try:
        stream = open(path, "rb")
    except OSError as error:
        yield cannot_open(_SOURCE, source_file, error)
        return
    with stream:
        try:
            stream.seek(start_offset)
        except (OSError, ValueError) as error:
            yield Reject(_SOURCE, source_file, "file", f"cannot seek to byte {start_offset}: {error}")
            return
        for offset, from_line, header_block in _messages(stream, start_offset):
            location = f"byte {offset}"
            if from_line is None:
                yield Reject(_SOURCE, source_file, location, "not a message: bytes before the first From_ line")
                continue
            yield interaction_from_headers(
                header_block,
                source=_SOURCE,
                source_file=source_file,
                location=location,
                folder=folder,
                fallback_date=partial(from_line_date, from_line),
            )
