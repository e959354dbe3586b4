"""Registers the normalisation helpers in a DuckDB connection: SQL macros, E.164 phones, nickname groups."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from importlib import resources
from pathlib import Path

import duckdb
import phonenumbers

SQL_DIR = Path(__file__).parent / "sql"
# shared with the published views
PERSONAL_MAIL_SQL = Path(__file__).parents[1] / "warehouse" / "sql" / "personal_mail.sql"
LEGAL_FORMS_SQL = Path(__file__).parents[1] / "warehouse" / "sql" / "legal_forms.sql"


def phone_e164(value: str | None, default_region: str, written_abroad: frozenset[str] = frozenset(),
               abroad_regions: tuple[str, ...] = ()) -> str | None:
    """A phone number in E.164 (with its extension, `;ext=5555`), or None when it is no valid number. A number
    without a country code is read in `default_region`, unless read in one of `abroad_regions` it is one of
    `written_abroad`: a German address book's 06 12 34 56 78 is the French +33 6 12 34 56 78 another card gives
    (German numbering accepts it too)."""
    if not value:
        return None
    text = _dialable(value)
    if written_abroad and not text.startswith("+"):
        for region in abroad_regions:
            number = _e164(text, region)
            if number in written_abroad:
                return number
    return _e164(text, default_region)


# Prefixes a country has retired that address books still hold: Mexico dropped the mobile 1 after +52 and the 044,
# 045 and 01 dialling prefixes in 2019 (+52 1 55 1234 5678 and 044 55 1234 5678 are +52 55 1234 5678 today).
_RETIRED_PREFIXES = {52: ("044", "045", "01", "1")}


def _e164(text: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(text, region.upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        number = _without_retired_prefix(number)
        if number is None:
            return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # colleagues on one switchboard are told apart by their extensions, which E.164 has no place for (RFC 3966's)
    return f"{e164};ext={number.extension}" if number.extension else e164


def _without_retired_prefix(number: phonenumbers.PhoneNumber) -> phonenumbers.PhoneNumber | None:
    """The number without a retired prefix before its national number, when that makes it a valid number."""
    digits = phonenumbers.national_significant_number(number)
    for prefix in _RETIRED_PREFIXES.get(number.country_code, ()):
        if digits.startswith(prefix):
            today = phonenumbers.parse(f"+{number.country_code}{digits[len(prefix):]}")
            if phonenumbers.is_valid_number(today):
                today.extension = number.extension
                return today
    return None


# Numbers without a country code are read in this region when neither the settings nor the address book say better.
FALLBACK_REGION = "US"
# How many of the regions the address book's international numbers come from are tried for its national ones.
_CANDIDATE_REGIONS = 5
_MOSTLY, _NEARLY_ALL = 0.5, 0.9  # shares of the national numbers valid in the US, in the region chosen instead


def phone_settings(con: duckdb.DuckDBPyConnection, configured: str | None) -> tuple[str, frozenset[str]]:
    """How the address books' numbers are read, from one pass over them: the region of numbers written without a
    country code (`phone_region`), and every number written with one, in E.164 (see `phone_e164`)."""
    texts = [_dialable(written) for (written,) in con.execute((SQL_DIR / "card_phones.sql").read_text()).fetchall()]
    international = [text for text in texts if text.startswith("+")]
    national = [text for text in texts if not text.startswith("+")]
    abroad = frozenset(number for number in map(lambda text: _e164(text, FALLBACK_REGION), international) if number)
    return (configured.upper() if configured else phone_region(national, abroad)), abroad


def phone_region(national: list[str], international: frozenset[str]) -> str:
    """The region of the `national` numbers (written without a country code): a region the `international` ones
    (E.164) come from in which nearly all national ones are valid while most are not valid in the US (an address
    book of +44 numbers and 020 ... ones is British), else the US.

    Validity alone cannot choose: some numbering plans (Germany's) accept most digit strings, so an American address
    book with a few +49 friends must stay American, and a book mixing national numbers of several countries has no
    region that reads them all."""
    regions = Counter(map(_region_of, international))

    def valid_share(region: str) -> float:
        return sum(_is_valid(text, region) for text in national) / len(national)

    if not national or valid_share(FALLBACK_REGION) >= _MOSTLY:
        return FALLBACK_REGION
    candidates = [(valid_share(region), count, region) for region, count in regions.most_common(_CANDIDATE_REGIONS)
                  if region not in (None, "ZZ", FALLBACK_REGION)]
    share, _, region = max(candidates, default=(0.0, 0, FALLBACK_REGION))
    return region if share >= _NEARLY_ALL else FALLBACK_REGION


def staged_phone_settings(con: duckdb.DuckDBPyConnection, configured: str | None) -> tuple[str, frozenset[str]]:
    """The region the last staging read numbers in and the numbers it found written abroad (`phone_settings` costs a
    pass over every card's phones)."""
    if con.execute("select count(*) from duckdb_tables() where table_name = 'phone_settings'").fetchone()[0]:
        region, abroad = con.execute("select region, written_abroad from phone_settings").fetchone()
        return (configured or region).upper(), frozenset(abroad)
    return (configured or FALLBACK_REGION).upper(), frozenset()


def _region_of(number: str) -> str | None:
    """The region of a number in E.164."""
    return phonenumbers.region_code_for_number(phonenumbers.parse(number))


def _dialable(value: str) -> str:
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
    return "+" + text[2:] if text.startswith("00") else text


def _is_valid(text: str, region: str) -> bool:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number) or _without_retired_prefix(number) is not None


# (nickname, canonical name) pairs of the `nicknames` package (English names) and of the short forms of names in other
# languages it does not know (Paco, Nacho, Misha, Kasia), in the package's columns; both lower-case, without accents.
NICKNAMES_SELECT = """
select distinct name2 as nickname, name1 as canonical
from read_csv([?, ?], header = true, all_varchar = true)
where relationship = 'has_nickname'
order by all
"""
NICKNAMES_BEYOND_ENGLISH_CSV = SQL_DIR / "nicknames_beyond_english.csv"


def _names_csv():
    return resources.as_file(resources.files("nicknames").joinpath("names.csv"))


def _nickname_files(names_csv: Path) -> list[str]:
    return [str(names_csv), str(NICKNAMES_BEYOND_ENGLISH_CSV)]


@lru_cache(maxsize=1)
def nickname_pairs() -> tuple[tuple[str, str], ...]:
    """(name, canonical name) pairs, both lower-case (NICKNAMES_SELECT)."""
    with _names_csv() as names_csv, duckdb.connect() as con:
        return tuple(con.execute(NICKNAMES_SELECT, _nickname_files(names_csv)).fetchall())


def register_functions(con: duckdb.DuckDBPyConnection, default_region: str,
                       abroad: frozenset[str] = frozenset()) -> None:
    """Make the macros and the `phone_e164(value)` function available on this connection (`abroad`: see
    `phone_e164`'s `written_abroad`)."""
    abroad_regions = tuple(sorted(set(map(_region_of, abroad)) - {None, "ZZ"}))
    con.execute(PERSONAL_MAIL_SQL.read_text())
    con.execute(LEGAL_FORMS_SQL.read_text())
    con.execute((SQL_DIR / "macros.sql").read_text())
    try:
        con.remove_function("phone_e164")
    except (duckdb.InvalidInputException, duckdb.CatalogException):
        pass
    con.create_function(
        "phone_e164",
        lambda value: phone_e164(value, default_region, abroad, abroad_regions),
        [duckdb.sqltype("VARCHAR")],
        duckdb.sqltype("VARCHAR"),
        null_handling="special",
        side_effects=False,
    )


def create_nickname_table(con: duckdb.DuckDBPyConnection) -> None:
    """The `nicknames(nickname, canonical)` table that name matching reads, from the `nicknames` package's CSV and
    nicknames_beyond_english.csv."""
    with _names_csv() as names_csv:
        con.execute(f"create or replace table nicknames as {NICKNAMES_SELECT}", _nickname_files(names_csv))
