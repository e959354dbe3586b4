"""Opens a LinkedIn export (a .zip or an unpacked folder): finds its CSV files and the export date."""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

# A LinkedIn CSV is a few MB; anything near these sizes is a zip bomb or not an export.
MAX_MEMBER_BYTES = 2 * 1024**3
MAX_TOTAL_BYTES = 4 * 1024**3
# Unpacked folders are searched this many levels down for the CSVs (a zip unpacked into its own folder).
_MAX_FOLDER_DEPTH = 2

_EXPORT_DATE = re.compile(r"_(\d{2})-(\d{2})-(\d{4})(?:\.zip)?$", re.IGNORECASE)


class UnreadableExport(Exception):
    """The export as a whole cannot be opened (not a zip, no such file)."""


@dataclass(frozen=True, slots=True)
class ExportFile:
    """One CSV of the export, opened lazily as a binary stream."""

    label: str  # the name as written in the export, for locations: "Connections.csv"
    size: int
    open: Callable[[], IO[bytes]]


@dataclass(slots=True)
class Export:
    files: dict[str, ExportFile]  # by normalised file name, see `normalised_file_name`
    exported_at: datetime
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file label, reason)


def normalised_file_name(name: str) -> str:
    """"Phone Numbers.csv", "PhoneNumbers.csv" and "phone_numbers.CSV" all become "phonenumbers.csv"."""
    return re.sub(r"[\s_]+", "", name).lower()


def _date_in_name(name: str) -> datetime | None:
    match = _EXPORT_DATE.search(name)
    if not match:
        return None
    month, day, year = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


@contextmanager
def open_export(path: Path) -> Iterator[Export]:
    """The export at `path`; raises UnreadableExport when it is neither a zip nor a folder."""
    if path.is_dir():
        yield _folder_export(path)
        return
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise UnreadableExport(f"not a readable zip archive: {error}") from error
    with archive:
        yield _zip_export(path, archive)


def _shallowest(candidates: Iterable[tuple[int, str, ExportFile]]) -> dict[str, ExportFile]:
    """One file per normalised name; when a name repeats, the one nearest the top wins."""
    chosen: dict[str, tuple[int, ExportFile]] = {}
    for depth, name, export_file in candidates:
        key = normalised_file_name(name)
        if key not in chosen or depth < chosen[key][0]:
            chosen[key] = (depth, export_file)
    return {key: export_file for key, (_, export_file) in chosen.items()}


def _folder_export(folder: Path) -> Export:
    found: list[tuple[int, str, ExportFile, float]] = []
    for directory, subdirectories, names in os.walk(folder):
        depth = len(Path(directory).relative_to(folder).parts)
        if depth >= _MAX_FOLDER_DEPTH:
            subdirectories.clear()
        subdirectories.sort()
        for name in sorted(names):
            file_path = Path(directory, name)
            if file_path.suffix.lower() != ".csv" or not file_path.is_file():
                continue
            stat = file_path.stat()
            export_file = ExportFile(name, stat.st_size, partial(file_path.open, "rb"))
            found.append((depth, name, export_file, stat.st_mtime))
    files = _shallowest((depth, name, export_file) for depth, name, export_file, _ in found)
    newest = max((mtime for *_, mtime in found), default=folder.stat().st_mtime)
    exported_at = _date_in_name(folder.name) or datetime.fromtimestamp(newest, UTC)
    return Export(files, exported_at)


def _zip_export(path: Path, archive: zipfile.ZipFile) -> Export:
    members = [
        info for info in archive.infolist() if not info.is_dir() and info.filename.lower().endswith(".csv")
    ]
    export = Export({}, _date_in_name(path.name) or _newest_member_time(path, members))
    candidates = []
    total = 0
    for info in sorted(members, key=lambda member: member.filename):
        label = Path(info.filename).name
        if info.file_size > MAX_MEMBER_BYTES:
            export.refused.append((label, f"uncompressed size {info.file_size} bytes exceeds {MAX_MEMBER_BYTES}"))
            continue
        if total + info.file_size > MAX_TOTAL_BYTES:
            export.refused.append((label, f"export exceeds {MAX_TOTAL_BYTES} uncompressed bytes"))
            continue
        total += info.file_size
        depth = info.filename.count("/")
        # ZipExtFile stops at the declared size, so the bound above also bounds what is read.
        candidates.append((depth, label, ExportFile(label, info.file_size, partial(archive.open, info))))
    export.files = _shallowest(candidates)
    return export


def _newest_member_time(path: Path, members: list[zipfile.ZipInfo]) -> datetime:
    times = [time for info in members if (time := _member_time(info))]
    return max(times, default=datetime.fromtimestamp(path.stat().st_mtime, UTC))


def _member_time(info: zipfile.ZipInfo) -> datetime | None:
    # Zip timestamps carry no zone; take them as UTC like every other LinkedIn time.
    try:
        return datetime(*info.date_time, tzinfo=UTC)
    except ValueError:  # a zeroed DOS date
        return None
