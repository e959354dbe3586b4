"""Reads one .eml file (a single RFC 5322 message), parsing only its headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from connectors.mail.header_block import read_header_block
from connectors.mail.headers import interaction_from_headers
from connectors.records import Interaction, Reject

_SOURCE = "eml"


def parse_eml(path: Path) -> Iterator[Interaction | Reject]:
    """The message of one .eml file as an Interaction, or a Reject located at "file"."""
    try:
        with open(path, "rb") as stream:
            header_block = read_header_block(stream)
    except OSError as error:
        yield Reject(_SOURCE, str(path), "file", f"cannot read: {error}")
        return
    yield interaction_from_headers(header_block, source=_SOURCE, source_file=str(path), location="file")
