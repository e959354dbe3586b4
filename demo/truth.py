"""Writes truth.json: who every identifier in the inbox belongs to, and each tie's latent strength."""

from __future__ import annotations

import json
import time
from pathlib import Path

from demo.calendars import room_addresses
from demo.people import LAYER_RATES, Person, World


def layer_of(person: Person) -> int | None:
    """The Dunbar layer (1 closest .. 5) of the person's current rate; None for one-way senders."""
    if person.one_way or person.role or person.kind in ("newsletter", "noreply"):
        return None
    rate = person.current_rate
    for layer, (upper, lower) in enumerate(zip(LAYER_RATES, LAYER_RATES[1:]), 1):
        if rate >= (upper * lower) ** 0.5:
            return layer
    return 5


def truth_record(person: Person) -> dict:
    return {
        "truth_id": person.truth_id,
        "name": person.full_name,
        "emails": person.all_emails(),
        "phones": list(dict.fromkeys(person.phones)),
        "linkedin": person.linkedin,
        "kind": person.kind,
        "latent_strength": person.strength,
        "layer": layer_of(person),
        "dormant": person.dormant,
        "companies": list(dict.fromkeys(job.company.name for job in person.jobs)),
        "nickname": person.nickname,
        "role_address": person.role,
        "one_way": person.one_way,
        "drifted": person.change_at is not None and not person.dormant,
    }


def write_truth(world: World, path: Path, broken: list[dict], drawn_with: dict[str, float | str]) -> None:
    """`drawn_with`: the generator's options for this world (reply_chains, group_traffic, drift_share,
    layer_shape)."""
    by_name: dict[str, list[str]] = {}
    for person in world.people:
        if person.family and not person.role:
            by_name.setdefault(person.full_name, []).append(person.truth_id)
    owner = world.owner
    document = {
        "start": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(world.start)),
        "now": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(world.now)),
        **drawn_with,
        "owner": {"name": owner.full_name, "emails": [owner.personal_email, owner.work_email], "phones": [owner.phone],
                  "linkedin": owner.linkedin},
        "people": [truth_record(p) for p in world.people],
        "same_name_groups": [ids for ids in by_name.values() if len(ids) > 1],
        "shared_phones": [{"phone": phone, "truth_ids": ids} for phone, ids in world.shared_phones],
        "resources": room_addresses(),
        "broken": broken,
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
