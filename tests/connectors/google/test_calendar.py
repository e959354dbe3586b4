"""Tests for the Google Calendar connector, over scripted offline HTTP answers."""

from datetime import UTC, datetime
from pathlib import Path

from connectors.google.calendar import fetch_google_calendar
from connectors.ics import parse_ics
from connectors.records import Interaction, OwnerIdentity, Participant, Reject

from .conftest import error, fixture, ok

SOURCE_FILE = "account:work-calendar"
FULL = [ok(fixture("calendar_page1.json")), ok(fixture("calendar_page2.json"))]


def fetch(google, answers, state, sleeps, calendar_id="primary", owner=False):
    """The connector's records (without the owner's addresses, unless `owner`) and the scripted HTTP."""
    service, http = google("calendar", "v3", answers)
    records = list(fetch_google_calendar(service, state, source_file=SOURCE_FILE, calendar_id=calendar_id,
                                         sleep=sleeps.append))
    return [r for r in records if owner or not isinstance(r, OwnerIdentity)], http


def test_the_primary_calendar_s_own_address_is_the_owner_s_once(google, sleeps):
    records, _ = fetch(google, FULL, {}, sleeps, owner=True)
    assert [r for r in records if isinstance(r, OwnerIdentity)] == [
        OwnerIdentity("google_calendar", SOURCE_FILE, "email", "ada.ortega@example.org")
    ]
    # on another calendar, `self` marks that calendar's address: a colleague's, not the owner's
    others, _ = fetch(google, FULL, {}, sleeps, calendar_id="colleague@example.org", owner=True)
    assert not [r for r in others if isinstance(r, OwnerIdentity)]


def without_event_keys(state: dict) -> dict:
    return {key: value for key, value in state.items() if key != "event_keys"}


def test_a_deletion_with_only_an_id_cancels_the_occurrence_stored_before(google, sleeps):
    state: dict = {}
    first, _ = fetch(google, FULL, state, sleeps)
    stored = {r.location: r for r in first if isinstance(r, Interaction)}
    deleted_id = next(iter(state["event_keys"]))
    deletion = {"items": [{"kind": "calendar#event", "id": deleted_id, "status": "cancelled"}], "nextSyncToken": "t2"}
    records, _ = fetch(google, [ok(deletion)], state, sleeps)

    assert [(r.interaction_key, r.status) for r in records] == [
        (stored[f"event {deleted_id}"].interaction_key, "cancelled")
    ]
    assert deleted_id not in state["event_keys"]


def test_full_sync_pages_through_and_stores_the_last_page_token(google, sleeps):
    state: dict = {}
    records, http = fetch(google, FULL, state, sleeps)

    assert len(records) == 4
    assert without_event_keys(state) == {"sync_token": "CPDAlvWDx70CEPDAlvWDx70CGAU=", "full_resync": True}
    first_page, second_page = http.queries()
    assert first_page == {"singleEvents": ["true"], "maxResults": ["2500"], "alt": ["json"]}
    assert second_page == {**first_page, "pageToken": ["CigKGjdkZWU2MnRsZWh0cGs4Mm9oN2"]}
    assert http.request_sequence[0][0].startswith("https://www.googleapis.com/calendar/v3/calendars/primary/events?")


def test_an_occurrence_becomes_a_meeting_without_rooms_or_groups(google, sleeps):
    records, _ = fetch(google, FULL, {}, sleeps)

    assert records[0] == Interaction(
        source="google_calendar",
        source_file=SOURCE_FILE,
        location="event 7dee62tleh_20240501T090000Z",
        interaction_key="7dee62tleh@google.com/2024-05-01T09:00:00+00:00",
        channel="meeting",
        occurred_at=datetime(2024, 5, 1, 9, 0, tzinfo=UTC),
        participants=[
            Participant("organizer", "email", "ada.ortega@example.org", "Ada Ortega"),
            Participant("attendee", "email", "ada.ortega@example.org", "Ada Ortega", "accepted"),
            Participant("attendee", "email", "bea.lin@example.com", "Bea Lin", "needs-action"),
            Participant("attendee", "email", "c.okafor@example.net", None, "tentative"),
        ],
        thread_id="7dee62tleh",
        title="Weekly sync",
        duration_minutes=45.0,
        status="confirmed",
        labels=["primary"],
    )


def test_all_day_events_start_at_midnight_utc_and_last_whole_days(google, sleeps):
    offsite = fetch(google, FULL, {}, sleeps)[0][1]

    assert offsite.interaction_key == "0a1b2c3d4e5f6g7h8i9j0k1l2m@google.com/2024-06-10T00:00:00+00:00"
    assert offsite.duration_minutes == 2 * 24 * 60
    assert offsite.labels == ["primary", "all-day"]
    assert offsite.status == "tentative"
    assert offsite.thread_id == "0a1b2c3d4e5f6g7h8i9j0k1l2m"
    assert offsite.participants == [Participant("attendee", "email", "dan@example.com", None, "declined")]


def test_an_event_without_start_is_rejected_and_the_rest_still_read(google, sleeps):
    records, _ = fetch(google, FULL, {}, sleeps)

    assert records[2] == Reject(
        "google_calendar", SOURCE_FILE, "event nostart9z8y7x", "confirmed event without a start time"
    )
    assert records[3].interaction_key == (
        "040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5@example.com/2024-05-02T15:30:00+00:00"
    )


def test_incremental_sync_asks_for_deletions_and_yields_cancelled_occurrences(google, sleeps):
    state = {"sync_token": "CPDAlvWDx70CEPDAlvWDx70CGAU="}
    records, http = fetch(google, [ok(fixture("calendar_incremental.json"))], state, sleeps)

    assert http.queries()[0]["syncToken"] == ["CPDAlvWDx70CEPDAlvWDx70CGAU="]
    assert http.queries()[0]["showDeleted"] == ["true"]
    cancelled = records[0]
    assert (cancelled.interaction_key, cancelled.status, cancelled.duration_minutes, cancelled.participants) == (
        "7dee62tleh@google.com/2024-05-08T09:00:00+00:00",
        "cancelled",
        None,
        [],
    )
    assert len(records) == 1  # the bare deletion of an event Kith never stored is nothing to record
    assert without_event_keys(state) == {"sync_token": "CKjb9pyEx70CEKjb9pyEx70CGAU=", "full_resync": False}


def test_gone_sync_token_is_dropped_and_everything_resynced(google, sleeps):
    state = {"sync_token": "expired-token"}
    gone = error(410, "Sync token is no longer valid, a full sync is required.", reason="fullSyncRequired")
    records, http = fetch(google, [gone, *FULL], state, sleeps)

    assert len(records) == 4
    assert "syncToken" not in http.queries()[1]
    assert "showDeleted" not in http.queries()[1]
    assert without_event_keys(state) == {"sync_token": "CPDAlvWDx70CEPDAlvWDx70CGAU=", "full_resync": True}


def test_rate_limits_and_server_errors_are_retried(google, sleeps):
    rate_limited = error(403, "Rate Limit Exceeded", reason="rateLimitExceeded")
    records, _ = fetch(google, [rate_limited, error(502, "Bad Gateway"), *FULL], {}, sleeps)

    assert len(records) == 4
    assert sleeps == [1.0, 2.0]


def test_retries_give_up_with_one_reject(google, sleeps):
    records, _ = fetch(google, [error(500, "Internal error")] * 6, {}, sleeps)

    assert records == [Reject("google_calendar", SOURCE_FILE, "events page 1", "HTTP 500: Internal error")]
    assert sleeps == [1.0, 2.0, 4.0, 8.0, 16.0]


BUCHAREST = [ok(fixture("calendar_bucharest.json"))]
TAKEOUT = Path(__file__).resolve().parents[2] / "fixtures" / "ics" / "google_takeout_bucharest.ics"


def test_gmail_s_stand_in_organizer_and_subscribed_or_holiday_calendars_are_not_people(google, sleeps):
    records, _ = fetch(google, BUCHAREST, {}, sleeps)
    participants = {r.title: r.participants for r in records}

    assert participants["Flight to London (RO 391)"] == [
        Participant("attendee", "email", "mara.ionescu@example.com", None, "accepted")
    ]
    assert participants["Python meetup"] == []  # organised by a subscribed calendar (@import.calendar.google.com)
    assert participants["Saint Andrew's Day"] == []  # organised by a holiday calendar (@group.v.calendar.google.com)


def test_the_api_and_a_takeout_export_of_one_calendar_give_the_same_meetings(google, sleeps):
    # the export places all-day dates in X-WR-TIMEZONE (Europe/Bucharest), the API gives the bare date
    api, _ = fetch(google, BUCHAREST, {}, sleeps)
    export = list(parse_ics(TAKEOUT, now=datetime(2024, 3, 2, tzinfo=UTC)))

    def meetings(records):  # labels past the first: that one names the calendar, differently in each source
        return {r.interaction_key: (r.occurred_at, r.duration_minutes, r.participants, r.labels[1:]) for r in records}

    assert meetings(api) == meetings(export)
    assert meetings(api)["3q9vb2allday7k@google.com/2023-09-23T00:00:00+00:00"] == (
        datetime(2023, 9, 23, tzinfo=UTC),
        1440,
        [Participant("organizer", "email", "mara.ionescu@example.com")],
        ["all-day"],
    )


SERIES = [ok(fixture("calendar_series.json"))]


def test_a_deleted_series_cancels_every_stored_instance(google, sleeps):
    state: dict = {}
    first, _ = fetch(google, SERIES, state, sleeps)
    instances = [r for r in first if r.thread_id == "5r1ck9standup"]
    # with singleEvents, Google tells a deleted series by the series' id alone
    deletion = {"items": [{"kind": "calendar#event", "id": "5r1ck9standup", "status": "cancelled"}]}
    records, _ = fetch(google, [ok({**deletion, "nextSyncToken": "t2"})], state, sleeps)

    assert len(instances) == 3
    assert [(r.interaction_key, r.occurred_at, r.thread_id, r.status) for r in records] == [
        (i.interaction_key, i.occurred_at, "5r1ck9standup", "cancelled") for i in instances
    ]
    assert list(state["event_keys"]) == ["bb7single1"]


def test_a_cancelled_instance_never_stored_is_nothing_to_record(google, sleeps):
    state: dict = {}
    fetch(google, SERIES, state, sleeps)
    # Google's shape for a deleted instance: no iCalUID; this one's series Kith never saw (made after the last sync)
    instance = {
        "kind": "calendar#event",
        "id": "9tq2w7other_20240613T150000Z",
        "status": "cancelled",
        "recurringEventId": "9tq2w7other",
        "originalStartTime": {"dateTime": "2024-06-13T10:00:00-05:00", "timeZone": "America/Chicago"},
    }
    records, _ = fetch(google, [ok({"items": [instance], "nextSyncToken": "t2"})], state, sleeps)

    assert records == []
    assert len(state["event_keys"]) == 4


def test_a_deletion_matching_nothing_is_rejected_while_occurrences_lack_their_series(google, sleeps):
    # event_keys entries written before series were tracked: a bare id may be the series of some of them
    state = {"sync_token": "t1", "event_keys": {"5r1ck9standup_20240610T090000Z": ["k@google.com/x", "2024-06-10"]}}
    deletion = {"items": [{"kind": "calendar#event", "id": "5r1ck9standup", "status": "cancelled"}]}
    records, _ = fetch(google, [ok({**deletion, "nextSyncToken": "t2"})], state, sleeps)

    assert records == [
        Reject(
            "google_calendar",
            SOURCE_FILE,
            "event 5r1ck9standup",
            "deleted event matches no stored occurrence; if it is a recurring series synced by an older Kith, "
            "its occurrences stay until the next full resync",
        )
    ]
