"""Asset checks: the invariants every build must keep, evaluated on the work database."""


import dagster as dg

from connectors.discover import UNRECOGNISED
from pipelines.assets import (
    account_sources, contact_records, interactions_asset, people, published_warehouse, relationships,
)
from pipelines.resources import KithResource
from warehouse.ingest import parser_version
from warehouse.raw_store import accounts_not_in, accounts_read_by_other_parsers, unreconciled_file_count

REJECTED_RATE_LIMIT = 0.05


def _scalar(con, sql: str):
    return con.execute(sql).fetchall()[0][0]


@dg.asset_check(
    asset=contact_records,
    description="An address of the owner is known (given, or named by a source), so the owner is no contact.",
)
def owner_is_known(kith: KithResource) -> dg.AssetCheckResult:
    with kith.work_database() as con:
        known = con.execute(
            "select value, evidence from owner_identifiers where kind = 'email' order by value"
        ).fetchall()
    guessed = [value for value, evidence in known if evidence == ["in most mail"]]
    if known and not guessed:
        return dg.AssetCheckResult(passed=True, metadata={"owner_addresses": len(known)})
    if guessed:
        advice = (f"took {guessed[0]} for your address, as it is in most of the mail; pass --me (or set [owner] "
                  "emails in the config) to confirm or correct it")
    else:
        advice = ("no address of yours is known, so you may be among your own contacts: pass --me you@example.com "
                  "(or set [owner] emails in the config)")
    return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN, description=advice,
                               metadata={"owner_addresses": len(known), "guessed": len(guessed)})


@dg.asset_check(
    asset=account_sources,
    description="Every synced account is in the config, and its records were read by this version of Kith's parsers "
    "(files are read again on their own; accounts only on request, as a large mailbox takes long to fetch again).",
)
def synced_accounts_are_current(kith: KithResource) -> dg.AssetCheckResult:
    accounts = [account["name"] for account in kith.settings().accounts]
    with kith.work_database() as con:
        stale = accounts_read_by_other_parsers(con, accounts, parser_version())
        gone = accounts_not_in(con, accounts)
    advice = []
    if stale:
        advice.append(f"{', '.join(stale)}: read by an earlier version of Kith's parsers, whose fixes reach only what "
                      f"syncs from now on; `kith build --resync {stale[0]}` (or `--resync all`) reads an account "
                      "again from the start")
    if gone:
        advice.append(f"{', '.join(gone)}: synced before but not in the config (renamed, removed, or another config "
                      f"file), so its records stay as they were; `kith build --forget-account {gone[0]}` drops them")
    return dg.AssetCheckResult(
        passed=not advice, severity=dg.AssetCheckSeverity.WARN, description="; ".join(advice) or None,
        metadata={"accounts": len(accounts), "accounts_read_by_other_parsers": len(stale),
                  "accounts_not_in_the_config": len(gone)},
    )


@dg.asset_check(asset=people, blocking=True, description="person_id is unique, and no identifier belongs to two people unless flagged as shared.")
def person_ids_are_unique(kith: KithResource) -> dg.AssetCheckResult:
    with kith.work_database() as con:
        duplicate_ids = _scalar(con, "select count(*) - count(distinct person_id) from people")
        shared = _scalar(
            con,
            "select count(*) from (select kind, value from identifiers "
            "where person_id is not null and not shared_by_several_people "
            "group by all having count(distinct person_id) > 1)",
        )
    return dg.AssetCheckResult(
        passed=duplicate_ids == 0 and shared == 0,
        metadata={"duplicate_person_ids": duplicate_ids, "identifiers_on_two_people": shared},
    )


# Participants that name someone (an address or a profile) but reached no person: neither the
# owner nor an automated sender. Resolution must place every one of them.
UNRESOLVED_PARTICIPANTS_SQL = """
select count(*)
from participations_resolved as p
where p.person_id is null
  and not p.is_owner
  and p.kind in ('email', 'linkedin')
  and p.value is not null
  and (p.kind, p.value) not in (select kind, value from automated_identifiers)
"""


@dg.asset_check(
    asset=interactions_asset,
    blocking=True,
    description="Every participant who names an address or profile became a person (or is the owner or automated).",
)
def every_interaction_resolved(kith: KithResource) -> dg.AssetCheckResult:
    with kith.work_database() as con:
        unresolved = _scalar(con, UNRESOLVED_PARTICIPANTS_SQL)
        orphans = _scalar(con, "select count(*) from interaction_participants anti join people using (person_id)")
    return dg.AssetCheckResult(
        passed=unresolved == 0 and orphans == 0,
        metadata={"unresolved_participants": unresolved, "participants_without_person": orphans},
    )


@dg.asset_check(
    asset=people,
    description="Splink's model of birthdays and postal addresses was trained, or was not needed.",
)
def address_book_model_trained(kith: KithResource) -> dg.AssetCheckResult:
    from transforms.splink_match import TRAINING_FAILED  # Splink loads only where resolution ran

    with kith.work_database() as con:
        ran = _scalar(con, "select count(*) from duckdb_tables() where table_name = 'resolve_splink_outcome'")
        failures = ran and con.execute(
            "select detail from resolve_splink_outcome where outcome = ?", [TRAINING_FAILED]
        ).fetchall()
    if not failures:
        return dg.AssetCheckResult(passed=True)
    return dg.AssetCheckResult(
        passed=False, severity=dg.AssetCheckSeverity.WARN,
        description="Splink could not be trained on your address book's birthdays and postal addresses, so cards "
        "that differ in name but share them were matched by names, addresses and profiles alone; the build is "
        "complete (kith review lists likely duplicates left apart)",
        metadata={"error": failures[0][0]},
    )


@dg.asset_check(asset=relationships, blocking=True, description="Every strength lies in [0, 100].")
def scores_in_range(kith: KithResource) -> dg.AssetCheckResult:
    with kith.work_database() as con:
        outside = _scalar(con, "select count(*) from relationships where strength is null or strength not between 0 and 100")
    return dg.AssetCheckResult(passed=outside == 0, metadata={"scores_out_of_range": outside})


@dg.asset_check(
    asset=published_warehouse,
    description="Per source file, records read = rows landed + rows rejected, and at most "
    f"{REJECTED_RATE_LIMIT:.0%} of the records in the files Kith reads are rejected (files of no kind it reads are "
    "listed in `rejected` but not counted).",
)
def inputs_reconcile(kith: KithResource) -> dg.AssetCheckResult:
    with kith.work_database() as con:
        mismatched = unreconciled_file_count(con)
        records, rejected, unread_files = con.execute(
            """
            select sum(records) filter (where kind <> $unread),
                   sum(rejected) filter (where kind <> $unread),
                   count(*) filter (where kind = $unread)
            from source_files
            """,
            {"unread": UNRECOGNISED},
        ).fetchall()[0]
    records, rejected = records or 0, rejected or 0
    rate = rejected / (records + rejected) if records + rejected else 0.0
    if mismatched:
        advice = f"{mismatched} source file(s) hold other rows than their counts say: a Kith bug, please report it"
    else:
        advice = (f"{rejected} of {records + rejected} inputs in the files Kith reads were rejected ({rate:.0%}); the "
                  'rejected table names the file and the place in it of each: kith query "select * from rejected"')
    return dg.AssetCheckResult(
        passed=mismatched == 0 and rate <= REJECTED_RATE_LIMIT,
        severity=dg.AssetCheckSeverity.ERROR if mismatched else dg.AssetCheckSeverity.WARN,
        description=advice,
        metadata={"files_not_reconciled": mismatched, "rejected_rate": round(rate, 4), "rejected": rejected,
                  "files_of_no_kind_kith_reads": unread_files},
    )


ALL_CHECKS = [
    synced_accounts_are_current, owner_is_known, person_ids_are_unique, address_book_model_trained,
    every_interaction_resolved, scores_in_range, inputs_reconcile,
]
