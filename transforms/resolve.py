"""Resolves records into people: shared identifiers first, then names with evidence; stable person ids."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa

SQL_DIR = Path(__file__).parent / "sql"


class UnionFind:
    """Disjoint sets over hashable items; the smallest item names its set, so results are deterministic."""

    def __init__(self) -> None:
        self.parent: dict = {}

    def find(self, item):
        parent = self.parent.setdefault(item, item)
        if parent != item:
            root = self.find(parent)
            self.parent[item] = root
            return root
        return item

    def union(self, a, b) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            low, high = sorted((root_a, root_b))
            self.parent[high] = low


def _identifier_clusters(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], set[str]]:
    """record_uid -> cluster id after joining records that share an identifier; and the records joined so."""
    sets = UnionFind()
    people_records = "select record_uid from stg_records anti join automated_records using (record_uid) order by 1"
    for (record_uid,) in con.execute(people_records).fetchall():
        sets.find(record_uid)
    joined: set[str] = set()
    first_holder: dict[str, str] = {}
    links = "select record_uid, identifier from identity_links anti join automated_records using (record_uid)"
    for record_uid, identifier in con.execute(links).fetchall():
        holder = first_holder.setdefault(identifier, record_uid)
        if holder != record_uid:
            sets.union(holder, record_uid)
            joined.update((holder, record_uid))
    return {uid: sets.find(uid) for uid in sets.parent}, joined


def _write_clusters(con: duckdb.DuckDBPyConnection, clusters: dict[str, str], evidence: dict[str, str]) -> None:
    uids = sorted(clusters)
    table = pa.table(
        {
            "record_uid": uids,
            "cluster_id": [clusters[u] for u in uids],
            "match_evidence": [evidence[u] for u in uids],
        }
    )
    con.register("clusters_batch", table)
    con.execute("create or replace table record_clusters as select * from clusters_batch")
    con.unregister("clusters_batch")


def _name_merges(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """Pairs of clusters to merge by name, kept only where each side has exactly one such partner."""
    con.execute((SQL_DIR / "resolve_name_pairs.sql").read_text())
    pairs = con.execute("select cluster_a, cluster_b, evidence from name_pair_candidates").fetchall()
    partners = Counter([a for a, _, _ in pairs] + [b for _, b, _ in pairs])
    return [(a, b, why) for a, b, why in pairs if partners[a] == 1 and partners[b] == 1]


def resolve(con: duckdb.DuckDBPyConnection) -> None:
    """Build `record_clusters(record_uid, cluster_id, match_evidence)` from the staging tables."""
    con.execute((SQL_DIR / "resolve_prepare.sql").read_text())
    clusters, joined = _identifier_clusters(con)
    evidence = {uid: ("shared identifier" if uid in joined else "single record") for uid in clusters}
    _write_clusters(con, clusters, evidence)

    merges = _name_merges(con)
    if merges:
        sets = UnionFind()
        merge_evidence: dict[str, str] = {}
        for a, b, why in merges:
            sets.union(a, b)
            merge_evidence[a] = merge_evidence[b] = why
        for uid, cluster in clusters.items():
            if cluster in merge_evidence:
                evidence[uid] = merge_evidence[cluster]
            clusters[uid] = sets.find(cluster)
        _write_clusters(con, clusters, evidence)


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
