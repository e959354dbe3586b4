"""Writes docs/warehouse.md from a published warehouse's own COMMENT ON text: `python -m warehouse.docs WAREHOUSE`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.publish import PUBLISHED_TABLES

# The product's everyday questions, answered in SQL. A test runs each one against a fresh build.
EXAMPLE_QUERIES: tuple[tuple[str, str], ...] = (
    (
        "Who are my strongest relationships, and why?",
        "select display_name, organization, strength, tier, explanation\nfrom people_overview\nlimit 20;",
    ),
    (
        "Who was close and went quiet (worth a reconnecting email)?",
        "select display_name, primary_email, strength_at_last_contact, days_since_last_conversation\n"
        "from reconnect\nlimit 20;",
    ),
    (
        "Who can introduce me to someone at Acme?",
        "select target_name, target_organization, via_name, introduction_score\nfrom introductions\n"
        "where target_organization ilike '%acme%'\nlimit 10;",
    ),
    (
        "Which relationships are cooling?",
        "select display_name, strength, trend, days_since_last_interaction\nfrom people_overview\n"
        "where trend = 'cooling'\norder by strength desc;",
    ),
    (
        "Everyone I know at one organisation, strongest first",
        "select display_name, title, strength, primary_email\nfrom people_overview\n"
        "where organization ilike '%globex%';",
    ),
    (
        "Who is behind this email address or phone number?",
        "select p.person_id, p.display_name, p.organization, i.kind, i.value, i.label\n"
        "from identifiers as i join people as p using (person_id)\n"
        "where i.value in ('bob@example.com', '+447700900123');",
    ),
    (
        "Why did Kith decide these records are one person?",
        "select p.display_name, s.source, s.source_file, s.record_key, s.match_evidence\n"
        "from source_records as s join people as p using (person_id)\nwhere p.display_name = 'Bob Smith';",
    ),
    (
        "Whom did I meet most in the last year?",
        "select p.display_name, count(*) as meetings\n"
        "from interactions as i\n"
        "join interaction_participants as ip using (interaction_id)\n"
        "join people as p using (person_id)\n"
        "where i.channel = 'meeting' and i.status = 'happened'\n"
        "  and i.occurred_at >= now() - interval 1 year\n"
        "group by all\norder by meetings desc\nlimit 10;",
    ),
    (
        "How did one relationship grow or fade, month by month?",
        "select h.month, h.strength\nfrom relationship_history as h join people as p using (person_id)\n"
        "where p.display_name = 'Ana Lima'\norder by h.month;",
    ),
    (
        "Which of my contacts know each other?",
        "select a.display_name as one, b.display_name as other, c.shared_interactions, c.strength\n"
        "from connections_between_contacts as c\n"
        "join people as a on a.person_id = c.person_a\n"
        "join people as b on b.person_id = c.person_b\n"
        "order by c.strength desc\nlimit 20;",
    ),
    ("What is coming up in my calendar?", "select starts_at, duration_minutes, title, participant_count\nfrom upcoming_meetings;"),
    (
        "What could Kith not read, and why?",
        "select source, source_file, location, reason\nfrom rejected\norder by source_file, location;",
    ),
)


@dataclass(frozen=True)
class Relation:
    """A public table or view of the warehouse and its comment."""

    name: str
    kind: str  # "table" | "view"
    comment: str | None


def public_relations(con: duckdb.DuckDBPyConnection) -> list[Relation]:
    """The warehouse's tables (in the order of PUBLISHED_TABLES, then any other by name), then its views by name."""
    tables = con.execute(
        "select table_name, comment from duckdb_tables() "
        "where database_name = current_database() and schema_name = 'main'"
    ).fetchall()
    views = con.execute(
        "select view_name, comment from duckdb_views() "
        "where database_name = current_database() and schema_name = 'main' and not internal order by view_name"
    ).fetchall()
    order = {name: index for index, name in enumerate(PUBLISHED_TABLES)}
    tables.sort(key=lambda row: (order.get(row[0], len(order)), row[0]))
    return [Relation(name, "table", comment) for name, comment in tables] + [
        Relation(name, "view", comment) for name, comment in views
    ]


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str, str | None]]:
    return con.execute(
        "select column_name, data_type, comment from duckdb_columns() "
        "where database_name = current_database() and schema_name = 'main' and table_name = ? "
        "order by column_index",
        [relation],
    ).fetchall()


def _cell(text: str | None) -> str:
    return (text or "*undocumented*").replace("|", "\\|").replace("\n", " ")


def _storage_version(con: duckdb.DuckDBPyConnection) -> str:
    tags = con.execute("select tags from duckdb_databases() where database_name = current_database()").fetchall()[0][0]
    return tags.get("storage_version", "unknown")


def render(con: duckdb.DuckDBPyConnection) -> str:
    """The Markdown reference of the warehouse `con` is connected to."""
    relations = public_relations(con)
    lines = [
        "# The Kith warehouse",
        "",
        "<!-- Generated by `python -m warehouse.docs kith.duckdb > docs/warehouse.md` from the comments in the",
        "     database (warehouse/sql/comments.sql). Edit those, rebuild, and regenerate; a test compares them. -->",
        "",
        "`kith build` publishes one DuckDB file (default `kith.duckdb`). It is the product's API: query it with",
        "the DuckDB CLI, Python, a notebook or DBeaver. Every table, view and column below is documented in",
        "the database itself too: `select table_name, comment from duckdb_tables()`,",
        "`select table_name, column_name, comment from duckdb_columns()`.",
        "",
        "## Opening it",
        "",
        "- Open it read-only: `duckdb -readonly kith.duckdb`, `duckdb.connect('kith.duckdb', read_only=True)`,",
        "  or `kith query \"select ...\"`. Any number of readers can have it open at once, also during a rebuild.",
        "- A rebuild writes a new file beside it and swaps it in atomically. A connection that is already open",
        "  keeps answering from the build it opened; open a new connection to see the new build. Within one",
        "  process, DuckDB shares one instance per file: close every connection to it first.",
        "- A rebuild that is killed or fails leaves the last published warehouse as it was.",
        f"- Storage format: `{_storage_version(con)}`, so DuckDB 1.4 and later (CLI, Python, JDBC/DBeaver,",
        "  ODBC) open it, as well as DuckDB 2.",
        "- Timestamps are `TIMESTAMP WITH TIME ZONE` in UTC; the DuckDB CLI shows them in your local zone.",
        "- `kith export --format csv|parquet DIR` writes every table and view below to files;",
        "  `kith export --format vcard DIR` writes one deduplicated address book, `kith-contacts.vcf`.",
        "",
        "## Example queries",
        "",
    ]
    for question, sql in EXAMPLE_QUERIES:
        lines += [f"**{question}**", "", "```sql", sql, "```", ""]
    lines += ["## Contents", ""]
    lines += [f"- [{relation.name}](#{relation.name}) ({relation.kind})" for relation in relations]
    for heading, kind in (("Views", "view"), ("Tables", "table")):
        lines += ["", f"## {heading}"]
        for relation in (r for r in relations if r.kind == kind):
            lines += ["", f"### {relation.name}", "", _cell(relation.comment), "", "| column | type | meaning |", "|---|---|---|"]
            lines += [
                f"| `{column}` | `{data_type}` | {_cell(comment)} |" for column, data_type, comment in _columns(con, relation.name)
            ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    arguments = argparse.ArgumentParser(prog="python -m warehouse.docs", description=__doc__)
    arguments.add_argument("warehouse", type=Path, help="a published warehouse (kith.duckdb)")
    arguments.add_argument("--output", type=Path, help="write here instead of standard output")
    args = arguments.parse_args(argv)
    if not args.warehouse.is_file():
        print(f"warehouse.docs: {args.warehouse} does not exist", file=sys.stderr)
        return 1
    con = duckdb.connect(str(args.warehouse), read_only=True)
    try:
        text = render(con)
    finally:
        con.close()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
