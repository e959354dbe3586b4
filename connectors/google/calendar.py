"""Fetches Google Calendar event occurrences (incremental with a sync token) as meeting Interactions."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

from googleapiclient.errors import HttpError

from connectors.google.calls import Sleep, describe
from connectors.google.sync import ListingFailed, sync_token_pages
from connectors.google.timestamps import parse_rfc3339
from connectors.records import Interaction, OwnerIdentity, Participant, Reject, cancelled_meeting

SOURCE = "google_calendar"
_RESPONSES = {"needsAction": "needs-action", "declined": "declined", "tentative": "tentative", "accepted": "accepted"}
# Rooms and calendars of groups are addresses on events, not people.
_NOT_PEOPLE_DOMAINS = ("@resource.calendar.google.com", "@group.calendar.google.com")


def fetch_google_calendar(
    service, state: dict, *, source_file: str, calendar_id: str = "primary", sleep: Sleep = time.sleep
) -> Iterator[Interaction | OwnerIdentity | Reject]:
    """Every event occurrence of `calendar_id`, or only the changes since `state["sync_token"]`.

    Recurring events come expanded (`singleEvents`), one Interaction per occurrence. Updates `state` in
    place: `sync_token` (from the last page) and `full_resync` (True when this run listed every event,
    because there was no token or Google answered 410 Gone). Deleted events come back with
    `status="cancelled"`. An API failure ends the run with one Reject. On the primary calendar, Google marks the
    entries of the calendar's own address (`self`): each such address comes once as the owner's (an alias the
    owner is invited at, or declines at, is still the owner).
    """

    def list_request(sync_token: str | None, page_token: str | None):
        return service.events().list(
            calendarId=calendar_id,
            singleEvents=True,
            maxResults=2500,
            pageToken=page_token,
            syncToken=sync_token,
            showDeleted=True if sync_token else None,
        )

    # event id -> [interaction key, start]: Google sends a deletion with its id alone, and a moved
    # event under a new key; both must cancel the occurrence stored under the old key.
    known = state.setdefault("event_keys", {})
    # `self` marks the listed calendar's own address: the owner's only on their primary calendar
    on_primary, owner_addresses = calendar_id == "primary", set()
    try:
        for _, response in sync_token_pages(list_request, state, _token_gone, sleep):
            for event in response.get("items", []):
                if on_primary:
                    yield from _new_owner_addresses(event, owner_addresses, source_file)
                yield from _with_cancellations(event, known, source_file=source_file, calendar_id=calendar_id)
    except ListingFailed as failure:
        yield Reject(SOURCE, source_file, f"events page {failure.page}", describe(failure.error))


def _with_cancellations(event: dict, known: dict, *, source_file: str, calendar_id: str):
    record = event_to_record(event, source_file=source_file, calendar_id=calendar_id)
    event_id = event.get("id")
    previous = known.get(event_id)
    if previous and (not isinstance(record, Interaction) or record.interaction_key != previous[0]):
        key, start = previous
        yield cancelled_meeting(SOURCE, source_file, f"event {event_id}", key, start, event_id, calendar_id)
        del known[event_id]
        if event.get("status") == "cancelled" and isinstance(record, Reject):
            return  # the deletion is fully told by the cancellation above
    if isinstance(record, Interaction) and event_id:
        if record.status == "cancelled":
            known.pop(event_id, None)
        else:
            known[event_id] = [record.interaction_key, record.occurred_at.isoformat()]
    yield record


def _new_owner_addresses(event: dict, seen: set[str], source_file: str) -> Iterator[OwnerIdentity]:
    """The addresses `self` marks on the event (the calendar's own: on the primary calendar, the owner's), once."""
    for entry in (event.get("organizer", {}), event.get("creator", {}), *event.get("attendees", [])):
        address = (entry.get("email") or "").lower()
        if entry.get("self") and address and address not in seen:
            seen.add(address)
            yield OwnerIdentity(SOURCE, source_file, "email", address)


def _token_gone(error: HttpError) -> bool:
    return error.status_code == 410


def event_to_record(event: dict, *, source_file: str, calendar_id: str) -> Interaction | Reject:
    """One event occurrence as a meeting Interaction, or a Reject at "event <id>" when it is unusable."""
    location = f"event {event.get('id')}"
    # Deleted events may carry only their id; a cancelled occurrence keeps originalStartTime.
    start = event.get("start") or event.get("originalStartTime")
    if not start:
        return Reject(SOURCE, source_file, location, f"{event.get('status', 'event')} event without a start time")
    if not event.get("iCalUID"):
        return Reject(SOURCE, source_file, location, "event without iCalUID")
    try:
        occurred_at = _moment(start)
        end = event.get("end")
        duration = (_moment(end) - occurred_at).total_seconds() / 60 if end else None
    except (TypeError, ValueError) as error:
        return Reject(SOURCE, source_file, location, f"unreadable start or end: {error}")
    return Interaction(
        source=SOURCE,
        source_file=source_file,
        location=location,
        interaction_key=f"{event['iCalUID']}/{occurred_at.isoformat()}",
        channel="meeting",
        occurred_at=occurred_at,
        participants=_participants(event),
        thread_id=event.get("recurringEventId") or event.get("id"),
        title=event.get("summary"),
        duration_minutes=duration,
        status=event.get("status"),
        labels=[calendar_id],
    )


def _moment(when: dict) -> datetime:
    """The UTC start of a `{dateTime}` or all-day `{date}` (all-day days start at 00:00 UTC)."""
    if when.get("dateTime"):
        return parse_rfc3339(when["dateTime"])
    day = date.fromisoformat(when["date"])
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _participants(event: dict) -> list[Participant]:
    participants = []
    organizer = event.get("organizer", {})
    if _is_person(organizer):
        participants.append(Participant("organizer", "email", organizer["email"], organizer.get("displayName")))
    for attendee in event.get("attendees", []):
        if _is_person(attendee):
            response = _RESPONSES.get(attendee.get("responseStatus", ""))
            participants.append(
                Participant("attendee", "email", attendee["email"], attendee.get("displayName"), response)
            )
    return participants


def _is_person(entry: dict) -> bool:
    email = entry.get("email", "")
    return bool(email) and not entry.get("resource") and not email.lower().endswith(_NOT_PEOPLE_DOMAINS)
