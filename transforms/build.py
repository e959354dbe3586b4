"""Runs the transform steps over the work database: staging, resolution, interactions, scoring."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb

from transforms import normalise
from transforms.resolve import assign_person_ids, resolve

SQL_DIR = Path(__file__).parent / "sql"


@dataclass
class ScoringWeights:
    """Priors, weights and thresholds of the tie-strength model (docs/scoring.md); the [scoring] config table."""

    change_probability: float = 0.1  # the prior probability that a tie's rate changed once within the history
    prior_interactions: float = 0.5  # what the Gamma prior of a tie's rate is worth, in interactions
    prior_weekly_rate: float = 0.05  # the prior's mean rate: one interaction in 20 weeks
    half_life_days: float = 180.0  # how fast a day of contact fades in the decayed_days_of_contact feature
    long_half_life_days: float = 730.0  # how fast shared threads and meetings fade in connections_between_contacts
    outbound_weight: float = 1.0
    meeting_weight: float = 1.0
    email_weight: float = 1.0
    linkedin_weight: float = 1.0
    group_size_exponent: float = 8.0  # a group interaction weighs (k - 1)^-this: 1/256 for three people
    connection_group_size_exponent: float = 4.0  # the same for two contacts seen together (k - 2)^-this
    connection_co_recipient_weight: float = 0.25  # two contacts only addressed together, in mail neither wrote
    meeting_length_exponent: float = 0.0  # 1: a meeting weighs its hours (up to two); 0: one interaction
    interactions_per_day: float = 1.0  # a day's strongest interactions that count as evidence of a tie's pace
    scale: float = 0.25  # weighted days of contact per week that map to strength 50
    address_book_bonus: float = 0.1
    linkedin_bonus: float = 0.05
    channel_diversity_bonus: float = 0.1
    tenure_bonus_per_year: float = 0.02
    dormant_after_days: float = 180.0
    dormant_min_strength: float = 50.0


@dataclass(kw_only=True)
class BuildParameters(ScoringWeights):
    """What a build needs besides the raw data; stored in the work DB as `build_settings`."""

    as_of: datetime
    owner_emails: tuple[str, ...] = ()
    owner_timezone: str = "UTC"  # the IANA zone whose calendar days are the owner's days of contact
    default_region: str | None = None  # None: the region the address book's numbers suggest (normalise.phone_settings)
    store_titles: bool = False


def _run_sql(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute((SQL_DIR / name).read_text())


# SQL types of the build settings; bound as parameters, not through Arrow (whose datetimes load pandas, 0.6 s).
_SQL_TYPES = {float: "double", int: "double", bool: "boolean", datetime: "timestamptz", str: "varchar"}


def write_parameters(con: duckdb.DuckDBPyConnection, parameters: BuildParameters) -> None:
    settings = {
        name: getattr(parameters, name)
        for name in (f.name for f in fields(BuildParameters))
        if name not in ("owner_emails", "default_region")
    }
    columns = ", ".join(f"?::{_SQL_TYPES[type(value)]} as {name}" for name, value in settings.items())
    con.execute(f"create or replace table build_settings as select {columns}", list(settings.values()))
    con.execute(
        "create or replace table owner_email_settings as select unnest(?::varchar[]) as address",
        [list(parameters.owner_emails)],
    )


def stage(con: duckdb.DuckDBPyConnection, parameters: BuildParameters) -> None:
    """Normalise identifiers, find the owner, and turn raw rows into records to resolve."""
    region, abroad = normalise.phone_settings(con, parameters.default_region)
    normalise.register_functions(con, region, abroad)
    normalise.create_nickname_table(con)
    write_parameters(con, parameters)
    con.execute("create or replace table phone_settings as select ?::varchar as region, ?::varchar[] as written_abroad",
                [region, sorted(abroad)])
    _run_sql(con, "owner.sql")
    if not con.execute("select count(*) from owner_identifiers where kind = 'email'").fetchone()[0]:
        _run_sql(con, "owner_from_mail.sql")
    _run_sql(con, "records.sql")


def resolve_people(con: duckdb.DuckDBPyConnection, overrides_file: Path | None = None) -> None:
    """Cluster records into people with stable ids and build people, identifiers, source_records.

    `overrides_file` holds the user's "same person" / "different people" decisions.
    """
    resolve(con, overrides_file)
    assign_person_ids(con)
    _run_sql(con, "people.sql")


def build_interactions(con: duckdb.DuckDBPyConnection) -> None:
    _run_sql(con, "interaction_status.sql")
    _run_sql(con, "interactions.sql")


def update_meetings_that_came_to_pass(con: duckdb.DuckDBPyConnection) -> None:
    _run_sql(con, "interaction_status.sql")
    _run_sql(con, "meetings_came_to_pass.sql")


def score_relationships(con: duckdb.DuckDBPyConnection) -> None:
    """Score every tie and build the graph, in the owner's months: the session's time zone is the owner's while
    the scoring runs, so its month starts (the history's months, the model's change points) are theirs."""
    (zone,) = con.execute("select owner_timezone from build_settings").fetchone()
    (session_zone,) = con.execute("select current_setting('TimeZone')").fetchone()
    con.execute("set TimeZone = ?", [zone])
    try:
        con.execute(normalise.PERSONAL_MAIL_SQL.read_text())  # the scoring reads no other macro file
        _run_sql(con, "relationships.sql")
        _run_sql(con, "graph.sql")
    finally:
        con.execute("set TimeZone = ?", [session_zone])


# A step whose inputs did not change since it last ran is skipped: an unchanged inbox re-builds in
# seconds. Inputs are a hash of everything the step reads besides the time of the build, and of the
# transform code itself, so an upgraded Kith re-runs every step once.
def _code_files() -> list[Path]:
    """This package's Python, SQL and name lists, and the macro files in warehouse/sql that staging and scoring run
    too."""
    own = sorted(path for path in Path(__file__).parent.rglob("*") if path.suffix in (".py", ".sql", ".csv"))
    return own + [normalise.PERSONAL_MAIL_SQL, normalise.LEGAL_FORMS_SQL]


@cache
def _code_version() -> str:
    digest = hashlib.sha256()
    for path in _code_files():
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def step_inputs(*parts: object) -> str:
    return hashlib.sha256(repr((_code_version(), parts)).encode()).hexdigest()


def _ensure_build_steps(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("create table if not exists build_steps (step varchar primary key, inputs varchar)")


def last_inputs(con: duckdb.DuckDBPyConnection, step: str) -> str | None:
    _ensure_build_steps(con)
    rows = con.execute("select inputs from build_steps where step = ?", [step]).fetchall()
    return rows[0][0] if rows else None


def remember_inputs(con: duckdb.DuckDBPyConnection, step: str, inputs: str) -> None:
    _ensure_build_steps(con)
    con.execute("insert or replace into build_steps values (?, ?)", [step, inputs])


def run_unless_unchanged(con: duckdb.DuckDBPyConnection, step: str, inputs: str, run: Callable[[], None]) -> bool:
    """Run `run` and remember `inputs`, unless `step` last ran on the same inputs; True when it was skipped."""
    if last_inputs(con, step) == inputs:
        return True
    run()
    remember_inputs(con, step, inputs)
    return False


def scoring_inputs(con: duckdb.DuckDBPyConnection, parameters: BuildParameters) -> str:
    """What the scores depend on: the interactions (and which meetings have happened), the [scoring]
    settings and the day of the build. Scores move with time, so they are refreshed once a day, and at
    once when anything else changes; a second build the same day with nothing new reuses them."""
    happened = con.execute("select count(*) from interactions where status = 'happened'").fetchall()[0][0]
    weights = tuple(getattr(parameters, f.name) for f in fields(ScoringWeights))
    return step_inputs(last_inputs(con, "interactions"), happened, weights, parameters.owner_timezone,
                       parameters.as_of.date())
