"""Reads one .eml file (a single RFC 5322 message), or Apple Mail's .emlx, parsing only its headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from connectors.mail.header_block import read_header_block
from connectors.mail.headers import interaction_from_headers
from connectors.records import Interaction, Reject, cannot_open

_SOURCE = "eml"
_APPLE_MAIL_SUFFIX = ".emlx"
# The first line of an .emlx holds the length of the message after it, padded with spaces: far shorter than this.
_MAX_LENGTH_LINE_BYTES = 64


def parse_eml(path: Path) -> Iterator[Interaction | Reject]:
    """The message of one .eml or .emlx file as an Interaction, or a Reject located at "file"."""
    try:
        with open(path, "rb") as stream:
            length = _emlx_message_length(stream) if path.suffix.lower() == _APPLE_MAIL_SUFFIX else None
            header_block = read_header_block(stream)
    except OSError as error:
        yield cannot_open(_SOURCE, str(path), error)
        return
    if length is not None:
        header_block = header_block[:length]  # a message without a body ends where Apple's property list starts
    yield interaction_from_headers(header_block, source=_SOURCE, source_file=str(path), location="file")


def _emlx_message_length(stream: BinaryIO) -> int | None:
    """The length an .emlx gives its message on its first line, with the stream left after that line; when the file
    does not start with one, None and the stream back at its start, to be read as an .eml."""
    first_line = stream.readline(_MAX_LENGTH_LINE_BYTES).strip()
    if first_line.isdigit():
        return int(first_line)
    stream.seek(0)
    return None
