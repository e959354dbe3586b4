"""`kith forget`: records a person's identifiers in forgotten.toml, removes them from the served warehouse now,
and feeds staging."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from warehouse.files import replacing, work_database_beside

FORGOTTEN_FILE = "forgotten.toml"
_MACROS_SQL = Path(__file__).parent / "sql" / "macros.sql"

# The warehouse's tables that name a person, and the columns naming them, read from its catalog so a table published
# later is not missed (views follow their tables; temporary tables are forget's own).
PERSON_COLUMNS_SQL = """
select table_name, column_name
from duckdb_columns()
where column_name in ('person_id', 'person_a', 'person_b')
  and (database_name, schema_name, table_name) in (
      select database_name, schema_name, table_name from duckdb_tables() where not temporary)
order by all
"""


class ForgetError(ValueError):
    """The target names nobody Kith knows; printed as one line."""


@dataclass
class Forgotten:
    """Whom `forget` found and what it recorded."""

    target: str
    person_ids: list[int] = field(default_factory=list)
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (kind, normalised value)


def forgotten_path(home: Path) -> Path:
    return home / FORGOTTEN_FILE


def read_forgotten(home: Path) -> list[tuple[str, str]]:
    """Every (kind, value) ever forgotten, from `<home>/forgotten.toml`; none when the file is absent."""
    path = forgotten_path(home)
    if not path.exists():
        return []
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("forgotten", [])
    return sorted({(kind, value) for entry in entries for kind, value in entry.get("identifiers", [])})


def load_forgotten(con: duckdb.DuckDBPyConnection, home: Path) -> None:
    """(Re)create `forgotten_identifiers(kind, value)` in the work DB; staging (records.sql) filters on it."""
    rows = read_forgotten(home)
    # bound as two lists, not registered as a table: registering loads pandas, half a second of every build
    con.execute(
        "create or replace table forgotten_identifiers as "
        "select unnest(?::varchar[]) as kind, unnest(?::varchar[]) as value",
        [[kind for kind, _ in rows], [value for _, value in rows]],
    )


def canonical_email(address: str) -> str | None:
    """The address as staging stores it (the same `email_canonical` macro): Gmail dots and +tags dropped."""
    con = duckdb.connect()
    try:
        con.execute(_MACROS_SQL.read_text())
        return con.execute("select email_canonical(?)", [address]).fetchall()[0][0]
    finally:
        con.close()


def forget(home: Path, warehouse: Path | None, target: str) -> Forgotten:
    """Forget the person `target` names (an email address or a person id) everywhere, now and in later builds.

    Their identifiers are read from the published warehouse (or the work DB beside it), appended to
    `<home>/forgotten.toml`, and the person is removed from the served warehouse by a copy-and-swap.
    An email address Kith never saw is still recorded, so it never appears later.
    """
    target = target.strip()
    email = canonical_email(target) if "@" in target else None
    if "@" in target and email is None:
        raise ForgetError(f"{target!r} is not an email address")
    if not email and not target.isdigit():
        raise ForgetError("say whom to forget: an email address or a person id")
    found = _find(warehouse, target, email) if warehouse is not None else Forgotten(target)
    if not found.identifiers:
        if email is None:
            raise ForgetError(f"no person {target!r} in the warehouse")
        found.identifiers = [("email", email)]
    _record(home, found)
    if warehouse is not None and warehouse.exists():
        _remove_from_warehouse(warehouse, found)
    return found


def _databases(warehouse: Path) -> list[Path]:
    return [path for path in (warehouse, work_database_beside(warehouse)) if path.exists()]


def _find(warehouse: Path, target: str, email: str | None) -> Forgotten:
    found = Forgotten(target)
    for database in _databases(warehouse):
        con = duckdb.connect(str(database), read_only=True)
        try:
            if not con.execute("select count(*) from duckdb_tables() where table_name = 'identifiers'").fetchall()[0][0]:
                continue
            if email is not None:
                ids = con.execute(
                    "select distinct person_id from identifiers where kind = 'email' and value = ? and person_id is not null",
                    [email],
                ).fetchall()
            else:
                ids = con.execute("select distinct person_id from people where person_id = ?", [int(target)]).fetchall()
            found.person_ids = sorted(person_id for (person_id,) in ids)
            if found.person_ids:
                # An address several people hold names all of them, and all are forgotten; an identifier they share
                # with someone else (a household's phone) stays, so forgetting them does not erase another.
                rows = con.execute(
                    "select distinct kind, value from identifiers "
                    "where list_contains(?, person_id) and not coalesce(shared_by_several_people, false) order by all",
                    [found.person_ids],
                ).fetchall()
                # ...but the address the user named goes, shared or not
                named = {("email", email)} if email is not None else set()
                found.identifiers = sorted({(kind, value) for kind, value in rows} | named)
                return found
        finally:
            con.close()
    return found


def _toml_string(text: str) -> str:
    # A JSON string is a valid TOML basic string for every character JSON escapes.
    return json.dumps(text, ensure_ascii=False)


def _record(home: Path, found: Forgotten) -> None:
    """Append one [[forgotten]] entry; the file is private (0600) like everything in the Kith home."""
    home.mkdir(parents=True, exist_ok=True)
    path = forgotten_path(home)
    pairs = ", ".join(f"[{_toml_string(kind)}, {_toml_string(value)}]" for kind, value in found.identifiers)
    entry = (
        f"\n[[forgotten]]\ntarget = {_toml_string(found.target)}\n"
        f"forgotten_at = {datetime.now(timezone.utc).isoformat(timespec='seconds')}\n"
        f"identifiers = [{pairs}]\n"
    )
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(entry)
        handle.flush()
        os.fsync(handle.fileno())


def _remove_from_warehouse(warehouse: Path, found: Forgotten) -> None:
    """Delete the person's rows in a private copy of the warehouse, then swap it over the served file."""
    with replacing(warehouse, suffix=".forget.tmp") as staging:
        shutil.copyfile(warehouse, staging)
        con = duckdb.connect(str(staging))
        try:
            con.execute("create temp table gone_people as select unnest(?::bigint[]) as person_id", [found.person_ids])
            con.execute("create temp table gone_identifiers (kind varchar, value varchar)")
            con.executemany("insert into gone_identifiers values (?, ?)", [list(pair) for pair in found.identifiers])
            for table, column in con.execute(PERSON_COLUMNS_SQL).fetchall():
                con.execute(f"delete from {table} where {column} in (select person_id from gone_people)")
            con.execute("delete from identifiers where (kind, value) in (select kind, value from gone_identifiers)")
            con.execute("checkpoint")
        finally:
            con.close()
