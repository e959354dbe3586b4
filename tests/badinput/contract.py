"""What every connector owes bad input: no exception, a located Reject per bad record, good records kept."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

from connectors.records import ContactCard, Interaction, OwnerIdentity, Record, Reject

Parser = Callable[[Path], Iterator[Record]]

# Names a user's files really get: spaces, accents, emoji, a newline, a leading dash, quotes.
ODD_NAMES = ("with space", "Ünïcödé ☃", "line\nbreak", "-leading-dash", "quote's \"and\" semi;colon")


def parse_all(parser: Parser, path: Path) -> list[Record]:
    """Every record of `path`, checked against the connector contract."""
    records = list(parser(path))
    for record in records:
        assert isinstance(record, (ContactCard, Interaction, OwnerIdentity, Reject)), record
        assert record.source_file == str(path), record
        if isinstance(record, Reject):
            assert record.location.strip() and record.reason.strip(), record
    return records


def rejects(records: list[Record]) -> list[tuple[str, str]]:
    return [(r.location, r.reason) for r in records if isinstance(r, Reject)]


def reject_locations(records: list[Record]) -> list[str]:
    return [r.location for r in records if isinstance(r, Reject)]


def kept(records: list[Record]) -> list[Record]:
    return [r for r in records if not isinstance(r, Reject)]


def random_bytes(size: int = 20_000, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


def enormous_line(megabytes: int = 4) -> str:
    return "x" * (megabytes * 1024 * 1024)
