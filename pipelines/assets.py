"""Kith's assets, by layer: raw inputs per source, staging, people, interactions, relationships, warehouse."""


from functools import partial
from pathlib import Path

import dagster as dg
import duckdb

from connectors import discover
from connectors.accounts import fetch_account
from connectors.registry import metadata_only, parse
from pipelines.resources import KithResource
from transforms import build
from transforms.forget import load_forgotten, read_forgotten
from warehouse.ingest import ingest_files, inbox_is_readable, parser_version, raw_data_version
from warehouse.publish import file_signature, publish
from warehouse.raw_store import account_state, forget_account, load_account_records

OWNERS = ["team:kith"]


def _inbox(kith: KithResource) -> Path:
    inbox = kith.settings().inbox
    if inbox is None:
        raise dg.Failure("No inbox folder: pass --inbox DIR or set `inbox` in the config file.")
    if not inbox_is_readable(inbox):
        raise dg.Failure(f"Inbox folder {inbox} does not exist or cannot be read.")
    return inbox


def _load_inbox_files(context: dg.AssetExecutionContext, kith: KithResource, kinds: tuple[str, ...]):
    inbox = _inbox(kith)
    settings = kith.settings()
    parser = partial(parse, keep_titles=settings.store_titles, keep_notes=settings.store_notes)
    # Parsing streams; the raw tables only need room for one Arrow batch at a time.
    with kith.work_database(memory_limit="256MB") as con:
        loads = ingest_files(con, discover.discover(inbox), kinds, parser)
    parsed = [load for load in loads if not load.skipped]
    records = sum(load.records for load in parsed)
    rejected = sum(load.rejected for load in parsed)
    kith.progress(
        f"{context.asset_key.to_user_string()}: {len(loads)} file(s), {len(parsed)} parsed, "
        f"{records} records, {rejected} rejected"
    )
    return dg.MaterializeResult(
        metadata={
            "files": len(loads),
            "files_parsed": len(parsed),
            "files_unchanged": len(loads) - len(parsed),
            "records": records,
            "rejected": rejected,
        }
    )


def _raw_asset(name: str, kinds: tuple[str, ...], description: str):
    @dg.asset(name=name, group_name="raw", kinds={"python", "duckdb"}, owners=OWNERS, description=description)
    def raw_files(context: dg.AssetExecutionContext, kith: KithResource) -> dg.MaterializeResult:
        return _load_inbox_files(context, kith, kinds)

    return raw_files


linkedin_exports = _raw_asset(
    "linkedin_exports", (discover.LINKEDIN,), "LinkedIn data exports (zip or folder) in the inbox, parsed."
)
address_books = _raw_asset("address_books", (discover.VCARD,), "vCard files in the inbox, parsed card by card.")
mailboxes = _raw_asset(
    "mailboxes",
    (discover.MBOX, discover.MAILDIR, discover.EML),
    "mbox files, Maildir folders and .eml files in the inbox, headers only.",
)
calendars = _raw_asset("calendars", (discover.ICS,), "ICS calendars in the inbox, recurrences expanded.")
unreadable_inputs = _raw_asset(
    "unreadable_inputs",
    (discover.UNRECOGNISED,),
    "Files in the inbox that no connector reads; each becomes a rejected row so nothing is lost silently.",
)



@dg.asset(
    group_name="raw",
    kinds={"python", "duckdb"},
    owners=OWNERS,
    description="Accounts from the config file (Gmail, Google Contacts/Calendar, IMAP, CalDAV, CardDAV), synced incrementally.",
)
def account_sources(kith: KithResource) -> dg.MaterializeResult:
    settings = kith.settings()
    metadata: dict[str, int] = {}
    with kith.work_database() as con:
        for account in settings.accounts:
            resync = account["name"] in kith.resync_accounts or "all" in kith.resync_accounts
            state = {} if resync else account_state(con, account["name"])  # no state: a full sync
            records = metadata_only(
                fetch_account(account, settings.home, state),
                keep_titles=settings.store_titles,
                keep_notes=settings.store_notes,
            )
            load = load_account_records(con, account["name"], account["kind"], records, state, parser_version())
            metadata[f"{account['name']}_records"] = load.records
            metadata[f"{account['name']}_rejected"] = load.rejected
            kith.progress(f"account {account['name']}: {load.records} records, {load.rejected} rejected")
        for name in kith.forget_accounts:
            forget_account(con, name)
            kith.progress(f"account {name}: its records dropped")
    return dg.MaterializeResult(metadata={"accounts": len(settings.accounts), **metadata})


RAW_ASSETS = [linkedin_exports, address_books, mailboxes, calendars, unreadable_inputs, account_sources]


def _count(con, table: str) -> int:
    return con.execute(f"select count(*) from {table}").fetchall()[0][0]


def _stage(con: duckdb.DuckDBPyConnection, home: Path, parameters: build.BuildParameters) -> None:
    load_forgotten(con, home)  # records.sql leaves out the forgotten identifiers
    build.stage(con, parameters)


@dg.asset(
    group_name="staging",
    deps=RAW_ASSETS,
    kinds={"duckdb"},
    owners=OWNERS,
    description="Every contact card and correspondent as a record with normalised identifiers; the owner's identities.",
)
def contact_records(kith: KithResource) -> dg.MaterializeResult:
    settings, parameters = kith.settings(), kith.parameters()
    with kith.work_database() as con:
        inputs = build.step_inputs(
            raw_data_version(con),
            parameters.owner_emails,
            parameters.default_region,
            parameters.store_titles,
            read_forgotten(settings.home),
        )
        skipped = build.run_unless_unchanged(con, "staging", inputs, partial(_stage, con, settings.home, parameters))
        if skipped:
            build.write_parameters(con, parameters)  # scoring still runs at the new build time
        metadata = {
            "unchanged_since_last_build": skipped,
            "records": _count(con, "stg_records"),
            "owner_identifiers": _count(con, "owner_identifiers"),
            "automated_senders": _count(con, "automated_identifiers"),
        }
    kith.progress(f"contact_records: {metadata['records']} records to resolve" + (" (unchanged)" if skipped else ""))
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    group_name="people",
    deps=[contact_records],
    kinds={"duckdb"},
    owners=OWNERS,
    description="One row per real person: records resolved by shared identifiers and names, with stable ids.",
)
def people(kith: KithResource) -> dg.MaterializeResult:
    overrides_file = kith.settings().overrides_file
    with kith.work_database() as con:
        overrides = overrides_file.read_text(encoding="utf-8") if overrides_file.is_file() else ""
        inputs = build.step_inputs(build.last_inputs(con, "staging"), overrides)
        skipped = build.run_unless_unchanged(con, "people", inputs, partial(build.resolve_people, con, overrides_file))
        metadata = {
            "unchanged_since_last_build": skipped,
            "people": _count(con, "people"),
            "source_records": _count(con, "source_records"),
            "merged_records": con.execute(
                "select count(*) from source_records where match_evidence <> 'single record' "
                "and person_id is not null"
            ).fetchall()[0][0],
            "ambiguous_identifiers": _count(con, "ambiguous_identifiers"),
        }
    kith.progress(
        f"people: {metadata['people']} people from {metadata['source_records']} records" + (" (unchanged)" if skipped else "")
    )
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    name="interactions",
    group_name="interactions",
    deps=[people],
    kinds={"duckdb"},
    owners=OWNERS,
    description="Messages, meeting occurrences and LinkedIn messages, deduplicated, with participants and direction.",
)
def interactions_asset(kith: KithResource) -> dg.MaterializeResult:
    with kith.work_database() as con:
        inputs = build.last_inputs(con, "people")
        skipped = build.run_unless_unchanged(con, "interactions", inputs, partial(build.build_interactions, con))
        if skipped:
            build.update_meetings_that_came_to_pass(con)
        by_status = dict(con.execute("select status, count(*) from interactions group by all").fetchall())
        metadata = {"interactions": sum(by_status.values()), **{f"status_{k}": v for k, v in by_status.items()}}
    kith.progress(f"interactions: {metadata['interactions']} interactions")
    return dg.MaterializeResult(metadata=metadata)


def _top_relationships_markdown(con) -> str:
    rows = con.execute(
        """
        select p.display_name, r.strength, r.tier, r.explanation
        from relationships as r join people as p using (person_id)
        where r.strength > 0 order by r.strength desc limit 10
        """
    ).fetchall()
    lines = ["| person | strength | tier | why |", "|---|---|---|---|"]
    lines += [f"| {name} | {strength} | {tier} | {why} |" for name, strength, tier, why in rows]
    return "\n".join(lines)


@dg.asset(
    group_name="relationships",
    deps=[interactions_asset],
    kinds={"duckdb"},
    owners=OWNERS,
    description="Relationship strength, tier, trend, dormant flag and explanation per person; monthly history; who knows whom.",
)
def relationships(kith: KithResource) -> dg.MaterializeResult:
    parameters = kith.parameters()
    with kith.work_database() as con:
        inputs = build.scoring_inputs(con, parameters)
        skipped = build.run_unless_unchanged(con, "relationships", inputs, partial(build.score_relationships, con))
        metadata = {
            "unchanged_since_last_build": skipped,
            "scored_people": con.execute("select count(*) from relationships where strength > 0").fetchall()[0][0],
            "dormant_ties": con.execute("select count(*) from relationships where dormant").fetchall()[0][0],
            "connections_between_contacts": _count(con, "connections_between_contacts"),
            "top_relationships": dg.MetadataValue.md(_top_relationships_markdown(con)),
        }
    kith.progress(
        f"relationships: {metadata['scored_people']} people with a relationship" + (" (unchanged)" if skipped else "")
    )
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    group_name="warehouse",
    deps=[relationships],
    kinds={"duckdb"},
    owners=OWNERS,
    description="The served warehouse file: the public tables copied to a new file and swapped in atomically.",
)
def published_warehouse(kith: KithResource) -> dg.MaterializeResult:
    settings = kith.settings()
    with kith.work_database() as con:
        scores = build.last_inputs(con, "relationships")
        skipped = build.last_inputs(con, "publish") == build.step_inputs(scores, file_signature(settings.warehouse))
    metadata = {"path": dg.MetadataValue.path(str(settings.warehouse.resolve())), "unchanged_since_last_build": skipped}
    if not skipped:
        kith.release_work_database()
        metadata |= publish(settings.work_db, settings.warehouse)
        with kith.work_database() as con:
            build.remember_inputs(con, "publish", build.step_inputs(scores, file_signature(settings.warehouse)))
    kith.progress(f"published_warehouse: {settings.warehouse}" + (" (unchanged)" if skipped else ""))
    return dg.MaterializeResult(metadata=metadata)


ALL_ASSETS = [*RAW_ASSETS, contact_records, people, interactions_asset, relationships, published_warehouse]
