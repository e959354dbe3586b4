"""Bad input for the ICS connector: impossible dates, endless or broken recurrences, garbage: all bounded and located."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors import ics as ics_module
from connectors.ics import events_from_calendar_text, parse_ics
from connectors.records import Interaction
from tests.badinput.contract import ODD_NAMES, enormous_line, kept, parse_all, random_bytes, rejects

NOW = datetime(2020, 3, 1, tzinfo=UTC)
GOOD = "BEGIN:VEVENT\r\nUID:good\r\nDTSTART:20200101T100000Z\r\nDTEND:20200101T110000Z\r\nATTENDEE:mailto:ana@good.example\r\nEND:VEVENT\r\n"


def calendar(*events: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(events) + "END:VCALENDAR\r\n"


def event(uid: str, *lines: str) -> str:
    return f"BEGIN:VEVENT\r\nUID:{uid}\r\n" + "".join(line + "\r\n" for line in lines) + "END:VEVENT\r\n"


def parse(tmp_path: Path, data: str | bytes, name: str = "cal.ics"):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return parse_all(lambda p: parse_ics(p, now=NOW), path)


def uids(records) -> list[str]:
    return [r.interaction_key.split("/")[0] for r in kept(records)]


@pytest.mark.parametrize("data", [random_bytes(), b"", b"BEGIN:VCARD\r\nEND:VCARD\r\n"], ids=["random", "empty", "vcard"])
def test_not_a_calendar_is_one_reject(tmp_path, data):
    assert rejects(parse(tmp_path, data)) == [("file", "not an iCalendar file: no BEGIN:VCALENDAR or VEVENT")]


@pytest.mark.parametrize(
    ("start", "reason"),
    [
        ("00000101T000000Z", "DTSTART: Wrong datetime format: 00000101T000000Z"),
        ("20201341T250000Z", "DTSTART: Wrong datetime format: 20201341T250000Z"),
        ("20200230T100000Z", "DTSTART: Wrong datetime format: 20200230T100000Z"),
        ("tomorrow", "DTSTART: Wrong date format tomorrow"),
    ],
)
def test_impossible_dates_reject_their_event_only(tmp_path, start, reason):
    records = parse(tmp_path, calendar(event("bad", f"DTSTART:{start}", "RRULE:FREQ=DAILY;COUNT=3"), GOOD))
    assert uids(records) == ["good"]
    assert rejects(records) == [("UID bad", reason)]


def test_year_one_and_year_9999_series_fall_outside_the_window(tmp_path):
    # Occurrences more than 30 years back or more than 10 years ahead are out of scope, not an overflow, and said.
    ancient = event("ancient", "DTSTART:00010101T000000Z", "RRULE:FREQ=DAILY;COUNT=3")
    far = event("far", "DTSTART:99991231T000000Z", "RRULE:FREQ=DAILY")
    records = parse(tmp_path, calendar(ancient, far, GOOD))
    assert uids(records) == ["good"]
    assert rejects(records) == [
        ("UID ancient", "the series has no occurrence from 1990-03-09 to 2021-03-01, the dates Kith reads"),
        ("UID far", "starts 9999-12-31, more than 10 years ahead: a mistyped year or a placeholder date"),
    ]


def test_endless_secondly_recurrence_stops_at_the_limit(tmp_path):
    records = parse(tmp_path, calendar(event("endless", "DTSTART:20200101T100000Z", "RRULE:FREQ=SECONDLY"), GOOD))
    assert uids(records).count("endless") == ics_module.EXPANSION_LIMIT
    assert "good" in uids(records)
    assert rejects(records) == [("UID endless", f"recurrence expands beyond {ics_module.EXPANSION_LIMIT} occurrences; truncated")]


def test_endless_daily_recurrence_stops_a_year_after_now(tmp_path):
    records = parse(tmp_path, calendar(event("daily", "DTSTART:20200101T100000Z", "RRULE:FREQ=DAILY"), GOOD))
    starts = [r.occurred_at for r in kept(records) if r.interaction_key.startswith("daily/")]
    assert (starts[0], starts[-1]) == (datetime(2020, 1, 1, 10, tzinfo=UTC), datetime(2021, 2, 28, 10, tzinfo=UTC))
    assert rejects(records) == []


@pytest.mark.timeout(60)
@pytest.mark.parametrize("interval", ["0", "-1"])
def test_recurrence_that_never_advances_finishes(tmp_path, interval):
    records = parse(tmp_path, calendar(event("stuck", "DTSTART:20200101T100000Z", f"RRULE:FREQ=DAILY;INTERVAL={interval}"), GOOD))
    assert uids(records) == ["good"]
    assert [location for location, _ in rejects(records)] == ["UID stuck"]


@pytest.mark.parametrize(
    "rule", ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4", "FREQ=DAILY;COUNT=-1", "FREQ=NEVER"]
)
def test_rules_with_no_possible_occurrence_finish(tmp_path, rule):
    records = parse(tmp_path, calendar(event("odd", "DTSTART:20200101T100000Z", f"RRULE:{rule}"), GOOD))
    assert "good" in uids(records)


def test_duplicate_organizer_and_broken_properties_keep_the_event(tmp_path):
    odd = event(
        "odd",
        "DTSTART:20200102T100000Z",
        "DTEND:garbage",
        "ORGANIZER:mailto:one@good.example",
        "ORGANIZER:mailto:two@good.example",
        "ATTENDEE;PARTSTAT=:::",
        "EXDATE:foo",
        ";;;",
    )
    records = parse(tmp_path, calendar(odd, GOOD))
    assert uids(records) == ["odd", "good"]
    assert [p.value for p in kept(records)[0].participants] == ["one@good.example", "two@good.example"]


def test_truncated_calendar_keeps_complete_events(tmp_path):
    whole = calendar(GOOD, event("cut", "DTSTART:20200102T100000Z"))
    cut_from = whole.index("BEGIN:VEVENT\r\nUID:cut")
    for cut in range(cut_from, len(whole), 5):
        assert uids(parse(tmp_path, whole[:cut]))[:1] == ["good"], cut


@pytest.mark.parametrize(
    ("rest", "kept_uids"),
    [
        ("UID:cut\r\nDTSTART:20201110T", ["good"]),  # the file ends mid-line
        ("UID:cut\r\nDTSTART:2020\r\n" + event("after", "DTSTART:20200103T100000Z"), ["good", "after"]),
        ("UID:cut\r\nEND:VCALENDAR\r\n", ["good"]),
    ],
    ids=["end-of-file", "next-event", "end-of-calendar"],
)
def test_event_without_end_is_rejected_with_its_line(tmp_path, rest, kept_uids):
    records = parse(tmp_path, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + GOOD + "BEGIN:VEVENT\r\n" + rest)
    assert rejects(records) == [("event 2 (line 9)", "no END:VEVENT: the event is cut off")]
    assert uids(records) == kept_uids


def test_enormous_line_and_invalid_utf8(tmp_path):
    data = calendar(event("big", "DTSTART:20200102T100000Z", f"DESCRIPTION:{enormous_line(4)}"), GOOD).encode()
    records = parse(tmp_path, data.replace(b"VERSION:2.0", b"X-JUNK:\xff\xfe\x00"))
    assert uids(records) == ["big", "good"]


def test_missing_file_and_directory_named_like_an_ics(tmp_path):
    folder = tmp_path / "x.ics"
    folder.mkdir()
    for path in (tmp_path / "gone.ics", folder):
        assert [location for location, _ in rejects(parse_all(parse_ics, path))] == ["file"]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_file_names(tmp_path, name):
    assert uids(parse(tmp_path, calendar(GOOD), f"{name}.ics")) == ["good"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_any_bytes_never_raise(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.ics"
        path.write_bytes(data)
        parse_all(lambda p: parse_ics(p, now=NOW), path)


_VALUE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=40)
_PROPERTY = st.sampled_from(["DTSTART", "DTEND", "RRULE", "EXDATE", "RDATE", "RECURRENCE-ID", "ORGANIZER", "ATTENDEE", "STATUS", "DURATION"])


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_PROPERTY, _VALUE), max_size=6))
def test_any_property_values_cost_at_most_their_event(properties):
    bad = event("fuzz", *(f"{name}:{value}" for name, value in properties))
    records = list(events_from_calendar_text(calendar(bad, GOOD), source="ics", source_file="any.ics", now=NOW))
    assert "good" in [r.interaction_key.split("/")[0] for r in records if isinstance(r, Interaction)]
