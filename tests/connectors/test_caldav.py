"""Tests for connectors/caldav.py against a real Radicale server on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import caldav
import pytest
from caldav.lib import error as dav_error

from connectors.caldav import fetch_caldav
from connectors.records import Interaction, OwnerIdentity, Participant, Reject
from tests.connectors.test_carddav import RawControlCharacters
from tests.servers.radicale import radicale_server  # noqa: F401  (pytest fixture)

NOW = datetime(2024, 6, 1, tzinfo=UTC)
SOURCE_FILE = "account:radicale"


def vcalendar(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kith tests//EN", *lines, "END:VCALENDAR", ""])


STANDUP = vcalendar(
    "BEGIN:VEVENT",
    "UID:standup@example.com",
    "DTSTAMP:20240501T000000Z",
    "DTSTART:20240506T090000Z",
    "DTEND:20240506T091500Z",
    "RRULE:FREQ=WEEKLY;COUNT=4",
    "EXDATE:20240513T090000Z",
    "SUMMARY:Standup",
    "END:VEVENT",
)
LUNCH = vcalendar(
    "BEGIN:VEVENT",
    "UID:lunch@example.com",
    "DTSTAMP:20240501T000000Z",
    "DTSTART:20240510T120000Z",
    "DTEND:20240510T130000Z",
    "SUMMARY:Lunch",
    "ORGANIZER;CN=Alice Smith:mailto:alice@example.com",
    "ATTENDEE;PARTSTAT=ACCEPTED;CN=Bob Jones:MAILTO:Bob@Example.org",
    "ATTENDEE;PARTSTAT=DECLINED:mailto:carol@example.net",
    "END:VEVENT",
)
RETRO = vcalendar(
    "BEGIN:VEVENT",
    "UID:retro@example.com",
    "DTSTAMP:20240501T000000Z",
    "DTSTART:20240520T150000Z",
    "DTEND:20240520T160000Z",
    "SUMMARY:Retro",
    "END:VEVENT",
)


@pytest.fixture
def calendar_account(radicale_server, request):  # noqa: F811
    """A fresh user with one "Work" calendar holding the standup series and the lunch."""
    user = request.node.name.replace("[", "_").replace("]", "_")
    client = caldav.DAVClient(url=radicale_server.url, username=user, password=radicale_server.password)
    calendar = client.principal().make_calendar(name="Work", cal_id="work")
    calendar.save_event(STANDUP)
    calendar.save_event(LUNCH)
    return client, calendar


def fetch(client, state, **options):
    return list(fetch_caldav(client, state, source_file=SOURCE_FILE, now=NOW, **options))


def keys(records) -> list[tuple[str, str]]:
    return sorted((r.interaction_key, r.status) for r in records if isinstance(r, Interaction))


def test_first_fetch_expands_every_event(calendar_account):
    client, _ = calendar_account
    state: dict = {}
    records = fetch(client, state)
    assert not [r for r in records if isinstance(r, Reject)]
    assert keys(records) == [
        ("lunch@example.com/2024-05-10T12:00:00+00:00", "confirmed"),
        ("standup@example.com/2024-05-06T09:00:00+00:00", "confirmed"),
        ("standup@example.com/2024-05-20T09:00:00+00:00", "confirmed"),
        ("standup@example.com/2024-05-27T09:00:00+00:00", "confirmed"),
    ]
    lunch = next(r for r in records if r.thread_id == "lunch@example.com")
    assert (lunch.source, lunch.source_file, lunch.channel, lunch.title, lunch.duration_minutes, lunch.labels) == (
        "caldav",
        SOURCE_FILE,
        "meeting",
        "Lunch",
        60,
        ["Work"],
    )
    assert lunch.participants == [
        Participant("organizer", "email", "alice@example.com", "Alice Smith", None),
        Participant("attendee", "email", "bob@example.org", "Bob Jones", "accepted"),
        Participant("attendee", "email", "carol@example.net", None, "declined"),
    ]
    assert json.loads(json.dumps(state)) == state
    [calendar_state] = state["calendars"].values()
    assert calendar_state["sync_token"]


def test_radicale_names_no_address_of_the_owner(calendar_account):
    client, _ = calendar_account
    assert not [r for r in fetch(client, {}) if isinstance(r, OwnerIdentity)]  # its address set is the principal URL


class _Principal:
    """A principal whose server answers calendar-user-address-set with `addresses` (or has no such property)."""

    def __init__(self, addresses: list[str] | None):
        self.addresses = addresses

    def calendar_user_address_set(self) -> list[str]:
        if self.addresses is None:
            raise dav_error.NotFoundError("No calendar user addresses given from server")
        if self.addresses == ["garbled"]:
            raise ValueError("invalid literal for int() with base 10: 'true'")  # caldav reading preferred="true"
        return self.addresses

    def calendars(self) -> list:
        return []


class _Client:
    def __init__(self, principal: _Principal):
        self._principal = principal

    def principal(self) -> _Principal:
        return self._principal


@pytest.mark.parametrize(("addresses", "owner"), [
    ([" mailto:Sam.Owner@Example.com", "/principals/sam/", "MAILTO:sam@home.example?subject=x"],
     ["sam.owner@example.com", "sam@home.example"]),
    (None, []),  # a server without scheduling
    (["garbled"], []),  # an answer the library cannot read: the calendars still sync
])
def test_the_principal_s_own_addresses_are_the_owner_s(addresses, owner):
    records = list(fetch_caldav(_Client(_Principal(addresses)), {}, source_file=SOURCE_FILE, now=NOW))
    assert records == [OwnerIdentity("caldav", SOURCE_FILE, "email", address) for address in owner]


def test_second_fetch_returns_only_what_changed(calendar_account):
    client, calendar = calendar_account
    state: dict = {}
    fetch(client, state)
    assert fetch(client, state) == []
    calendar.save_event(RETRO)
    assert keys(fetch(client, state)) == [("retro@example.com/2024-05-20T15:00:00+00:00", "confirmed")]


def test_deleted_event_comes_back_cancelled(calendar_account):
    client, calendar = calendar_account
    state: dict = {}
    fetch(client, state)
    calendar.get_event_by_uid("lunch@example.com").delete()
    records = fetch(client, state)
    assert keys(records) == [("lunch@example.com/2024-05-10T12:00:00+00:00", "cancelled")]
    assert records[0].occurred_at == datetime(2024, 5, 10, 12, tzinfo=UTC)
    assert records[0].thread_id == "lunch@example.com"


def test_changed_series_cancels_the_occurrences_it_lost(calendar_account):
    client, calendar = calendar_account
    state: dict = {}
    fetch(client, state)
    calendar.save_event(STANDUP.replace("EXDATE:20240513T090000Z", "EXDATE:20240513T090000Z,20240527T090000Z"))
    assert keys(fetch(client, state)) == [
        ("standup@example.com/2024-05-06T09:00:00+00:00", "confirmed"),
        ("standup@example.com/2024-05-20T09:00:00+00:00", "confirmed"),
        ("standup@example.com/2024-05-27T09:00:00+00:00", "cancelled"),
    ]


def test_full_resync_without_state_reflects_deletions(calendar_account):
    client, calendar = calendar_account
    calendar.get_event_by_uid("lunch@example.com").delete()
    assert [key for key, _ in keys(fetch(client, {}))] == [
        "standup@example.com/2024-05-06T09:00:00+00:00",
        "standup@example.com/2024-05-20T09:00:00+00:00",
        "standup@example.com/2024-05-27T09:00:00+00:00",
    ]


def test_endless_series_is_fetched_again_when_the_window_moves(calendar_account):
    client, calendar = calendar_account
    calendar.save_event(STANDUP.replace("COUNT=4", "INTERVAL=52").replace("UID:standup", "UID:yearly"))
    state: dict = {}
    first = keys(fetch(client, state))
    assert ("yearly@example.com/2026-05-04T09:00:00+00:00", "confirmed") not in first
    later = datetime(2025, 6, 1, tzinfo=UTC)
    again = keys(fetch_caldav(client, state, source_file=SOURCE_FILE, now=later))
    assert ("yearly@example.com/2026-05-04T09:00:00+00:00", "confirmed") in again
    # only the series (a COUNT rule may go on too) are fetched again, not the lunch
    assert {key.split("/")[0] for key, _ in again} == {"yearly@example.com", "standup@example.com"}


def test_calendars_are_picked_by_name(calendar_account):
    client, _ = calendar_account
    client.principal().make_calendar(name="Private", cal_id="private").save_event(RETRO)
    assert [key for key, _ in keys(fetch(client, {}, calendars=["Private"]))] == [
        "retro@example.com/2024-05-20T15:00:00+00:00"
    ]


def test_rejects_name_the_object_and_the_rest_still_comes(calendar_account):
    client, calendar = calendar_account
    endless = vcalendar(
        "BEGIN:VEVENT", "UID:secondly@example.com", "DTSTAMP:20240101T000000Z",
        "DTSTART:20240101T000000Z", "RRULE:FREQ=SECONDLY", "END:VEVENT",
    )
    client.put(str(calendar.url.join("secondly.ics")), endless, {"Content-Type": "text/calendar"})
    records = fetch(client, {})
    assert [(r.location, r.reason) for r in records if isinstance(r, Reject)] == [
        (
            f"{calendar.url.path}secondly.ics, UID secondly@example.com",
            "recurrence expands beyond 5000 occurrences; truncated",
        )
    ]
    assert len(keys(records)) == 4 + 5000


def with_control_character(text: str) -> str:
    return text.replace("SUMMARY:Retro", "SUMMARY:Retro ESC-CHAR-HERE")


def test_a_reply_spoilt_by_one_event_s_control_character_is_read_object_by_object(calendar_account):
    client, calendar = calendar_account
    calendar.save_event(with_control_character(RETRO))
    RawControlCharacters(client)
    state: dict = {}

    records = fetch(client, state)

    assert not [r for r in records if isinstance(r, Reject)]
    assert len(keys(records)) == 5
    assert next(r for r in records if r.thread_id == "retro@example.com").title == "Retro \x1b"
    [calendar_state] = state["calendars"].values()
    assert calendar_state["sync_token"] and "refetch" not in calendar_state


def test_an_object_that_cannot_be_fetched_at_all_is_a_reject_and_fetched_on_the_next_run(calendar_account):
    client, calendar = calendar_account
    client.put(str(calendar.url.join("retro.ics")), with_control_character(RETRO), {"Content-Type": "text/calendar"})
    session = RawControlCharacters(client, unreadable="retro.ics").session
    state: dict = {}

    records = fetch(client, state)

    [reject] = [r for r in records if isinstance(r, Reject)]
    assert (reject.source_file, reject.location) == (SOURCE_FILE, f"{calendar.url.path}retro.ics")
    assert reject.reason.endswith("; to be fetched again on the next run")
    assert len(keys(records)) == 4
    [calendar_state] = state["calendars"].values()
    token = calendar_state["sync_token"]
    assert token and calendar_state["refetch"] == [f"{calendar.url.path}retro.ics"]

    client.session = session  # the server answers again; the object itself has not changed since
    assert keys(fetch(client, state)) == [("retro@example.com/2024-05-20T15:00:00+00:00", "confirmed")]
    assert "refetch" not in calendar_state
