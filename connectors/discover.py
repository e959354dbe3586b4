"""Finds the export files under an inbox folder and tells which connector reads each one."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from connectors.linkedin import FILES_IGNORED, FILES_READ
from connectors.linkedin.archive import normalised_file_name
from connectors.mail.maildir import MESSAGE_DIRS as MAILDIR_MESSAGE_DIRS

# File kinds, one per file connector.
LINKEDIN = "linkedin"
VCARD = "vcard"
MBOX = "mbox"
MAILDIR = "maildir"
EML = "eml"
ICS = "ics"
UNRECOGNISED = "unrecognised"

FILE_KINDS = (LINKEDIN, VCARD, MBOX, MAILDIR, EML, ICS)

_SNIFF_BYTES = 4096
# Files that come with mail exports and folders but hold no mail: listing each as "not a file kind Kith reads"
# would only be noise. Thunderbird's folder indexes and filter/POP state, Apple Mail export's per-mailbox metadata,
# and Windows' thumbnail caches and folder settings. Compared case-insensitively.
_COMPANION_SUFFIXES = frozenset({".msf"})
_COMPANION_NAMES = frozenset(
    name.casefold()
    for name in ("msgFilterRules.dat", "popstate.dat", "Info.plist", "table_of_contents", "Thumbs.db", "desktop.ini",
                 "archive_browser.html")
)
# Proton Mail's export tool writes each message as `<id>.eml` beside `<id>.metadata.json`, and one `labels.json`.
_PROTON_METADATA_SUFFIX = ".metadata.json"
_PROTON_LABELS = "labels.json"

# What a file Kith does not read probably is, and what to do with it, by extension.
_OUTLOOK_DATA_FILE = ("an Outlook data file: convert it to mbox first, for example with `readpst -r` "
                      "(Debian's pst-utils)")
_ARCHIVE = "an archive: unpack it into the inbox"
_KNOWN_UNREAD = {
    ".pst": _OUTLOOK_DATA_FILE,
    ".ost": _OUTLOOK_DATA_FILE,
    ".olm": "an Outlook for Mac archive: export its folders as mbox (drag them to Thunderbird or Apple Mail)",
    ".msg": "an Outlook message: save it as .eml, or export its folder as mbox",
    ".zip": "an archive that is not a LinkedIn export (a Google Takeout archive, say): unpack it into the inbox",
    ".tgz": _ARCHIVE,
    ".tar": _ARCHIVE,
    ".7z": _ARCHIVE,
    ".gz": "a compressed file: unpack it into the inbox",
    ".csv": "a CSV file that is not part of a LinkedIn export: export contacts as vCard (.vcf) instead",
    ".duckdb": "a DuckDB database, such as Kith's warehouse: keep the warehouse outside the inbox",
}
_KITH_READS = "LinkedIn export, .vcf, mbox, Maildir, .eml, .ics"
# What in an unpacked LinkedIn export is LinkedIn's: the CSVs its connector knows, and its folders of articles (HTML)
# and of job and verification CSVs.
_LINKEDIN_CSVS = frozenset(normalised_file_name(name) for name in (*FILES_READ, *FILES_IGNORED))
_LINKEDIN_FOLDERS = frozenset({"articles", "jobs", "verifications"})
_CONNECTIONS = normalised_file_name("Connections.csv")  # the file that makes a folder or a zip a LinkedIn export
_MAILDIR_READ_MAIL = "cur"  # a copy may lose an empty new/, never cur/, where read mail lives
# The first line of a mail file: a header name (printable, no colon) and its colon.
_HEADER_LINE = re.compile(rb"[!-9;-~]+[ \t]*:")


@dataclass(frozen=True, slots=True)
class InboxFile:
    kind: str
    path: Path


def path_text(path: Path) -> str:
    """The path as text a database can store: file-name bytes that are not UTF-8 become escapes such as `\\xfc`."""
    return storable_text(str(path))


def storable_text(text: str) -> str:
    # os.fsdecode keeps undecodable name bytes as lone surrogates, which no UTF-8 store accepts. Each byte gets an
    # escape of its own, not one U+FFFD for all: `M\xfcller.vcf` and `M\xf6ller.vcf` must stay two files.
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _is_linkedin_folder(folder: Path, names: list[str]) -> bool:
    return _CONNECTIONS in {normalised_file_name(n) for n in names}


def _is_linkedin_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return any(normalised_file_name(Path(n).name) == _CONNECTIONS for n in archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        # A .zip that is not a zip still goes to the LinkedIn connector when it is named like an export,
        # so the user gets a rejected row instead of silence.
        return "linkedin" in path.name.lower()


def _is_linkedin_file(path: Path, kind: str, export: Path) -> bool:
    """Whether a file under a LinkedIn export's folder is one LinkedIn wrote: a CSV it names, or a file of no kind Kith
    reads in one of its folders. Other files there are the user's, found as any others are."""
    *folders, name = path.relative_to(export).parts
    if normalised_file_name(name) in _LINKEDIN_CSVS:
        return True
    return kind == UNRECOGNISED and bool(folders) and folders[0].casefold() in _LINKEDIN_FOLDERS


def _is_maildir(folder: Path, names: list[str]) -> bool:
    """Whether `folder` (holding the folders `names`) is a Maildir: it has cur/ and new/, or a copy kept only cur/
    (an empty new/ is easily lost) and cur/ holds mail. A lone new/ is any folder of new things (an inbox/new/)."""
    if set(MAILDIR_MESSAGE_DIRS) <= set(names):
        return True
    return _MAILDIR_READ_MAIL in names and _holds_mail(folder / _MAILDIR_READ_MAIL)


def _holds_mail(folder: Path) -> bool:
    """Whether the first file in `folder` starts with a mail header."""
    try:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries if entry.is_file() and not entry.name.startswith(".")]
    except OSError:
        return False
    return bool(names) and _HEADER_LINE.match(_sniff(folder / min(names))) is not None


def _is_companion_file(name: str, names: set[str]) -> bool:
    """A file that only comes with mail; `names` are the other files in its folder."""
    folded = name.casefold()
    if folded in _COMPANION_NAMES or Path(name).suffix.casefold() in _COMPANION_SUFFIXES:
        return True
    if folded == _PROTON_LABELS:
        return any(_is_proton_metadata(other, names) for other in names)
    return _is_proton_metadata(name, names)


def _is_proton_metadata(name: str, names: set[str]) -> bool:
    stem = name.removesuffix(_PROTON_METADATA_SUFFIX)
    return stem != name and stem + ".eml" in names


def unread_reason(path: Path) -> str:
    """Why Kith does not read a file of no kind it knows, and what the user can do about it."""
    hint = _KNOWN_UNREAD.get(path.suffix.lower())
    return f"not a file kind Kith reads ({_KITH_READS})" + (f"; {hint}" if hint else "")


def is_empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False  # the connector reports why it cannot read the file


def _sniff(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(_SNIFF_BYTES)
    except OSError:
        return b""


def classify_file(path: Path) -> str:
    """The kind of one file, by extension first and content second."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return LINKEDIN if _is_linkedin_zip(path) else UNRECOGNISED
    if suffix in (".vcf", ".vcard"):
        return VCARD
    if suffix in (".ics", ".ical", ".ifb"):
        return ICS
    if suffix in (".eml", ".emlx"):
        return EML
    if suffix in (".mbox", ".mbx"):
        return MBOX
    head = _sniff(path).lstrip(b"\xef\xbb\xbf")
    if head.startswith(b"From "):
        return MBOX
    upper = head[:200].upper()
    if upper.startswith(b"BEGIN:VCARD"):
        return VCARD
    if upper.startswith(b"BEGIN:VCALENDAR"):
        return ICS
    return UNRECOGNISED


def discover(inbox: Path) -> Iterator[InboxFile]:
    """Every file or folder under `inbox` that a connector reads, in a stable order.

    A LinkedIn export folder and a Maildir are one input each; symbolic links to folders are not
    followed, so a link loop cannot trap the walk. Hidden files are skipped. The files LinkedIn wrote in an
    unpacked export (the CSVs it names, its Articles/, Jobs/ and Verifications/ folders) are the export's, but
    other files inside its folder are found on their own: a user may unpack LinkedIn's zip straight into the
    inbox, beside their mail, their .pst files and their other archives. A Maildir is a folder with cur/ and
    new/, or with one of them holding mail (a copy may drop an empty folder). Apple Mail's `.emlx` files are
    read as `.eml`.

    Files that only come with mail are skipped too: Thunderbird's `*.msf` indexes, `msgFilterRules.dat` and
    `popstate.dat`, Apple Mail export's `Info.plist` and `table_of_contents`, Proton Mail export's
    `<id>.metadata.json` beside each `<id>.eml` and its `labels.json`, Google Takeout's `archive_browser.html`,
    Windows' `Thumbs.db` and `desktop.ini`, and empty files of no kind Kith reads (Thunderbird's file of an empty
    folder, such as `Trash`).
    An empty `.vcf`, `.ics`, `.mbox` or `.eml` is still found, and rejected as an empty file.
    """
    linkedin_export: Path | None = None
    for folder, dirnames, filenames in os.walk(inbox, followlinks=False):
        dirnames.sort()
        filenames.sort()
        here = Path(folder)
        if linkedin_export is not None and not here.is_relative_to(linkedin_export):
            linkedin_export = None  # the walk left the export's folder
        if linkedin_export is None and _is_linkedin_folder(here, filenames):
            yield InboxFile(LINKEDIN, here)
            linkedin_export = here
        if _is_maildir(here, dirnames):
            yield InboxFile(MAILDIR, here)
            dirnames[:] = [d for d in dirnames if d.startswith(".") and d not in (".", "..")]
            # Maildir++ subfolders (".Sent", ".Archive") are Maildirs of their own.
            continue
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        names = set(filenames)
        for name in filenames:
            if name.startswith(".") or _is_companion_file(name, names):
                continue
            path = here / name
            if path.is_symlink() and not path.is_file():
                continue
            kind = classify_file(path)
            if kind == UNRECOGNISED and is_empty(path):
                continue
            if linkedin_export is not None and _is_linkedin_file(path, kind, linkedin_export):
                continue
            yield InboxFile(kind, path)
