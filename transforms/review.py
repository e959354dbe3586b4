"""Finds people who are likely one person but were not merged, from `people` and `identifiers` (warehouse or work DB)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from transforms.normalise import nickname_pairs
from transforms.overrides import read_decisions


@dataclass(frozen=True)
class DuplicateCandidate:
    person_a: int
    person_b: int
    name_a: str
    name_b: str
    score: int
    reason: str
    identifiers_a: tuple[str, ...]  # kind:value, what `record_decision` takes
    identifiers_b: tuple[str, ...]

    def same_decision(self) -> list[str]:
        """Identifiers for `kith same`: one both hold (everyone holding it is one person), else one of each side's;
        none when a side has no identifier (a recipient named without an address)."""
        shared = sorted(set(self.identifiers_a) & set(self.identifiers_b))
        if shared:
            return shared[:1]
        return [self.identifiers_a[0], self.identifiers_b[0]] if self.identifiers_a and self.identifiers_b else []

    def different_decision(self) -> list[str]:
        """One identifier of each side's own for `kith different`; none when a side holds only what both hold."""
        own_a = [i for i in self.identifiers_a if i not in self.identifiers_b]
        own_b = [i for i in self.identifiers_b if i not in self.identifiers_a]
        return [own_a[0], own_b[0]] if own_a and own_b else []


CANDIDATES_SQL = """
with names as (
    select person_id, display_name,
        lower(strip_accents(coalesce(family_name, regexp_extract(display_name, '(\\S+)$', 1)))) as family_key,
        lower(strip_accents(coalesce(given_name, split_part(display_name, ' ', 1)))) as given_key,
        organization
    from people
    where display_name like '% %'
),

groups as (
    select person_id, given_key as name_group from names
    union
    select person_id, canonical from names join review_nicknames on nickname = given_key
),

facts as (
    select person_id,
        list(distinct value) filter (where kind = 'linkedin') as profiles,
        list(distinct split_part(value, '@', 2)) filter (where kind = 'email') as domains,
        list(distinct split_part(value, '@', 1)) filter (where kind = 'email') as locals,
        list(kind || ':' || value order by kind, value) as identifiers
    from identifiers where person_id is not null
    group by all
),

-- two people of one family name holding one email address: one person under two forms of a first name that Kith
-- did not know (Venkat and Venkata), or a household's address (a phone is a household's more often than not)
sharing as (
    select distinct a.person_id as person_a, b.person_id as person_b
    from identifiers as a
    join identifiers as b on a.kind = b.kind and a.value = b.value and a.person_id < b.person_id
    where a.kind = 'email'
),

pairs as (
    select person_a, person_b, bool_or(compatible_first_names) as compatible_first_names
    from (
        select a.person_id as person_a, b.person_id as person_b, true as compatible_first_names
        from names as a
        join names as b on a.family_key = b.family_key and a.person_id < b.person_id
        join groups as ga on ga.person_id = a.person_id
        join groups as gb on gb.person_id = b.person_id and gb.name_group = ga.name_group
        union all
        select s.person_a, s.person_b, false
        from sharing as s
        join names as a on a.person_id = s.person_a
        join names as b on b.person_id = s.person_b and b.family_key = a.family_key
    )
    group by all
),

scored as (
    select p.*, a.display_name as name_a, b.display_name as name_b,
        review_name_key(a.organization) = review_name_key(b.organization) as same_company,
        len(list_intersect(fa.domains, fb.domains)) > 0 as same_domain,
        len(list_intersect(fa.locals, fb.locals)) > 0 as same_user_name,
        a.given_key = b.given_key as same_first_name,
        (p.person_a, p.person_b) in (select person_a, person_b from sharing) as same_identifier,
        coalesce(fa.identifiers, []) as identifiers_a, coalesce(fb.identifiers, []) as identifiers_b,
        coalesce(len(fa.profiles) > 0 and len(fb.profiles) > 0, false) as two_profiles
    from pairs as p
    join names as a on a.person_id = p.person_a
    join names as b on b.person_id = p.person_b
    left join facts as fa on fa.person_id = p.person_a
    left join facts as fb on fb.person_id = p.person_b
)

select person_a, person_b, name_a, name_b,
    -- one address held in common is also its domain and user name: counted once
    1 + 3 * coalesce(same_company, false)::int + same_first_name::int
        + case when same_identifier then 3 else 2 * same_domain::int + 2 * same_user_name::int end as score,
    concat_ws(', ', 'same family name',
        case when same_first_name then 'same first name' when compatible_first_names then 'compatible first names'
             else 'other first names' end,
        case when same_identifier then 'one email address' end,
        case when same_company then 'same company' end,
        case when same_domain and not same_identifier then 'same email domain' end,
        case when same_user_name and not same_identifier then 'same email user name' end) as reason,
    identifiers_a, identifiers_b
from scored
where not two_profiles
order by score desc, person_a, person_b
limit ?
"""


def _already_decided(candidate: DuplicateCandidate, decisions: list[tuple[str, list[tuple[str, str]]]]) -> bool:
    """A "different" decision naming an identifier of each side (as written in the file, lower-cased)."""
    side_a = {i.lower() for i in candidate.identifiers_a}
    side_b = {i.lower() for i in candidate.identifiers_b}
    for decision, identifiers in decisions:
        named = {f"{kind}:{value}".lower() for kind, value in identifiers}
        if decision == "different" and named & side_a and named & side_b:
            return True
    return False


def duplicate_candidates(
    con: duckdb.DuckDBPyConnection, limit: int = 50, overrides_file: Path | None = None
) -> list[DuplicateCandidate]:
    """Pairs of people with the same family name and compatible first names (Bob ~ Robert) or one email address
    in common, best first.

    Two LinkedIn profiles mean two people, and pairs the user already called different (in
    `overrides_file`) are settled, so both are left out. Works on the published warehouse
    (read-only is fine: the nickname list is a registered view, not a table).
    """
    pairs = nickname_pairs()
    con.register("review_nicknames", pa.table({"nickname": [n for n, _ in pairs], "canonical": [c for _, c in pairs]}))
    try:
        con.execute(
            "create or replace temp macro review_name_key(name) as "
            "nullif(trim(regexp_replace(lower(strip_accents(coalesce(name, ''))), '[^a-z0-9]+', ' ', 'g')), '')"
        )
        rows = con.execute(CANDIDATES_SQL, [limit]).fetchall()
    finally:
        con.unregister("review_nicknames")
    decisions = read_decisions(overrides_file)
    candidates = [
        DuplicateCandidate(a, b, name_a, name_b, score, reason, tuple(ids_a), tuple(ids_b))
        for a, b, name_a, name_b, score, reason, ids_a, ids_b in rows
    ]
    return [c for c in candidates if not _already_decided(c, decisions)]
