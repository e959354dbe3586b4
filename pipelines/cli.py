"""The `kith` command: build, demo, query, export, review, same, different, forget, auth.

A build runs the same Dagster asset graph as the scheduled runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from pipelines.settings import SettingsError

DEFAULT_WAREHOUSE = "kith.duckdb"


class UserError(Exception):
    """A problem the user can fix; printed as one line, never as a traceback."""


def _run_build(inbox: Path, warehouse: Path, me: list[str], config: str | None, as_of: str | None,
               resync: list[str] = (), forget_accounts: list[str] = ()) -> None:
    import dagster as dg

    from pipelines.assets import ALL_ASSETS
    from pipelines.checks import ALL_CHECKS
    from pipelines.resources import KithResource

    if inbox.exists() and not inbox.is_dir():
        raise UserError(f"inbox {inbox} is a file: pass the folder that holds your exports")
    if not inbox.is_dir():
        raise UserError(f"inbox folder {inbox} does not exist")
    _check_writable(warehouse)
    resource = KithResource(
        inbox=str(inbox.resolve()),
        warehouse=str(warehouse.resolve()),
        owner_emails=me,
        config_file=config or "",
        as_of=as_of or "",
        resync_accounts=list(resync),
        forget_accounts=list(forget_accounts),
        show_progress=True,
    )
    result = dg.materialize(
        [*ALL_ASSETS, *ALL_CHECKS],
        resources={"kith": resource},
        raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
    )
    failed_checks = [c for c in result.get_asset_check_evaluations() if not c.passed]
    if not result.success:
        broken = [c for c in failed_checks if c.severity == dg.AssetCheckSeverity.ERROR]
        if broken:  # an invariant of Kith's own, not the user's data
            raise UserError(f"the check {broken[0].check_name} failed [{_facts(broken[0])}]: a Kith bug, please report "
                            "it; the warehouse published before is kept")
        failures = [event for event in result.all_events if event.event_type_value == "STEP_FAILURE"]
        if any(_was_interrupted(event) for event in failures):
            raise KeyboardInterrupt  # Dagster turns Ctrl-C into a failed step; it is the user's stop
        raise UserError(_failure_message(failures[0]) if failures else "the build failed")
    for check in failed_checks:
        print(f"warning: {check.description or 'a check did not pass'} [check {check.check_name}: {_facts(check)}]",
              file=sys.stderr)


def _facts(check) -> str:
    return ", ".join(f"{name} {value.value}" for name, value in check.metadata.items())


def _check_writable(warehouse: Path) -> None:
    """Fail before the build, not after it: the warehouse is a file in a folder Kith can write to."""
    if warehouse.is_dir():
        raise UserError(f"warehouse {warehouse} is a folder: pass a file path, such as {warehouse / DEFAULT_WAREHOUSE}")
    folder = warehouse.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as error:
        raise UserError(f"cannot write the warehouse in {folder}: {error.strerror or error}") from error


def _was_interrupted(event) -> bool:
    error = event.event_specific_data.error
    while error is not None:
        if error.cls_name == "DagsterExecutionInterruptedError" or "Query interrupted" in error.message:
            return True
        error = error.cause
    return False


def _failure_message(event) -> str:
    """One line naming the failed step and the root error, without Dagster's wrapping."""
    error = event.event_specific_data.error
    while error.cause is not None and error.cls_name.startswith("Dagster"):
        error = error.cause
    first_line = error.message.strip().splitlines()[0] if error.message.strip() else error.cls_name
    if error.cls_name == "Failure":
        return first_line.removeprefix("dagster._core.definitions.events.Failure: ")
    return f"step {event.step_key} failed: {first_line}"


def _summary(warehouse: Path, seconds: float) -> str:
    from connectors.discover import UNRECOGNISED

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        people, interactions, not_happened, rejected, unread_files = con.execute(
            "select (select count(*) from people), "
            "(select count(*) from interactions where status = 'happened'), "
            "(select count(*) from interactions where status <> 'happened'), "
            "(select count(*) from rejected), "
            "(select count(*) from source_files where kind = ?)",
            [UNRECOGNISED],
        ).fetchall()[0]
        top = con.execute(
            "select display_name, strength, explanation from people_overview where strength > 0 limit 5"
        ).fetchall()
    finally:
        con.close()
    lines = [
        f"Published {warehouse} in {seconds:.1f} s: {people} people, {interactions} interactions "
        f"(and {not_happened} that did not happen: upcoming, cancelled, declined or drafts), {rejected} rejected inputs"
        + (f" ({unread_files} of them files of no kind Kith reads)." if unread_files else "."),
        "Strongest relationships:",
    ]
    lines += [f"  {strength:6.1f}  {name}  ({why})" for name, strength, why in top]
    return "\n".join(lines)


def command_build(args: argparse.Namespace) -> None:
    started = time.monotonic()
    inbox = Path(args.inbox) if args.inbox else _settings(args).inbox
    if inbox is None:
        raise UserError("no inbox folder: pass --inbox DIR or set `inbox` in the config file")
    warehouse = _warehouse(args)
    for address in args.me or []:
        if "@" not in address.strip(" @"):
            raise UserError(f"--me {address}: not an email address (pass one of yours, such as you@example.com)")
    resync, forget = args.resync or [], args.forget_account or []
    accounts = {account["name"] for account in _settings(args).accounts}
    unknown = [name for name in resync if name != "all" and name not in accounts]
    if unknown:
        raise UserError(f"--resync {unknown[0]}: no account of that name in the config "
                        f"({', '.join(sorted(accounts)) or 'it has none'}); `all` reads every account again")
    configured = [name for name in forget if name in accounts]
    if configured:
        raise UserError(f"--forget-account {configured[0]}: the account is in the config, so the build would sync "
                        "it again; remove it from the config first (or use --resync to read it again)")
    _run_build(inbox, warehouse, args.me or [], args.config, args.as_of, resync, forget)
    print(_summary(warehouse, time.monotonic() - started))


def command_demo(args: argparse.Namespace) -> None:
    from demo import generate_world

    started = time.monotonic()
    folder = Path(args.dir)
    world = generate_world(folder, seed=args.seed, people=args.people)
    owner = json.loads(Path(world.truth).read_text(encoding="utf-8"))["owner"]
    print(f"Demo world written to {world.inbox} ({world.people} people, {world.messages} messages, {world.events} events)")
    warehouse = folder / DEFAULT_WAREHOUSE
    _run_build(Path(world.inbox), warehouse, owner["emails"], args.config, None)
    print(_summary(warehouse, time.monotonic() - started))
    print(f'Try: kith query --warehouse {warehouse} "select * from people_overview limit 20"')


def command_query(args: argparse.Namespace) -> None:
    con = duckdb.connect(str(_existing_warehouse(args)), read_only=True)
    try:
        relation = con.sql(args.sql)
        if relation is None:
            return
        if args.csv:
            relation.write_csv("/dev/stdout")
        else:
            relation.show(max_rows=args.max_rows, max_width=10_000)
    except duckdb.Error as error:
        raise UserError(str(error).splitlines()[0]) from error
    finally:
        con.close()


def _settings(args: argparse.Namespace):
    from pipelines.settings import load_settings

    return load_settings(Path(args.config) if getattr(args, "config", None) else None)


def _warehouse(args: argparse.Namespace) -> Path:
    """--warehouse, else the config file's `warehouse`, else ./kith.duckdb."""
    return Path(args.warehouse) if args.warehouse else _settings(args).warehouse


def _existing_warehouse(args: argparse.Namespace) -> Path:
    warehouse = _warehouse(args)
    if not warehouse.exists():
        raise UserError(f"warehouse {warehouse} does not exist; run `kith build` or `kith demo` first")
    return warehouse


def command_export(args: argparse.Namespace) -> None:
    from warehouse.export import export

    warehouse = _existing_warehouse(args)
    if Path(args.dir).exists() and not Path(args.dir).is_dir():
        raise UserError(f"{args.dir} is a file: pass the folder to write the export into")
    try:
        files = export(warehouse, Path(args.dir), args.format)
    except (duckdb.Error, OSError) as error:
        raise UserError(str(error).splitlines()[0]) from error
    print(f"Wrote {len(files)} file(s) to {args.dir}")


def command_review(args: argparse.Namespace) -> None:
    from transforms.review import duplicate_candidates

    settings = _settings(args)
    con = duckdb.connect(str(_existing_warehouse(args)), read_only=True)
    try:
        candidates = duplicate_candidates(con, limit=args.limit, overrides_file=settings.overrides_file)
    finally:
        con.close()
    if not candidates:
        print("No likely duplicates left to review.")
        return
    for number, candidate in enumerate(candidates, 1):
        print(f"{number}. {candidate.name_a} (person {candidate.person_a}) ~ {candidate.name_b} "
              f"(person {candidate.person_b}): {candidate.reason} (score {candidate.score})")
        for decision, identifiers in (("same", candidate.same_decision()),
                                      ("different", candidate.different_decision())):
            if identifiers:
                print(f"   kith {decision} {' '.join(identifiers)}")


def command_decide(args: argparse.Namespace) -> None:
    from transforms.overrides import OverridesError, record_decision

    settings = _settings(args)
    try:
        contradicted = record_decision(settings.overrides_file, args.decision, args.identifiers)
    except OverridesError as error:
        raise UserError(str(error)) from error
    verb = "the same person" if args.decision == "same" else "different people"
    print(f"Recorded in {settings.overrides_file}: {' and '.join(args.identifiers)} are {verb}.")
    if not contradicted:
        print("The next build honours it.")
    for identifiers in contradicted:
        print(f"warning: an earlier decision says {' and '.join(identifiers)} are "
              f"{'different people' if args.decision == 'same' else 'the same person'}, and where two decisions "
              f"disagree \"different\" wins: delete the one you no longer mean from {settings.overrides_file}",
              file=sys.stderr)


def command_forget(args: argparse.Namespace) -> None:
    from transforms.forget import ForgetError, forget, forgotten_path

    settings = _settings(args)
    warehouse = _warehouse(args)
    try:
        found = forget(settings.home, warehouse if warehouse.exists() else None, args.target)
    except ForgetError as error:
        raise UserError(str(error)) from error
    people = len(found.person_ids)
    where = (f"{people} {'person' if people == 1 else 'people holding it'} removed from {warehouse}" if people
             else f"nobody in {warehouse} has it yet" if warehouse.exists() else f"no warehouse at {warehouse} yet")
    print(
        f"Forgot {args.target}: {len(found.identifiers)} identifier(s) recorded in "
        f"{forgotten_path(settings.home)}; {where}, and kept out of every later build."
    )


def command_auth(args: argparse.Namespace) -> None:
    from connectors.google.auth import SCOPES, authorise

    settings = _settings(args)
    account = next((a for a in settings.accounts if a["name"] == args.account), None)
    if account is None:
        raise UserError(f"no account named {args.account!r} in the config file")
    if account["kind"] not in SCOPES:
        raise UserError(f"account {args.account!r} is {account['kind']}: only Google accounts use `kith auth`")
    secrets = Path(args.client_secrets).expanduser()
    if not secrets.is_file():
        raise UserError(f"client secrets file {secrets} does not exist")
    authorise(settings.home, account["name"], secrets, [SCOPES[account["kind"]]], open_browser=not args.no_browser)
    print(f"Authorised {account['name']}; the token is in {settings.home / 'tokens'} (mode 0600).")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="kith", description="Your whole network, from your exports, in DuckDB.")
    commands = root.add_subparsers(dest="command", required=True)
    with_config = argparse.ArgumentParser(add_help=False)
    with_config.add_argument(
        "--config", help="config file (default: $KITH_HOME/config.toml, else ~/.config/kith/config.toml)")

    def command(name: str, summary: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".",
                                   parents=[with_config])

    def warehouse_option(subcommand: argparse.ArgumentParser) -> None:
        subcommand.add_argument(
            "--warehouse", help="the DuckDB file; default: the config's warehouse, else kith.duckdb")

    build = command("build", "build and publish the warehouse from an inbox folder")
    build.add_argument(
        "--inbox", help="folder holding exports (LinkedIn, .vcf, mbox, Maildir, .eml, .ics); default: the config's inbox")
    warehouse_option(build)
    build.add_argument("--me", action="append", metavar="ADDRESS", help="one of your own email addresses (repeatable)")
    build.add_argument("--as-of", help="score as of this ISO time instead of now (reproducible builds)")
    build.add_argument("--resync", action="append", metavar="ACCOUNT",
                       help="read this account again from the start, as after a parser fix (repeatable; `all`)")
    build.add_argument("--forget-account", action="append", metavar="ACCOUNT",
                       help="drop the records of an account no longer in the config (repeatable)")
    build.set_defaults(run=command_build)

    demo = command("demo", "generate the synthetic demo world and build it")
    demo.add_argument(
        "--dir", default="kith-demo", help="where to write the demo inbox and warehouse (default: kith-demo)")
    demo.add_argument("--people", type=int, default=300, help="people in the demo world (default: 300)")
    demo.add_argument(
        "--seed", type=int, default=7, help="random seed: the same seed draws the same world (default: 7)")
    demo.set_defaults(run=command_demo)

    query = command("query", "run SQL against the published warehouse (read-only)")
    query.add_argument("sql", help='a query, e.g. "select * from people_overview limit 20"')
    warehouse_option(query)
    query.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    query.add_argument("--max-rows", type=int, default=100, help="rows to print as a table (default: 100)")
    query.set_defaults(run=command_query)

    export = command("export", "write the warehouse as CSV or Parquet files, or one vCard address book")
    export.add_argument("dir", help="the folder to write into")
    export.add_argument("--format", choices=("csv", "parquet", "vcard"), default="csv",
                        help="one file per table (csv, parquet) or one kith-contacts.vcf (vcard); default: csv")
    warehouse_option(export)
    export.set_defaults(run=command_export)

    review = command("review", "list likely duplicates that were not merged")
    warehouse_option(review)
    review.add_argument("--limit", type=int, default=20, help="pairs to list (default: 20)")
    review.set_defaults(run=command_review)

    for decision, meaning in (("same", "are one person"), ("different", "are different people")):
        decide = command(decision, f"record that these identifiers {meaning} (kept across rebuilds)")
        decide.add_argument(
            "identifiers", nargs="+", metavar="KIND:VALUE", help="e.g. email:bob@x.com linkedin:robert-smith")
        decide.set_defaults(run=command_decide, decision=decision)

    forget = command("forget", "remove a person everywhere and keep them out of later builds")
    forget.add_argument("target", help="an email address or a person_id")
    warehouse_option(forget)
    forget.set_defaults(run=command_forget)

    auth = command("auth", "authorise a Google account from the config file (OAuth)")
    auth.add_argument("account", help="the name of a gmail, google_contacts or google_calendar account in the config")
    auth.add_argument("--client-secrets", required=True, help="client_secret.json of a Desktop-app OAuth client")
    auth.add_argument("--no-browser", action="store_true", help="print the URL instead of opening a browser")
    auth.set_defaults(run=command_auth)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except duckdb.Error as error:
        print(f"kith: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    except (UserError, SettingsError) as error:
        print(f"kith: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kith: interrupted; the last published warehouse is unchanged", file=sys.stderr)
        return 130
    return 0


def console_main() -> int:
    """The `kith` command. A build leaves a heap of Dagster's objects behind, which the interpreter's final
    garbage collection would walk for about a second at exit; frozen, they are left to the operating system."""
    status = main()
    gc.freeze()
    return status


if __name__ == "__main__":
    sys.exit(console_main())
