"""Fetches Google Calendar event occurrences (incremental with a sync token) as meeting Interactions.

Occurrences are keyed and labelled as `connectors.meetings` says, like the same calendar's ICS export: an
all-day one starts at 00:00 UTC of its date and carries the "all-day" label.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime

from googleapiclient.errors import HttpError

from connectors.google.calls import Sleep, describe
from connectors.google.sync import ListingFailed, sync_token_pages
from connectors.google.timestamps import parse_rfc3339
from connectors.meetings import ALL_DAY_LABEL, all_day_start, is_calendar_address, occurrence_key
from connectors.records import Interaction, OwnerIdentity, Participant, Reject, cancelled_meeting

SOURCE = "google_calendar"
_RESPONSES = {"needsAction": "needs-action", "declined": "declined", "tentative": "tentative", "accepted": "accepted"}


def fetch_google_calendar(
    service, state: dict, *, source_file: str, calendar_id: str = "primary", sleep: Sleep = time.sleep
) -> Iterator[Interaction | OwnerIdentity | Reject]:
    """Every event occurrence of `calendar_id`, or only the changes since `state["sync_token"]`.

    Recurring events come expanded (`singleEvents`), one Interaction per occurrence. Updates `state` in
    place: `sync_token` (from the last page) and `full_resync` (True when this run listed every event,
    because there was no token or Google answered 410 Gone). Deleted events come back with
    `status="cancelled"`; a deleted recurring series cancels every instance stored before. An API failure
    ends the run with one Reject. On the primary calendar, Google marks the entries of the calendar's own
    address (`self`): each such address comes once as the owner's (an alias the owner is invited at, or
    declines at, is still the owner).
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

    # event id -> [interaction key, start, series id]: Google sends a deletion with its id alone (a deleted
    # series with the series' id), and a moved event under a new key; each must cancel what was stored.
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
    """The event's record, after cancelling the stored occurrences it moves or deletes."""
    record = event_to_record(event, source_file=source_file, calendar_id=calendar_id)
    event_id = event.get("id")
    deleted = event.get("status") == "cancelled"
    stale = _stale_ids(event_id, record, known, deleted=deleted)
    for stored_id in stale:
        entry = known.pop(stored_id)
        location, thread = f"event {stored_id}", _series(entry) or stored_id
        yield cancelled_meeting(SOURCE, source_file, location, entry[0], entry[1], thread, calendar_id)
    if deleted and isinstance(record, Reject):
        # Google sends deletions bare (no iCalUID, often no start): all they tell is what to cancel, and an
        # event Kith never stored (made and deleted between two syncs, or rejected) has nothing to record.
        if not stale and _may_be_an_untracked_series(event, known):
            yield Reject(SOURCE, source_file, f"event {event_id}", _UNMATCHED_DELETION)
        return
    if isinstance(record, Interaction) and event_id:
        if record.status == "cancelled":
            known.pop(event_id, None)
        else:
            occurrence = [record.interaction_key, record.occurred_at.isoformat(), event.get("recurringEventId")]
            known[event_id] = occurrence
    yield record


_UNMATCHED_DELETION = (
    "deleted event matches no stored occurrence; if it is a recurring series synced by an older Kith, "
    "its occurrences stay until the next full resync"
)


def _stale_ids(event_id: str | None, record: Interaction | Reject, known: dict, *, deleted: bool) -> list[str]:
    """The ids of the stored occurrences the event replaces: its own if moved or gone, and if the event is a
    deleted series, every stored instance of it."""
    previous = known.get(event_id)
    moved_or_gone = previous and (not isinstance(record, Interaction) or record.interaction_key != previous[0])
    stale = [event_id] if moved_or_gone else []
    if deleted and event_id:
        stale += [stored_id for stored_id, entry in known.items() if _series(entry) == event_id]
    return stale


def _series(entry: list) -> str | None:
    """The recurring series of a stored occurrence; entries stored before series were tracked have none."""
    return entry[2] if len(entry) > 2 else None


def _may_be_an_untracked_series(event: dict, known: dict) -> bool:
    """Whether an unmatched deletion may be of a series whose instances were stored before series were tracked
    (an instance's deletion names its series, and its own id would have matched)."""
    return not event.get("recurringEventId") and any(len(entry) < 3 for entry in known.values())


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
        interaction_key=occurrence_key(event["iCalUID"], occurred_at),
        channel="meeting",
        occurred_at=occurred_at,
        participants=_participants(event),
        thread_id=event.get("recurringEventId") or event.get("id"),
        title=event.get("summary"),
        duration_minutes=duration,
        status=event.get("status"),
        labels=[calendar_id, ALL_DAY_LABEL] if _is_all_day(start) else [calendar_id],
    )


def _moment(when: dict) -> datetime:
    """The UTC start of a `{dateTime}` or all-day `{date}` (all-day days start at 00:00 UTC)."""
    if _is_all_day(when):
        return all_day_start(date.fromisoformat(when["date"]))
    return parse_rfc3339(when["dateTime"])


def _is_all_day(when: dict) -> bool:
    return not when.get("dateTime")


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
    return bool(email) and not entry.get("resource") and not is_calendar_address(email)
