"""Tests for connectors/ics against calendar files written in each producer's style."""

from __future__ import annotations

import codecs
import warnings
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from connectors.ics import EXPANSION_LIMIT, events_from_calendar_text, parse_ics
from connectors.records import Interaction, Participant, Reject

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ics"
NOW = datetime(2024, 6, 1, tzinfo=UTC)


@cache  # the tests only read the records; the endless rules in broken.ics cost a second to expand
def parse(name: str) -> tuple[list[Interaction], list[Reject]]:
    records = list(parse_ics(FIXTURES / name, now=NOW))
    return (
        [r for r in records if isinstance(r, Interaction)],
        [r for r in records if isinstance(r, Reject)],
    )


def by_key(interactions: list[Interaction]) -> dict[str, Interaction]:
    return {i.interaction_key: i for i in interactions}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


class TestGoogleExport:
    def test_occurrences_of_run_club_with_exdate_override_and_cancelled_instance(self):
        interactions, rejects = parse("google_export.ics")
        assert rejects == []
        run_club = [i for i in interactions if i.thread_id == "runclub-7f3a@google.com"]
        assert [(i.occurred_at, i.status, i.title) for i in run_club] == [
            (at("2024-01-03T18:00:00+00:00"), "confirmed", "Run club"),
            (at("2024-01-10T19:00:00+00:00"), "confirmed", "Run club (late start)"),  # override before master
            (at("2024-01-17T18:00:00+00:00"), "cancelled", "Run club"),
            (at("2024-01-31T18:00:00+00:00"), "confirmed", "Run club"),  # 24th is an EXDATE
        ]
        assert {i.interaction_key for i in run_club} == {
            "runclub-7f3a@google.com/2024-01-03T18:00:00+00:00",
            "runclub-7f3a@google.com/2024-01-10T19:00:00+00:00",
            "runclub-7f3a@google.com/2024-01-17T18:00:00+00:00",
            "runclub-7f3a@google.com/2024-01-31T18:00:00+00:00",
        }
        assert all(i.source == "ics" and i.channel == "meeting" and i.duration_minutes == 60 for i in run_club)

    def test_attendees_responses_and_no_rooms_or_groups(self):
        interactions, _ = parse("google_export.ics")
        first = by_key(interactions)["runclub-7f3a@google.com/2024-01-03T18:00:00+00:00"]
        assert first.participants == [
            Participant("organizer", "email", "alice@example.com", "Alice Smith", None),
            Participant("attendee", "email", "alice@example.com", "Alice Smith", "accepted"),
            Participant("attendee", "email", "bob@example.org", "Bob Jones", "accepted"),
            Participant("attendee", "email", "carol.white@example.net", "Carol White", "declined"),
            Participant("attendee", "email", "dave@example.com", None, "needs-action"),  # CN was the address
        ]
        moved = by_key(interactions)["runclub-7f3a@google.com/2024-01-10T19:00:00+00:00"]
        assert [(p.value, p.response) for p in moved.participants] == [
            ("alice@example.com", None),
            ("alice@example.com", "accepted"),
            ("bob@example.org", "tentative"),
        ]

    def test_future_event_all_day_in_calendar_zone_and_labels(self):
        interactions, _ = parse("google_export.ics")
        events = by_key(interactions)
        assert len(interactions) == 6  # 4 run club, coffee, offsite; the VTODO is not a meeting
        coffee = events["coffee-91b2@google.com/2024-07-02T08:00:00+00:00"]
        assert (coffee.duration_minutes, coffee.labels) == (30, ["Work"])
        offsite = events["offsite-3c4d@google.com/2024-04-12T00:00:00+00:00"]  # its date at 00:00 UTC, not London
        assert (offsite.duration_minutes, offsite.labels) == (2 * 1440, ["Work", "all-day"])
        assert [p.value for p in offsite.participants] == ["alice@example.com", "bob@example.org"]


class TestOutlookExchange:
    def test_windows_time_zones_embedded_and_mapped(self):
        interactions, rejects = parse("outlook_exchange.ics")
        assert rejects == []
        assert [(i.occurred_at, i.duration_minutes, i.status) for i in interactions] == [
            (at("2024-04-15T12:00:00+00:00"), 90, "confirmed"),  # W. Europe, summer time
            (at("2024-05-01T00:00:00+00:00"), 1440, "confirmed"),
            (at("2024-05-20T00:00:00+00:00"), 2880, "confirmed"),
            (at("2024-03-01T14:00:00+00:00"), 30, "tentative"),  # Eastern Standard Time, no VTIMEZONE
        ]

    def test_uppercase_mailto_folded_addresses_and_non_participants(self):
        interactions, _ = parse("outlook_exchange.ics")
        review = interactions[0]
        assert review.title == "Quarterly review"
        assert review.participants == [
            Participant("organizer", "email", "dan.brown@example.com", "Dan Brown", None),
            Participant("attendee", "email", "erin.stone@example.com", "Erin Stone", "tentative"),
            Participant("attendee", "email", "hcabot@example.com", None, "needs-action"),
        ]

    def test_all_day_events_are_marked_and_keep_attendees(self):
        interactions, _ = parse("outlook_exchange.ics")
        kick_off, conference = interactions[1], interactions[2]
        assert kick_off.labels == ["Calendar", "all-day"]
        assert [p.value for p in kick_off.participants] == ["dan.brown@example.com", "erin.stone@example.com"]
        assert conference.labels == ["Calendar", "all-day"]  # X-MICROSOFT-CDO-ALLDAYEVENT on zoned times


class TestApple:
    def test_floating_time_is_utc_and_quoted_names(self):
        interactions, rejects = parse("apple.ics")
        assert rejects == []
        brunch = interactions[0]
        assert brunch.interaction_key == "5D8F0C2A-1111-4E2B-9C3A-APPLE0000001/2024-02-10T09:30:00+00:00"
        assert brunch.participants == [
            Participant("organizer", "email", "jane.doe@example.com", "Doe, Jane", None),
            Participant("attendee", "email", "jane.doe@example.com", "Doe, Jane", "accepted"),
            Participant("attendee", "email", "richard.roe@example.com", "Roe, Richard", "delegated"),
            Participant("attendee", "email", "sam@example.com", None, "needs-action"),
        ]

    def test_override_without_master_is_one_occurrence(self):
        interactions, _ = parse("apple.ics")
        assert len(interactions) == 2
        standup = interactions[1]
        assert (standup.occurred_at, standup.duration_minutes, standup.title) == (
            at("2024-02-12T11:00:00+00:00"),
            30,
            "Standup (moved)",
        )


class TestBroken:
    def test_bad_events_are_rejected_by_uid_and_the_rest_parses(self):
        interactions, rejects = parse("broken.ics")
        assert [(r.location, r.reason) for r in rejects] == [
            ("UID nostart@example.com", "no DTSTART"),
            ("UID baddate@example.com", "DTSTART: Wrong datetime format: 20231345T250000"),
            ("event 6", "no DTSTART"),
            ("UID secondly@example.com", f"recurrence expands beyond {EXPANSION_LIMIT} occurrences; truncated"),
        ]
        assert all(r.source_file == str(FIXTURES / "broken.ics") for r in rejects)
        assert {i.thread_id for i in interactions} == {
            "secondly@example.com",
            "daily@example.com",
            "backwards@example.com",
            "salesforce@example.com",
            None,
        }

    def test_endless_rules_are_bounded(self):
        interactions, _ = parse("broken.ics")
        secondly = [i for i in interactions if i.thread_id == "secondly@example.com"]
        assert len(secondly) == EXPANSION_LIMIT
        assert secondly[-1].occurred_at == at("2024-01-01T01:23:19+00:00")
        daily = [i for i in interactions if i.thread_id == "daily@example.com"]
        # 2024-05-01 .. 2025-05-31: every day until a year after NOW
        assert len(daily) == 396
        assert (daily[0].occurred_at, daily[-1].occurred_at) == (
            at("2024-05-01T09:00:00+00:00"),
            at("2025-05-31T09:00:00+00:00"),
        )
        assert daily[0].duration_minutes == 15

    def test_end_before_start_and_unreadable_end_give_zero_duration(self):
        events = by_key(parse("broken.ics")[0])
        assert events["backwards@example.com/2024-03-01T10:00:00+00:00"].duration_minutes == 0
        assert events["salesforce@example.com/2024-03-02T10:00:00+00:00"].duration_minutes == 0

    def test_event_without_uid_gets_a_stable_key(self):
        first = [i for i in parse("broken.ics")[0] if i.thread_id is None]
        second = [i for i in parse("broken.ics")[0] if i.thread_id is None]
        assert len(first) == 1
        assert first[0].interaction_key == second[0].interaction_key
        assert first[0].interaction_key.startswith("no-uid-")
        assert first[0].interaction_key.endswith("/2024-03-03T10:00:00+00:00")


def test_bom_crlf_and_folded_summary():
    interactions, rejects = parse("bom_crlf.ics")
    assert rejects == []
    assert [(i.interaction_key, i.title) for i in interactions] == [
        (
            "bom-1@example.com/2024-01-05T15:00:00+00:00",
            "A rather long summary that a careful producer folds at seventy-five octets, like this one",
        )
    ]
    assert interactions[0].participants == [Participant("attendee", "email", "zoe@example.com", "Zoë Müller", "accepted")]


def test_unparseable_block_does_not_lose_its_neighbours():
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\nUID:ok-1\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:broken-2\r\nBEGIN:VALARM\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:ok-3\r\nDTSTART:20240102T100000Z\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    records = list(events_from_calendar_text(text, source="caldav", source_file="account:x", now=NOW))
    assert [(type(r).__name__, getattr(r, "location", None)) for r in records] == [
        ("Reject", "UID broken-2"),
        ("Interaction", "UID ok-1 / 2024-01-01T10:00:00+00:00"),
        ("Interaction", "UID ok-3 / 2024-01-02T10:00:00+00:00"),
    ]
    assert records[1].source == "caldav"


@pytest.mark.parametrize("content", [b"", b"not a calendar at all\n", b"\x00\x01\x02"])
def test_not_a_calendar_is_one_file_reject(tmp_path, content):
    path = tmp_path / "junk.ics"
    path.write_bytes(content)
    assert list(parse_ics(path, now=NOW)) == [
        Reject("ics", str(path), "file", "not an iCalendar file: no BEGIN:VCALENDAR or VEVENT")
    ]


def test_missing_file_is_one_file_reject(tmp_path):
    records = list(parse_ics(tmp_path / "gone.ics", now=NOW))
    assert [(r.location, r.reason.startswith("cannot open the file")) for r in records] == [("file", True)]


def test_method_cancel_cancels_every_occurrence():
    text = (
        "BEGIN:VCALENDAR\nMETHOD:CANCEL\nBEGIN:VEVENT\nUID:c-1\nDTSTART:20240101T100000Z\n"
        "SUMMARY:Canceled: Sync\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    [record] = events_from_calendar_text(text, source="ics", source_file="mail.ics", now=NOW)
    assert record.status == "cancelled"


def test_attendee_parameters_are_read_as_the_rfc_writes_them():
    # a quoted CN with a colon and RFC 6868 carets, Outlook's stray and escaped commas, a parameter without a value
    # (the address after it still read), a VALARM's e-mail recipient (not a guest), and a description with folded
    # conference data that nothing reads
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:p-1\r\nDTSTART:20240101T100000Z\r\n"
        "ORGANIZER;CN=\"Ops: ^'Night^' Desk\":mailto:ops@example.com\r\n"
        "ATTENDEE;CN=Smith, John;PARTSTAT=TENTATIVE:mailto:john@example.com\r\n"
        "ATTENDEE;CN=Jones\\, Mary;PARTSTAT=DECLINED;X-NUM-GUESTS=0:MAILTO:Mary.Jones@\r\n example.com\r\n"
        "ATTENDEE;CN=Ann;PARTSTAT:mailto:broken@example.com\r\n"
        "DESCRIPTION:Join: https://meet.example.com/abc\\nPIN: 1234\r\n  more\r\n"
        "BEGIN:VALARM\r\nACTION:EMAIL\r\nATTENDEE:mailto:reminder@example.com\r\nEND:VALARM\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    [record] = events_from_calendar_text(text, source="ics", source_file="p.ics", now=NOW)
    assert record.participants == [
        Participant(role="organizer", kind="email", value="ops@example.com", name='Ops: "Night" Desk'),
        Participant(role="attendee", kind="email", value="john@example.com", name="Smith, John", response="tentative"),
        Participant(role="attendee", kind="email", value="mary.jones@example.com", name="Jones, Mary", response="declined"),
        Participant(role="attendee", kind="email", value="broken@example.com", name="Ann", response="needs-action"),
    ]


def calendar_records(text: str, source_file: str = "inline.ics") -> list[Interaction | Reject]:
    return list(events_from_calendar_text(text, source="ics", source_file=source_file, now=NOW))


def test_each_file_keeps_its_own_definition_of_a_shared_custom_zone_name():
    # Outlook names every custom zone "Customized Time Zone"; icalendar caches zones by name, first file wins
    def custom_zone_calendar(offset: str) -> str:
        return (
            "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\n"
            f"DTSTART:16010101T000000\r\nTZOFFSETFROM:{offset}\r\nTZOFFSETTO:{offset}\r\n"
            "END:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:tz-1\r\n"
            "DTSTART;TZID=Customized Time Zone:20240301T090000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )

    undefined = custom_zone_calendar("+0000").replace("BEGIN:VTIMEZONE", "X-NO-ZONE:1\r\nBEGIN:X-GONE").replace(
        "END:VTIMEZONE", "END:X-GONE")  # names the zone without defining it
    alone = calendar_records(undefined, "undefined.ics")[-1].occurred_at  # after its unknown zone's reject
    starts = [
        calendar_records(custom_zone_calendar(offset), f"{offset}.ics")[0].occurred_at
        for offset in ("+1000", "-0700", "+1000")
    ]
    assert starts == [at("2024-02-29T23:00:00+00:00"), at("2024-03-01T16:00:00+00:00"), at("2024-02-29T23:00:00+00:00")]
    # a file that only names the zone reads the same after other files defined it
    assert calendar_records(undefined, "undefined.ics")[-1].occurred_at == alone


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Pacific/Auckland", "America/Los_Angeles"])
def test_all_day_series_keep_every_occurrence_whatever_the_calendar_zone(zone):
    # recurring-ical-events matches dates at midnight UTC; the occurrences start then too, whatever X-WR-TIMEZONE
    text = (
        f"BEGIN:VCALENDAR\r\nX-WR-TIMEZONE:{zone}\r\n"
        "BEGIN:VEVENT\r\nUID:days\r\nDTSTART;VALUE=DATE:20240101\r\nDTEND;VALUE=DATE:20240102\r\n"
        "RRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:birthday\r\nDTSTART;VALUE=DATE:20231210\r\nRECURRENCE-ID;VALUE=DATE:20231210\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    records = calendar_records(text)
    midnight = [datetime(2024, 1, day, tzinfo=UTC) for day in (1, 2, 3)]
    assert [(r.thread_id, r.occurred_at) for r in records] == [
        *(("days", start) for start in midnight),
        ("birthday", datetime(2023, 12, 10, tzinfo=UTC)),
    ]


def test_unquoted_uri_parameter_values_keep_their_colon():
    # the RFC wants them quoted, yet RFC 5545's own example writes SENT-BY=MAILTO:... unquoted
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:p-2\r\nDTSTART:20240101T100000Z\r\n"
        "ORGANIZER;SENT-BY=mailto:pa@example.com;CN=Big Boss:mailto:boss@example.com\r\n"
        "ATTENDEE;CN=Ann Lee;SENT-BY=MAILTO:assistant@example.com;RSVP=FALSE:MAILTO:ann@example.com\r\n"
        "ATTENDEE;DELEGATED-FROM=mailto:boss@example.com:mailto:deputy@example.com\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    [record] = calendar_records(text)
    assert record.participants == [
        Participant("organizer", "email", "boss@example.com", "Big Boss", None),
        Participant("attendee", "email", "ann@example.com", "Ann Lee", "needs-action"),
        Participant("attendee", "email", "deputy@example.com", None, "needs-action"),
    ]


def test_a_space_before_a_quoted_parameter_value_keeps_the_attendee():
    # a fold indented by two spaces leaves DELEGATED-FROM= "mailto:..." once unfolded (khal's fixtures)
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:p-3\r\nDTSTART:20240101T100000Z\r\n"
        "ATTENDEE;PARTSTAT=TENTATIVE;DELEGATED-FROM=\r\n  \"mailto:boss@example.com\";CN=Henry Cabot:mailto:henry@\r\n"
        "  example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    [record] = calendar_records(text)
    assert record.participants == [Participant("attendee", "email", "henry@example.com", "Henry Cabot", "tentative")]


def test_a_property_written_twice_keeps_its_first_value():
    # Apple (Mac OS X 10.13) writes UID twice in some invites
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:apple-1\r\nDTSTART:20240101T100000Z\r\nSUMMARY:First\r\n"
        "UID:apple-1\r\nSUMMARY:Second\r\nRECURRENCE-ID:20240101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    [record] = calendar_records(text)
    assert (record.interaction_key, record.thread_id, record.title) == (
        "apple-1/2024-01-01T10:00:00+00:00",
        "apple-1",
        "First",
    )


def test_a_capped_series_keeps_the_occurrences_nearest_now():
    records = calendar_records(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:daily\r\nDTSTART:20000101T090000Z\r\nRRULE:FREQ=DAILY\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    interactions = [r for r in records if isinstance(r, Interaction)]
    assert len(interactions) == EXPANSION_LIMIT
    # the year ahead of NOW, then the days before it
    last = at("2025-05-31T09:00:00+00:00")
    first = last - timedelta(days=EXPANSION_LIMIT - 1)
    assert (interactions[0].occurred_at, interactions[-1].occurred_at) == (first, last)
    reason = f"recurrence expands beyond {EXPANSION_LIMIT} occurrences; truncated to the {EXPANSION_LIMIT} nearest now"
    assert [(r.location, r.reason) for r in records if isinstance(r, Reject)] == [("UID daily", reason)]


def test_google_s_stand_in_organizer_and_calendar_addresses_are_not_people():
    # Gmail organises the events it makes from mails (flights, bookings) as "Unknown Organizer"
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:flight-1\r\nDTSTART:20240101T100000Z\r\n"
        "ORGANIZER;CN=Unknown Organizer:mailto:unknownorganizer@calendar.google.com\r\n"
        "ATTENDEE;CN=Meetups:mailto:a1b2c3d4e5f6@import.calendar.google.com\r\n"
        "ATTENDEE;CN=Holidays in Romania:mailto:ro.romanian#holiday@group.v.calendar.google.com\r\n"
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:ann@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    [record] = calendar_records(text)
    assert record.participants == [Participant("attendee", "email", "ann@example.com", None, "accepted")]


def test_an_all_day_occurrence_is_keyed_by_its_date_at_midnight_utc_like_the_google_api():
    text = (
        "BEGIN:VCALENDAR\r\nX-WR-CALNAME:Home\r\nX-WR-TIMEZONE:Europe/Bucharest\r\nBEGIN:VEVENT\r\n"
        "UID:cables@google.com\r\nDTSTART;VALUE=DATE:20230923\r\nDTEND;VALUE=DATE:20230924\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    [record] = calendar_records(text)
    assert (record.interaction_key, record.occurred_at, record.labels) == (
        "cables@google.com/2023-09-23T00:00:00+00:00",
        datetime(2023, 9, 23, tzinfo=UTC),
        ["Home", "all-day"],
    )


def test_a_fold_inside_a_utf8_character_is_joined_before_decoding_and_lines_keep_their_numbers():
    # RFC 5545 3.1 folds at 75 octets, inside a character if need be (Ü and ü are split here)
    text = (
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:fold-1\r\nDTSTART:20240101T100000Z\r\nSUMMARY:Abstimmung Übergabe\r\n"
        "ATTENDEE;CN=Jürgen Größ:mailto:jg@example.de\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:cut-off\r\n"
    )
    data = text.encode().replace("Ü".encode(), b"\xc3\r\n \x9c").replace("ü".encode(), b"\xc3\n\t\xbc")
    cut_off, event = calendar_records(data)
    assert (event.title, event.participants) == (
        "Abstimmung Übergabe",
        [Participant("attendee", "email", "jg@example.de", "Jürgen Größ", "needs-action")],
    )
    assert (cut_off.location, cut_off.reason) == ("event 2 (line 10)", "no END:VEVENT: the event is cut off")


def test_a_calendar_that_is_not_utf8_is_read_as_windows_1252_folds_and_all():
    data = (
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:cp-1\r\nDTSTART:20240101T100000Z\r\n"
        b"SUMMARY:Caf\xe9 cr\r\n \xe8me \x96 R\xe9union\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    [event] = calendar_records(data)
    assert event.title == "Café crème – Réunion"


def one_event_calendar(event_lines: str, head: str = "") -> str:
    return f"BEGIN:VCALENDAR\r\n{head}BEGIN:VEVENT\r\n{event_lines}END:VEVENT\r\nEND:VCALENDAR\r\n"


def outcome(records: list[Interaction | Reject]) -> list[tuple[str, str | datetime]]:
    return [(r.location, r.reason if isinstance(r, Reject) else r.occurred_at) for r in records]


CUSTOM_ZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:Custom Zone\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\n"
    "TZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
)
EVENTS_IN_UTC_AND_CUSTOM_ZONE = (
    "BEGIN:VEVENT\r\nUID:utc\r\nDTSTART:20240105T100000Z\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:zoned\r\nDTSTART;TZID=Custom Zone:20240106T100000\r\nEND:VEVENT\r\n"
)


@pytest.mark.parametrize(
    ("breakage", "location", "reason"),
    [
        (
            ("FREQ=YEARLY;", ""),
            "VTIMEZONE Custom Zone (line 2)",
            "unreadable VTIMEZONE: TypeError: rrule.__init__() missing 1 required positional argument: 'freq'",
        ),
        (
            ("TZID:Custom Zone\r\n", "TZID:Custom Zone\r\nTZID:Custom Zone\r\n"),
            "VTIMEZONE Custom Zone (line 2)",
            "unreadable VTIMEZONE: AttributeError: 'list' object has no attribute 'strip'",
        ),
        (
            ("BEGIN:VTIMEZONE\r\n", ""),
            "VTIMEZONE Custom Zone (line 2)",  # its TZID line
            "END:VTIMEZONE at line 9 has no BEGIN:VTIMEZONE: what it ends is not read",
        ),
        (
            ("END:VTIMEZONE\r\n", ""),
            "VTIMEZONE Custom Zone (line 2)",
            "no END:VTIMEZONE: the zone is cut off",
        ),
    ],
    ids=["rrule-without-freq", "tzid-twice", "no-begin", "no-end"],
)
def test_a_broken_vtimezone_is_one_reject_and_every_event_still_lands(breakage, location, reason):
    text = f"BEGIN:VCALENDAR\r\n{CUSTOM_ZONE.replace(*breakage)}{EVENTS_IN_UTC_AND_CUSTOM_ZONE}END:VCALENDAR\r\n"
    unknown = ("unknown time zone 'Custom Zone': no readable VTIMEZONE defines it; the times of every event in it "
               "are read as UTC")
    assert outcome(calendar_records(text)) == [
        (location, reason),
        ("UID zoned", unknown),
        ("UID utc / 2024-01-05T10:00:00+00:00", at("2024-01-05T10:00:00+00:00")),
        ("UID zoned / 2024-01-06T10:00:00+00:00", at("2024-01-06T10:00:00+00:00")),  # 10:00 read as UTC
    ]


def test_a_broken_vtimezone_named_like_a_known_zone_falls_back_to_that_zone():
    zone = CUSTOM_ZONE.replace("FREQ=YEARLY;", "").replace("Custom Zone", "/mozilla.org/20070129_1/Europe/Berlin")
    events = EVENTS_IN_UTC_AND_CUSTOM_ZONE.replace("Custom Zone", "/mozilla.org/20070129_1/Europe/Berlin")
    records = calendar_records(f"BEGIN:VCALENDAR\r\n{zone}{events}END:VCALENDAR\r\n")
    assert outcome(records) == [
        (
            "VTIMEZONE /mozilla.org/20070129_1/Europe/Berlin (line 2)",
            "unreadable VTIMEZONE: TypeError: rrule.__init__() missing 1 required positional argument: 'freq'",
        ),
        ("UID utc / 2024-01-05T10:00:00+00:00", at("2024-01-05T10:00:00+00:00")),
        ("UID zoned / 2024-01-06T09:00:00+00:00", at("2024-01-06T09:00:00+00:00")),  # Berlin's winter time
    ]


def test_a_rule_ending_before_its_start_keeps_the_start_as_the_one_occurrence():
    # RFC 5545 3.8.5.3: "The "DTSTART" property defines the first instance in the recurrence set"
    text = one_event_calendar(
        "UID:weekly-1\r\nDTSTART:20240108T100000Z\r\nDTEND:20240108T103000Z\r\n"
        "RRULE:FREQ=WEEKLY;UNTIL=20231231T000000Z\r\n"
    )
    [record] = calendar_records(text)
    assert (record.interaction_key, record.duration_minutes) == ("weekly-1/2024-01-08T10:00:00+00:00", 30)


def test_meetings_before_1980_or_over_ten_years_ahead_are_rejected_and_series_are_read_from_1980():
    text = (
        "BEGIN:VCALENDAR\r\n"
        "BEGIN:VEVENT\r\nUID:old\r\nDTSTART:19000101T100000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:far\r\nDTSTART:29990101T100000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:ahead\r\nDTSTART:20141231T100000Z\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:far-series\r\nDTSTART:20990101T100000Z\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:birthday\r\nDTSTART;VALUE=DATE:19500310\r\nRRULE:FREQ=YEARLY;COUNT=33\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:fifties\r\nDTSTART:19500310T100000Z\r\nRRULE:FREQ=YEARLY;COUNT=9\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    now = datetime(2004, 6, 1, tzinfo=UTC)  # 30 years back reach before 1980
    records = list(events_from_calendar_text(text, source="ics", source_file="old.ics", now=now))
    far_ahead = "more than 10 years ahead: a mistyped year or a placeholder date"
    assert outcome(records) == [
        ("UID old", "starts 1900-01-01, before 1980: a broken date"),
        ("UID far", f"starts 2999-01-01, {far_ahead}"),
        ("UID ahead / 2014-12-31T10:00:00+00:00", at("2014-12-31T10:00:00+00:00")),
        ("UID far-series", f"starts 2099-01-01, {far_ahead}"),
        ("UID birthday / 1980-03-10T00:00:00+00:00", at("1980-03-10T00:00:00+00:00")),
        ("UID birthday / 1981-03-10T00:00:00+00:00", at("1981-03-10T00:00:00+00:00")),
        ("UID birthday / 1982-03-10T00:00:00+00:00", at("1982-03-10T00:00:00+00:00")),
        ("UID fifties", "the series has no occurrence from 1980-01-01 to 2005-06-01, the dates Kith reads"),
    ]


def test_a_globally_unique_tzid_is_read_as_its_zone_without_a_warning():
    # Lightning writes TZID=/mozilla.org/<date>_1/<Olson name>; icalendar warns that it guessed the zone
    text = one_event_calendar("UID:moz\r\nDTSTART;TZID=/mozilla.org/20240601_1/Europe/Berlin:20240705T100000\r\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        [record] = calendar_records(text)
    assert (record.occurred_at, caught) == (at("2024-07-05T08:00:00+00:00"), [])


@pytest.mark.parametrize(("head", "assumed"), [("", "UTC"), ("X-WR-TIMEZONE:Europe/Amsterdam\r\n", "Europe/Amsterdam")])
def test_an_unknown_zone_without_vtimezone_lands_in_the_calendar_zone_or_utc_with_a_reject(head, assumed):
    # Outlook names a zone of the user's own "Customized Time Zone", and a forwarded invite may lose the VTIMEZONE
    tzid = "Customized Time Zone"
    event = f'DTSTART;TZID="{tzid}":20240705T100000\r\n'
    text = one_event_calendar(f"UID:out\r\n{event}END:VEVENT\r\nBEGIN:VEVENT\r\nUID:out2\r\n{event}", head)
    reject, *events = calendar_records(text)  # one reject for the zone, however many events use it
    assert (reject.location, reject.reason) == (
        "UID out",
        f"unknown time zone '{tzid}': no readable VTIMEZONE defines it; the times of every event in it are read as "
        f"{assumed}",
    )
    assert [e.occurred_at for e in events] == [datetime(2024, 7, 5, 10, tzinfo=ZoneInfo(assumed))] * 2


@pytest.mark.parametrize(("tzid", "utc"), [
    ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "2024-07-05T08:00:00+00:00"),  # summer time
    ("(UTC-05:00) Eastern Time (US & Canada)", "2024-07-05T14:00:00+00:00"),
    ("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi", "2024-07-05T04:30:00+00:00"),
    ("(UTC-03:00) Brasilia", "2024-07-05T13:00:00+00:00"),
    ("(UTC-07:00) Chihuahua, La Paz, Mazatlan", "2024-07-05T17:00:00+00:00"),  # Chihuahua has been -06:00 since 2022
    ("(UTC+02:00) Amman", "2024-07-05T07:00:00+00:00"),  # Jordan has been +03:00 since 2022
    ("(UTC+01:00) West Central Africa", "2024-07-05T09:00:00+00:00"),  # no zone of that name: its offset
    ("(UTC) Coordinated Universal Time", "2024-07-05T10:00:00+00:00"),
])
def test_a_windows_display_name_without_vtimezone_is_read_as_the_zone_it_names(tzid, utc):
    # Outlook names zones by their display name, and a forwarded invite may lose the VTIMEZONE
    [record] = calendar_records(one_event_calendar(f'UID:out\r\nDTSTART;TZID="{tzid}":20240705T100000\r\n'))
    assert record.occurred_at == at(utc)


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),  # Outlook
        lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        lambda text: text.encode("utf-16-le"),
    ],
    ids=["le-bom", "be-bom", "le"],
)
def test_a_utf16_calendar_is_read(tmp_path, encode):
    path = tmp_path / "outlook.ics"
    path.write_bytes(encode(one_event_calendar("UID:u16\r\nDTSTART:20240101T100000Z\r\nSUMMARY:Café\r\n")))
    [record] = parse_ics(path, now=NOW)
    assert (record.interaction_key, record.title) == ("u16/2024-01-01T10:00:00+00:00", "Café")


def test_an_email_parameter_written_as_a_mailto_uri_is_the_address():
    # Apple names attendees by urn:uuid: with the address in EMAIL=, which some producers write as a URI (ical4j#670)
    [record] = calendar_records(one_event_calendar(
        "UID:apple-email\r\nDTSTART:20240301T100000Z\r\n"
        'ORGANIZER;CN=Bea Boss;EMAIL="mailto:bea.boss@example.com":urn:uuid:00000000-0000-0000-0000-000000000001\r\n'
        'ATTENDEE;CN=Ann;EMAIL="MAILTO:Ann@Example.com";PARTSTAT=ACCEPTED:urn:uuid:00000000-0000-0000-0000-00002\r\n'
    ))
    assert record.participants == [
        Participant("organizer", "email", "bea.boss@example.com", "Bea Boss", None),
        Participant("attendee", "email", "ann@example.com", "Ann", "accepted"),
    ]


GOOGLE_OFFSET_ZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:GMT+05:30\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZNAME:IST\r\n"
    "TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
)


@pytest.mark.parametrize(
    ("tzid", "head", "start"),
    [
        # Google writes a zone named after its offset unquoted, with or without its VTIMEZONE (libical#152)
        ("GMT+05:30", "", "2024-09-04T04:30:00+00:00"),
        ("GMT-03:00", "", "2024-09-04T13:00:00+00:00"),
        ("GMT+05:30", GOOGLE_OFFSET_ZONE, "2024-09-04T04:30:00+00:00"),
        ("tzone://Microsoft/Utc", "", "2024-09-04T10:00:00+00:00"),  # Outlook's UTC
        ('"tzone://Microsoft/Utc"', "", "2024-09-04T10:00:00+00:00"),
    ],
)
def test_a_tzid_holding_a_colon_ends_at_the_value_s_colon_and_offsets_and_outlook_s_utc_are_known(tzid, head, start):
    text = (
        f"BEGIN:VCALENDAR\r\nX-WR-TIMEZONE:Asia/Tokyo\r\n{head}BEGIN:VEVENT\r\nUID:tz\r\n"
        f"DTSTART;TZID={tzid}:20240904T100000\r\nDTEND;TZID={tzid};VALUE=DATE-TIME:20240904T103000\r\n"
        f"RRULE:FREQ=DAILY;COUNT=3\r\nEXDATE;TZID={tzid}:20240905T100000\r\n"
        f"RDATE;TZID={tzid}:20240910T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    first = at(start)
    assert [(r.occurred_at, r.duration_minutes) for r in calendar_records(text)] == [
        (first + timedelta(days=day), 30) for day in (0, 2, 6)
    ]


def test_a_vcalendar_1_0_file_gives_names_beside_addresses_and_quoted_printable_text():
    # the vCalendar 1.0 spec's own attendee example; Nokia phones write .vcs text quoted-printable, soft breaks and all
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:1.0\r\nBEGIN:VEVENT\r\nUID:vcal10-1\r\n"
        "DTSTART:20240305T100000Z\r\nDTEND:20240305T110000Z\r\n"
        "SUMMARY;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Planung M=C3=BCnchen, =\r\nK=C3=B6ln\r\n"
        "ATTENDEE;ROLE=OWNER;STATUS=CONFIRMED:John Smith <jsmith@host1.com>\r\n"
        "ATTENDEE;ROLE=ATTENDEE;STATUS=NEEDS ACTION;RSVP=YES:Jane.Roe@Host1.com\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    [record] = calendar_records(text, "nokia.vcs")
    assert (record.title, record.participants) == ("Planung München, Köln", [
        Participant("attendee", "email", "jsmith@host1.com", "John Smith", "needs-action"),
        Participant("attendee", "email", "jane.roe@host1.com", None, "needs-action"),
    ])


def test_an_attendee_with_a_stray_quote_in_a_parameter_keeps_its_address_or_is_a_reject():
    # ownCloud writes SCHEDULE-STATUS with a quote too many (vobject#72)
    text = one_event_calendar(
        "UID:sched\r\nDTSTART:20240306T100000Z\r\n"
        'ATTENDEE;CN=John Doe;PARTSTAT=ACCEPTED;SCHEDULE-STATUS="3.7;Invalid Calendar User";INVALID CALENDAR '
        'USER":mailto:john.doe@example.com\r\n'
        'ATTENDEE;CN=Nobody;X-NOTE="a "quoted" word:urn:uuid:1234\r\n'
    )
    reject, record = calendar_records(text)
    assert record.participants == [Participant("attendee", "email", "john.doe@example.com", "John Doe", "accepted")]
    assert (reject.location, reject.reason) == (
        "UID sched",
        "ATTENDEE has unreadable parameters: 'ATTENDEE;CN=Nobody;X-NOTE=\"a \"quoted\" wo…': the attendee is dropped",
    )


def test_a_caldav_principal_path_ending_in_an_address_is_that_address_and_others_are_rejects():
    # Radicale names the organizer by the principal's path (simple-caldav#20)
    text = one_event_calendar(
        "UID:radicale\r\nDTSTART:20240330T171500Z\r\n"
        "ORGANIZER:/radicale/erin.example%4\r\n 0gmail.com/\r\n"
        "ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED:/radicale/users/frank/\r\n"
        "ATTENDEE;CUTYPE=ROOM:/radicale/rooms/4b/\r\n"  # a room is nobody, and no reject either
    )
    reject, record = calendar_records(text)
    assert record.participants == [Participant("organizer", "email", "erin.example@gmail.com", None, None)]
    assert (reject.location, reject.reason) == (
        "UID radicale",
        "ATTENDEE '/radicale/users/frank/' is no email address and no CN names anyone: the attendee is dropped",
    )
