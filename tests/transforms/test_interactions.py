"""The interaction marts (transforms/sql/interactions.sql): a meeting's status from the owner's own answer, and
which copy of a message is kept."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.cli import main
from tests.transforms.inbox_files import card, mbox_message, staged
from transforms.build import build_interactions, resolve_people

AS_OF = "2026-06-01T00:00:00+00:00"
CALENDAR = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Kith tests//EN
{events}END:VCALENDAR
"""
EVENT = """BEGIN:VEVENT
UID:{uid}
DTSTART:{start}
DTEND:{end}
SUMMARY:{uid}
ORGANIZER;CN=Dana Obi:mailto:dana@example.com
ATTENDEE;CN=Dana Obi;PARTSTAT=ACCEPTED:mailto:dana@example.com
{attendees}END:VEVENT
"""


def event(uid: str, day: str, *attendees: tuple[str, str]) -> str:
    lines = "".join(f"ATTENDEE;PARTSTAT={answer}:mailto:{address}\n" for address, answer in attendees)
    return EVENT.format(uid=uid, start=f"{day}T100000Z", end=f"{day}T110000Z", attendees=lines)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    folder = tmp_path_factory.mktemp("declined")
    (folder / "inbox" / "calendar").mkdir(parents=True)
    events = [
        # declined at one of the owner's addresses, accepted at the other: the owner went
        event("alias-accepted", "20260510", ("me@example.com", "DECLINED"), ("me@work.example", "ACCEPTED")),
        event("declined", "20260512", ("me@example.com", "DECLINED"), ("eli@example.com", "ACCEPTED")),
        event("declined-later", "20260710", ("me@example.com", "DECLINED"), ("fay@example.com", "ACCEPTED")),
    ]
    (folder / "inbox" / "calendar" / "owner.ics").write_text(CALENDAR.format(events="".join(events)))
    path = folder / "kith.duckdb"
    assert main(["build", "--inbox", str(folder / "inbox"), "--warehouse", str(path), "--as-of", AS_OF,
                 "--me", "me@example.com", "--me", "me@work.example"]) == 0
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


def test_a_meeting_the_owner_declined_at_every_address_is_declined(warehouse):
    statuses = dict(warehouse.execute("select strftime(occurred_at, '%m-%d'), status from interactions").fetchall())
    assert statuses == {"05-10": "happened", "05-12": "declined", "07-10": "declined"}  # titles are not kept


def test_the_others_met_when_the_owner_declined_but_not_before_the_meeting(warehouse):
    pairs = warehouse.execute("""
        select list_sort([a.primary_email, b.primary_email])
        from connections_between_contacts as c
        join people as a on a.person_id = c.person_a
        join people as b on b.person_id = c.person_b
    """).fetchall()
    assert pairs == [(["dana@example.com", "eli@example.com"],)]


def test_only_the_meeting_the_owner_went_to_counts_for_dana(warehouse):
    meetings = warehouse.execute(
        "select meetings from relationships join people using (person_id) where primary_email = 'dana@example.com'"
    ).fetchall()
    assert meetings == [(1,)]


def test_a_message_kept_in_drafts_and_sent_is_sent_mail(tmp_path):
    message = mbox_message(6, "me@example.com", "Ana Lima <ana@example.org>")
    con = staged(tmp_path, {"Drafts": message, "Sent": message}, owner_emails=("me@example.com",))
    try:
        resolve_people(con)
        build_interactions(con)
        assert con.execute("select direction, automated_reason, status from interactions").fetchall() == [
            ("sent", None, "happened")]
    finally:
        con.close()


def test_participants_are_people_not_their_addresses(tmp_path):
    """Mail to two of the owner's addresses, copied to a friend at two of hers, and to a team address: four people
    (the owner once, the friend once, the sender, the team address, which is nobody's)."""
    message = mbox_message(6, "Ana Lima <ana@example.org>", "me@example.com, me@work.example",
                           cc="Bea Ruiz <bea@example.net>, Bea Ruiz <bea.ruiz@gmail.com>, team@corp.example")
    contacts = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bea Ruiz\r\nN:Ruiz;Bea;;;\r\nEMAIL:bea@example.net\r\n"
                "EMAIL:bea.ruiz@gmail.com\r\nEND:VCARD\r\n")
    con = staged(tmp_path, {"mail.mbox": message, "contacts.vcf": contacts},
                 owner_emails=("me@example.com", "me@work.example"))
    try:
        resolve_people(con)
        build_interactions(con)
        assert con.execute("select participant_count from interactions").fetchall() == [(4,)]
    finally:
        con.close()


def test_a_message_kept_only_in_drafts_was_never_sent(tmp_path):
    con = staged(tmp_path, {"Drafts": mbox_message(6, "me@example.com", "Ana Lima <ana@example.org>")},
                 owner_emails=("me@example.com",))
    try:
        resolve_people(con)
        build_interactions(con)
        assert con.execute("select automated_reason, status from interactions").fetchall() == [("draft", "draft")]
    finally:
        con.close()


def test_an_assistant_sending_on_behalf_of_the_from_is_a_sender_in_touch_with_nobody(tmp_path):
    on_behalf = "".join(
        mbox_message(day, "Boss Adeyemi <boss@corp.example>", "me@example.com",
                     headers="Sender: Pat Lim <pat.lim@corp.example>\n")
        + mbox_message(day + 1, "me@example.com", "Boss Adeyemi <boss@corp.example>", cc="pat.lim@corp.example")
        for day in (6, 13, 20))
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "mail.mbox").write_text(on_behalf)
    path = tmp_path / "kith.duckdb"
    assert main(["build", "--inbox", str(tmp_path / "inbox"), "--warehouse", str(path), "--as-of", AS_OF,
                 "--me", "me@example.com"]) == 0
    con = duckdb.connect(str(path), read_only=True)
    try:
        strengths = dict(con.execute(
            "select p.primary_email, r.strength from relationships as r join people as p using (person_id)").fetchall())
        roles = con.execute("select distinct role from interaction_participants join people using (person_id) "
                            "where primary_email = 'pat.lim@corp.example' order by role").fetchall()
    finally:
        con.close()
    assert strengths["boss@corp.example"] > 0
    assert strengths.get("pat.lim@corp.example", 0) == 0
    assert roles == [("cc",), ("sender",)]


def test_a_friend_who_posts_to_the_club_s_list_is_a_person_and_the_list_is_not(tmp_path):
    list_headers = ("List-Id: <runners.googlegroups.com>\nList-Post: <mailto:runners@googlegroups.com>, "
                    "<https://groups.google.com/group/runners/post>\n")
    mail = "".join(mbox_message(day, "Ana Lima <ana.lima@gmail.com>", "SF Runners <runners@googlegroups.com>",
                                headers=list_headers) for day in (6, 13))
    mail += mbox_message(20, "me@example.com", "SF Runners <runners@googlegroups.com>")  # the owner's own post
    con = staged(tmp_path, {"mail.mbox": mail}, owner_emails=("me@example.com",))
    try:
        resolve_people(con)
        build_interactions(con)
        automated = dict(con.execute("select value, automated_reason from identifiers").fetchall())
        reasons = con.execute("select distinct automated_reason from interactions order by 1").fetchall()
    finally:
        con.close()
    assert automated == {"analima@gmail.com": None, "runners@googlegroups.com": "mailing-list"}
    assert reasons == [("mailing-list",), (None,)]


FAMILY_ADDRESS = "famille.lefevre@orange.example"


def whose_mail(files: dict[str, str], tmp_path) -> list[tuple[int, str, str]]:
    """(day, direction, the person's display name) of every message of an inbox with the owner at me@example.com."""
    con = staged(tmp_path, files, owner_emails=("me@example.com",))
    try:
        resolve_people(con)
        build_interactions(con)
        return con.execute(
            "select day(i.occurred_at), i.direction, n.display_name from interactions as i "
            "join interaction_participants as p using (interaction_id) join people as n using (person_id) "
            "order by 1, 3").fetchall()
    finally:
        con.close()


def test_mail_to_a_family_address_is_the_mail_of_whom_it_names(tmp_path):
    """Mum and Dad share one address and sign replies as the family: a message to "Papa" is Dad's, one to
    "Martine Lefèvre" Mum's, the family's reply to the message to Papa is Dad's reply, and the family's own mail
    stays with the address's person."""
    mail = "".join([
        mbox_message(1, "me@example.com", f"Papa <{FAMILY_ADDRESS}>"),
        mbox_message(2, f"Famille Lefèvre <{FAMILY_ADDRESS}>", "me@example.com",
                     headers="In-Reply-To: <m1.me@@example.org>\n"),
        mbox_message(3, "me@example.com", f"Martine Lefèvre <{FAMILY_ADDRESS}>"),
        mbox_message(4, f"Famille Lefèvre <{FAMILY_ADDRESS}>", "me@example.com"),
    ])
    contacts = (card("Papa", "Lefèvre;Gérard;;;", f"EMAIL:{FAMILY_ADDRESS}")
                + card("Maman", "Lefèvre;Martine;;;", f"EMAIL:{FAMILY_ADDRESS}"))
    assert whose_mail({"mail.mbox": mail, "contacts.vcf": contacts}, tmp_path) == [
        (1, "sent", "Papa"), (2, "received", "Papa"), (3, "sent", "Maman"), (4, "received", "Famille Lefèvre")]


def test_a_holder_who_signs_with_his_own_name_keeps_his_reply(tmp_path):
    """Only Mum has a card; Dad writes under his own name, also when he answers a message to Mum."""
    mail = "".join([
        mbox_message(1, "me@example.com", f"Martine Lefèvre <{FAMILY_ADDRESS}>"),
        mbox_message(2, f"Gérard Lefèvre <{FAMILY_ADDRESS}>", "me@example.com",
                     headers="In-Reply-To: <m1.me@@example.org>\n"),
        mbox_message(3, f"Gérard Lefèvre <{FAMILY_ADDRESS}>", "me@example.com"),
    ])
    contacts = card("Maman", "Lefèvre;Martine;;;", f"EMAIL:{FAMILY_ADDRESS}")
    assert whose_mail({"mail.mbox": mail, "contacts.vcf": contacts}, tmp_path) == [
        (1, "sent", "Maman"), (2, "received", "Gérard Lefèvre"), (3, "received", "Gérard Lefèvre")]


def test_mail_to_both_holders_by_name_is_both_one_s(tmp_path):
    mail = "".join([
        mbox_message(1, "me@example.com", f"Gérard et Martine Lefèvre <{FAMILY_ADDRESS}>"),
        mbox_message(2, "me@example.com", f"Martine & Gérard Lefèvre <{FAMILY_ADDRESS}>"),
        mbox_message(3, "me@example.com", f"Papa <{FAMILY_ADDRESS}>"),
    ])
    contacts = (card("Papa", "Lefèvre;Gérard;;;", f"EMAIL:{FAMILY_ADDRESS}")
                + card("Maman", "Lefèvre;Martine;;;", f"EMAIL:{FAMILY_ADDRESS}"))
    assert whose_mail({"mail.mbox": mail, "contacts.vcf": contacts}, tmp_path) == [
        (1, "sent", "Maman"), (1, "sent", "Papa"), (2, "sent", "Maman"), (2, "sent", "Papa"), (3, "sent", "Papa")]
