"""Kith's settings: one TOML file in the Kith home folder, overridden by command-line options."""

from __future__ import annotations

import os
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

from transforms.build import ScoringWeights
from warehouse.files import work_database_beside

DEFAULT_HOME = Path("~/.config/kith")


def kith_home() -> Path:
    """The folder that holds config.toml, OAuth tokens, overrides and Dagster's run storage."""
    return Path(os.environ.get("KITH_HOME", DEFAULT_HOME)).expanduser()


class SettingsError(ValueError):
    """The config file is unreadable or holds a value Kith cannot use."""


@dataclass
class Settings:
    inbox: Path | None = None
    warehouse: Path = Path("kith.duckdb")
    owner_emails: list[str] = field(default_factory=list)
    owner_timezone: str = "UTC"
    default_region: str | None = None  # None: inferred from the address books (transforms.normalise.phone_settings)
    store_titles: bool = False
    store_notes: bool = False
    scoring: ScoringWeights = field(default_factory=ScoringWeights)
    accounts: list[dict] = field(default_factory=list)
    home: Path = field(default_factory=kith_home)

    @property
    def work_db(self) -> Path:
        return work_database_beside(self.warehouse)

    @property
    def overrides_file(self) -> Path:
        return self.home / "overrides.toml"


def load_settings(config_file: Path | None = None, **overrides) -> Settings:
    """Settings from `config_file` (default `$KITH_HOME/config.toml`, optional), then `overrides`."""
    settings = Settings()
    path = config_file or settings.home / "config.toml"
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise SettingsError(f"{path}: {error}") from error
        _apply(settings, data, path)
    for name, value in overrides.items():
        if value is None:
            continue
        if name == "owner_emails":
            settings.owner_emails = sorted(set(settings.owner_emails) | {v.strip().lower() for v in value})
        else:
            setattr(settings, name, value)
    return settings


def _expect(value, kind: type, where: str, path: Path):
    """`value` if it has the TOML type `kind`, else a one-line SettingsError naming the key."""
    if not isinstance(value, kind):
        raise SettingsError(f"{path}: {where} must be {_TOML_TYPE_NAMES[kind]}, not {value!r}")
    return value


def _time_zone(name: str, path: Path) -> str:
    """`name` if both DuckDB (which reads the days in it) and Python's IANA database (which Dagster's schedule
    runs by) know it, spelt as there; else a one-line SettingsError. DuckDB alone also takes abbreviations such
    as PST."""
    if name not in _time_zone_names():
        raise SettingsError(f"{path}: [owner] timezone must be an IANA time zone such as Europe/London, not {name!r}")
    return name


@cache
def _time_zone_names() -> frozenset[str]:
    with duckdb.connect() as con:
        duckdb_names = frozenset(name for (name,) in con.execute("select name from pg_timezone_names()").fetchall())
    return duckdb_names & zoneinfo.available_timezones()


_TOML_TYPE_NAMES = {dict: "a table", list: "a list", str: "a string", bool: "true or false"}
# [scoring] settings outside these ranges would make the model divide by zero or count nothing: the check and
# how the error names the range
_ABOVE_ZERO = (lambda v: v > 0, "above 0")
_SCORING_RANGES = {
    "change_probability": (lambda v: 0 <= v <= 1, "between 0 and 1"),
    "interactions_per_day": (lambda v: v >= 1 and v == int(v), "a whole number of at least 1"),
    **dict.fromkeys(("prior_interactions", "prior_weekly_rate", "scale", "half_life_days", "long_half_life_days"),
                    _ABOVE_ZERO),
}


def _apply(settings: Settings, data: dict, path: Path) -> None:
    owner = _expect(data.get("owner", {}), dict, "[owner]", path)
    emails = _expect(owner.get("emails", []), list, "[owner] emails", path)
    settings.owner_emails = [_expect(e, str, "[owner] emails", path).strip().lower() for e in emails]
    if "timezone" in owner:
        settings.owner_timezone = _time_zone(_expect(owner["timezone"], str, "[owner] timezone", path), path)
    if "default_region" in owner:
        settings.default_region = _expect(owner["default_region"], str, "[owner] default_region", path)
    privacy = _expect(data.get("privacy", {}), dict, "[privacy]", path)
    settings.store_titles = _expect(privacy.get("store_titles", settings.store_titles), bool, "[privacy] store_titles", path)
    settings.store_notes = _expect(privacy.get("store_notes", settings.store_notes), bool, "[privacy] store_notes", path)
    for key, value in _expect(data.get("scoring", {}), dict, "[scoring]", path).items():
        if not hasattr(settings.scoring, key):
            raise SettingsError(f"{path}: unknown [scoring] setting {key!r}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SettingsError(f"{path}: [scoring] {key} must be a number, not {value!r}")
        in_range, described = _SCORING_RANGES.get(key, (lambda _: True, ""))
        if not in_range(value):
            raise SettingsError(f"{path}: [scoring] {key} must be {described}, not {value!r}")
        setattr(settings.scoring, key, float(value))
    if "inbox" in data:
        settings.inbox = Path(_expect(data["inbox"], str, "inbox", path)).expanduser()
    if "warehouse" in data:
        settings.warehouse = Path(_expect(data["warehouse"], str, "warehouse", path)).expanduser()
    settings.accounts = _expect(data.get("accounts", []), list, "accounts ([[accounts]] entries)", path)
    for account in settings.accounts:
        _expect(account, dict, "each [[accounts]] entry", path)
        if "name" not in account or "kind" not in account:
            raise SettingsError(f"{path}: every [[accounts]] entry needs a name and a kind")
        leaked = {"password", "token", "client_secret", "refresh_token"} & set(account)
        if leaked:
            raise SettingsError(
                f"{path}: account {account['name']!r} holds {', '.join(sorted(leaked))}; secrets never go in "
                "the config file (use password_env, the OS keyring, or `kith auth`)"
            )
