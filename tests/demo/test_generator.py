"""The demo world generator: deterministic, real formats, every identifier in the truth, realism present."""

from __future__ import annotations

import csv
import email.header
import email.utils
import io
import json
import mailbox
import math
import random
import re
import zipfile
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import phonenumbers
import pytest
import recurring_ical_events
import vobject

from demo import generate_world
from demo.linkedin import PREAMBLE
from demo.people import _Builder, build_world

NOW = datetime(2026, 3, 2, tzinfo=UTC)
MBOX = Path("mail/Takeout/Mail/All mail Including Spam and Trash.mbox")
ZIP = Path("linkedin/Complete_LinkedInDataExport_03-02-2026.zip")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    out = tmp_path_factory.mktemp("world")
    summary = generate_world(out, seed=11, people=60, years=4, now=NOW)
    truth = json.loads(summary.truth.read_text(encoding="utf-8"))
    return summary, truth


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _zip_csv(summary, name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(summary.inbox / ZIP) as archive:
        text = archive.read(name).decode("utf-8")
    if name == "Connections.csv":
        text = text[text.index("First Name,Last Name"):]
    return list(csv.DictReader(io.StringIO(text)))


def _calendars(summary) -> list[icalendar.Calendar]:
    return [icalendar.Calendar.from_ical((summary.inbox / "calendar" / n).read_bytes()) for n in ("personal.ics", "work.ics")]


def _cards(summary) -> list[tuple[str, str]]:
    """(file name, card text) for every card, the unterminated last one included."""
    found = []
    for path in sorted((summary.inbox / "contacts").glob("*.vcf")):
        for chunk in path.read_bytes().decode("utf-8").split("BEGIN:VCARD\r\n")[1:]:
            found.append((path.name, "BEGIN:VCARD\r\n" + chunk))
    return found


def _mail_addresses(summary) -> list[tuple[str | None, str]]:
    pairs = []
    for message in mailbox.mbox(summary.inbox / MBOX):
        for header in ("From", "To", "Cc"):
            for name, address in email.utils.getaddresses(message.get_all(header, [])):
                decoded = str(email.header.make_header(email.header.decode_header(name))) if name else None
                pairs.append((decoded, address))
    return pairs


def test_same_seed_gives_identical_bytes(tmp_path):
    first = generate_world(tmp_path / "a", seed=3, people=60, years=2, now=NOW)
    second = generate_world(tmp_path / "b", seed=3, people=60, years=2, now=NOW)
    other = generate_world(tmp_path / "c", seed=4, people=60, years=2, now=NOW)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")
    assert (first.messages, first.events) == (second.messages, second.events)


def test_inbox_layout_and_summary(world):
    summary, truth = world
    assert summary.people == len(truth["people"]) == 60
    names = sorted(str(p.relative_to(summary.inbox)) for p in summary.inbox.rglob("*") if p.is_file())
    assert names == sorted([
        "calendar/personal.ics", "calendar/work.ics", "contacts/00001.vcf", "contacts/contacts.vcf",
        "contacts/iCloud vCard.vcf", "contacts/outlook_contacts.vcf", str(MBOX), str(ZIP),
    ])
    assert truth["now"] == "2026-03-02T00:00:00Z"


def test_linkedin_export_has_the_2023_layout(world):
    summary, truth = world
    with zipfile.ZipFile(summary.inbox / ZIP) as archive:
        assert sorted(archive.namelist()) == sorted([
            "Connections.csv", "messages.csv", "Invitations.csv", "Profile.csv", "Email Addresses.csv",
            "PhoneNumbers.csv", "Positions.csv", "Endorsement_Received_Info.csv"])
        assert archive.read("Connections.csv").decode().startswith(PREAMBLE + "First Name,Last Name,URL,Email Address,")
    connections = _zip_csv(summary, "Connections.csv")
    assert sum(bool(row["Email Address"]) for row in connections) < len(connections) / 2
    unparseable = []
    for row in connections:
        try:
            datetime.strptime(row["Connected On"], "%d %b %Y")
        except ValueError:
            unparseable.append(row["URL"])
    assert len(unparseable) == 1
    messages = _zip_csv(summary, "messages.csv")
    assert list(messages[0]) == ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
                                 "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER", "ATTACHMENTS",
                                 "IS MESSAGE DRAFT"]
    assert len(messages) == summary.linkedin_messages
    for row in messages:
        assert datetime.strptime(row["DATE"], "%Y-%m-%d %H:%M:%S UTC") < NOW.replace(tzinfo=None)
    owner_emails = [row["Email Address"] for row in _zip_csv(summary, "Email Addresses.csv")]
    assert owner_emails == truth["owner"]["emails"]


def test_mbox_parses_with_one_undated_message(world):
    summary, truth = world
    messages = list(mailbox.mbox(summary.inbox / MBOX))
    assert len(messages) == summary.messages
    undated = [m for m in messages if m["Date"] is None]
    assert [m["Message-ID"] for m in undated] == [re.search(r"<[^>]+>", truth["broken"][2]["what"]).group()]
    raw = (summary.inbox / MBOX).read_bytes()
    assert raw.startswith(b"From ") and re.match(rb"From \d+@xxx \w{3} \w{3} \d\d \d\d:\d\d:\d\d \+0000 \d{4}\r\n", raw)
    assert raw.count(b"\n") == raw.count(b"\r\n")
    sent = [m for m in messages if m["X-Gmail-Labels"].startswith("Sent")]
    assert sent and all(email.utils.parseaddr(m["From"])[1] in truth["owner"]["emails"] for m in sent)
    replies = [m for m in messages if m["In-Reply-To"]]
    assert replies and all(m["References"] and m["Subject"].startswith("Re: ") for m in replies)
    bulk = [m for m in messages if m["List-Id"]]
    assert bulk and all(m["Precedence"] == "bulk" and m["List-Unsubscribe"] for m in bulk)
    assert any(m["From"].endswith("<calendar-notification@google.com>") for m in messages)
    assert b"=?UTF-8?B?" in raw


def test_calendars_parse_and_count(world):
    summary, _truth = world
    personal, work = _calendars(summary)
    events = [e for cal in (personal, work) for e in cal.walk("VEVENT")]
    assert sum("DTSTART" not in e for e in events) == 1
    run_club = next(e for e in personal.walk("VEVENT") if str(e["SUMMARY"]) == "Run club")
    assert run_club["RRULE"]["FREQ"] == ["WEEKLY"] and "EXDATE" in run_club
    occurrences = 0
    for cal in (personal, work):
        dated = icalendar.Calendar()
        for event in cal.walk("VEVENT"):
            if "DTSTART" in event:
                dated.add_component(event)
        occurrences += len(recurring_ical_events.of(dated).between(NOW - timedelta(days=5 * 366), NOW + timedelta(days=400)))
    assert occurrences == summary.events
    text = b"".join((summary.inbox / "calendar" / n).read_bytes() for n in ("personal.ics", "work.ics")).decode()
    unfolded = text.replace("\r\n ", "")
    assert "PARTSTAT=DECLINED" in unfolded and "CUTYPE=RESOURCE" in unfolded
    assert any(e.decoded("DTSTART") > NOW for e in events if "DTSTART" in e and "RRULE" not in e)
    assert re.search(r"SUMMARY:1:1 ", unfolded) and "SUMMARY:Team sync" in unfolded


def test_vcards_cover_four_dialects_and_one_cut_card(world):
    summary, _truth = world
    cards = _cards(summary)
    versions = {name: set(re.findall(r"VERSION:(\d\.\d)", text)) for name, text in cards}
    assert versions["iCloud vCard.vcf"] == {"3.0"} and versions["outlook_contacts.vcf"] == {"2.1"}
    assert versions["contacts.vcf"] == {"3.0"} and versions["00001.vcf"] == {"4.0"}
    unterminated = [(name, text) for name, text in cards if "END:VCARD" not in text]
    assert [name for name, _text in unterminated] == ["00001.vcf"]
    for name, text in cards:
        if "END:VCARD" in text:
            assert vobject.readOne(text, allowQP=True).fn.value
    everything = "".join(text for _name, text in cards)
    assert "item1.X-ABLabel:" in everything and "X-SOCIALPROFILE;type=linkedin" in everything
    assert "ENCODING=QUOTED-PRINTABLE" in everything and "TEL;VALUE=uri" in everything


def _inbox_identifiers(summary) -> tuple[set[str], set[str], set[str]]:
    """Every (emails, E.164 phones, LinkedIn slugs) that appears anywhere in the inbox."""
    emails = {address.lower() for _name, address in _mail_addresses(summary)}
    for cal in _calendars(summary):
        for event in cal.walk("VEVENT"):
            people = [event["ORGANIZER"]] + list(event.get("ATTENDEE", []))
            emails |= {str(p)[len("mailto:"):].lower() for p in people}
    slugs, phones = set(), set()
    for _name, text in _cards(summary):
        unfolded = text.replace("\r\n ", "").replace("\r\n", "\n")
        emails |= {m.lower() for m in re.findall(r"^(?:item\d+\.)?EMAIL[^:]*:(.+)$", unfolded, re.M)}
        for raw in re.findall(r"^(?:item\d+\.)?TEL[^:]*:(?:tel:)?(.+)$", unfolded, re.M):
            phones.add(phonenumbers.format_number(phonenumbers.parse(raw, "GB"), phonenumbers.PhoneNumberFormat.E164))
        slugs |= set(re.findall(r"linkedin\.com/in/([\w-]+)", unfolded))
    for name in ("Connections.csv", "messages.csv", "Invitations.csv", "Endorsement_Received_Info.csv"):
        for row in _zip_csv(summary, name):
            for value in row.values():
                slugs |= set(re.findall(r"linkedin\.com/in/([\w-]+)", value or ""))
                if "@" in (value or "") and " " not in value:
                    emails.add(value.lower())
    return emails, phones, slugs


def test_every_identifier_belongs_to_exactly_one_truth_person(world):
    summary, truth = world
    emails, phones, slugs = _inbox_identifiers(summary)
    owner = truth["owner"]
    resources = set(truth["resources"])
    shared = {entry["phone"] for entry in truth["shared_phones"]}
    for found, field, own in ((emails, "emails", owner["emails"]), (phones, "phones", owner["phones"]),
                              (slugs, "linkedin", [owner["linkedin"]])):
        for value in found - set(own) - resources:
            holders = [p["truth_id"] for p in truth["people"]
                       if value in (p[field] if isinstance(p[field], list) else [p[field]])]
            assert len(holders) == (2 if value in shared else 1), (field, value, holders)
    assert owner["phones"][0] not in phones
    assert not set(owner["emails"]) & {e for p in truth["people"] for e in p["emails"]}


def test_truth_fields_are_well_formed(world):
    _summary, truth = world
    kinds = {"friend", "family", "colleague", "client", "acquaintance", "newsletter", "noreply"}
    for person in truth["people"]:
        assert person["kind"] in kinds
        assert 0 <= person["latent_strength"] <= 1
        assert person["layer"] in (None, 1, 2, 3, 4, 5)
        assert all(e == e.lower() for e in person["emails"])
        assert all(re.fullmatch(r"\+44\d{9,10}", p) for p in person["phones"])
        if person["kind"] in ("newsletter", "noreply") or person["one_way"]:
            assert person["latent_strength"] == 0 and person["layer"] is None
    strengths = sorted(p["latent_strength"] for p in truth["people"])
    assert strengths[-1] > 0.5
    assert [b["file"] for b in truth["broken"]] == [
        str(ZIP / "Connections.csv"), "contacts/00001.vcf", str(MBOX), "calendar/work.ics"]


def test_realism_features_exist(world):
    summary, truth = world
    people = {p["truth_id"]: p for p in truth["people"]}
    for group in truth["same_name_groups"]:
        assert len({people[i]["name"] for i in group}) == 1
        assert not set(people[group[0]]["emails"]) & set(people[group[1]]["emails"])
    assert any(people[a]["companies"] and people[b]["companies"] and people[a]["companies"] != people[b]["companies"]
               for a, b, *_rest in truth["same_name_groups"])

    mail_names = {name for name, _address in _mail_addresses(summary) if name}
    cards = "".join(text for _name, text in _cards(summary))
    connections = _zip_csv(summary, "Connections.csv")
    nicknamed = [p for p in truth["people"] if p["nickname"] and p["linkedin"]]
    assert any(
        any(row["First Name"] == p["name"].split()[0] for row in connections)
        and f"FN:{p['nickname']} " in cards
        and any(n.startswith(p["nickname"] + " ") for n in mail_names)
        for p in nicknamed)
    assert any(re.fullmatch(r"[^,]+, [^,]+", n) for n in mail_names)
    assert any(n.isupper() for n in mail_names) and any(n.islower() for n in mail_names)
    accented = [p for p in truth["people"] if not p["name"].isascii()]
    assert any(p["name"] in mail_names for p in accented)

    assert any(len(p["companies"]) > 1 and len([e for e in p["emails"] if "gmail" not in e]) > 1
               for p in truth["people"])
    assert any("+" in e.split("@")[0] or (e.endswith("@gmail.com") and any(
        o != e and o.replace(".", "") == e.replace(".", "") for o in p["emails"]))
        for p in truth["people"] for e in p["emails"])
    assert truth["shared_phones"]
    assert any(p["role_address"] and p["emails"][0].startswith(("team@", "info@")) for p in truth["people"])
    assert {"newsletter", "noreply"} <= {p["kind"] for p in truth["people"]}
    family_only = [p for p in truth["people"] if p["kind"] == "family"]
    assert family_only and all(p["linkedin"] is None for p in family_only)
    assert any(p["linkedin"] and not p["emails"] and not p["phones"] for p in truth["people"])

    dormant = [p for p in truth["people"] if p["dormant"]]
    assert dormant
    quiet_since = NOW - timedelta(days=270)
    for message in mailbox.mbox(summary.inbox / MBOX):
        if message["Date"] and email.utils.parsedate_to_datetime(message["Date"]) > quiet_since:
            involved = {a.lower() for _n, a in email.utils.getaddresses(message.get_all("From", []) + message.get_all("To", []))}
            assert not involved & set(dormant[0]["emails"])
    for cal in _calendars(summary):
        for event in cal.walk("VEVENT"):
            if "DTSTART" in event and event.decoded("DTSTART") > quiet_since:
                attendees = {str(a)[len("mailto:"):] for a in event.get("ATTENDEE", [])}
                assert not attendees & set(dormant[0]["emails"])


def test_messages_argument_sets_the_mailbox_size(tmp_path):
    summary = generate_world(tmp_path, seed=5, people=60, years=1, messages=1234, events=321, now=NOW)
    assert summary.messages == 1234
    assert len(mailbox.mbox(summary.inbox / MBOX)) == 1234
    assert summary.events == 321


def test_names_are_heavy_tailed_so_most_are_unique_and_common_ones_recur():
    world = build_world(random.Random(11), 3000, 5, NOW.timestamp())
    people = [p for p in world.people if p.family and not p.role]
    sharing = sum(n for n in Counter(p.full_name for p in people).values() if n > 1)
    assert 0.01 * len(people) < sharing < 0.1 * len(people)  # a few John Smiths, most names unique
    given = Counter(p.given for p in people)
    assert len(given) > 300 and given.most_common(1)[0][1] > 0.01 * len(people)


def test_no_two_people_share_a_gmail_mailbox():
    """Gmail ignores dots and +tags: john.khan@ and johnkhan@ are one mailbox, never given to two people."""
    world = build_world(random.Random(11), 3000, 5, NOW.timestamp())

    def mailbox(address: str) -> str:
        local, domain = address.split("@")
        return f"{local.split('+')[0].replace('.', '')}@{domain}" if domain == "gmail.com" else address

    people_of = defaultdict(set)
    for person in world.people:
        for address in person.all_emails():
            people_of[mailbox(address)].add(person.truth_id)
    assert [box for box, people in people_of.items() if len(people) > 1] == []


def _answers_within_a_day(summary) -> int:
    """Messages that answer an earlier one of the mbox within 24 hours."""
    sent_at, answers = {}, []
    for message in mailbox.mbox(summary.inbox / MBOX):
        if message["Date"] is None:
            continue
        when = email.utils.parsedate_to_datetime(message["Date"])
        sent_at[message["Message-ID"]] = when
        if message["In-Reply-To"]:
            answers.append((message["In-Reply-To"], when))
    return sum(parent in sent_at and timedelta(0) < when - sent_at[parent] < timedelta(days=1)
               for parent, when in answers)


def test_reply_chains_put_one_to_one_mail_in_bursts(world, tmp_path):
    summary, truth = world
    bursty = generate_world(tmp_path, seed=11, people=60, years=4, now=NOW, reply_chains=0.6)
    assert truth["reply_chains"] == 0
    assert json.loads(bursty.truth.read_text(encoding="utf-8"))["reply_chains"] == 0.6
    assert bursty.messages > 1.3 * summary.messages
    assert _answers_within_a_day(bursty) > 3 * _answers_within_a_day(summary)


def _group_mail_and_meetings(summary) -> tuple[int, int]:
    """Messages to more than one address (To and Cc), and one-off events with the owner and two guests or more."""
    mail = sum(len(email.utils.getaddresses(message.get_all("To", []) + message.get_all("Cc", []))) > 1
               for message in mailbox.mbox(summary.inbox / MBOX))
    meetings = 0
    for path in (summary.inbox / "calendar").glob("*.ics"):
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        meetings += sum(sum(a.params.get("CUTYPE") == "INDIVIDUAL" for a in event.get("ATTENDEE", [])) > 2
                        and "RRULE" not in event for event in calendar.walk("VEVENT"))
    return mail, meetings


def test_group_traffic_multiplies_how_often_communities_mail_and_meet(world, tmp_path):
    summary, truth = world
    busy = generate_world(tmp_path, seed=11, people=60, years=4, now=NOW, group_traffic=3)
    assert truth["group_traffic"] == 1
    assert json.loads(busy.truth.read_text(encoding="utf-8"))["group_traffic"] == 3
    usual_mail, usual_meetings = _group_mail_and_meetings(summary)
    busy_mail, busy_meetings = _group_mail_and_meetings(busy)
    assert 2.4 * usual_mail < busy_mail < 3.6 * usual_mail
    assert 2.2 * usual_meetings < busy_meetings < 3.8 * usual_meetings


def test_drift_share_sets_how_many_ties_change_pace(world, tmp_path):
    summary, truth = world
    restless = json.loads(generate_world(tmp_path, seed=11, people=60, years=4, now=NOW, drift_share=0.6)
                          .truth.read_text(encoding="utf-8"))
    assert (truth["drift_share"], restless["drift_share"]) == (0.15, 0.6)

    def drifted(document: dict) -> int:
        return sum(person["drifted"] for person in document["people"])

    assert drifted(restless) > 2 * drifted(truth)


@pytest.mark.parametrize(("layer_shape", "falls"), [("dunbar", False), ("signature", True)])
def test_layer_shape_sets_whether_rates_fall_within_a_layer(layer_shape, falls):
    builder = _Builder(random.Random(5), NOW.timestamp(), (NOW - timedelta(days=5 * 365)).timestamp(), 0.15,
                       layer_shape)
    ranked = [math.log(p.rate_before) for p in builder._social(300)[50:150]]  # a layer of 100 ties, in rank order
    # the mean log rate of its first half over its second's: 0 give or take 0.2 for one rate, about 0.6 for a
    # power law of rank (1.2 times the log of the halves' mean ranks, 125/75)
    assert (sum(ranked[:50]) / 50 - sum(ranked[50:]) / 50 > 0.3) is falls


def test_the_layer_shape_is_recorded_and_checked(world):
    assert world[1]["layer_shape"] == "dunbar"
    with pytest.raises(ValueError, match="layer_shape must be one of dunbar, signature"):
        build_world(random.Random(5), 60, 4, NOW.timestamp(), layer_shape="pyramid")
