"""Scores cluster pairs with Splink 5 (Fellegi-Sunter, trained without labels) inside the work database."""

from __future__ import annotations

import logging

import duckdb

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

MIN_PROFILES = 200  # below this there is too little data to train on; the deterministic stages decide
SEED = 42
SCHEMA = "splink_work"
LOG = logging.getLogger(__name__)
# resolve_splink_outcome.outcome: why the stage did or did not score pairs
TRAINED, TOO_FEW_PROFILES, NO_ADDRESS_BOOK_FIELDS, TRAINING_FAILED = (
    "trained", "too few profiles", "no address-book fields", "training failed")

COMPANY_AGREES = (
    "len(list_filter(companies_l, lambda x: len(list_filter(companies_r, "
    "lambda y: starts_with(x, y) or starts_with(y, x))) > 0)) > 0"
)


# Fields only address books fill. A comparison or blocking rule over a field no profile fills adds nothing to
# any match weight but costs Splink a pass over every pair, so a build without such fields leaves them out.
ADDRESS_BOOK_COMPARISONS = {
    "birthday": cl.LevenshteinAtThresholds("birthday", [1, 2]),  # yyyymmdd: one typo or a swapped digit
    "street": cl.JaroWinklerAtThresholds("street", [0.92, 0.80]),
    "locality": cl.JaroWinklerAtThresholds("locality", [0.92, 0.80]),
    "postcode": cl.LevenshteinAtThresholds("postcode", [1]),
}
ADDRESS_BOOK_BLOCKING = {
    ("birthday",): block_on("birthday"),
    ("postcode",): block_on("postcode"),
    ("street",): block_on("street"),
    ("locality", "birthday"): block_on("locality", "substr(birthday, 1, 4)"),
}
TRAINING_FIELDS = ("family_name", "given_name", "birthday")
# Per address-book field: does some profile fill it; per training field: do two profiles share a value (then its
# training block has pairs).
FIELD_USE = "select {} from resolve_profiles".format(", ".join(
    [f"count({field}) > 0" for field in ADDRESS_BOOK_COMPARISONS]
    + [f"count({field}) > count(distinct {field})" for field in TRAINING_FIELDS]
))


def _field_use(con: duckdb.DuckDBPyConnection) -> tuple[set[str], list[str]]:
    """The address-book fields some profile fills, and the training fields two profiles share. Splink 5 leaves its
    model broken after a training block with no pairs (it keeps that field's comparison switched off and a match
    prior a thousand times too high), so such a block is never tried."""
    answers = con.execute(FIELD_USE).fetchall()[0]
    filled = {field for field, is_filled in zip(ADDRESS_BOOK_COMPARISONS, answers) if is_filled}
    shared = [field for field, is_shared in zip(TRAINING_FIELDS, answers[len(ADDRESS_BOOK_COMPARISONS):]) if is_shared]
    return filled, shared


def _settings(filled: set[str]) -> SettingsCreator:
    given = cl.CustomComparison(
        output_column_name="given_name",
        comparison_levels=[
            cll.NullLevel("given_name"),
            cll.ExactMatchLevel("given_name", term_frequency_adjustments=True),
            cll.ArrayIntersectLevel("given_names", 1),  # a nickname of the same name: Bob ~ Robert
            cll.JaroWinklerLevel("given_name", 0.92),
            cll.JaroWinklerLevel("given_name", 0.80),
            cll.ElseLevel(),
        ],
    )
    family = cl.CustomComparison(
        output_column_name="family_name",
        comparison_levels=[
            cll.NullLevel("family_name"),
            cll.ExactMatchLevel("family_name", term_frequency_adjustments=True),
            cll.JaroWinklerLevel("family_name", 0.92),
            cll.JaroWinklerLevel("family_name", 0.80),
            cll.ElseLevel(),
        ],
    )
    company = cl.CustomComparison(
        output_column_name="companies",
        comparison_levels=[
            cll.CustomLevel("len(companies_l) = 0 or len(companies_r) = 0", "no company on one side").configure(
                is_null_level=True
            ),
            cll.CustomLevel(COMPANY_AGREES, "same company or email domain"),
            cll.ElseLevel(),
        ],
    )
    email_local = cl.CustomComparison(
        output_column_name="email_locals",
        comparison_levels=[
            cll.CustomLevel("len(email_locals_l) = 0 or len(email_locals_r) = 0", "no email").configure(
                is_null_level=True
            ),
            cll.ArrayIntersectLevel("email_locals", 1),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[given, family, company, email_local]
        + [comparison for field, comparison in ADDRESS_BOOK_COMPARISONS.items() if field in filled],
        blocking_rules_to_generate_predictions=[block_on("family_name"), block_on("given_name")]
        + [rule for fields, rule in ADDRESS_BOOK_BLOCKING.items() if filled.issuperset(fields)],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def score_profiles(con: duckdb.DuckDBPyConnection) -> None:
    """Write `resolve_splink_pairs(cluster_a, cluster_b, match_probability)`: every pair of `resolve_profiles`
    the blocking rules put side by side, scored; empty when there are too few profiles to train on, or when no
    profile has an address-book field (birthday, address), or when training fails.
    Why it is empty goes to `resolve_splink_outcome(outcome, detail)`, so the build can warn of a failure.
    Splink's own tables live in a scratch schema of the same connection and are dropped afterwards."""
    con.execute(
        "create or replace table resolve_splink_pairs "
        "(cluster_a varchar, cluster_b varchar, match_probability double)"
    )
    profiles = con.execute("select count(*) from resolve_profiles").fetchall()[0][0]
    filled, shared = _field_use(con)
    if profiles < MIN_PROFILES:
        _record_outcome(con, TOO_FEW_PROFILES, f"{profiles} profiles")  # the deterministic stages decide
        return
    if not filled:
        # Without a birthday or an address anywhere (mail, calendars, LinkedIn) Splink sees only what the name
        # judge sees, and its prior, learnt from name and company agreement, keeps every pair far below a merge:
        # 0 of 83,230 pairs reach 0.5 on a 200,000-message mailbox. It would cost three seconds for nothing.
        _record_outcome(con, NO_ADDRESS_BOOK_FIELDS, "no birthday or postal address in any profile")
        return
    con.execute(f"drop schema if exists {SCHEMA} cascade; create schema {SCHEMA}")
    try:
        predictions = _trained_predictions(con, filled, shared)
        con.execute(
            f"insert into resolve_splink_pairs "
            f"select least(unique_id_l, unique_id_r), greatest(unique_id_l, unique_id_r), match_probability "
            f"from {SCHEMA}.{predictions.physical_name} order by 1, 2"
        )
    except Exception as error:  # noqa: BLE001  Splink's errors have no public base class
        # Training without labels can fail on data that gives it nothing to learn from (no pair agrees on name and
        # company, so the estimated match rate is 0: "math domain error"; every session meeting an agreement level
        # never seen among matches: "m_probability 0.0"). Then the deterministic stages decide alone, as for a
        # small address book.
        LOG.warning("Splink could not be trained on these records, so only the name evidence decides: %s", error)
        _record_outcome(con, TRAINING_FAILED, f"{type(error).__name__}: {error}")
    else:
        _record_outcome(con, TRAINED, f"{profiles} profiles")
    finally:
        con.execute(f"drop schema if exists {SCHEMA} cascade")


def _record_outcome(con: duckdb.DuckDBPyConnection, outcome: str, detail: str) -> None:
    # qualified: while Splink trains, the connection's default schema is Splink's own
    con.execute("create or replace table main.resolve_splink_outcome as "
                "select ?::varchar as outcome, ?::varchar as detail", [outcome, detail])


def _trained_predictions(con: duckdb.DuckDBPyConnection, filled: set[str], shared: list[str]):
    db_api = DuckDBAPI(con, output_schema=SCHEMA)
    table = db_api.register("resolve_profiles", dataset_display_name="profiles")
    linker = Linker(table, _settings(filled), log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "birthday"), block_on("given_name", "family_name", "companies")],
        recall=0.7,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=SEED)
    trained = 0
    for field in shared:
        try:
            _train_session(linker, field)
        except ValueError as error:
            if "m_probability" not in str(error):
                raise
            # a level no pair of this block shows among its matches: the other blocks estimate what this one would
            # have (each block's session estimates every comparison but its own), so its session is left out
            LOG.info("Splink's session blocked on %s left out: %s", field, error)
        else:
            trained += 1
    if not trained:
        raise ValueError("no training session of Splink's succeeded")
    return linker.inference.predict()


def _train_session(linker: Linker, field: str) -> None:
    """One EM session on the pairs that agree on `field`: m of every other comparison."""
    # m without term frequencies: half the training time, the same merges (predictions still use them)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on(field), estimate_without_term_frequencies=True
    )
