"""Reads a Maildir folder (cur/ and new/), parsing only the headers of each message file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from connectors.mail.header_block import read_header_block
from connectors.mail.headers import interaction_from_headers
from connectors.records import Interaction, Reject, cannot_open

_SOURCE = "maildir"
MESSAGE_DIRS = ("cur", "new")  # tmp/ holds messages still being delivered


def folder_label(path: Path) -> str:
    """The folder's name as a label: Maildir++ `.Sent` gives `Sent`, `.Work.Sent` gives `Work.Sent`."""
    return path.name.lstrip(".") or path.name


def parse_maildir(path: Path) -> Iterator[Interaction | Reject]:
    """Every message file of one Maildir folder; the folder name is a label, a sent folder marks mail as sent, and
    a drafts or spam folder marks it automated."""
    source_file = str(path)
    label = folder_label(path)
    found_dir = False
    for subdir in MESSAGE_DIRS:
        try:
            names = sorted(entry.name for entry in (path / subdir).iterdir() if not entry.name.startswith("."))
        except OSError:
            continue
        found_dir = True
        for name in names:
            location = f"{subdir}/{name}"
            try:
                with open(path / subdir / name, "rb") as stream:
                    header_block = read_header_block(stream)
            except OSError as error:
                yield cannot_open(_SOURCE, source_file, error, location)
                continue
            yield interaction_from_headers(
                header_block,
                source=_SOURCE,
                source_file=source_file,
                location=location,
                labels=[label],
                folder=label,
            )
    if not found_dir:
        yield Reject(_SOURCE, source_file, "file", "not a Maildir folder: no cur/ or new/")
