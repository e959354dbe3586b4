"""Reads and appends the user's resolution decisions (overrides.toml) and loads them into `resolution_overrides`."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa

DECISIONS = ("same", "different")
KINDS = ("email", "phone", "linkedin")
# "same" with one identifier: everyone holding it is one person (an address Kith took for a household's);
# "different" needs a side each
FEWEST_IDENTIFIERS = {"same": (1, "at least one"), "different": (2, "at least two")}


class OverridesError(ValueError):
    """The overrides file or a decision is unusable; the message says where and why."""


def _split(identifier: str, where: str) -> tuple[str, str]:
    kind, _, value = str(identifier).partition(":")
    kind, value = kind.strip().lower(), value.strip()
    if kind not in KINDS or not value:
        raise OverridesError(f"{where}: {identifier!r} is not kind:value with kind one of {', '.join(KINDS)}")
    return kind, value


def read_decisions(path: Path | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every decision in the file, in file order: ("same" | "different", [(kind, value as written)])."""
    if path is None or not Path(path).exists():
        return []
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise OverridesError(f"{path}: not valid TOML ({error})") from error
    decisions = []
    for decision in DECISIONS:
        for number, entry in enumerate(document.get(decision, []), 1):
            where = f"{path}: [[{decision}]] number {number}"
            identifiers = entry.get("identifiers") if isinstance(entry, dict) else None
            fewest, in_words = FEWEST_IDENTIFIERS[decision]
            if not isinstance(identifiers, list) or len(identifiers) < fewest:
                raise OverridesError(f"{where}: needs identifiers = [{in_words} \"kind:value\" strings]")
            decisions.append((decision, [_split(identifier, where) for identifier in identifiers]))
    return decisions


def load_overrides(con: duckdb.DuckDBPyConnection, path: Path | None) -> None:
    """Replace `resolution_overrides(decision_id, decision, kind, value, written)` with the file's decisions,
    identifiers normalised by the same macros as the sources (needs `normalise.register_functions` first)."""
    rows = [
        (number, decision, kind, value)
        for number, (decision, identifiers) in enumerate(read_decisions(path), 1)
        for kind, value in identifiers
    ]
    table = pa.table(
        {
            "decision_id": pa.array([r[0] for r in rows], pa.int64()),
            "decision": pa.array([r[1] for r in rows], pa.string()),
            "kind": pa.array([r[2] for r in rows], pa.string()),
            "written": pa.array([r[3] for r in rows], pa.string()),
        }
    )
    con.register("override_rows", table)
    con.execute(
        """
        create or replace table resolution_overrides as
        select decision_id, decision, kind,
            case kind
                when 'email' then email_canonical(written)
                when 'phone' then phone_e164(written)
                else coalesce(linkedin_slug(written), lower(trim(written)))
            end as value,
            kind || ':' || written as written
        from override_rows
        order by decision_id, kind, written
        """
    )
    con.unregister("override_rows")


def record_decision(path: Path, kind: Literal["same", "different"], identifiers: list[str]) -> list[list[str]]:
    """Append one decision to the overrides file (created if missing); raises OverridesError if unusable.

    Returns the identifiers of each earlier decision of the other kind about two or more of the same identifiers,
    or about the one identifier of a one-identifier "same" (compared as written, less case): those still apply,
    "different" winning, and only the user can say which of the two to delete. The file is only appended to, so nothing the user wrote in it is lost."""
    if kind not in DECISIONS:
        raise OverridesError(f"decision must be one of {', '.join(DECISIONS)}, not {kind!r}")
    fewest, in_words = FEWEST_IDENTIFIERS[kind]
    if len(identifiers) < fewest:
        raise OverridesError(f"a \"{kind}\" decision needs {in_words} identifiers")
    named = {(k, v.lower()) for k, v in (_split(identifier, "decision") for identifier in identifiers)}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    contradicted = [[f"{k}:{v}" for k, v in found] for decision, found in read_decisions(path)
                    if decision != kind and len(named & {(k, v.lower()) for k, v in found}) >= min(2, len(named))]
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    separator = "\n" if existing and not existing.endswith("\n") else ""
    # JSON string escapes are valid TOML basic strings.
    block = f"[[{kind}]]\nidentifiers = [{', '.join(json.dumps(i.strip()) for i in identifiers)}]\n"
    path.write_text(existing + separator + ("\n" if existing else "") + block, encoding="utf-8")
    read_decisions(path)  # the file as a whole must still parse: say so now, not at the next build
    return contradicted
