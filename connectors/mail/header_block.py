"""Finds where the header block of a message ends, and reads just that block from a file."""

from __future__ import annotations

from typing import BinaryIO

# A header block longer than this is cut (headers after the cut are lost): memory stays flat whatever the input.
MAX_HEADER_BLOCK_BYTES = 1024 * 1024
_FIRST_WINDOW = 16 * 1024
_READ_SIZE = 64 * 1024


def header_end(buf: bytes, start: int, stop: int) -> int:
    """Index of the blank line ending the headers that begin at `start` (a line start), or -1 before `stop`."""
    if buf.startswith(b"\n", start) or buf.startswith(b"\r\n", start):
        return start
    window = _FIRST_WINDOW
    while True:
        limit = min(stop, start + window)
        # Search CRLF first, then LF only up to it, so neither search runs past the end of the headers.
        crlf = buf.find(b"\n\r\n", start, limit)
        lf = buf.find(b"\n\n", start, crlf + 2 if crlf >= 0 else limit)
        if lf >= 0:
            return lf + 1
        if crlf >= 0:
            return crlf + 1
        if limit >= stop:
            return -1
        window *= 4


def read_header_block(stream: BinaryIO) -> bytes:
    """The header block at the start of `stream` (without the blank line), at most MAX_HEADER_BLOCK_BYTES."""
    block = b""
    while len(block) < MAX_HEADER_BLOCK_BYTES:
        chunk = stream.read(_READ_SIZE)
        if not chunk:
            return block
        block += chunk
        end = header_end(block, 0, len(block))
        if end >= 0:
            return block[:end]
    return block[:MAX_HEADER_BLOCK_BYTES]
