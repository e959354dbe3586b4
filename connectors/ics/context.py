"""What the reading of one calendar file carries from part to part: its source, its zones, its labels."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from connectors.records import Reject


@dataclass(slots=True)
class Context:
    source: str
    source_file: str
    now: datetime
    zone: tzinfo | None = None  # X-WR-TIMEZONE: for floating times
    zone_names: dict[str, str] = field(default_factory=dict)  # TZID -> the name icalendar knows its zone by
    cancel_all: bool = False  # METHOD:CANCEL
    labels: list[str] = field(default_factory=list)
    unknown_zones: set[str] = field(default_factory=set)  # TZIDs already rejected once

    def reject(self, location: str, reason: str) -> Reject:
        return Reject(self.source, self.source_file, location, reason)
