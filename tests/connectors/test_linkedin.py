"""Tests for the LinkedIn export connector on 2017, 2021 and 2023-style fixture exports."""

from __future__ import annotations

import os
import shutil
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from connectors.linkedin import FILES_IGNORED, FILES_READ, archive, parse_linkedin
from connectors.linkedin.dates import parse_linkedin_date
from connectors.records import ContactCard, Identifier, Interaction, OwnerIdentity, Participant, Reject

FIXTURES = Path(__file__).parents[1] / "fixtures" / "linkedin"
EXPORT_2017 = FIXTURES / "Basic_LinkedInDataExport_06-30-2017"
EXPORT_2021 = FIXTURES / "Basic_LinkedInDataExport_12-01-2021"
EXPORT_2023 = FIXTURES / "Complete_LinkedInDataExport_01-15-2024"

JOSE_URL = "https://www.linkedin.com/in/Jose-Alvarez-1a2b3c"
SAM_URL = "https://www.linkedin.com/in/samowner"
MEI_URL = "https://www.linkedin.com/in/meichen"
PRIYA_URL = "https://www.linkedin.com/in/priya-raman-55"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def of_type(records, kind):
    return [record for record in records if isinstance(record, kind)]


def channel(records, name):
    return [record for record in of_type(records, Interaction) if record.channel == name]


def export_folder(parent: Path, name: str, **tables: str) -> Path:
    """An unpacked export called `name` holding CSV files: file stem -> text."""
    export = parent / name
    export.mkdir()
    for stem, text in tables.items():
        (export / f"{stem}.csv").write_text(text, encoding="utf-8")
    return export


def zip_folder(folder: Path, target: Path, inner: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive_file:
        for file in sorted(folder.iterdir()):
            archive_file.write(file, inner + file.name)
    return target


@pytest.fixture(scope="module")
def records_2023():
    return list(parse_linkedin(EXPORT_2023))


# --- 2023+ export --------------------------------------------------------------------------------


def test_2023_counts_reconcile(records_2023):
    assert len(of_type(records_2023, ContactCard)) == 4  # 8 data lines: 2 comma-only, 2 rejects
    assert len(channel(records_2023, "linkedin_message")) == 5
    assert len(channel(records_2023, "linkedin_invitation")) == 2
    assert len(channel(records_2023, "linkedin_endorsement")) == 2
    assert len(channel(records_2023, "linkedin_recommendation")) == 2
    assert [(owner.kind, owner.value) for owner in of_type(records_2023, OwnerIdentity)] == [
        ("email", "sam.owner@example.com"),
        ("name", "Sam Owner"),
    ]
    assert len(records_2023) == 4 + 5 + 2 + 2 + 2 + 2 + 3


def test_2023_connection_with_accents_bom_crlf_and_quoted_comma(records_2023):
    jose = of_type(records_2023, ContactCard)[0]
    assert jose == ContactCard(
        source="linkedin",
        source_file=str(EXPORT_2023),
        location="Connections.csv line 5",
        record_key="jose-alvarez-1a2b3c",
        full_name="José Álvarez",
        given_name="José",
        family_name="Álvarez",
        organization="Stripe, Inc.",
        title="Staff Engineer",
        connected_at=utc(2021, 11, 17),
        identifiers=[Identifier("linkedin", JOSE_URL)],
        observed_at=utc(2024, 1, 15),
    )


def test_2023_connection_details(records_2023):
    cards = {card.record_key: card for card in of_type(records_2023, ContactCard)}
    assert list(cards) == ["jose-alvarez-1a2b3c", "meichen", "priya-raman-55", "hidden-member"]
    assert cards["meichen"].title == 'Head of "Growth"'
    assert cards["meichen"].identifiers == [
        Identifier("linkedin", MEI_URL),
        Identifier("email", "mei.chen@example.com"),
    ]
    assert cards["meichen"].connected_at == utc(2020, 1, 7)
    assert cards["hidden-member"].full_name is None
    assert cards["hidden-member"].location == "Connections.csv line 11"


def test_2023_rejects_name_file_line_and_column(records_2023):
    # The comma-only rows on lines 7 and 8 are skipped, not rejected.
    assert [(reject.location, reject.reason) for reject in of_type(records_2023, Reject)] == [
        ("Connections.csv line 10, column Connected On", "unparseable date '31 Feb 2023'"),
        ("Connections.csv line 12", "connection without a name or a profile URL"),
        ("messages.csv line 9, column DATE", "unparseable date 'yesterday'"),
    ]
    assert all(reject.source_file == str(EXPORT_2023) for reject in of_type(records_2023, Reject))


def test_2023_message_with_quoted_newlines(records_2023):
    first = channel(records_2023, "linkedin_message")[0]
    assert first == Interaction(
        source="linkedin",
        source_file=str(EXPORT_2023),
        location="messages.csv line 2",
        interaction_key="linkedin:2-MGM1MjljMg==/2023-11-20T08:15:00+00:00/jose-alvarez-1a2b3c",
        channel="linkedin_message",
        occurred_at=utc(2023, 11, 20, 8, 15),
        participants=[
            Participant("from", "linkedin", JOSE_URL, "José Álvarez"),
            Participant("to", "linkedin", SAM_URL, "Sam Owner"),
        ],
        thread_id="2-MGM1MjljMg==",
        title="Coffee, next week?",
        labels=["INBOX"],
    )


def test_2023_messages_same_second_get_distinct_keys(records_2023):
    messages = channel(records_2023, "linkedin_message")
    assert messages[1].location == "messages.csv line 5"  # the quoted CONTENT spans lines 2 to 4
    assert messages[1].interaction_key == messages[0].interaction_key + "#2"
    assert len({message.interaction_key for message in messages}) == 5


def test_2023_group_conversation_and_draft(records_2023):
    group, draft = channel(records_2023, "linkedin_message")[3:5]
    assert group.thread_id == draft.thread_id == "2-Z3JvdXA="
    assert group.title == "Reunion 2024"
    assert group.participants == [
        Participant("from", "linkedin", MEI_URL, "Mei Chen"),
        Participant("to", "linkedin", SAM_URL, "Sam Owner"),
        Participant("to", "linkedin", PRIYA_URL, "Priya Raman"),
    ]
    assert group.status is None
    assert draft.status == "draft"
    assert draft.occurred_at == utc(2024, 1, 6, 10)
    assert [participant.value for participant in draft.participants] == [SAM_URL, MEI_URL, PRIYA_URL]


def test_2023_invitations_use_profile_urls(records_2023):
    incoming, outgoing = channel(records_2023, "linkedin_invitation")
    assert incoming.occurred_at == utc(2023, 3, 2, 16, 7)
    assert incoming.participants == [
        Participant("from", "linkedin", PRIYA_URL, "Priya Raman"),
        Participant("to", "linkedin", SAM_URL, "Sam Owner"),
    ]
    assert incoming.direction_hint == "received"
    assert outgoing.direction_hint == "sent"
    assert outgoing.interaction_key == "linkedin-invitation:samowner/olanordmann/2023-12-01T11:00:00+00:00"


def test_2023_endorsements_and_recommendations(records_2023):
    with_url, name_only = channel(records_2023, "linkedin_endorsement")
    assert with_url.location == "Endorsement Received Info.csv line 2"
    assert with_url.participants == [Participant("from", "linkedin", MEI_URL, "Mei Chen")]
    assert with_url.occurred_at == utc(2023, 6, 1, 12, 18, 19)
    assert (with_url.title, with_url.status, with_url.direction_hint) == ("Python", "accepted", "received")
    assert name_only.participants == [Participant("from", "name", "José Álvarez", "José Álvarez")]
    assert name_only.title == "Distributed Systems, at scale"
    visible, hidden = channel(records_2023, "linkedin_recommendation")
    assert visible.participants == [Participant("from", "name", "Mei Chen", "Mei Chen")]
    assert visible.occurred_at == utc(2023, 10, 10, 14, 30)
    assert (visible.status, hidden.status) == ("visible", "hidden")


def test_2023_zip_with_subfolder_gives_the_same_records(tmp_path, records_2023):
    zipped = zip_folder(EXPORT_2023, tmp_path / "Complete_LinkedInDataExport_01-15-2024.zip", "export/")
    from_zip = list(parse_linkedin(zipped))
    assert all(record.source_file == str(zipped) for record in from_zip)
    for record in from_zip:
        record.source_file = str(EXPORT_2023)
    assert from_zip == records_2023


def test_keys_are_stable_across_exports(tmp_path, records_2023):
    later = zip_folder(EXPORT_2023, tmp_path / "Basic_LinkedInDataExport_06-01-2024.zip")
    later_records = list(parse_linkedin(later))
    keys = [record.record_key for record in of_type(records_2023, ContactCard)]
    assert [record.record_key for record in of_type(later_records, ContactCard)] == keys
    assert {card.observed_at for card in of_type(later_records, ContactCard)} == {utc(2024, 6, 1)}
    message_keys = [record.interaction_key for record in of_type(records_2023, Interaction)]
    assert [record.interaction_key for record in of_type(later_records, Interaction)] == message_keys


# --- 2021 export ---------------------------------------------------------------------------------


def test_2021_connections_without_url_are_keyed_by_name_and_day_connected():
    records = list(parse_linkedin(EXPORT_2021))
    cards = of_type(records, ContactCard)
    assert [(card.record_key, card.location) for card in cards] == [
        ("name:josé álvarez|2021-11-17", "Connections.csv line 5"),
        ("name:mei chen|2020-01-07", "Connections.csv line 6"),
    ]
    assert cards[0].organization == "Stripe, Inc."
    assert cards[0].identifiers == []
    assert cards[1].identifiers == [Identifier("email", "mei.chen@example.com")]
    assert {card.observed_at for card in cards} == {utc(2021, 12, 1)}
    assert [(reject.location, reject.reason) for reject in of_type(records, Reject)] == [
        ("Connections.csv line 8, column Connected On", "unparseable date '31 Feb 2021'"),
        ("messages.csv line 4, column DATE", "message without DATE"),
    ]


def test_2021_messages_and_invitations_without_recipient_urls():
    records = list(parse_linkedin(EXPORT_2021))
    received, sent = channel(records, "linkedin_message")
    assert received.participants == [
        Participant("from", "linkedin", JOSE_URL, "José Álvarez"),
        Participant("to", "name", "Sam Owner", "Sam Owner"),
    ]
    assert received.occurred_at == utc(2021, 11, 18, 9)
    assert (received.title, sent.title) == ("Hello", None)
    assert sent.labels == ["SENT"]
    assert received.direction_hint is None
    invited = channel(records, "linkedin_invitation")
    assert [(invite.occurred_at, invite.direction_hint) for invite in invited] == [
        (utc(2021, 11, 16, 9, 40), "received"),
        (utc(2020, 1, 5, 18, 2), "sent"),
    ]
    assert invited[0].participants == [
        Participant("from", "name", "José Álvarez", "José Álvarez"),
        Participant("to", "name", "Sam Owner", "Sam Owner"),
    ]
    endorsement = channel(records, "linkedin_endorsement")[0]
    assert endorsement.participants == [Participant("from", "name", "Mei Chen", "Mei Chen")]


def test_2021_owner_identities():
    owners = of_type(list(parse_linkedin(EXPORT_2021)), OwnerIdentity)
    source_file = str(EXPORT_2021)
    assert owners == [
        OwnerIdentity("linkedin", source_file, "email", "sam.owner@example.com"),
        OwnerIdentity("linkedin", source_file, "email", "sam@work.example"),
        OwnerIdentity("linkedin", source_file, "phone", "+39 331 777 4567"),
        OwnerIdentity("linkedin", source_file, "position", "Staff Engineer", "Stripe, Inc.", date(2021, 11, 1), None),
        OwnerIdentity("linkedin", source_file, "position", "Engineer", "Acme Ltd", date(2016, 3, 1), date(2021, 10, 1)),
        OwnerIdentity("linkedin", source_file, "name", "Sam Owner"),
        OwnerIdentity("linkedin", source_file, "url", "https://github.com/samowner"),
        OwnerIdentity("linkedin", source_file, "url", "https://sam.example.dev"),
    ]


def test_two_connections_with_one_name_and_no_urls_stay_two_cards(tmp_path):
    export = export_folder(tmp_path, "Basic_LinkedInDataExport_12-01-2021", Connections=(
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Alex,Kim,,Initech,CTO,03 Mar 2019\nAlex,Kim,,Globex,Designer,12 Aug 2021\n"
    ))
    cards = of_type(list(parse_linkedin(export)), ContactCard)
    assert [(card.record_key, card.organization) for card in cards] == [
        ("name:alex kim|2019-03-03", "Initech"),
        ("name:alex kim|2021-08-12", "Globex"),
    ]


def test_sponsored_messages_are_automated_and_linkedin_member_is_never_a_name(tmp_path):
    export = export_folder(tmp_path, "Basic_LinkedInDataExport_04-07-2026", messages=(
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,CONTENT,FOLDER\n"
        f"2-YWQ=,Sponsored Conversation,LinkedIn Member,,Sam Owner,{SAM_URL},2026-04-03 06:03:41 UTC,Hi,INBOX\n"
        f"2-Yg==,,LinkedIn Member,,Sam Owner,{SAM_URL},2026-04-04 10:00:00 UTC,Hidden,INBOX\n"
        f"2-Yw==,,Sam Owner,{SAM_URL},LinkedIn Member,,2026-04-05 10:00:00 UTC,Hello?,SENT\n"
    ))
    sponsored, reject, sent = parse_linkedin(export)
    assert (sponsored.automated_reason, sponsored.title) == ("sponsored", "Sponsored Conversation")
    assert sponsored.participants == [Participant("to", "linkedin", SAM_URL, "Sam Owner")]
    assert sponsored.interaction_key == "linkedin:2-YWQ=/2026-04-03T06:03:41+00:00"
    # A hidden member is nobody in particular: no fake person of that name, on either side.
    assert reject == Reject("linkedin", str(export), "messages.csv line 3, column FROM", "message without a sender")
    assert (sent.participants, sent.automated_reason) == ([Participant("from", "linkedin", SAM_URL, "Sam Owner")], None)


def test_a_member_urn_in_email_address_is_not_an_email(tmp_path):
    export = export_folder(tmp_path, "Complete_LinkedInDataExport_11-04-2018", Connections=(
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        'Yuki,Tan,urn:li:member:123456789,,,"8/18/18, 12:37 AM"\n'
    ))
    [card] = parse_linkedin(export)
    assert (card.full_name, card.identifiers) == ("Yuki Tan", [])
    assert card.connected_at == utc(2018, 8, 18, 0, 37)


# --- about-2017 export ---------------------------------------------------------------------------


def test_2017_export():
    records = list(parse_linkedin(EXPORT_2017))
    assert of_type(records, Reject) == []
    ana, tom = of_type(records, ContactCard)
    assert (ana.record_key, ana.location) == ("name:ana pereira|2017-03-15", "Connections.csv line 2")
    assert ana.connected_at == utc(2017, 3, 15, 10, 42)
    assert ana.organization == "Tinta, Lda."
    assert ana.identifiers == [Identifier("email", "ana.pereira@example.org")]
    assert ana.addresses == ["Rua Augusta 10, Lisboa"]
    assert ana.urls == ["https://ana.example.org"]
    assert tom.connected_at == utc(2017, 6, 1, 14, 5)
    assert tom.title == "Engineer, Platform"
    assert tom.identifiers == [Identifier("im", "skype:tom.obrien")]
    incoming, outgoing = channel(records, "linkedin_message")
    assert (incoming.direction_hint, outgoing.direction_hint) == ("received", "sent")
    assert incoming.location == "Messages.csv line 2"
    assert incoming.interaction_key == "linkedin:2017-03-16T09:05:00+00:00/name:ana pereira"
    assert incoming.participants == [
        Participant("from", "name", "Ana Pereira", "Ana Pereira"),
        Participant("to", "name", "Sam Owner", "Sam Owner"),
    ]
    recommendation = channel(records, "linkedin_recommendation")[0]
    assert recommendation.location == "Recommendations Received.csv line 2"
    assert recommendation.occurred_at == utc(2017, 5, 20, 15, 15)
    assert [(owner.kind, owner.value) for owner in of_type(records, OwnerIdentity)] == [
        ("email", "sam.owner@example.com"),
        ("phone", "+44 20 7946 0000"),
        ("name", "Sam Owner"),
    ]


# --- broken and bounded inputs -------------------------------------------------------------------


def test_a_zip_that_is_not_a_zip_is_one_reject():
    path = FIXTURES / "Basic_LinkedInDataExport_03-01-2024.zip"
    [reject] = list(parse_linkedin(path))
    assert reject == Reject("linkedin", str(path), "file", "not a readable zip archive: File is not a zip file")


def test_a_missing_path_is_one_reject(tmp_path):
    [reject] = list(parse_linkedin(tmp_path / "gone.zip"))
    assert reject.location == "file"


def test_oversized_members_are_refused(tmp_path, monkeypatch):
    zipped = zip_folder(EXPORT_2021, tmp_path / "Basic_LinkedInDataExport_12-01-2021.zip")
    connections_size = (EXPORT_2021 / "Connections.csv").stat().st_size
    monkeypatch.setattr(archive, "MAX_MEMBER_BYTES", connections_size - 1)
    records = list(parse_linkedin(zipped))
    assert of_type(records, Reject)[0] == Reject(
        "linkedin",
        str(zipped),
        "Connections.csv",
        f"uncompressed size {connections_size} bytes exceeds {connections_size - 1}",
    )
    assert of_type(records, ContactCard) == []
    assert len(channel(records, "linkedin_message")) == 2


def test_total_uncompressed_size_is_bounded(tmp_path, monkeypatch):
    zipped = zip_folder(EXPORT_2021, tmp_path / "Basic_LinkedInDataExport_12-01-2021.zip")
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 1)
    records = list(parse_linkedin(zipped))
    assert len(records) == len(list(EXPORT_2021.iterdir()))
    assert {record.reason for record in records} == {"export exceeds 1 uncompressed bytes"}


def test_a_damaged_member_is_one_reject_and_the_other_files_still_parse(tmp_path):
    zipped = tmp_path / "Basic_LinkedInDataExport_12-01-2021.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_STORED) as archive_file:
        archive_file.write(EXPORT_2021 / "Connections.csv", "Connections.csv")
        archive_file.write(EXPORT_2021 / "Invitations.csv", "Invitations.csv")
    data = zipped.read_bytes()
    zipped.write_bytes(data.replace(b"Initech", b"Inixech"))  # the CRC of Connections.csv no longer matches
    records = list(parse_linkedin(zipped))
    assert records[0] == Reject(
        "linkedin", str(zipped), "Connections.csv", "unreadable: Bad CRC-32 for file 'Connections.csv'"
    )
    assert len(channel(records, "linkedin_invitation")) == 2
    assert len(records) == 3


def test_a_file_without_its_header_is_one_reject(tmp_path):
    export = export_folder(tmp_path, "Basic_LinkedInDataExport_12-01-2021", Connections="Notes:\nnothing to see\n")
    assert list(parse_linkedin(export)) == [
        Reject("linkedin", str(export), "Connections.csv", "no header line with the columns First Name, Last Name")
    ]


def test_export_date_falls_back_to_the_newest_file_time(tmp_path):
    export = tmp_path / "my linkedin"
    shutil.copytree(EXPORT_2021, export)
    for number, file in enumerate(sorted(export.iterdir())):
        os.utime(file, (0, utc(2022, 2, number + 1).timestamp()))
    cards = of_type(list(parse_linkedin(export)), ContactCard)
    newest = utc(2022, 2, len(list(export.iterdir())))
    assert {card.observed_at for card in cards} == {newest}


def test_zip_without_a_date_in_its_name_uses_the_newest_member_time(tmp_path):
    zipped = tmp_path / "linkedin.zip"
    with zipfile.ZipFile(zipped, "w") as archive_file:
        for number, name in enumerate(("Connections.csv", "Invitations.csv")):
            member = zipfile.ZipInfo(name, date_time=(2022, 3, 4 + number, 5, 6, 8))
            archive_file.writestr(member, (EXPORT_2021 / name).read_bytes())
    cards = of_type(list(parse_linkedin(zipped)), ContactCard)
    assert {card.observed_at for card in cards} == {utc(2022, 3, 5, 5, 6, 8)}


def test_a_malformed_csv_row_is_one_reject_and_the_next_row_still_parses(tmp_path):
    oversized = "x" * 200_000  # beyond the csv module's field size limit
    export = export_folder(tmp_path, "Basic_LinkedInDataExport_12-01-2021", messages=(
        "CONVERSATION ID,FROM,SENDER PROFILE URL,TO,DATE,CONTENT\n"
        f'c1,Ana Pereira,,Sam Owner,2021-11-17 18:14:58 UTC,"{oversized}"\n'
        "c1,Ana Pereira,http://[not-a-url,Sam Owner,2021-11-17 18:14:59 UTC,fine\n"
    ))
    reject, message = parse_linkedin(export)
    assert reject.location == "messages.csv line 2"
    assert reject.reason.startswith("malformed CSV: field larger than field limit")
    assert message.location == "messages.csv line 3"
    assert message.interaction_key == "linkedin:c1/2021-11-17T18:14:59+00:00/http://[not-a-url"


def test_file_names_match_case_and_separator_insensitively(tmp_path):
    export = tmp_path / "Basic_LinkedInDataExport_12-01-2021"
    export.mkdir()
    shutil.copy(EXPORT_2021 / "messages.csv", export / "MESSAGES.csv")
    shutil.copy(EXPORT_2021 / "PhoneNumbers.csv", export / "phone_numbers.csv")
    shutil.copy(EXPORT_2021 / "Endorsement_Received_Info.csv", export / "Endorsement Received Info.csv")
    records = list(parse_linkedin(export))
    assert len(channel(records, "linkedin_message")) == 2
    assert len(channel(records, "linkedin_endorsement")) == 1
    assert [owner.value for owner in of_type(records, OwnerIdentity)] == ["+39 331 777 4567"]


def test_read_and_ignored_files_are_listed():
    assert "Connections.csv" in FILES_READ
    assert {"Ad_Targeting.csv", "Learning.csv", "Logins.csv", "Skills.csv", "Education.csv"} <= set(FILES_IGNORED)
    assert not set(FILES_READ) & set(FILES_IGNORED)


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("17 Nov 2021", utc(2021, 11, 17)),
        ("7 Nov 2021", utc(2021, 11, 7)),
        ("2021-11-17 18:14:58 UTC", utc(2021, 11, 17, 18, 14, 58)),
        ("11/16/21, 9:40 AM", utc(2021, 11, 16, 9, 40)),
        ("11/16/21, 9:40 PM", utc(2021, 11, 16, 21, 40)),
        ("2021/09/14 12:18:19 UTC", utc(2021, 9, 14, 12, 18, 19)),
        ("Nov 2021", utc(2021, 11, 1)),
        ("06/01/17, 14:05 PM", utc(2017, 6, 1, 14, 5)),
        ("Fri Mar 12 10:00:00 UTC 2021", utc(2021, 3, 12, 10)),
    ],
)
def test_every_linkedin_date_format(value, expected):
    assert parse_linkedin_date(value) == expected


def test_an_unknown_date_format_raises_value_error():
    with pytest.raises(ValueError, match="'next Tuesday'"):
        parse_linkedin_date("next Tuesday")


def test_connections_of_a_file_without_connected_on_still_land(tmp_path):
    export = export_folder(tmp_path, "LinkedInDataExport", Connections=(
        "First Name,Last Name,Email Address,Company,Position\nYuki,Tan,yuki@example.org,Initech,CTO\n"
    ))
    [card] = parse_linkedin(export)
    assert (card.full_name, card.organization, card.connected_at) == ("Yuki Tan", "Initech", None)


def test_a_nickname_in_brackets_after_the_first_name_is_the_nickname(tmp_path):
    export = export_folder(tmp_path, "LinkedInDataExport", Connections=(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "William (Bill),Cooper,https://www.linkedin.com/in/bill-cooper,,Proseware,CFO,12 Mar 2021\n"
        "Lily [Yan],Cui,https://www.linkedin.com/in/lily-cui,,Proseware,Analyst,12 Mar 2021\n"
        "(Ann),Lee,https://www.linkedin.com/in/ann-lee,,Proseware,Analyst,12 Mar 2021\n"
        "Anna (she/her),Berg,https://www.linkedin.com/in/anna-berg,,Proseware,Analyst,12 Mar 2021\n"
        "Marta (née Nowak),Kowalska,https://www.linkedin.com/in/marta-k,,Proseware,Analyst,12 Mar 2021\n"
    ))
    assert [(c.full_name, c.given_name, c.nickname) for c in parse_linkedin(export)] == [
        ("William Cooper", "William", "Bill"), ("Lily Cui", "Lily", "Yan"), ("(Ann) Lee", "(Ann)", None),
        ("Anna Berg", "Anna", None), ("Marta Kowalska", "Marta", None)]


def test_titles_pronouns_a_birth_name_and_decorations_are_no_part_of_the_name(tmp_path):
    export = export_folder(tmp_path, "LinkedInDataExport", Connections=(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Dr. Petra,Becker,https://www.linkedin.com/in/petra-becker,,Alpentech AG,Engineer,15 Mar 2021\n"
        "Prof. Dr.-Ing. Jan,Wolf (he/him),https://www.linkedin.com/in/jan-wolf,,Alpentech AG,CTO,15 Mar 2021\n"
        "Dipl.-Kfm. Uwe (they/them),Roth,https://www.linkedin.com/in/uwe-roth,,Alpentech AG,CFO,15 Mar 2021\n"
        "Gisela,Schneider (sie/ihr),https://www.linkedin.com/in/gisela-schneider,,Alpentech AG,Engineer,15 Mar 2021\n"
        "Laura,Hoffmann (geb. Schmitz),https://www.linkedin.com/in/laura-hoffmann,,Alpentech AG,Engineer,15 Mar 2021\n"
        "Ewa,Nowak (née Kowalska),https://www.linkedin.com/in/ewa-nowak,,Alpentech AG,Engineer,15 Mar 2021\n"
        "Anna,Schmidt 🌍 | Hiring,https://www.linkedin.com/in/anna-schmidt,,Alpentech AG,Recruiter,15 Mar 2021\n"
        '✨ Sandra,"Hwang, MSPH",https://www.linkedin.com/in/sandra-hwang,,Alpentech AG,Analyst,15 Mar 2021\n'
        "Dr. J. Robert (Bob),Oppenheimer,https://www.linkedin.com/in/jro,,Alpentech AG,Physicist,15 Mar 2021\n"
    ))
    assert [(c.full_name, c.given_name, c.family_name, c.nickname) for c in parse_linkedin(export)] == [
        ("Petra Becker", "Petra", "Becker", None),
        ("Jan Wolf", "Jan", "Wolf", None),
        ("Uwe Roth", "Uwe", "Roth", None),
        ("Gisela Schneider", "Gisela", "Schneider", None),
        ("Laura Hoffmann", "Laura", "Hoffmann", None),
        ("Ewa Nowak", "Ewa", "Nowak", None),
        ("Anna Schmidt", "Anna", "Schmidt", None),
        ("Sandra Hwang", "Sandra", "Hwang", None),
        ("J. Robert Oppenheimer", "J. Robert", "Oppenheimer", "Bob"),  # an initial is no title
    ]


def test_a_family_name_written_as_its_initial_is_spelt_out_from_the_profile_address(tmp_path):
    export = export_folder(tmp_path, "LinkedInDataExport", Connections=(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Karthik,R.,https://www.linkedin.com/in/karthik-ramasamy-439536,,Nexora,Analyst,15 Mar 2021\n"
        "Ramón,G,https://www.linkedin.com/in/ramon-garcia-lopez,,Nexora,Analyst,15 Mar 2021\n"
        "Senthil,K,https://www.linkedin.com/in/senthil-0926f,,Nexora,Analyst,15 Mar 2021\n"  # no name in the address
        "Anna,B.,https://www.linkedin.com/in/anna-schmidt,,Nexora,Analyst,15 Mar 2021\n"  # no word with the initial
        "Bea,Lee,https://www.linkedin.com/in/bea-lam,,Nexora,Analyst,15 Mar 2021\n"  # a whole family name stays
        "Ravi,K.,https://www.linkedin.com/in/ravi-kiran-kumar-5a,,Nexora,Analyst,15 Mar 2021\n"  # the last word
        "Priya,S.,https://www.linkedin.com/in/priya-s-sap-consultant,,Nexora,Analyst,15 Mar 2021\n"  # a headline
    ))
    assert [c.full_name for c in parse_linkedin(export)] == [
        "Karthik Ramasamy", "Ramón G", "Senthil K", "Anna B.", "Bea Lee", "Ravi Kumar", "Priya S."]
