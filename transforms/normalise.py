"""Registers the normalisation helpers in a DuckDB connection: SQL macros, E.164 phones, nickname groups."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import duckdb
import phonenumbers

SQL_DIR = Path(__file__).parent / "sql"
# shared with the published views
PERSONAL_MAIL_SQL = Path(__file__).parents[1] / "warehouse" / "sql" / "personal_mail.sql"


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


# (nickname, canonical name) pairs of the `nicknames` package, both lower-case.
NICKNAMES_SELECT = """
select distinct name2 as nickname, name1 as canonical
from read_csv(?, header = true, all_varchar = true)
where relationship = 'has_nickname'
order by all
"""


def _names_csv():
    return resources.as_file(resources.files("nicknames").joinpath("names.csv"))


@lru_cache(maxsize=1)
def nickname_pairs() -> tuple[tuple[str, str], ...]:
    """(name, canonical name) pairs from the `nicknames` package, both lower-case."""
    with _names_csv() as names_csv, duckdb.connect() as con:
        return tuple(con.execute(NICKNAMES_SELECT, [str(names_csv)]).fetchall())


def register_functions(con: duckdb.DuckDBPyConnection, default_region: str) -> None:
    """Make the macros and the `phone_e164(value)` function available on this connection."""
    con.execute(PERSONAL_MAIL_SQL.read_text())
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


def create_nickname_table(con: duckdb.DuckDBPyConnection) -> None:
    """The `nicknames(nickname, canonical)` table that name matching reads, straight from the package's CSV."""
    with _names_csv() as names_csv:
        con.execute(f"create or replace table nicknames as {NICKNAMES_SELECT}", [str(names_csv)])
