"""Brings the raw layer up to date with an inbox folder: new and changed files parsed (in parallel worker
processes), a grown mbox read from where it ended, vanished files dropped."""

from __future__ import annotations

import hashlib
import inspect
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb

import connectors
from connectors.accounts import ACCOUNT_SOURCE_PREFIX
from connectors.discover import LINKEDIN, MBOX, InboxFile, path_text
from connectors.mail.mbox import parse_mbox
from connectors.records import Record, Reject
from warehouse import raw_store
from warehouse.raw_store import (
    RAW_TABLES,
    FileLoad,
    ParquetRawWriter,
    forget_source_file,
    load_parquet_files,
    load_source_file,
)

_HEAD_BYTES = 1 << 20
_TAIL_BYTES = 64 << 10
# An mbox is cut into ranges of about this size (at message boundaries) so several workers share it.
RANGE_BYTES = 48 << 20
# Below this many bytes to parse, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 32 << 20
DEFAULT_WORKERS = min(os.cpu_count() or 1, 4)

Parser = Callable[..., Iterator[Record]]  # (kind, path[, start_offset=]) -> records


def fingerprint(path: Path, pattern: str = "*") -> tuple[int, str]:
    """(size, fingerprint) of a file or folder: size, mtime and a hash of the first MiB of each file (of a
    folder's files matching `pattern`)."""
    files = sorted(p for p in path.rglob(pattern) if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha256()
    total = 0
    for file in files:
        try:
            stat = file.stat()
            with open(file, "rb") as handle:
                head = handle.read(_HEAD_BYTES)
        except OSError:
            continue
        total += stat.st_size
        digest.update(f"{file.relative_to(path) if path.is_dir() else ''}|{stat.st_size}|{stat.st_mtime_ns}|".encode())
        digest.update(hashlib.sha256(head).digest())
    return total, digest.hexdigest()


CONNECTORS = Path(connectors.__file__).parent
RAW_STORE = Path(raw_store.__file__)
# Account sync code (it reads servers, not files) is no part of the parser version: a fix to IMAP sync must not
# re-read a 5 GB mbox.
_ACCOUNT_SYNC_CODE = frozenset({"accounts.py", "caldav.py", "carddav.py", "imap.py", "google"})


@cache
def parser_version(package: Path = CONNECTORS, row_writer: Path = RAW_STORE) -> str:
    """A hash of the code that turns a file into raw rows: the file connectors in `package` and the raw store.
    It is part of every stored fingerprint, so a file parsed by another version of Kith is parsed again, once:
    a parser's fix reaches the exports already loaded."""
    digest = hashlib.sha256()
    for code in sorted(package.rglob("*.py")):
        if code.relative_to(package).parts[0] not in _ACCOUNT_SYNC_CODE:
            digest.update(code.relative_to(package).as_posix().encode() + b"\0" + code.read_bytes())
    digest.update(row_writer.read_bytes())
    return digest.hexdigest()[:16]


def prefix_signature(path: Path, length: int) -> str | None:
    """A hash of the first MiB and of the last 64 KiB of `path[:length]`: whether that prefix is still there."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            digest.update(handle.read(min(_HEAD_BYTES, length)))
            tail_start = max(0, length - _TAIL_BYTES)
            handle.seek(tail_start)
            digest.update(handle.read(length - tail_start))
    except OSError:
        return None
    return digest.hexdigest()


def _stored_print(file_print: str, kind: str, path: Path, size: int) -> str:
    """What `source_files.fingerprint` keeps: the file's fingerprint and, for an mbox, its prefix signature."""
    if kind == MBOX and path.is_file():
        return f"{file_print} {prefix_signature(path, size)}"
    return file_print


def _grown_mbox_offset(path: Path, size: int, stored: str, parsed_bytes: int | None) -> int | None:
    """Where to resume parsing an mbox that only grew since it was parsed, or None when it must be re-read."""
    stored_file_print, _, signature = stored.partition(" ")
    if not signature or not parsed_bytes or size <= parsed_bytes:
        return None
    if not stored_file_print.startswith(f"{parser_version()}:"):  # the old messages were read by another parser
        return None
    if prefix_signature(path, parsed_bytes) != signature:
        return None
    with open(path, "rb") as handle:  # the old end must be where a message starts, or the tail is not new mail
        handle.seek(parsed_bytes)
        return parsed_bytes if handle.read(5) == b"From " else None


@dataclass(frozen=True, slots=True)
class ParseJob:
    """One file to parse, or for an mbox the messages starting in bytes [start, end) of it."""

    kind: str
    path: Path
    start: int = 0
    end: int | None = None
    keeps_file_rejects: bool = True  # of a file cut into ranges, only the first reports "cannot open"

    @property
    def is_mbox_range(self) -> bool:
        return self.kind == MBOX and (self.start > 0 or self.end is not None)


@dataclass(slots=True)
class _PlannedLoad:
    load: FileLoad
    size: int
    stored_print: str
    append: bool
    jobs: list[ParseJob]


def _byte_offset(record: Record) -> int | None:
    location = record.location
    return int(location[5:]) if location.startswith("byte ") else None


def mbox_message_after(path: Path, offset: int) -> int | None:
    """Offset of the first message that starts after `offset` (found by the parser's own separator rule)."""
    for record in parse_mbox(path, offset):
        start = _byte_offset(record)
        if start is not None and start > offset:
            return start
    return None


def mbox_ranges(path: Path, start: int, size: int, pieces: int) -> list[tuple[int, int | None]]:
    """[start, end) ranges of about equal size, each beginning where a message begins."""
    bounds = [start]
    for number in range(1, pieces):
        boundary = mbox_message_after(path, start + (size - start) * number // pieces)
        if boundary is not None and boundary > bounds[-1]:
            bounds.append(boundary)
    return [(low, high) for low, high in zip(bounds, [*bounds[1:], None])]


def _mbox_range_records(job: ParseJob, parse: Parser) -> Iterator[Record]:
    """The records of messages starting in the job's byte range."""
    for record in parse(job.kind, job.path, start_offset=job.start):
        offset = _byte_offset(record)
        if offset is None and not job.keeps_file_rejects:
            continue
        if job.end is not None and offset is not None and offset >= job.end:
            return
        yield record


def _records(job: ParseJob, parse: Parser) -> Iterator[Record]:
    return _mbox_range_records(job, parse) if job.is_mbox_range else parse(job.kind, job.path)


def parser_resumes_mbox(parse: Parser) -> bool:
    """Whether `parse` takes `start_offset` (for an mbox: read from that From_ line on).

    Without it an mbox is neither split into ranges nor resumed, only parsed whole.
    """
    try:
        return "start_offset" in inspect.signature(parse).parameters
    except (TypeError, ValueError):
        return False


def _plan(con: duckdb.DuckDBPyConnection, item: InboxFile, pieces: int, resumes_mbox: bool) -> _PlannedLoad:
    path = path_text(item.path)
    # a LinkedIn export's folder may hold the user's other exports too: only its CSV files are the export
    size, file_print = fingerprint(item.path, "*.[cC][sS][vV]" if item.kind == LINKEDIN else "*")
    file_print = f"{parser_version()}:{file_print}"
    stored = con.execute("select fingerprint, parsed_bytes from source_files where path = ?", [path]).fetchall()
    stored_print, parsed_bytes = stored[0] if stored else (None, None)
    load = FileLoad(path=path, kind=item.kind)
    if stored_print is not None and stored_print.partition(" ")[0] == file_print:
        load.skipped = True
        return _PlannedLoad(load, size, stored_print, False, [])
    new_print = _stored_print(file_print, item.kind, item.path, size)
    if item.kind != MBOX or not item.path.is_file() or not resumes_mbox:
        return _PlannedLoad(load, size, new_print, False, [ParseJob(item.kind, item.path)])
    resume = _grown_mbox_offset(item.path, size, stored_print, parsed_bytes) if stored_print else None
    start = resume or 0
    ranges = mbox_ranges(item.path, start, size, max(1, min(pieces, -(-(size - start) // RANGE_BYTES))))
    jobs = [ParseJob(item.kind, item.path, low, high, low == start) for low, high in ranges]
    return _PlannedLoad(load, size, new_print, resume is not None, jobs)


def _parse_to_parquet(job: ParseJob, parse: Parser, folder: str) -> tuple[int, int, list[str]]:
    """In a worker: parse one job into Parquet files under `folder`; (records, rejected, files)."""
    writer = ParquetRawWriter(Path(folder))
    writer.add_all(_records(job, parse))
    return writer.records, writer.rejected, writer.close()


def _load_in_process(con: duckdb.DuckDBPyConnection, plan: _PlannedLoad, parse: Parser) -> FileLoad:
    records = (record for job in plan.jobs for record in _records(job, parse))
    try:
        return load_source_file(con, plan.load.path, plan.load.kind, records, plan.size, plan.stored_print, append=plan.append)
    except Exception as error:  # a record the raw layer cannot store costs its file, not the build
        reason = f"could not be stored: {type(error).__name__}: {(str(error).splitlines() or [''])[0]}"
        rejects = [Reject(plan.load.kind, plan.load.path, "file", reason)]
        # No fingerprint: the next build tries the file again instead of keeping only this reject.
        return load_source_file(con, plan.load.path, plan.load.kind, rejects, plan.size, None)


def _load_in_workers(con: duckdb.DuckDBPyConnection, plans: list[_PlannedLoad], parse: Parser, workers: int) -> None:
    """Parse every job in a process pool, then load each file's Parquet parts in file order."""
    with tempfile.TemporaryDirectory(prefix="kith-parse-") as scratch:
        # spawn, not fork: the parent holds DuckDB's threads, which a forked child would inherit half-alive.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = []
            for plan_number, plan in enumerate(plans):
                for job_number, job in enumerate(plan.jobs):
                    folder = Path(scratch) / f"{plan_number}-{job_number}"
                    folder.mkdir()
                    futures.append((plan, pool.submit(_parse_to_parquet, job, parse, str(folder))))
            parts: dict[int, list[str]] = {}
            failed: set[int] = set()
            for plan, future in futures:
                try:
                    records, rejected, files = future.result()
                except Exception:  # the file is loaded again in this process, which turns the error into a reject
                    failed.add(id(plan))
                    continue
                plan.load.records += records
                plan.load.rejected += rejected
                parts.setdefault(id(plan), []).extend(files)
        for plan in plans:
            if id(plan) in failed:
                plan.load = _load_in_process(con, plan, parse)
            else:
                load_parquet_files(con, plan.load, parts.get(id(plan), []), plan.size, plan.stored_print, append=plan.append)


def ingest_files(
    con: duckdb.DuckDBPyConnection,
    files: Iterable[InboxFile],
    kinds: Iterable[str],
    parse: Parser,
    workers: int = DEFAULT_WORKERS,
) -> list[FileLoad]:
    """Load every file of `kinds` that is new or changed; drop what vanished from those kinds.

    An mbox that only grew is parsed from its old end and appended to (when `parse` takes
    `start_offset`, see `parser_resumes_mbox`). With `workers` > 1, more than
    one parse job (files, or ranges of a large mbox) and at least PARALLEL_MIN_BYTES to read, jobs run
    in that many processes (`parse` must then be picklable: a module-level function).
    """
    kinds = set(kinds)
    resumes_mbox = parser_resumes_mbox(parse)
    plans = [_plan(con, item, workers, resumes_mbox) for item in files if item.kind in kinds]
    to_parse = [plan for plan in plans if not plan.load.skipped]
    parse_bytes = sum(plan.size - (plan.jobs[0].start if plan.append else 0) for plan in to_parse)
    if workers > 1 and sum(len(plan.jobs) for plan in to_parse) > 1 and parse_bytes >= PARALLEL_MIN_BYTES:
        _load_in_workers(con, to_parse, parse, workers)
    else:
        for plan in to_parse:
            plan.load = _load_in_process(con, plan, parse)
    present = {plan.load.path for plan in plans}
    placeholders = ", ".join("?" for _ in kinds)
    known = con.execute(f"select path from source_files where kind in ({placeholders})", sorted(kinds)).fetchall()
    for (path,) in known:
        if path not in present:
            forget_source_file(con, path)
    _drop_rows_of_unfinished_loads(con)
    return [plan.load for plan in plans]


def _drop_rows_of_unfinished_loads(con: duckdb.DuckDBPyConnection) -> None:
    """Rows of a file whose load died before its `source_files` row was written belong to nobody."""
    for table in RAW_TABLES:
        con.execute(f"delete from {table} where source_file not in (select path from source_files)")


def inbox_is_readable(inbox: Path) -> bool:
    return inbox.is_dir() and os.access(inbox, os.R_OK | os.X_OK)


def raw_data_version(con: duckdb.DuckDBPyConnection) -> str:
    """A hash of what the raw layer holds: every source file's fingerprint and counts, every account's sync state
    and the reasons its records were rejected (an account has no fingerprint: a sync that fails for a new reason
    changes no count).

    It changes whenever a load adds, replaces or drops rows, so a build can skip the steps whose inputs
    are only raw data and settings (staging, resolution) when it equals the version those steps last saw.
    """
    files = con.execute(
        "select path, fingerprint, parsed_bytes, records, rejected from source_files order by path"
    ).fetchall()
    accounts = con.execute("select account, state::varchar from account_sync_state order by account").fetchall()
    account_rejects = con.execute(
        "select source_file, location, reason from raw_rejected where starts_with(source_file, ?) order by all",
        [ACCOUNT_SOURCE_PREFIX],
    ).fetchall()
    return hashlib.sha256(repr((files, accounts, account_rejects)).encode()).hexdigest()
