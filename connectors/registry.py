"""Which parser reads which kind of inbox file."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from connectors import discover
from connectors.records import ContactCard, Interaction, Record, Reject


# kind -> "module:function"; imported lazily so one connector's missing optional dependency
# cannot break the others.
PARSERS = {
    discover.LINKEDIN: "connectors.linkedin:parse_linkedin",
    discover.VCARD: "connectors.vcard:parse_vcard",
    discover.MBOX: "connectors.mail.mbox:parse_mbox",
    discover.MAILDIR: "connectors.mail.maildir:parse_maildir",
    discover.EML: "connectors.mail.eml:parse_eml",
    discover.ICS: "connectors.ics:parse_ics",
}


def _parser(kind: str) -> Callable[[Path], Iterator[Record]]:
    module, function = PARSERS[kind].split(":")
    return getattr(importlib.import_module(module), function)


def parse(
    kind: str, path: Path, *, start_offset: int = 0, keep_titles: bool = True, keep_notes: bool = True
) -> Iterator[Record]:
    """The records of one inbox file. Whatever goes wrong becomes a Reject, never an exception.

    `source_file` is `discover.path_text(path)`: a file name that is not UTF-8 is stored with escapes such as `\\xfc`.
    `start_offset` (mbox only) reads from that From_ line on: a grown mbox is read from its old end.
    Without `keep_titles`/`keep_notes`, subjects, event titles and card notes never leave the parser.
    """
    records = metadata_only(_records(kind, path, start_offset), keep_titles=keep_titles, keep_notes=keep_notes)
    if discover.path_text(path) == str(path):
        yield from records
        return
    for record in records:
        yield _storable(record)


def metadata_only(records: Iterable[Record], *, keep_titles: bool, keep_notes: bool) -> Iterator[Record]:
    """The records with subjects/event titles and card notes blanked unless the user keeps them."""
    for record in records:
        if not keep_titles and isinstance(record, Interaction):
            record.title = None
        elif not keep_notes and isinstance(record, ContactCard):
            record.note = None
        yield record


def _records(kind: str, path: Path, start_offset: int) -> Iterator[Record]:
    if kind == discover.UNRECOGNISED:
        yield Reject("inbox", str(path), "file", discover.unread_reason(path))
        return
    if path.is_file() and discover.is_empty(path):
        yield Reject(kind, str(path), "file", "empty file")
        return
    try:
        if start_offset:
            if kind != discover.MBOX:
                raise ValueError(f"only an mbox can be read from an offset, not a {kind} file")
            yield from _parser(kind)(path, start_offset=start_offset)
        else:
            yield from _parser(kind)(path)
    except Exception as error:  # a connector bug must cost one file, not the build
        yield Reject(kind, str(path), "file", f"could not be read past this point: {type(error).__name__}: {error}")


def _storable(record: Record) -> Record:
    for name in ("source_file", "location", "reason"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            setattr(record, name, discover.storable_text(value))
    return record
