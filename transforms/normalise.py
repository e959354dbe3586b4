"""Registers the normalisation helpers in a DuckDB connection: SQL macros, E.164 phones, nickname groups."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from pathlib import Path

import duckdb
import phonenumbers

SQL_DIR = Path(__file__).parent / "sql"


def phone_e164(value: str | None, default_region: str) -> str | None:
    """A phone number in E.164, or None when it is no valid number (a number without a country
    code is read in `default_region`)."""
    if not value:
        return None
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, default_region.upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=1)
def nickname_pairs() -> tuple[tuple[str, str], ...]:
    """(name, canonical name) pairs from the `nicknames` package, both lower-case."""
    with resources.files("nicknames").joinpath("names.csv").open(encoding="utf-8") as handle:
        rows = [(row["name2"], row["name1"]) for row in csv.DictReader(handle) if row["relationship"] == "has_nickname"]
    return tuple(sorted(set(rows)))


def register_functions(con: duckdb.DuckDBPyConnection, default_region: str) -> None:
    """Make the macros and the `phone_e164(value)` function available on this connection."""
    con.execute((SQL_DIR / "macros.sql").read_text())
    try:
        con.remove_function("phone_e164")
    except (duckdb.InvalidInputException, duckdb.CatalogException):
        pass
    con.create_function(
        "phone_e164",
        lambda value: phone_e164(value, default_region),
        [duckdb.sqltype("VARCHAR")],
        duckdb.sqltype("VARCHAR"),
        null_handling="special",
        side_effects=False,
    )


NICKNAMES_SQL = """
create or replace table nicknames as
select distinct name2 as nickname, name1 as canonical
from read_csv(?, header = true, all_varchar = true)
where relationship = 'has_nickname'
order by all
"""


def create_nickname_table(con: duckdb.DuckDBPyConnection) -> None:
    """The `nicknames(nickname, canonical)` table that name matching reads, straight from the package's CSV."""
    with resources.as_file(resources.files("nicknames").joinpath("names.csv")) as names_csv:
        con.execute(NICKNAMES_SQL, [str(names_csv)])
