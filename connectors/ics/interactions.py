"""Turns one occurrence of an event into a meeting Interaction: when, how long, who, and whether it happened."""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar

from connectors.ics.context import Context
from connectors.ics.events import PARTICIPANTS, property_value
from connectors.ics.zones import as_utc
from connectors.meetings import ALL_DAY_LABEL, all_day_start, occurrence_key
from connectors.records import Interaction

_STATUSES = {"confirmed", "tentative", "cancelled"}


def interaction(uid: str, occurrence: icalendar.Event, context: Context) -> Interaction:
    start, end = property_value(occurrence, "DTSTART"), property_value(occurrence, "DTEND")
    all_day = not isinstance(start, datetime) or _is_outlook_all_day(occurrence)
    if all_day:
        start_day = start.date() if isinstance(start, datetime) else start
        end_day = end.date() if isinstance(end, datetime) else end
        if end_day is None:
            end_day = start_day + (_duration(occurrence) or timedelta(days=1))
        occurred_at = all_day_start(start_day)
        duration = max((end_day - start_day).days, 0) * 1440
    else:
        occurred_at = as_utc(start, context.zone)
        ends_at = as_utc(end, context.zone) if end is not None else occurred_at + _duration(occurrence)
        duration = max((ends_at - occurred_at).total_seconds() / 60, 0)
    status = str(occurrence.get("STATUS", "confirmed")).strip().lower()
    summary = occurrence.get("SUMMARY")
    return Interaction(
        source=context.source,
        source_file=context.source_file,
        location=f"UID {uid} / {occurred_at.isoformat()}",
        interaction_key=occurrence_key(uid, occurred_at),
        channel="meeting",
        occurred_at=occurred_at,
        participants=list(occurrence.get(PARTICIPANTS, [])),
        thread_id=str(occurrence["UID"]) if occurrence.get("UID") else None,
        title=str(summary) if summary is not None else None,
        duration_minutes=duration,
        status="cancelled" if context.cancel_all else (status if status in _STATUSES else "confirmed"),
        labels=[*context.labels, ALL_DAY_LABEL] if all_day else list(context.labels),
    )


def _is_outlook_all_day(event: icalendar.Event) -> bool:
    return str(event.get("X-MICROSOFT-CDO-ALLDAYEVENT", "")).strip().upper() == "TRUE"


def _duration(event: icalendar.Event) -> timedelta:
    duration = property_value(event, "DURATION")
    return duration if isinstance(duration, timedelta) else timedelta()
