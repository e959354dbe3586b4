"""Scores Kith's relationship strength against the demo world's latent tie strengths.

Usage: python benchmarks/tie_strength.py [--seeds 1 2 3] [--sizes 300 600] [--workdir DIR] [--rescore]
                                         [--years 5] [--reply-chains P] [--group-traffic F] [--drift-share S]
                                         [--layer-shape signature]
                                         [--set NAME=VALUE ...]

For every (size, seed) it generates a demo world, builds it with `kith build --as-of <truth now>`, maps
warehouse people to truth people by their identifiers, and reports Spearman rho, top-15/top-50 overlap,
NDCG@15, dormant-tie recall and the highest score of any newsletter or one-way sender.

The population is every real contact of the truth (every person with a Dunbar layer: not a newsletter,
no-reply sender, recruiter or role inbox), including those the warehouse never saw, who score 0. Spearman
is also reported over the contacts with at least one counted interaction, and the contacts scored 0 are counted
by why: never seen by the warehouse, seen with no interaction, or with one-way contact only. A truth person
split across several warehouse people scores the sum of their parts' weighted weekly rates (all their
interactions); a phone line the truth gives to a whole household matches nobody. Spearman is also reported with
identities resolved perfectly: the same scoring SQL on the same interactions, every participant attributed to
the truth person whose identifier they used, which separates identity resolution's share of the disagreement
from the scorer's. The Bayes oracle (benchmarks/tie_oracle.py) ranks each tie by its expected latent strength
given its one-to-one interactions under the generator's own prior: a reference for what those interactions
allow (not a strict bound; see its docstring).

`--years`, `--reply-chains`, `--group-traffic`, `--drift-share` and `--layer-shape` draw other world families, to
check that the scorer is not fit to one: a longer history, one-to-one mail in bursts (answers within hours on top of
each tie's rate), communities that mail and meet F times as often (group contact says nothing of a tie's own rate
there), a share S of the ties changing pace in the window (0.15 by default), and rates that fall smoothly with a
tie's rank instead of by Dunbar layers. `--rescore` reuses worlds already built in --workdir and only re-runs the
scoring step; `--set change_probability=0.2` tries another [scoring] setting. The Markdown table goes to stdout
and, with the default settings, to benchmarks/results/tie_strength.md (tie_strength-10y.md,
tie_strength-chains0.6.md, tie_strength-groups4.md, tie_strength-drift0.3.md, tie_strength-signature.md, ... for
other families).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from scipy.stats import spearmanr

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from demo import generate_world  # noqa: E402
from demo.people import DRIFT_SHARE, DUNBAR, LAYER_SHAPES  # noqa: E402
from benchmarks.kith_build import kith_build  # noqa: E402
from benchmarks.tie_oracle import expected_strengths  # noqa: E402
from transforms.build import BuildParameters, score_relationships, write_parameters  # noqa: E402
from transforms.normalise import PERSONAL_MAIL_SQL  # noqa: E402
from warehouse.files import sql_literal, work_database_beside  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "tie_strength.md"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
TARGETS = {"spearman": 0.9, "top15": 0.85, "dormant_recall": 0.8}
# one-to-one messages and meetings: in the generator, the only interactions that follow a tie's own rate
ONE_TO_ONE_TIMES = """
    select person_id, list(epoch(occurred_at))
    from relationship_events
    where group_size = 2 and channel in ('email', 'meeting', 'linkedin_message')
    group by all
"""
GMAIL_DOMAINS = ("gmail.com", "googlemail.com")


def canonical_email(address: str) -> str:
    """The warehouse's canonical form of an address: lower case, Gmail dots and +tags dropped."""
    local, _, domain = address.strip().lower().partition("@")
    if domain in GMAIL_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "")
    return f"{local}@{domain}"


def truth_identifiers(person: dict) -> list[tuple[str, str]]:
    found = [("email", canonical_email(e)) for e in person["emails"]]
    found += [("phone", p) for p in person["phones"]]
    if person["linkedin"]:
        found.append(("linkedin", person["linkedin"].lower()))
    return found


def personal_identifiers(truth: dict) -> dict[str, list[tuple[str, str]]]:
    """truth_id -> their identifiers, without the phone lines a household shares (a warehouse person holding one
    is not evidence that resolution joined the household)."""
    shared = {("phone", line["phone"]) for line in truth["shared_phones"]}
    return {p["truth_id"]: [i for i in truth_identifiers(p) if i not in shared] for p in truth["people"]}


def match_people(con: duckdb.DuckDBPyConnection, truth: dict) -> dict[str, set[int]]:
    """truth_id -> every warehouse person_id holding one of their identifiers (several when resolution split them)."""
    owner_of = {
        (kind, value): person_id
        for kind, value, person_id in con.execute(
            "select kind, lower(value), person_id from identifiers where person_id is not null"
        ).fetchall()
    }
    matches = {}
    for truth_id, identifiers in personal_identifiers(truth).items():
        found = {owner_of[i] for i in identifiers if i in owner_of}
        if found:
            matches[truth_id] = found
    return matches


def ndcg(ranked_grades: list[float], all_grades: list[float], k: int) -> float:
    def dcg(grades: list[float]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(all_grades, reverse=True))
    return dcg(ranked_grades) / ideal if ideal else 0.0


def top_overlap(scores: dict[str, float], truth: dict[str, float], k: int) -> float:
    def top(values: dict[str, float]) -> set[str]:
        return set(sorted(values, key=lambda key: (-values[key], key))[:k])

    return len(top(scores) & top(truth)) / k


def evaluate(warehouse: Path, truth: dict) -> dict:
    """The metrics of one built world (see the module docstring)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        matches = match_people(con, truth)
        rows = con.execute(
            "select person_id, strength, weighted_weekly_rate, dormant, first_interaction_at is not null"
            " from relationships"
        ).fetchall()
    finally:
        con.close()
    strength = {person_id: value for person_id, value, *_ in rows}
    rate = {person_id: value for person_id, _, value, *_ in rows}
    flagged = {person_id for person_id, _, _, dormant, _ in rows if dormant}
    seen = {person_id for person_id, *_, interacted in rows if interacted}

    def score(person: dict) -> float:
        return max((strength.get(i, 0.0) for i in matches.get(person["truth_id"], ())), default=0.0)

    def summed_rate(person: dict) -> float:
        # a person split by identity resolution keeps all their interactions: this measures the scorer; rounded,
        # as strength_rank is, because parallel sums differ in the last bits from run to run
        return round(sum(rate.get(i, 0.0) for i in matches.get(person["truth_id"], ())), 9)

    ties = [p for p in truth["people"] if p["layer"] is not None]
    holders = Counter(i for found in matches.values() for i in found)
    merged = {i for i, count in holders.items() if count > 1}  # resolution joined two truth people
    # a newsletter or one-way sender joined with a real tie by resolution scores as that tie: not the scorer's doing
    silent = [p for p in truth["people"] if p["layer"] is None and not matches.get(p["truth_id"], set()) & merged]
    predicted = {p["truth_id"]: summed_rate(p) for p in ties}
    latent = {p["truth_id"]: p["latent_strength"] for p in ties}
    interacted = [p["truth_id"] for p in ties if matches.get(p["truth_id"], set()) & seen]
    perfect_rate, one_to_one = perfect_identity_scoring(warehouse, truth, matches)
    window = [datetime.fromisoformat(truth[edge].replace("Z", "+00:00")).timestamp() for edge in ("start", "now")]
    if truth["reply_chains"]:  # the oracle knows the generator: an answer within hours is no event of the rate
        one_to_one = {key: sorted({time // 86400 * 86400 for time in times}) for key, times in one_to_one.items()}
    oracle = expected_strengths(one_to_one, latent, *window, world_ties=len(latent),
                                drift_share=truth.get("drift_share", DRIFT_SHARE),
                                layer_shape=truth.get("layer_shape", DUNBAR))
    zero = [key for key in latent if predicted[key] == 0]
    grade = {p["truth_id"]: 6 - p["layer"] for p in ties}
    ranked = sorted(predicted, key=lambda key: (-predicted[key], key))
    dormant = [p for p in ties if p["dormant"]]
    found = [p for p in dormant if matches.get(p["truth_id"], set()) & flagged]
    return {
        "ties": len(ties),
        "matched": sum(p["truth_id"] in matches for p in ties),
        "split": sum(len(matches.get(p["truth_id"], ())) > 1 for p in ties),
        "merged": len(merged),
        "spearman": spearmanr([predicted[k] for k in latent], list(latent.values())).statistic,
        "interacted": len(interacted),
        "spearman_interacted": spearmanr([predicted[k] for k in interacted], [latent[k] for k in interacted]).statistic,
        "zero": len(zero),
        # why they score 0: never seen by the warehouse, seen with no interaction, or one-way contact only
        "zero_unseen": sum(key not in matches for key in zero),
        "zero_silent": sum(key in matches and key not in interacted for key in zero),
        "zero_one_way": len(set(zero) & set(interacted)),
        "perfect_identity": spearmanr([perfect_rate.get(k, 0.0) for k in latent], list(latent.values())).statistic,
        "oracle": spearmanr([oracle[k] for k in latent], list(latent.values())).statistic,
        "top15": top_overlap(predicted, latent, 15),
        "top50": top_overlap(predicted, latent, 50),
        "ndcg15": ndcg([grade[k] for k in ranked], list(grade.values()), 15),
        "dormant_true": len(dormant),
        "dormant_found": len(found),
        "dormant_flagged": len(flagged),
        "dormant_recall": len(found) / len(dormant) if dormant else float("nan"),
        "silent": len(silent),
        "silent_max": max((score(p) for p in silent), default=0.0),
    }


def perfect_identity_scoring(warehouse: Path, truth: dict, matches: dict[str, set[int]]) -> tuple[dict, dict]:
    """The same scorer on the same interactions, with every participant attributed to the truth person whose
    identifier they used (identity resolution made perfect): truth_id -> weighted weekly rate, and truth_id ->
    the times (epoch seconds) of their one-to-one interactions. The gap between this ranking and the
    warehouse's is identity resolution's share; the gap to 1 is the scorer's and the data's.

    It re-runs relationships.sql on a copy of the work DB's interactions whose participants are truth people.
    A truth person's address-book and LinkedIn flags are those of the warehouse people holding their identifiers."""
    con = duckdb.connect()
    try:
        con.execute(f"attach {sql_literal(work_database_beside(warehouse))} as work (read_only)")
        numbers = {p["truth_id"]: n for n, p in enumerate(truth["people"], 1)}
        con.execute("create table truth_identifiers (kind varchar, value varchar, person_id bigint)")
        con.executemany("insert into truth_identifiers values (?, ?, ?)", [
            (kind, value, numbers[truth_id])
            for truth_id, identifiers in personal_identifiers(truth).items() for kind, value in identifiers
        ])
        con.execute("create table holders (person_id bigint, holder bigint)")
        con.executemany("insert into holders values (?, ?)", [
            (numbers[truth_id], holder) for truth_id, found in matches.items() for holder in found
        ])
        con.execute("""
            create table build_settings as from work.build_settings;
            create table interactions as from work.interactions;
            create table interaction_participants as
                select r.interaction_id, t.person_id,
                    case r.role when 'sender' then 'from' when 'recipient' then 'to' else r.role end as role,
                    any_value(r.response) as response
                from work.participations_resolved as r
                join truth_identifiers as t on t.kind = r.kind and t.value = lower(r.value)
                where not r.is_owner
                group by all;
            create table people as
                select h.person_id, max(p.linkedin_connected_at) as linkedin_connected_at,
                    list_distinct(flatten(list(p.sources))) as sources,
                    list_distinct(flatten(list(p.categories))) as categories
                from holders as h
                join work.people as p on p.person_id = h.holder
                group by all
                union all by name
                select distinct person_id from truth_identifiers where person_id not in (select person_id from holders);
            create table identifiers as
                select t.person_id, t.kind, t.value, i.times_seen
                from truth_identifiers as t
                join (select kind, value, max(times_seen) as times_seen from work.identifiers group by all) as i
                    using (kind, value);
        """)
        con.execute(PERSONAL_MAIL_SQL.read_text())
        con.execute((REPO / "transforms/sql/relationships.sql").read_text())
        # rounded as in evaluate: parallel sums differ in the last bits from run to run
        rate = dict(con.execute("select person_id, round(weighted_weekly_rate, 9) from relationships").fetchall())
        times = dict(con.execute(ONE_TO_ONE_TIMES).fetchall())
    finally:
        con.close()
    truth_id = {number: key for key, number in numbers.items()}
    return ({truth_id[n]: value for n, value in rate.items()}, {truth_id[n]: value for n, value in times.items()})


@dataclass(frozen=True)
class WorldFamily:
    """The generator's options for a family of worlds (demo.generate_world); the defaults are the demo's."""

    years: int = 5
    reply_chains: float = 0.0
    group_traffic: float = 1.0
    drift_share: float = DRIFT_SHARE
    layer_shape: str = DUNBAR

    def changed(self) -> list[tuple[str, float | str]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self) if getattr(self, f.name) != f.default]

    @property
    def suffix(self) -> str:
        """How the family differs from the default, for folder and results names: -10y, -chains0.6, ..."""
        return "".join(FAMILY_SUFFIXES[name].format(value) for name, value in self.changed())

    @property
    def options(self) -> str:
        """The command-line options that draw it."""
        return "".join(f" --{name.replace('_', '-')} {value if isinstance(value, str) else format(value, 'g')}"
                       for name, value in self.changed())


FAMILY_SUFFIXES = {"years": "-{}y", "reply_chains": "-chains{:g}", "group_traffic": "-groups{:g}",
                   "drift_share": "-drift{:g}", "layer_shape": "-{}"}


def build_world(workdir: Path, size: int, seed: int, rescore: bool, scoring: dict[str, float],
                family: WorldFamily = WorldFamily()) -> tuple[Path, dict]:
    """Generate and build one world (or, with `rescore`, re-run only the scoring of the built one)."""
    world = workdir / f"world-{size}-{seed}{family.suffix}"
    warehouse = world / "kith.duckdb"
    if rescore and warehouse.exists():
        truth = json.loads((world / "truth.json").read_text())
        _rescore(warehouse, truth, scoring)
        return warehouse, truth
    summary = generate_world(world, seed=seed, people=size, now=NOW, **asdict(family))
    truth = json.loads(summary.truth.read_text())
    (world / "config.toml").write_text("[scoring]\n" + "".join(f"{k} = {v}\n" for k, v in scoring.items()))
    kith_build(summary.inbox, warehouse, NOW, truth["owner"]["emails"], world / "config.toml")
    return warehouse, truth


def _rescore(warehouse: Path, truth: dict, scoring: dict[str, float]) -> None:
    """Re-run the scoring SQL on the work DB with the default BuildParameters and `scoring`, then copy it out."""
    as_of = datetime.fromisoformat(truth["now"].replace("Z", "+00:00"))
    parameters = replace(BuildParameters(as_of=as_of, owner_emails=tuple(truth["owner"]["emails"])), **scoring)
    con = duckdb.connect(str(work_database_beside(warehouse)))
    try:
        write_parameters(con, parameters)
        score_relationships(con)
        con.execute(f"attach {sql_literal(warehouse)} as served")
        for table in ("relationships", "relationship_history", "connections_between_contacts"):
            con.execute(f"create or replace table served.{table} as select * from {table}")
    finally:
        con.close()


def markdown(results: list[tuple[int, int, dict]]) -> str:
    lines = [
        "| people | seed | ties (matched, split, merged) | Spearman rho, all ties "
        "| Spearman rho, identities resolved perfectly | Spearman rho, Bayes oracle "
        "| Spearman rho, ties with interactions (n) "
        "| ties at 0 (unseen, no interaction, one-way) | top-15 overlap | top-50 overlap | NDCG@15 "
        "| dormant found / true (flagged) | newsletters & one-way: max score (n) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, seed, m in results:
        lines.append(
            f"| {size} | {seed} | {m['ties']} ({m['matched']}, {m['split']}, {m['merged']}) "
            f"| {m['spearman']:.3f} | {m['perfect_identity']:.3f} | {m['oracle']:.3f} "
            f"| {m['spearman_interacted']:.3f} ({m['interacted']}) "
            f"| {m['zero']} ({m['zero_unseen']}, {m['zero_silent']}, {m['zero_one_way']}) "
            f"| {m['top15']:.2f} | {m['top50']:.2f} | {m['ndcg15']:.3f} "
            f"| {m['dormant_found']} / {m['dormant_true']} ({m['dormant_flagged']}) "
            f"| {m['silent_max']:g} ({m['silent']}) |"
        )
    names = ("spearman", "perfect_identity", "oracle", "spearman_interacted", "top15", "top50", "ndcg15")
    worst = {name: min(m[name] for _, _, m in results) for name in names}
    found = sum(m["dormant_found"] for _, _, m in results)
    true = sum(m["dormant_true"] for _, _, m in results)
    silent_max = max(m["silent_max"] for _, _, m in results)
    lines += [
        "",
        f"Worst over all worlds: Spearman {worst['spearman']:.3f} (target >= {TARGETS['spearman']}; "
        f"{worst['spearman_interacted']:.3f} over ties with interactions; {worst['perfect_identity']:.3f} with "
        f"identities resolved perfectly; the Bayes oracle's worst {worst['oracle']:.3f}, below "
        f"{TARGETS['spearman']} in {sum(m['oracle'] < TARGETS['spearman'] for _, _, m in results)} of "
        f"{len(results)} worlds), "
        f"top-15 {worst['top15']:.2f} (target >= {TARGETS['top15']}), top-50 {worst['top50']:.2f}, "
        f"NDCG@15 {worst['ndcg15']:.3f}; dormant recall {found}/{true} = {found / true:.2f} "
        f"(target >= {TARGETS['dormant_recall']}); newsletters and one-way senders max score {silent_max:g} "
        "(target 0).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 600])
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--rescore", action="store_true")
    demo = WorldFamily()
    parser.add_argument("--years", type=int, default=demo.years, help="the worlds' window of history")
    parser.add_argument("--reply-chains", type=float, default=demo.reply_chains, metavar="P",
                        help="worlds whose one-to-one mail comes in bursts: each message answered within hours "
                             "with chance P (demo/mail.py)")
    parser.add_argument("--group-traffic", type=float, default=demo.group_traffic, metavar="F",
                        help="worlds whose communities mail and meet as a group F times as often (demo/world.py)")
    parser.add_argument("--drift-share", type=float, default=demo.drift_share, metavar="S",
                        help="worlds where a share S of the ties change pace once in the window (demo/people.py)")
    parser.add_argument("--layer-shape", choices=LAYER_SHAPES, default=demo.layer_shape,
                        help="how the ties' rates are spread: Dunbar layers, or a smooth power law of each tie's "
                             "rank (a Saramaki-like social signature; demo/people.py)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a [scoring] setting")
    args = parser.parse_args(argv)
    scoring = {name: float(value) for name, value in (item.split("=", 1) for item in args.set)}
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kith-ties-"))
    family = WorldFamily(args.years, args.reply_chains, args.group_traffic, args.drift_share, args.layer_shape)
    results = []
    for size in args.sizes:
        for seed in args.seeds:
            warehouse, truth = build_world(workdir, size, seed, args.rescore, scoring, family)
            results.append((size, seed, evaluate(warehouse, truth)))
    header = (f"# Tie strength against the demo world's latent strengths\n\n"
              f"`python benchmarks/tie_strength.py --seeds {' '.join(map(str, args.seeds))} "
              f"--sizes {' '.join(map(str, args.sizes))}{family.options}"
              f"`; worlds of {family.years} years ending {NOW:%Y-%m-%d}, "
              f"scored with {', '.join(args.set) or 'the default [scoring] settings'} (each tie's current rate from a "
              f"change-point model of its history, docs/scoring.md). Ties: every real contact "
              f"of the truth, seen or not. \"Identities resolved perfectly\": the same scoring on the same "
              f"interactions, each attributed to the right truth person. \"Bayes oracle\": each tie's expected "
              f"latent strength given its one-to-one interactions, under the generator's own prior "
              f"(benchmarks/tie_oracle.py): a reference for what those interactions allow.\n\n")
    table = header + markdown(results)
    print(table)
    if not scoring:
        results_file = RESULTS.with_stem(RESULTS.stem + family.suffix)
        results_file.parent.mkdir(parents=True, exist_ok=True)
        results_file.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
