"""Kith's Dagster definitions: what `dg dev` shows and what `kith build` runs."""

from __future__ import annotations

import os

import dagster as dg

from pipelines.assets import ALL_ASSETS
from pipelines.automation import build_everything, daily_build, inbox_changed
from pipelines.checks import ALL_CHECKS
from pipelines.resources import KithResource
from pipelines.settings import SettingsError


def kith_resource_from_environment() -> KithResource:
    """KITH_INBOX, KITH_WAREHOUSE, KITH_ME (comma-separated) and KITH_CONFIG override the config file."""
    return KithResource(
        inbox=os.environ.get("KITH_INBOX", ""),
        warehouse=os.environ.get("KITH_WAREHOUSE", ""),
        owner_emails=[e for e in os.environ.get("KITH_ME", "").split(",") if e.strip()],
        config_file=os.environ.get("KITH_CONFIG", ""),
    )


def owner_time_zone(kith: KithResource) -> str:
    """The owner's time zone from the config file; UTC while the settings cannot be read (every build says why),
    so the code location still loads."""
    try:
        return kith.settings().owner_timezone
    except (SettingsError, OSError, RuntimeError):  # RuntimeError: a path with ~user of no such user
        return "UTC"


kith_resource = kith_resource_from_environment()
defs = dg.Definitions(
    assets=ALL_ASSETS,
    asset_checks=ALL_CHECKS,
    jobs=[build_everything],
    schedules=[daily_build(owner_time_zone(kith_resource))],
    sensors=[inbox_changed],
    resources={"kith": kith_resource},
    # One process writes the work DB: DuckDB allows a single writer per file.
    executor=dg.in_process_executor,
)
