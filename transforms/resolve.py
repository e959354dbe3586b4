"""Resolves records into people: shared identifiers, user decisions, then scored pairs (names, Splink); stable ids."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import duckdb
import pyarrow as pa

from transforms.overrides import load_overrides

SQL_DIR = Path(__file__).parent / "sql"
MERGE_SCORE = 4  # the least `name_pair_candidates.score` that merges two clusters (see resolve_name_pairs.sql)
MERGE_PROBABILITY = 0.99  # the least Splink match probability that merges two clusters

# What the first round put side by side, over the groups of records sharing an identifier: the blocking that
# pair completeness measures, and the Splink probabilities the second round reuses.
FIRST_ROUND_PAIRS = """
create or replace table resolve_first_round_pairs as
select cluster_a, cluster_b, s.match_probability
from resolve_candidate_pairs
full outer join resolve_splink_pairs as s using (cluster_a, cluster_b)
order by all
"""
# The second round compares the groups the first one formed (a name two groups carry is rare, companies are
# pooled). Splink is not retrained: two groups take the best probability of their parts.
GROUP_SPLINK_PAIRS = """
create or replace table resolve_splink_pairs as
with parts as (
    select distinct s.cluster_id as part, c.cluster_id as group_id
    from record_clusters_stage1 as s
    join record_clusters as c using (record_uid)
)

select least(a.group_id, b.group_id) as cluster_a, greatest(a.group_id, b.group_id) as cluster_b,
    max(p.match_probability) as match_probability
from resolve_first_round_pairs as p
join parts as a on a.part = p.cluster_a
join parts as b on b.part = p.cluster_b
where p.match_probability is not null and a.group_id <> b.group_id
group by all
order by all
"""

WRITE_CLUSTERS = """
create or replace table record_clusters as
select o.record_uid, b.cluster_id, b.match_evidence
from clusters_batch as b
join record_order as o using (order_key)
order by b.order_key
"""


class UnionFind:
    """Disjoint sets over records (`record_order` keys); the smallest item names its set, so results are
    deterministic and do not depend on where the files lie.

    Each set carries marks, namespace -> values (a LinkedIn profile, a side of a "different" decision);
    two sets whose marks in one namespace are disjoint may not join: two profiles are two people.
    """

    def __init__(self) -> None:
        self.parent: dict = {}
        self.marks: dict = {}

    def find(self, item):
        parent = self.parent.setdefault(item, item)
        if parent != item:
            root = self.find(parent)
            self.parent[item] = root
            return root
        return item

    def mark(self, item, namespace: str, value) -> None:
        marks = self.marks.setdefault(self.find(item), {})
        marks[namespace] = marks.get(namespace, frozenset()) | {value}

    def can_join(self, a, b, namespaces=None, ignoring: str | None = None) -> bool:
        marks_a, marks_b = self.marks.get(self.find(a), {}), self.marks.get(self.find(b), {})
        return not any(
            not (marks_a[name] & marks_b[name])
            for name in marks_a.keys() & marks_b.keys()
            if (namespaces is None or name.startswith(namespaces)) and name != ignoring
        )

    def union(self, a, b) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            low, high = sorted((root_a, root_b))
            self.parent[high] = low
            marks_low, marks_high = self.marks.setdefault(low, {}), self.marks.pop(high, {})
            for name, values in marks_high.items():
                marks_low[name] = marks_low.get(name, frozenset()) | values


def _record_sets(con: duckdb.DuckDBPyConnection) -> UnionFind:
    """Every record that can be a person (by its `record_order` key), marked with its LinkedIn profiles
    and "different" decisions."""
    sets = UnionFind()
    people_records = (
        "select order_key from stg_records join record_order using (record_uid) "
        "anti join automated_records using (record_uid) order by 1"
    )
    for (key,) in con.execute(people_records).fetchall():
        sets.find(key)
    marks = con.execute(
        """
        with marks as (
            select record_uid, 'linkedin' as namespace, value from stg_record_identifiers where kind = 'linkedin'
            union all
            -- a profile LinkedIn's own export names is there now; a card's may be one its owner left
            select i.record_uid, 'linkedin connection', i.value
            from stg_record_identifiers as i
            join stg_records as r using (record_uid)
            where i.kind = 'linkedin' and r.source = 'linkedin'
            union all
            -- one person has one address per employer: two addresses at one work domain are two people
            select record_uid, 'work address at ' || split_part(value, '@', 2), value
            from stg_record_identifiers
            where kind = 'email' and not is_personal_mail_domain(split_part(value, '@', 2))
            union all
            select i.record_uid, 'different:' || o.decision_id, o.kind || ':' || o.value
            from resolution_overrides as o
            join stg_record_identifiers as i using (kind, value)
            where o.decision = 'different'
        )
        select o.order_key, m.namespace, m.value from marks as m join record_order as o using (record_uid)
        order by all
        """
    ).fetchall()
    for key, namespace, value in marks:
        if key in sets.parent:
            sets.mark(key, namespace, value)
    return sets


def _join_shared_identifiers(con: duckdb.DuckDBPyConnection, sets: UnionFind, evidence: dict[str, str]) -> None:
    """Join the records of each link in `identity_links`, unless their marks keep them apart (two work addresses
    at one domain, two LinkedIn connections, a "different" decision): `resolve_kept_apart` lists those
    identifiers, which publishing flags as shared by several people."""
    first_holder: dict[str, str] = {}
    kept_apart: set[str] = set()
    links = (
        "select o.order_key, l.identifier from identity_links as l join record_order as o using (record_uid) "
        "anti join automated_records as a on a.record_uid = l.record_uid order by all"
    )
    for key, identifier in con.execute(links).fetchall():
        holder = first_holder.setdefault(identifier, key)
        if holder == key:
            continue
        # One email address under one name is one person's, though a card names another LinkedIn profile than the
        # person's: a profile address changes (linkedin.com/in/annlee becomes ann-lee-2), and an old card keeps the
        # old one. Two profiles LinkedIn's export names are two people (a father and a son sharing an address).
        ignoring = "linkedin" if identifier.startswith("email:") else None
        if sets.can_join(holder, key, ignoring=ignoring):
            sets.union(holder, key)
            evidence[holder] = evidence[key] = "shared identifier"
        else:
            kept_apart.add(identifier)
    con.execute("create or replace table resolve_kept_apart as select unnest(?::varchar[]) as identifier",
                [sorted(kept_apart)])


def _join_user_decisions(con: duckdb.DuckDBPyConnection, sets: UnionFind, evidence: dict[str, str]) -> None:
    """"Same" decisions join every record holding one of their identifiers, unless a "different" forbids it."""
    holders = con.execute(
        """
        select o.decision_id, r.order_key
        from resolution_overrides as o
        join stg_record_identifiers as i using (kind, value)
        join record_order as r using (record_uid)
        where o.decision = 'same'
        order by all
        """
    ).fetchall()
    first_holder: dict[int, str] = {}
    for decision_id, key in holders:
        if key not in sets.parent:
            continue
        holder = first_holder.setdefault(decision_id, key)
        if sets.can_join(holder, key, namespaces="different:"):
            sets.union(holder, key)
            evidence[holder] = evidence[key] = "user override"


def _write_clusters(con: duckdb.DuckDBPyConnection, sets: UnionFind, evidence: dict[str, str]) -> None:
    keys = sorted(sets.parent)
    table = pa.table(
        {
            "order_key": keys,
            "cluster_id": [sets.find(k) for k in keys],
            "match_evidence": [evidence.get(k, "single record") for k in keys],
        }
    )
    con.register("clusters_batch", table)
    con.execute(WRITE_CLUSTERS)
    con.unregister("clusters_batch")


def set_merge_thresholds(con: duckdb.DuckDBPyConnection) -> None:
    """The session variables resolve_pairs.sql reads for MERGE_SCORE and MERGE_PROBABILITY."""
    con.execute("set variable merge_score = ?", [MERGE_SCORE])
    con.execute("set variable merge_probability = ?", [MERGE_PROBABILITY])


def _scored_pairs(con: duckdb.DuckDBPyConnection, first_round: bool) -> list[tuple]:
    """Candidate pairs of the groups in `record_clusters` with both judgements (see resolve_pairs.sql), the
    strongest first."""
    con.execute((SQL_DIR / "resolve_name_pairs.sql").read_text())
    con.execute((SQL_DIR / "resolve_profiles.sql").read_text())
    if first_round:
        from transforms.splink_match import score_profiles  # Splink loads in 0.2 s: only resolving pays it

        score_profiles(con)
        con.execute(FIRST_ROUND_PAIRS)
    else:
        con.execute(GROUP_SPLINK_PAIRS)
    set_merge_thresholds(con)
    con.execute((SQL_DIR / "resolve_pairs.sql").read_text())
    return con.execute(
        """
        select cluster_a, cluster_b, merge, compatible, score, evidence, match_probability, facts_agree
        from resolve_pair_scores
        order by coalesce(score >= getvariable('merge_score'), false) desc, score desc nulls last,
            match_probability desc nulls last, cluster_a, cluster_b
        """
    ).fetchall()


def _join_scored_pairs(
    con: duckdb.DuckDBPyConnection, sets: UnionFind, evidence: dict[str, str], first_round: bool
) -> None:
    """Merge candidate pairs from the strongest down. Two groups join only when no pair of their parts is
    known to disagree (a common name must not chain strangers together) and neither side has an equally
    strong rival partner: one that could be this side's person but not the other's, or two such partners told
    apart that could each be the pair's person (a crowd: the name fits two people). When birthday and
    address agree, only the hard guards (LinkedIn profiles, work addresses, decisions) apply: such a pair is
    no namesake. Pairs held back by a rival are tried again after each pass: once the rival has joined
    someone it cannot be, the choice is no longer ambiguous."""
    pairs = _scored_pairs(con, first_round)
    incompatible_pairs = {(a, b) for a, b, _, compatible, *_ in pairs if not compatible}
    members = {cluster: [cluster] for cluster in {sets.find(u) for u in sets.parent}}
    merge_reason: dict[str, str] = {}

    def compatible(root_x, root_y) -> bool:
        return all(
            tuple(sorted((x, y))) not in incompatible_pairs for x in members[root_x] for y in members[root_y]
        )

    def could_join(x, y) -> bool:
        root_x, root_y = sets.find(x), sets.find(y)
        return root_x == root_y or (sets.can_join(root_x, root_y) and compatible(root_x, root_y))

    def strength(score, probability) -> tuple:
        by_score = score is not None and score >= MERGE_SCORE
        return (by_score, score if by_score else 0, round(probability or 0.0, 3))

    partners: dict[str, list[tuple[str, tuple]]] = {}
    for a, b, merge, _, score, _, probability, _ in pairs:
        if merge:
            partners.setdefault(a, []).append((b, strength(score, probability)))
            partners.setdefault(b, []).append((a, strength(score, probability)))

    def has_rival(cluster, partner, pair_strength) -> bool:
        own = {sets.find(cluster), sets.find(partner)}
        return any(
            other_strength >= pair_strength and sets.find(other) not in own
            and could_join(other, cluster) and not could_join(other, partner)
            for other, other_strength in partners.get(cluster, [])
        )

    in_incompatible_pairs = {cluster for pair in incompatible_pairs for cluster in pair}

    def told_apart_from_someone(root) -> bool:
        """Whether the group carries something that may keep it from another group: a mark (a LinkedIn
        profile, a decision) or a part in a pair known to be two people. Only such groups can form a crowd."""
        return bool(sets.marks.get(root)) or any(member in in_incompatible_pairs for member in members[root])

    def has_crowd(a, b, pair_strength) -> bool:
        """Whether two partners as strong as the pair, which the sources tell apart (two LinkedIn profiles of
        David Miller at Globex), could each be this pair's person: the name then fits two people, so it joins
        nobody to either, nor two other records of that name to each other."""
        own = {sets.find(a), sets.find(b)}
        distinguishable = sorted({
            sets.find(other)
            for cluster in (a, b)
            for other, other_strength in partners.get(cluster, [])
            if other_strength >= pair_strength and sets.find(other) not in own
            and told_apart_from_someone(sets.find(other))
        })
        if len(distinguishable) < 2:
            return False
        fitting = [root for root in distinguishable if could_join(root, a) and could_join(root, b)]
        return any(not could_join(x, y) for x, y in combinations(fitting, 2))

    def try_merge(a, b, score, why, probability, facts_agree) -> bool:
        """Whether the pair is settled (merged, or kept apart for good); False: held back by a rival."""
        root_a, root_b = sets.find(a), sets.find(b)
        if root_a == root_b or not sets.can_join(root_a, root_b):
            return True
        pair_strength = strength(score, probability)
        if not facts_agree:
            if not compatible(root_a, root_b):
                return True  # parts only gain members, so they stay incompatible
            if has_rival(a, b, pair_strength) or has_rival(b, a, pair_strength) or has_crowd(a, b, pair_strength):
                return False
        sets.union(root_a, root_b)
        members[sets.find(root_a)] = members.pop(root_a) + members.pop(root_b)
        reason = f"{why} (score {score})" if score is not None and score >= MERGE_SCORE else (
            f"match probability {probability:.4f}"
        )
        merge_reason.setdefault(a, reason)
        merge_reason.setdefault(b, reason)
        return True

    pending = [
        (a, b, score, why, probability, facts) for a, b, merge, _, score, why, probability, facts in pairs if merge
    ]
    while pending:
        held_back = [pair for pair in pending if not try_merge(*pair)]
        if len(held_back) == len(pending):
            break
        pending = held_back
    stage_one = con.execute(
        "select o.order_key, c.cluster_id from record_clusters as c "
        "join record_order as o using (record_uid) order by all"
    ).fetchall()
    for key, cluster in stage_one:
        if cluster in merge_reason and evidence.get(key) != "user override":
            evidence[key] = merge_reason[cluster]


def resolve(con: duckdb.DuckDBPyConnection, overrides_file: Path | None = None) -> None:
    """Build `record_clusters(record_uid, cluster_id, match_evidence)` from the staging tables.

    Stages: shared identifiers (household and role identifiers excluded), the user's "same" decisions,
    then scored pairs in two rounds, the second over the groups the first formed. "Different" decisions,
    distinct LinkedIn profiles and two addresses at one work domain veto automatic joins (see _record_sets).
    """
    con.execute((SQL_DIR / "resolve_prepare.sql").read_text())
    load_overrides(con, overrides_file)
    sets = _record_sets(con)
    evidence: dict[str, str] = {}
    _join_shared_identifiers(con, sets, evidence)
    _join_user_decisions(con, sets, evidence)
    _write_clusters(con, sets, evidence)
    con.execute("create or replace table record_clusters_stage1 as select * from record_clusters")
    for first_round in (True, False):
        _join_scored_pairs(con, sets, evidence, first_round)
        _write_clusters(con, sets, evidence)


def assign_person_ids(con: duckdb.DuckDBPyConnection) -> None:
    """Give every cluster a person id that survives rebuilds.

    A cluster keeps the id most of its records had before; when a person splits, the part with
    more of the old records keeps the id; everything else gets a new id above the highest ever used.
    """
    con.execute(
        """
        create table if not exists person_id_map (record_uid varchar primary key, person_id bigint);
        create table if not exists person_id_counter (highest bigint);
        """
    )
    rows = con.execute(
        """
        select c.cluster_id, m.person_id, count(*) as records
        from record_clusters as c
        left join person_id_map as m using (record_uid)
        group by all
        order by c.cluster_id
        """
    ).fetchall()
    highest = con.execute(
        "select greatest(coalesce((select max(highest) from person_id_counter), 0), "
        "coalesce((select max(person_id) from person_id_map), 0))"
    ).fetchall()[0][0]
    claims: list[tuple[int, str, int]] = sorted(
        ((-records, cluster, person_id) for cluster, person_id, records in rows if person_id is not None),
        key=lambda claim: (claim[0], claim[1]),
    )
    chosen: dict[str, int] = {}
    taken: set[int] = set()
    for _, cluster, person_id in claims:
        if cluster not in chosen and person_id not in taken:
            chosen[cluster] = person_id
            taken.add(person_id)
    for cluster in sorted({cluster for cluster, _, _ in rows}):
        if cluster not in chosen:
            highest += 1
            chosen[cluster] = highest
    table = pa.table({"cluster_id": list(chosen), "person_id": pa.array(list(chosen.values()), pa.int64())})
    con.register("chosen_ids", table)
    con.execute(
        """
        create or replace table record_people as
        select c.record_uid, i.person_id, c.match_evidence
        from record_clusters as c join chosen_ids as i using (cluster_id);

        insert or replace into person_id_map select record_uid, person_id from record_people;
        delete from person_id_counter;
        """
    )
    con.execute("insert into person_id_counter values (?)", [highest])
    con.unregister("chosen_ids")
