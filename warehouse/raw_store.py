"""Loads connector records into the raw tables of the work database, in Arrow batches, one source file at a time."""

from __future__ import annotations

import dataclasses
import json
import operator
from functools import lru_cache
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from connectors.accounts import ACCOUNT_LOCATION, ACCOUNT_SOURCE_PREFIX, account_source_file
from connectors.records import ContactCard, Identifier, Interaction, OwnerIdentity, Participant, Record, Reject

RAW_SCHEMA_SQL = (Path(__file__).parent / "sql" / "raw.sql").read_text()

BATCH_SIZE = 20_000
READ_BY_PARSER = "read_by_parser"  # in an account's sync state: the parser version of its last full sync

_STRING = pa.string()
_TIMESTAMP = pa.timestamp("us", tz="UTC")
_IDENTIFIERS = pa.list_(pa.struct([("kind", _STRING), ("value", _STRING), ("label", _STRING)]))
_PARTICIPANTS = pa.list_(
    pa.struct([("role", _STRING), ("kind", _STRING), ("value", _STRING), ("name", _STRING), ("response", _STRING)])
)

# The raw table each record type lands in, and the Arrow type of each of its fields.
_ARROW_TYPES: dict[type, tuple[str, dict[str, pa.DataType]]] = {
    ContactCard: (
        "raw_contacts",
        {
            "connected_at": _TIMESTAMP,
            "observed_at": _TIMESTAMP,
            "identifiers": _IDENTIFIERS,
            "categories": pa.list_(_STRING),
            "addresses": pa.list_(_STRING),
            "urls": pa.list_(_STRING),
            "deleted": pa.bool_(),
        },
    ),
    Interaction: (
        "raw_interactions",
        {
            "occurred_at": _TIMESTAMP,
            "duration_minutes": pa.float64(),
            "labels": pa.list_(_STRING),
            "participants": _PARTICIPANTS,
        },
    ),
    OwnerIdentity: ("raw_owner_identities", {"started_on": pa.date32(), "finished_on": pa.date32()}),
    Reject: ("raw_rejected", {}),
}

# Arrow schema per record type, in the record's field order (fields not listed above are strings).
ARROW_SCHEMAS: dict[type, tuple[str, pa.Schema]] = {
    record_type: (
        table,
        pa.schema([(f.name, types.get(f.name, _STRING)) for f in dataclasses.fields(record_type)]),
    )
    for record_type, (table, types) in _ARROW_TYPES.items()
}

RAW_TABLES = [table for table, _ in ARROW_SCHEMAS.values()]


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(RAW_SCHEMA_SQL)


@lru_cache(maxsize=None)
def _field_names(record_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(record_type))


# Nested record lists (identifiers, participants) and the record type inside them.
_NESTED_FIELDS = {ContactCard: {"identifiers": Identifier}, Interaction: {"participants": Participant}}


@lru_cache(maxsize=None)
def _row_reader(record_type: type):
    """A function turning one record into a tuple in field order, nested records into tuples too
    (Arrow reads tuples as structs in field order). attrgetter does the work in C: at a million
    messages this conversion is most of the loading cost."""
    read = operator.attrgetter(*_field_names(record_type))
    nested = [
        (_field_names(record_type).index(name), operator.attrgetter(*_field_names(item_type)))
        for name, item_type in _NESTED_FIELDS.get(record_type, {}).items()
    ]
    if not nested:
        return read

    def read_with_nested(record):
        row = list(read(record))
        for index, read_item in nested:
            row[index] = [read_item(item) for item in row[index]]
        return row

    return read_with_nested


def _as_row(record: Record):
    return _row_reader(type(record))(record)


class RawWriter:
    """Buffers records per raw table and appends them to DuckDB as Arrow batches.

    `table_prefix` sends them to twin tables (`incoming_raw_contacts`, ...) instead.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, batch_size: int = BATCH_SIZE, table_prefix: str = ""):
        self.con = con
        self.batch_size = batch_size
        self.table_prefix = table_prefix
        self._rows: dict[type, list[tuple]] = {record_type: [] for record_type in ARROW_SCHEMAS}
        self._written: dict[type, int] = dict.fromkeys(ARROW_SCHEMAS, 0)

    def add(self, record: Record) -> None:
        rows = self._rows[type(record)]
        rows.append(_as_row(record))
        if len(rows) >= self.batch_size:
            self._flush(type(record))

    def add_all(self, records: Iterable[Record]) -> None:
        """Write every record, then flush: the loop a whole file or account goes through."""
        for record in records:
            self.add(record)
        self.flush()

    def flush(self) -> None:
        for record_type in ARROW_SCHEMAS:
            self._flush(record_type)

    @property
    def records(self) -> int:
        """Contact cards and interactions written so far (owner facts are not records)."""
        return self._written[ContactCard] + self._written[Interaction]

    @property
    def rejected(self) -> int:
        return self._written[Reject]

    def _flush(self, record_type: type) -> None:
        rows = self._rows[record_type]
        if not rows:
            return
        table_name, schema = ARROW_SCHEMAS[record_type]
        columns = list(zip(*rows))
        batch = pa.Table.from_arrays(
            [pa.array(column, type=schema.field(i).type) for i, column in enumerate(columns)], schema=schema
        )
        self.write(table_name, batch)
        self._written[record_type] += len(rows)
        rows.clear()

    def write(self, table_name: str, batch: pa.Table) -> None:
        self.con.register("raw_batch", batch)
        try:
            self.con.execute(f"insert into {self.table_prefix}{table_name} by name select * from raw_batch")
        finally:
            self.con.unregister("raw_batch")


class ParquetRawWriter(RawWriter):
    """A RawWriter that writes each raw table's batches to `<folder>/<table>.parquet` instead of DuckDB.

    A worker process parses into these files without touching the database; the parent then loads them
    with `load_parquet_files`.
    """

    def __init__(self, folder: Path, batch_size: int = BATCH_SIZE):
        super().__init__(con=None, batch_size=batch_size)  # type: ignore[arg-type]
        self.folder = folder
        self._writers: dict[str, pq.ParquetWriter] = {}

    def write(self, table_name: str, batch: pa.Table) -> None:
        if table_name not in self._writers:
            self._writers[table_name] = pq.ParquetWriter(self.folder / f"{table_name}.parquet", batch.schema)
        self._writers[table_name].write_table(batch)

    def close(self) -> list[str]:
        """Flush, close the files, and return their paths."""
        self.flush()
        for writer in self._writers.values():
            writer.close()
        return [str(self.folder / f"{table}.parquet") for table in self._writers]


@dataclasses.dataclass(slots=True)
class FileLoad:
    """What loading one source file produced."""

    path: str
    kind: str
    records: int = 0
    rejected: int = 0
    skipped: bool = False


def forget_source_file(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """Remove every raw row and the bookkeeping row of one source file."""
    for table in RAW_TABLES:
        con.execute(f"delete from {table} where source_file = ?", [path])
    con.execute("delete from source_files where path = ?", [path])


# Source files whose counts in `source_files` disagree with the rows they hold in the raw tables.
_UNRECONCILED_FILES_SQL = """
with landed as (
    select source_file, count(*) as rows from (
        select source_file from raw_contacts
        union all select source_file from raw_interactions
    ) group by all
),
rejected as (select source_file, count(*) as rows from raw_rejected group by all)
select count(*) from source_files as f
left join landed as l on l.source_file = f.path
left join rejected as r on r.source_file = f.path
where f.records <> coalesce(l.rows, 0) or f.rejected <> coalesce(r.rows, 0)
"""


def unreconciled_file_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many source files hold other rows than their counts say: none, unless Kith has a bug."""
    return con.execute(_UNRECONCILED_FILES_SQL).fetchall()[0][0]


def _start_load(con: duckdb.DuckDBPyConnection, load: FileLoad, append: bool) -> None:
    """Clear the file's rows (or, with `append`, keep them and carry its counts into `load`)."""
    previous = con.execute("select records, rejected from source_files where path = ?", [load.path]).fetchall()
    if append and previous:
        load.records += previous[0][0]
        load.rejected += previous[0][1]
        con.execute("delete from source_files where path = ?", [load.path])
    else:
        forget_source_file(con, load.path)


def _finish_load(con: duckdb.DuckDBPyConnection, load: FileLoad, size_bytes: int | None, fingerprint: str | None) -> None:
    con.execute(
        "insert into source_files values (?, ?, ?, ?, ?, ?, ?, ?)",
        [load.path, load.kind, size_bytes, fingerprint, size_bytes, load.records, load.rejected, datetime.now(timezone.utc)],
    )


def load_source_file(
    con: duckdb.DuckDBPyConnection,
    path: str,
    kind: str,
    records: Iterable[Record],
    size_bytes: int | None = None,
    fingerprint: str | None = None,
    *,
    append: bool = False,
) -> FileLoad:
    """Replace everything one source file contributed with `records` (or add to it with `append`).

    Batches commit as they go, so memory stays flat for a mailbox of any size; the file's
    `source_files` row is written last, so a load that dies half-way is redone by the next build
    (and the published warehouse is untouched until a build completes). `records` counts what the
    file yielded except owner facts; `rejected` counts the rejects.
    """
    load = FileLoad(path=path, kind=kind)
    _start_load(con, load, append)
    writer = RawWriter(con)
    try:
        writer.add_all(records)
    except BaseException:
        forget_source_file(con, path)
        raise
    load.records += writer.records
    load.rejected += writer.rejected
    _finish_load(con, load, size_bytes, fingerprint)
    return load


def load_parquet_files(
    con: duckdb.DuckDBPyConnection,
    load: FileLoad,
    parquet_files: Iterable[str],
    size_bytes: int | None = None,
    fingerprint: str | None = None,
    *,
    append: bool = False,
) -> FileLoad:
    """`load_source_file` for records a worker already wrote with `ParquetRawWriter` and counted into `load`.

    Each table is loaded with one set-based insert; a file named `<table>.parquet` goes to that table.
    """
    by_table: dict[str, list[str]] = {}
    for file in parquet_files:
        by_table.setdefault(Path(file).stem, []).append(file)
    _start_load(con, load, append)
    try:
        for table, files in by_table.items():
            con.execute(f"insert into {table} by name select * from read_parquet(?)", [files])
    except BaseException:
        forget_source_file(con, load.path)
        raise
    _finish_load(con, load, size_bytes, fingerprint)
    return load


# Account records replace earlier copies by key: cards by record key, interactions by interaction key. A reject
# replaces an earlier one at its place (a card failing on every run is one row), and a record that lands there, or
# within it (a DAV item's records are at "<href>, card 1"), clears it: the item was fetched again.
_MERGE_ACCOUNT_SQL = """
delete from raw_contacts
where source_file = (select account from account_merge)
  and ((select full_sync from account_merge) or record_key in (select record_key from incoming_raw_contacts));
delete from raw_interactions
where source_file = (select account from account_merge)
  and ((select full_sync from account_merge) or interaction_key in (select interaction_key from incoming_raw_interactions));
delete from raw_owner_identities
where source_file = (select account from account_merge)
  and ((select full_sync from account_merge)
      or (kind, value) in (select kind, value from incoming_raw_owner_identities));
delete from raw_rejected
where source_file = (select account from account_merge)
  and ((select full_sync from account_merge) or location = 'account'
      or location in (select location from incoming_raw_rejected)
      or exists (
          select 1
          from (select location from incoming_raw_contacts union all select location from incoming_raw_interactions)
              as landed
          where landed.location = raw_rejected.location or starts_with(landed.location, raw_rejected.location || ', ')
      ));
insert into raw_contacts select * from incoming_raw_contacts where not coalesce(deleted, false);
insert into raw_interactions select * from incoming_raw_interactions;
insert into raw_owner_identities select * from incoming_raw_owner_identities;
insert into raw_rejected select * from incoming_raw_rejected;
"""


def load_account_records(
    con: duckdb.DuckDBPyConnection, account: str, kind: str, records: Iterable[Record], state: dict, parser: str
) -> FileLoad:
    """Merge what one account sync yielded into the raw tables (source_file `account:<name>`),
    and save the account's sync `state` in the same transaction.

    An incremental sync replaces the records it returns and drops deleted cards; a full sync
    (the connector sets `state["full_resync"]`, or there was no state) replaces everything, and the state
    then keeps the version of the parsers that read it (`read_by_parser`). A sync that stopped (a reject of the
    whole account: the server down, a password refused) only adds what it read: a full sync cut short must not
    drop what it did not get to.
    """
    source_file = account_source_file(account)
    full_sync = not state or bool(state.get("full_resync"))
    load = FileLoad(path=source_file, kind=kind)
    stops: list[Reject] = []
    con.execute("begin transaction")
    try:
        for table in RAW_TABLES:
            con.execute(f"create or replace temp table incoming_{table} as select * from {table} limit 0")
        writer = RawWriter(con, table_prefix="incoming_")
        writer.add_all(_noting_stops(records, stops))
        load.records, load.rejected = writer.records, writer.rejected
        full_sync = (full_sync or bool(state.get("full_resync"))) and not stops
        if full_sync and state:  # an empty state is a first sync that failed: the next run starts again
            state[READ_BY_PARSER] = parser
        con.execute("create or replace temp table account_merge as select ? as account, ? as full_sync", [source_file, full_sync])
        con.execute(_MERGE_ACCOUNT_SQL)
        totals = con.execute(
            "select (select count(*) from raw_contacts where source_file = $f) "
            "+ (select count(*) from raw_interactions where source_file = $f), "
            "(select count(*) from raw_rejected where source_file = $f)",
            {"f": source_file},
        ).fetchall()[0]
        con.execute("delete from source_files where path = ?", [source_file])
        con.execute(
            "insert into source_files values (?, ?, null, null, null, ?, ?, ?)",
            [source_file, kind, totals[0], totals[1], datetime.now(timezone.utc)],
        )
        # Saved with the records it describes: a crash never leaves the two out of step.
        save_account_state(con, account, state)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return load


def _noting_stops(records: Iterable[Record], stops: list[Reject]) -> Iterator[Record]:
    for record in records:
        if isinstance(record, Reject) and record.location == ACCOUNT_LOCATION:
            stops.append(record)
        yield record


def accounts_not_in(con: duckdb.DuckDBPyConnection, accounts: list[str]) -> list[str]:
    """The synced accounts that are not among `accounts` (no longer in the config, or renamed)."""
    return [path.removeprefix(ACCOUNT_SOURCE_PREFIX) for (path,) in con.execute(
        "select path from source_files where starts_with(path, $prefix) and not list_contains($kept, path) "
        "order by path", {"prefix": ACCOUNT_SOURCE_PREFIX, "kept": [account_source_file(a) for a in accounts]}
    ).fetchall()]


def forget_account(con: duckdb.DuckDBPyConnection, account: str) -> None:
    """Drop an account's raw rows and sync state, as of a file no longer in the inbox."""
    forget_source_file(con, account_source_file(account))
    con.execute("delete from account_sync_state where account = ?", [account])


def accounts_read_by_other_parsers(con: duckdb.DuckDBPyConnection, accounts: list[str], parser: str) -> list[str]:
    """Which of `accounts` were last read in full by other parsers than `parser` (or before Kith kept track)."""
    states = {account: account_state(con, account) for account in accounts}
    return [account for account, state in states.items() if state and state.get(READ_BY_PARSER) != parser]


def account_state(con: duckdb.DuckDBPyConnection, account: str) -> dict:
    rows = con.execute("select state from account_sync_state where account = ?", [account]).fetchall()
    return json.loads(rows[0][0]) if rows else {}


def save_account_state(con: duckdb.DuckDBPyConnection, account: str, state: dict) -> None:
    con.execute("insert or replace into account_sync_state values (?, ?)", [account, json.dumps(state, default=str)])
