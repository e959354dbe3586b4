"""What the pipeline tests know of Kith's Dagster graph: the group of each asset, and one tick of the inbox sensor."""

from __future__ import annotations

import dagster as dg

from pipelines.automation import inbox_changed
from pipelines.resources import KithResource

GROUPS = {
    "linkedin_exports": "raw",
    "address_books": "raw",
    "mailboxes": "raw",
    "calendars": "raw",
    "unreadable_inputs": "raw",
    "account_sources": "raw",
    "contact_records": "staging",
    "people": "people",
    "interactions": "interactions",
    "relationships": "relationships",
    "published_warehouse": "warehouse",
}


def evaluate_sensor_tick(instance: dg.DagsterInstance, kith: KithResource, cursor: str | None):
    """One tick of the inbox sensor; the context manager sets the resource up and tears it down."""
    with dg.build_sensor_context(instance=instance, cursor=cursor, resources={"kith": kith}) as context:
        return inbox_changed.evaluate_tick(context)
