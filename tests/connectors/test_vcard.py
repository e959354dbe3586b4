"""Tests for the vCard connector on 2.1 (Outlook, Android), 3.0 (Apple, Google), 4.0 and broken fixture files."""

from __future__ import annotations

import codecs
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.records import ContactCard, Identifier, Reject
from connectors.vcard import cards_from_text, parse_vcard
from connectors.vcard.values import parse_birthday, parse_timestamp

FIXTURES = Path(__file__).parents[1] / "fixtures" / "vcard"


def parse(name: str) -> list[ContactCard | Reject]:
    return list(parse_vcard(FIXTURES / name))


def cards(records) -> list[ContactCard]:
    return [record for record in records if isinstance(record, ContactCard)]


def rejects(records) -> list[tuple[str, str]]:
    return [(record.location, record.reason) for record in records if isinstance(record, Reject)]


# --- vCard 2.1: Outlook -------------------------------------------------------------------------


def test_outlook_card_decodes_qp_split_inside_a_utf8_sequence():
    jose = parse("outlook_2_1.vcf")[0]
    assert jose.location == "card 1 (line 1)"
    assert jose.full_name == "Mr. José António Ferreira, Jr."
    assert (jose.family_name, jose.given_name, jose.middle_name) == ("Ferreira", "José", "António")
    assert jose.organization == "Contoso Ltd."
    assert jose.title == "Regional Manager"


def test_outlook_card_labels_bare_type_params_and_skips_photo_key_and_ms_junk():
    jose = parse("outlook_2_1.vcf")[0]
    assert jose.identifiers == [
        Identifier("phone", "(555) 555-0100", "work"),
        Identifier("phone", "(555) 555-0101", "home"),
        Identifier("phone", "+44 7700 900123", "cell"),
        Identifier("phone", "(555) 555-0199", "fax"),
        Identifier("email", "jose.ferreira@contoso.example", None),
    ]
    assert jose.addresses == ["1 Crescent Moon Drive, Albany, NY, 12345, United States of America"]
    assert jose.urls == ["http://www.contoso.example/"]
    assert jose.note == "Met at the “Spring” fair, then again in Porto.\nPrefers calls."
    assert jose.observed_at == datetime(2024, 1, 5, 10, 15, 30, tzinfo=UTC)


def test_outlook_card_without_uid_gets_a_stable_content_hash():
    first, second = parse("outlook_2_1.vcf"), parse("outlook_2_1.vcf")
    assert first[0].record_key.startswith("sha1:") and len(first[0].record_key) == 45
    assert [card.record_key for card in first] == [card.record_key for card in second]
    assert first[0].record_key != first[1].record_key


def test_outlook_label_is_the_address_when_there_is_no_adr_and_qp_without_charset_falls_back_to_cp1252():
    ann = parse("outlook_2_1.vcf")[1]
    assert ann.location == "card 2 (line 32)"
    assert ann.addresses == ["Flat 2, 10 Café Street, London"]
    assert ann.note == "Café owner"
    assert ann.identifiers == [
        Identifier("email", "ann@example.org", None),
        Identifier("im", "ann.smith@chat.example", None),  # X-MS-IMADDRESS names no service, so no scheme
    ]


# --- vCard 2.1: Android -------------------------------------------------------------------------


def test_android_cards_with_and_without_names():
    records = parse("android_2_1.vcf")
    assert len(records) == 4
    taro, nameless, jorg = cards(records)
    assert (taro.full_name, taro.family_name, taro.given_name) == ("山田太郎", "山田", "太郎")
    assert taro.identifiers == [
        Identifier("phone", "+81 90-1234-5678", "cell"),
        Identifier("phone", "03-1234-5678", "home"),
        Identifier("email", "taro@example.jp", "home"),
    ]
    assert taro.categories == []  # "My Contacts" is Android's system group
    assert nameless.location == "card 2 (line 14)"
    assert nameless.full_name is None
    assert nameless.identifiers == [Identifier("email", "no.name@example.com", "home")]
    assert rejects(records) == [("card 3 (line 19)", "card has no name and no identifier")]


def test_android_qp_soft_breaks_and_unindented_base64_photo():
    jorg = parse("android_2_1.vcf")[3]
    assert jorg.location == "card 4 (line 25)"
    assert (jorg.full_name, jorg.family_name, jorg.given_name) == ("Jörg Müller", "Müller", "Jörg")
    assert jorg.note == "Line one\nLine two continues with a leading space"
    assert jorg.identifiers == [Identifier("phone", "+49 30 1234567", "work")]
    assert jorg.categories == ["Work"]  # the line after the photo's blank line is read


# --- vCard 3.0: Apple ---------------------------------------------------------------------------


def test_apple_card_item_groups_labels_and_social_profiles():
    zuzana = parse("apple_3_0.vcf")[0]
    assert zuzana.record_key == "7C5C8C2E-2B52-4C9B-9A51-4D1E7C4E6A10"
    assert (zuzana.full_name, zuzana.given_name, zuzana.family_name) == ("Zuzana Nováková", "Zuzana", "Nováková")
    assert zuzana.nickname == "Zuzka"
    assert zuzana.phonetic_name == "Zoo-zah-nah No-vah-kova"
    assert zuzana.organization == "Acme Widgets, Inc."
    assert zuzana.title == "Lead Engineer"
    assert zuzana.identifiers == [
        Identifier("email", "zuzana@example.com", "other"),
        Identifier("email", "zuzka@example.net", "home"),
        Identifier("phone", "+420 601 123 456", "Run club"),
        Identifier("phone", "+420 777 000 111", "cell"),
        Identifier("phone", "+420 222 000 111", "fax"),
        Identifier("linkedin", "https://www.linkedin.com/in/zuzana-novakova"),
    ]
    assert zuzana.urls == ["http://www.example.com/~zuzka", "https://twitter.com/zuzka_example"]
    assert zuzana.addresses == ["Dlouhá 12, Apt 3, Praha, 110 00, Czech Republic"]
    assert zuzana.birthday == "--03-03"
    assert zuzana.categories == ["Family", "Run club", "Book club"]  # the last from the group card that lists her
    assert zuzana.observed_at == datetime(2024, 2, 20, 12, 9, 57, tzinfo=UTC)


def test_apple_company_card_keeps_its_name_as_the_organization():
    bakery = parse("apple_3_0.vcf")[1]
    assert bakery.full_name is None
    assert bakery.organization == "Northwind Bakery"
    assert bakery.identifiers == [
        Identifier("phone", "+1 555 0100", "work"),
        Identifier("email", "orders@northwind.example", "orders"),
    ]


def test_apple_linkedin_url_profile_compact_birthday_impp_and_group_card():
    records = parse("apple_3_0.vcf")
    tom = records[2]
    assert tom.birthday == "--01-01"
    assert tom.identifiers == [
        Identifier("linkedin", "https://www.linkedin.com/in/tbell"),
        Identifier("im", "skype:tom.bell", "skype"),
        Identifier("phone", "+44 20 7946 0000", None),
    ]
    assert tom.categories == []
    # The "Book club" group card is no contact and no reject: it went to Zuzana's categories.
    assert len(records) == 3 and rejects(records) == []


# --- vCard 3.0: Google --------------------------------------------------------------------------


def test_google_card_keeps_unescaped_commas_whole():
    john, jane = parse("google_3_0.vcf")
    assert john.full_name == "Mr. John Richter, James Doe Sr."
    assert john.title == "VP, Sales"
    assert (john.family_name, john.given_name, john.middle_name) == ("Doe", "John", "Richter, James")
    assert john.note == "Knows everyone, apparently.\nCall after 6. Path C:\\temp"
    assert jane.full_name == "Jane Roe"
    assert jane.categories == []


def test_google_card_labels_escaped_urls_and_system_groups():
    john = parse("google_3_0.vcf")[0]
    assert john.identifiers == [
        Identifier("email", "john.doe@example.com", "work"),
        Identifier("email", "jdoe@example.org", None),
        Identifier("phone", "+1 555-555-0123", "cell"),
        Identifier("phone", "+1 555-555-0199", "GRAND_CENTRAL"),
        Identifier("linkedin", "http://www.linkedin.com/in/john-doe-42"),
    ]
    assert john.urls == ["https://blog.example.com/john"]
    assert john.addresses == ["123 Main St., Springfield, IL, 62701, USA"]
    assert john.phonetic_name == "Jon Doh"
    assert john.birthday == "1980-07-14"
    assert john.categories == ["Tennis"]


def test_vobject_would_truncate_the_google_name_that_we_keep_whole():
    text = (FIXTURES / "google_3_0.vcf").read_text(encoding="utf-8")
    assert vobject.readOne(text).fn.value == "Mr. John Richter"
    assert next(cards_from_text(text, "vcard", "google")).full_name == "Mr. John Richter, James Doe Sr."


MACOS_EXPORT_WITH_GROUPS = """BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//macOS 14.4//EN
N:Friends;;;;
FN:Friends
X-ADDRESSBOOKSERVER-KIND:group
X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:3765A955-1B96-41EA-994D-335192BEDCCD
X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:no-such-card
UID:08430ef3-a2ce-4568-9d6c-f50a6cfd32ae
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:InfoIn;All;;;
FN:All InfoIn
CATEGORIES:Work
UID:3765a955-1b96-41ea-994d-335192bedccd
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Ben Other
UID:AFBB77B8-0438-4825-A1DB-A75D76B6C3A8
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Work;;;;
X-ADDRESSBOOKSERVER-KIND:group
X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:3765A955-1B96-41EA-994D-335192BEDCCD
END:VCARD
BEGIN:VCARD
VERSION:3.0
X-ADDRESSBOOKSERVER-KIND:group
X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:AFBB77B8-0438-4825-A1DB-A75D76B6C3A8
END:VCARD
"""


def test_group_cards_of_a_macos_export_become_their_members_categories(tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_text(MACOS_EXPORT_WITH_GROUPS.replace("\n", "\r\n"), encoding="utf-8")
    records = parse_vcard(path)
    all_infoin, ben, nameless = records
    # The group before its member still counts, the UID's case does not matter, a category is not doubled.
    assert (all_infoin.full_name, all_infoin.categories) == ("All InfoIn", ["Work", "Friends"])
    assert (ben.full_name, ben.categories) == ("Ben Other", [])
    reason = "group card (X-ADDRESSBOOKSERVER-KIND=group) has no name"
    assert nameless == Reject("vcard", str(path), "card 5 (line 29)", reason)
    assert list(cards_from_text(MACOS_EXPORT_WITH_GROUPS, "vcard", "export.vcf"))[0].categories == ["Work", "Friends"]


# --- vCard 4.0 ----------------------------------------------------------------------------------


def test_v4_tel_uris_yearless_birthday_and_data_uri_photo():
    records = parse("v4.vcf")
    amelie = records[0]
    assert amelie.record_key == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    assert amelie.full_name == "Amélie Dupont"
    assert amelie.identifiers == [
        Identifier("phone", "+33-6-12-34-56-78", "cell"),
        Identifier("phone", "+1-555-555-0142;ext=7", "work"),
        Identifier("email", "amelie@example.fr", "work"),
        Identifier("im", "xmpp:amelie@jabber.example", None),
    ]
    assert amelie.birthday == "--04-15"
    assert amelie.urls == []  # the data: photo is not kept
    assert amelie.observed_at == datetime(2023, 11, 1, 8, 30, tzinfo=UTC)


def test_v4_group_is_its_members_category_and_org_is_a_company_card():
    records = parse("v4.vcf")
    assert rejects(records) == []
    amelie, sailing = records
    assert amelie.categories == ["Climbing friends"]  # MEMBER:urn:uuid:<her UID>
    assert (sailing.location, sailing.full_name, sailing.organization) == (
        "card 3 (line 22)",
        None,
        "Blue Harbour Sailing",
    )


# --- broken files -------------------------------------------------------------------------------


def test_broken_cards_are_rejected_where_they_are_and_neighbours_survive():
    records = parse("broken.vcf")
    assert [card.full_name for card in cards(records)] == ["Good One", "Has Garbage", "Good Two"]
    assert [card.location for card in cards(records)] == ["card 1 (line 1)", "card 3 (line 10)", "card 6 (line 26)"]
    assert cards(records)[1].identifiers == [Identifier("email", "garbage@example.com")]
    dropped = "undecodable quoted-printable FN ({}): property dropped"
    assert rejects(records) == [
        ("card 2 (line 6)", "no END:VCARD before the next BEGIN:VCARD at line 10"),
        ("card 3 (line 10), line 13", "not a vCard property: 'this line is not a property'; the line is dropped"),
        ("line 16", "text outside any card (2 lines): 'this text sits between cards'"),
        ("card 4 (line 18)", "card has no name and no identifier"),
        ("card 4 (line 18), line 20", dropped.format("bytes are not valid UTF-8")),
        ("card 5 (line 22)", "card has no name and no identifier"),
        ("card 5 (line 22), line 24", dropped.format("broken quoted-printable escape")),
        ("card 7 (line 31)", "card cut off: the file ends before END:VCARD"),
    ]
    assert all(record.source == "vcard" and record.source_file == str(FIXTURES / "broken.vcf") for record in records)


def test_unreadable_file_is_one_reject(tmp_path):
    missing = tmp_path / "missing.vcf"
    (record,) = parse_vcard(missing)
    assert (record.source_file, record.location) == (str(missing), "file")
    assert record.reason.startswith("cannot open the file: ")


def test_each_card_falls_back_to_windows_1252_on_its_own_and_the_bom_is_ignored():
    zoe, renee = parse("mixed_encoding.vcf")
    assert (zoe.location, zoe.full_name) == ("card 1 (line 1)", "Zoë Brontë")
    assert (renee.location, renee.full_name) == ("card 2 (line 6)", "Renée Dubois™")


def test_bytes_undefined_in_windows_1252_fall_back_to_latin_1(tmp_path):
    path = tmp_path / "latin1.vcf"
    path.write_bytes(b"BEGIN:VCARD\nFN:Ol\xe1 \x81\nEMAIL:ola@example.com\nEND:VCARD\n")
    (card,) = parse_vcard(path)
    assert card.full_name == "Olá \x81"


# --- quirks of real exports --------------------------------------------------------------------


def test_undecodable_qp_property_is_dropped_with_a_reject_and_the_card_lands():
    # Mac OS X 10.11 wrote a LABEL whose "=" before a fold is no escape; a bad X-ABLabel loses only the label.
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Lea;;;\r\nFN:Lea\r\nUID:lea-1\r\n"
        "LABEL;POSTAL;ENCODING=QUOTED-PRINTABLE:Rue du Lac 5=0D=0A=1200\r\n = Geneva=0D=0A=Suisse\r\n"
        "item1.EMAIL;TYPE=work:lea@example.ch\r\nitem1.X-ABLabel;ENCODING=QUOTED-PRINTABLE:=Q1\r\nEND:VCARD\r\n"
    )
    lea, label_reject, ablabel_reject = cards_from_text(text, "vcard", "lea.vcf")
    assert (lea.record_key, lea.full_name, lea.addresses) == ("lea-1", "Lea", [])
    assert lea.identifiers == [Identifier("email", "lea@example.ch", "work")]
    assert (label_reject.source_file, label_reject.location, label_reject.reason) == (
        "lea.vcf",
        "card 1 (line 1), line 6",
        "undecodable quoted-printable LABEL (broken quoted-printable escape): property dropped",
    )
    assert (ablabel_reject.location, ablabel_reject.reason) == (
        "card 1 (line 1), line 9",
        "undecodable quoted-printable X-ABLABEL (broken quoted-printable escape): property dropped",
    )


def test_qp_soft_break_followed_by_a_fold_indent_loses_the_indent_but_a_content_space_stays():
    # ez-vcard 0.10 indents after a soft break, even inside a UTF-8 sequence ("=D1=" / " =80");
    # ical.js's sample breaks before a word, and that space is the text's own.
    text = (
        "BEGIN:VCARD\nVERSION:2.1\n"
        "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9F=D0=B5=D1=82=D1=\n =80 =D0=98=\n"
        " =D0=B2=D0=B0=D0=BD=D0=BE=D0=B2\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE:Caf=E9 au lait=\n et croissants=\n=21\nEND:VCARD\n"
    )
    (card,) = cards_from_text(text, "vcard", "petr.vcf")
    assert card.full_name == "Петр Иванов"
    assert card.note == "Café au lait et croissants!"


def test_nested_agent_card_is_its_own_contact_and_the_outer_card_keeps_its_later_lines():
    text = (
        "BEGIN:VCARD\nVERSION:2.1\nN:Boss;Bea;;;\nFN:Bea Boss\nAGENT:\n"
        "BEGIN:VCARD\nVERSION:2.1\nFN:Al Aide\nTEL:+1 555 0101\nEND:VCARD\n"
        "TITLE:Director\nEMAIL:bea@example.com\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:2.1\nFN:Cy Next\nEND:VCARD\n"
    )
    aide, boss, following = cards_from_text(text, "vcard", "agent.vcf")
    assert (aide.location, aide.full_name, aide.identifiers) == (
        "card 2 (line 6)",
        "Al Aide",
        [Identifier("phone", "+1 555 0101", None)],
    )
    assert (boss.location, boss.full_name, boss.title) == ("card 1 (line 1)", "Bea Boss", "Director")
    assert boss.identifiers == [Identifier("email", "bea@example.com", None)]
    assert (following.location, following.full_name) == ("card 3 (line 14)", "Cy Next")


def test_pre_impp_im_properties_give_the_identifiers_impp_would():
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ima Handle\nX-AIM;TYPE=HOME:ima.aim\nX-ICQ:12345\nX-YAHOO:ima_y\n"
        "X-MSN:ima@hotmail.example\nX-SKYPE:ima.skype\nX-JABBER:xmpp:ima@jabber.example\nX-GTALK:ima@gmail.example\n"
        "X-MS-IMADDRESS;TYPE=WORK:sip:ima@corp.example\nIMPP;X-SERVICE-TYPE=Skype:skype:ima.skype\nX-SKYPE:\n"
        "END:VCARD\n"
    )
    (card,) = cards_from_text(text, "vcard", "im.vcf")
    assert card.identifiers == [
        Identifier("im", "aim:ima.aim", "aim"),
        Identifier("im", "icq:12345", "icq"),
        Identifier("im", "ymsgr:ima_y", "yahoo"),
        Identifier("im", "msnim:ima@hotmail.example", "msn"),
        Identifier("im", "skype:ima.skype", "skype"),
        Identifier("im", "xmpp:ima@jabber.example", "jabber"),  # already a URI: no second scheme
        Identifier("im", "xmpp:ima@gmail.example", "googletalk"),
        Identifier("im", "sip:ima@corp.example", "work"),
        Identifier("im", "skype:ima.skype", "skype"),  # the IMPP form of the same handle
    ]


def test_declared_charset_decodes_raw_8bit_values(tmp_path):
    # 表 is 95 5C in Shift-JIS: its second byte is a backslash, which must not be read as an escape.
    path = tmp_path / "docomo.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        + "N;CHARSET=SHIFT_JIS:山田;表太郎\r\nNOTE;CHARSET=SHIFT_JIS:東京\r\n 在住\r\n".encode("shift_jis")
        + b"TITLE;CHARSET=x-klingon:Caf\xe9\r\nORG;CHARSET=UTF-16:Ol\xe1\r\nEND:VCARD\r\n"
    )
    (card,) = parse_vcard(path)
    assert (card.family_name, card.given_name) == ("山田", "表太郎")
    assert card.note == "東京在住"
    assert (card.title, card.organization) == ("Café", "Olá")  # no such charset, or one that is not ASCII-based


def test_a_fold_inside_a_utf8_character_is_joined_before_decoding(tmp_path):
    # RFC 6350 3.2 folds at 75 octets, inside a character if need be; the soft break's content space still stays
    path = tmp_path / "folded.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:J\xc3\r\n \xbcrgen Wei\xc3\x9f\r\nN:Wei\xc3\n\t\x9f;J\xc3\xbcrgen;;;\r\n"
        b"TITLE:Charg\xc3\xa9e de mission \xe2\x80\x93 R\xc3\r\n \xa9gion Auvergne\r\n"
        b"NOTE;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9 au lait=\r\n et croissants\r\nEND:VCARD\r\n"
    )
    (card,) = parse_vcard(path)
    assert (card.full_name, card.given_name, card.family_name) == ("Jürgen Weiß", "Jürgen", "Weiß")
    assert card.title == "Chargée de mission – Région Auvergne"
    assert card.note == "Café au lait et croissants"


def test_a_fold_inside_a_shift_jis_character_is_joined_before_decoding(tmp_path):
    path = tmp_path / "docomo.vcf"
    note = "NOTE;CHARSET=SHIFT_JIS:東京在住\r\n".encode("shift_jis")
    split_at = note.index("在".encode("shift_jis")) + 1
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Taro\r\n" + note[:split_at] + b"\r\n " + note[split_at:]
                     + b"END:VCARD\r\n")
    (card,) = parse_vcard(path)
    assert card.note == "東京在住"


def test_an_unescaped_line_break_continues_a_note_or_an_address_and_the_card_lands():
    # Outlook and other exporters write a line break in a NOTE or ADR as it is, without folding or escaping it
    text = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Carol White\r\nEMAIL:carol@example.com\r\nTEL:+1 415 555 0101\r\n"
        "NOTE:Met at the conference.\r\nShe runs the Berlin office\r\n\r\nand the Vienna one\r\n"
        "ADR;TYPE=work:;;1 Main St\r\nSpringfield;IL;62701;USA\r\nEND:VCARD\r\n"
    )
    (carol,) = cards_from_text(text, "vcard", "outlook.vcf")
    assert carol.identifiers == [Identifier("email", "carol@example.com"), Identifier("phone", "+1 415 555 0101")]
    assert carol.note == "Met at the conference.\nShe runs the Berlin office\nand the Vienna one"
    assert carol.addresses == ["1 Main St, Springfield, IL, 62701, USA"]


def test_a_line_that_is_no_property_and_continues_no_text_is_dropped_with_a_reject():
    text = (
        "BEGIN:VCARD\r\nstray text\r\nFN:Dan Brown\r\nTEL;CELL+1 555 0100\r\nEMAIL:dan@example.com\r\n"
        "END:VCARD\r\n"
    )
    dan, *dropped = cards_from_text(text, "vcard", "dan.vcf")
    assert (dan.full_name, dan.identifiers) == ("Dan Brown", [Identifier("email", "dan@example.com")])
    assert [(reject.location, reject.reason) for reject in dropped] == [
        ("card 1 (line 1), line 2", "not a vCard property: 'stray text'; the line is dropped"),
        (
            "card 1 (line 1), line 4",
            "property without a ':' before its value: 'TEL;CELL+1 555 0100'; the line is dropped",
        ),
    ]


UTF16_EXPORT = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Brontë\r\nEMAIL:zoe@example.com\r\nUID:zoe-1\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nFN:Book club\r\n"
    "X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:zoe-1\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + UTF16_EXPORT.encode("utf-16-le"),  # Outlook
        codecs.BOM_UTF16_BE + UTF16_EXPORT.encode("utf-16-be"),
        UTF16_EXPORT.encode("utf-16-le"),  # no byte order mark
        UTF16_EXPORT.encode("utf-16-be"),
    ],
    ids=["le-bom", "be-bom", "le", "be"],
)
def test_utf16_files_are_read_card_by_card_in_both_passes(tmp_path, data):
    path = tmp_path / "outlook.vcf"
    path.write_bytes(data)
    records = parse_vcard(path)
    zoe = next(records)  # the group card after it is read in the first pass, the cards one by one in the second
    assert (zoe.location, zoe.full_name, zoe.categories) == ("card 1 (line 1)", "Zoë Brontë", ["Book club"])
    assert zoe.identifiers == [Identifier("email", "zoe@example.com")]
    assert list(records) == []


# --- text input and general syntax --------------------------------------------------------------


def test_cards_from_text_names_its_source_and_unfolds_space_tab_crlf_and_stray_cr():
    text = (
        "begin:vcard\r\nversion:3.0\r\nfn:Ada\r\n  Lovelace\r\nn:Lovelace;Ada;;;\r\n"
        "email;type=home:ada@\r\n\texample.org\r\r\nnote:a\\;b\\,c\\\\d\r\nuid:ada-1\r\nend:vcard\r\n"
    )
    (card,) = cards_from_text(text, "carddav", "account:dav")
    assert (card.source, card.source_file, card.location, card.record_key) == (
        "carddav",
        "account:dav",
        "card 1 (line 1)",
        "ada-1",
    )
    assert card.full_name == "Ada Lovelace"  # one leading space removed, the second kept
    assert card.identifiers == [Identifier("email", "ada@example.org", "home")]
    assert card.note == "a;b,c\\d"


def test_content_hash_ignores_line_endings_and_folding():
    lf = "BEGIN:VCARD\nFN:Bo Li\nEMAIL:bo@example.com\nEND:VCARD\n"
    crlf_folded = "BEGIN:VCARD\r\nFN:Bo\r\n  Li\r\nEMAIL:bo@example.com\r\nEND:VCARD\r\n"
    (first,) = cards_from_text(lf, "vcard", "a.vcf")
    (second,) = cards_from_text(crlf_folded, "vcard", "b.vcf")
    assert first.record_key == second.record_key


def test_parse_vcard_streams_card_by_card():
    records = parse_vcard(FIXTURES / "broken.vcf")
    assert next(records).full_name == "Good One"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1985-04-15", "1985-04-15"),
        ("19850415", "1985-04-15"),
        ("1985-04-15T00:00:00Z", "1985-04-15"),
        ("1604-03-03", "--03-03"),
        ("16040229", "--02-29"),
        ("--0415", "--04-15"),
        ("--04-15", "--04-15"),
        ("1985-02-30", None),
        ("circa 1800", None),
    ],
)
def test_parse_birthday(value, expected):
    assert parse_birthday(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-20T12:09:57Z", datetime(2024, 2, 20, 12, 9, 57, tzinfo=UTC)),
        ("20240220T120957Z", datetime(2024, 2, 20, 12, 9, 57, tzinfo=UTC)),
        ("2024-02-20T14:09:57.250+02:00", datetime(2024, 2, 20, 12, 9, 57, tzinfo=UTC)),
        ("2024-02-20", datetime(2024, 2, 20, tzinfo=UTC)),
        ("yesterday", None),
    ],
)
def test_parse_timestamp(value, expected):
    assert parse_timestamp(value) == expected


_VCARD_LINES = [
    "BEGIN:VCARD", "END:VCARD", "VERSION:2.1", "FN:A, B", "N:Doe;Jo\\;hn;;;", "EMAIL;TYPE=work:a@b.c",
    "TEL;WORK;VOICE:+1 555", "item1.X-ABLabel:_$!<Other>!$_", "item1.TEL:1", "KIND:group", "X-ABShowAs:COMPANY",
    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Jos=C3=", "=A9", "=ZZ", "PHOTO;ENCODING=BASE64:", " AAAA", "AAAA==",
    "", " ", "\t", "garbage", "BDAY:1604-13-40", "REV:0001-01-01T00:00:00+23:59", "UID:", "URL:http\\://x",
    "X-SOCIALPROFILE;type=linkedin;x-user=u:x-apple:u", "CATEGORIES:My Contacts,\\,x", "ADR:;;\\n;;;;", "\ud800",
    'TEL;TYPE="a,b;c:d":tel:+1', "LABEL;ENCODING=QUOTED-PRINTABLE;CHARSET=nope:x=41", "AGENT:", "X-AIM:a",
    "NOTE;CHARSET=unicode_escape:\\n\udce9", "N;CHARSET=SHIFT_JIS:\udc95\\",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_VCARD_LINES) | st.text(max_size=12), max_size=40))
def test_any_input_yields_one_record_per_card_and_never_raises(lines):
    text = "\n".join(lines)
    records = list(cards_from_text(text, "vcard", "fuzz.vcf"))
    begins = sum(1 for line in text.split("\n") if line.rstrip().upper() == "BEGIN:VCARD")
    # A dropped property's reject is located inside its card ("card 1 (line 1), line 3"), so it is not counted.
    located = len([record for record in records if re.fullmatch(r"card \d+ \(line \d+\)", record.location)])
    # Only a group card may leave no record: its name went to its members' categories.
    assert begins - text.upper().count("KIND:GROUP") <= located <= begins
