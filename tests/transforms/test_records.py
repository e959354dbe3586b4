"""Staging raw rows as records to resolve (transforms/sql/records.sql): what lands and what is rejected."""

from __future__ import annotations

from tests.transforms.inbox_files import card, mbox_message, staged


def test_an_identifier_that_normalises_to_nothing_is_rejected_and_its_card_lands(tmp_path):
    contacts = ("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Tom O'Neill\r\nTEL:07700 900456\r\nTEL:+44 7700 900457\r\n"
                "EMAIL:tom at example dot com\r\nEMAIL:tom@example.com\r\nEND:VCARD\r\n")
    con = staged(tmp_path, {"contacts.vcf": contacts}, default_region="US")
    try:
        rejected = con.execute(
            "select location, reason from rejected where scope = 'identifier' order by reason").fetchall()
        kept = con.execute("select kind, value from stg_record_identifiers order by all").fetchall()
    finally:
        con.close()
    assert rejected == [
        ("card 1 (line 1)", 'email "tom at example dot com" left out: not an email address'),
        ("card 1 (line 1)", 'phone "07700 900456" left out: not a phone number (one without a country code is read '
                            "in US: set [owner] default_region)"),
    ]
    assert kept == [("email", "tom@example.com"), ("phone", "+447700900457")]


OWNER_AND_PARTNER = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Katrin Müller\r\nEMAIL:k.mueller@bergmann.example\r\n"
    "EMAIL:katrin@posteo.example\r\nTEL:+49 30 1234567\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jan Müller\r\nEMAIL:muellers@gmail.com\r\n"
    "TEL:+49 30 1234567\r\nEND:VCARD\r\n"  # her partner, with the home phone and the family's address
)


def test_the_owner_s_own_card_is_no_record_and_its_addresses_are_the_owner_s(tmp_path):
    con = staged(tmp_path, {"contacts.vcf": OWNER_AND_PARTNER}, owner_emails=("k.mueller@bergmann.example",))
    try:
        assert con.execute("select display_name from stg_cards").fetchall() == [("Jan Müller",)]
        assert con.execute("select value, evidence from owner_identifiers order by value").fetchall() == [
            ("k.mueller@bergmann.example", ["settings"]), ("katrin@posteo.example", ["own card"])]
    finally:
        con.close()


def test_an_address_only_seen_sending_mail_leaves_its_card_alone(tmp_path):
    # the family's shared address sent mail from the owner's Sent folder; so did the boss, through an assistant
    sent = (mbox_message(6, "muellers@gmail.com", "ana@example.org")
            + mbox_message(7, "Boss <boss@bergmann.example>", "ana@example.org",
                           headers="Sender: k.mueller@bergmann.example\n"))
    boss = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eva Boss\r\nEMAIL:boss@bergmann.example\r\nEND:VCARD\r\n"
    con = staged(tmp_path, {"contacts.vcf": OWNER_AND_PARTNER + boss, "Sent": sent})
    try:
        assert con.execute("select display_name from stg_cards order by 1").fetchall() == [
            ("Eva Boss",), ("Jan Müller",), ("Katrin Müller",)]
        assert con.execute("select value from owner_identifiers order by 1").fetchall() == [
            ("k.mueller@bergmann.example",), ("muellers@gmail.com",)]
    finally:
        con.close()


def test_role_and_distribution_list_addresses_join_nobody(tmp_path):
    recipients = "eng-all@fabrikam.example, allhands@fabrikam.example"
    mail = mbox_message(6, "Vera Holm <vera.holm@fabrikam.example>", recipients,
                        cc="Ken Staff <ken.staff@outlook.example>, Sales Team <sales.team@fabrikam.example>")
    con = staged(tmp_path, {"mail.mbox": mail}, owner_emails=("me@example.com",))
    try:
        automated = dict(con.execute("select value, automated_reason from automated_identifiers").fetchall())
    finally:
        con.close()
    # Staff and Team are family names too: ken.staff@ is a person, and so, for want of a sign, is sales.team@
    assert automated == {"eng-all@fabrikam.example": "role-address", "allhands@fabrikam.example": "role-address"}


def test_role_addresses_in_other_languages_join_nobody_though_the_owner_writes_to_them(tmp_path):
    roles = ("kontakt@kita.example", "kundenservice@havelstrom.example", "bonjour@maison-fleurie.example",
             "it-support@helioskraft.example", "atendimento@sympla.example", "contato@escola.example",
             "rh@aceros.example", "atencion.clientes@banco.example", "soporte@proveedor.example")
    mail = mbox_message(6, "Me <me@example.com>", ", ".join(roles), cc="Anna Kontakt <anna.kontakt@mail.example>")
    con = staged(tmp_path, {"mail.mbox": mail}, owner_emails=("me@example.com",))
    try:
        automated = dict(con.execute("select value, automated_reason from automated_identifiers").fetchall())
    finally:
        con.close()
    assert automated == dict.fromkeys(roles, "role-address")


def test_a_card_with_no_name_and_no_usable_identifier_is_left_out_and_said(tmp_path):
    book = ("BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:12\r\nEND:VCARD\r\n"  # one mistyped number, nothing else
            + card("Ana Lima", "Lima;Ana;;;", "TEL:12"))
    con = staged(tmp_path, {"contacts.vcf": book})
    try:
        assert con.execute("select display_name from stg_records").fetchall() == [("Ana Lima",)]
        assert con.execute("select location, reason from rejected order by all").fetchall() == [
            ("card 1 (line 1)", "card left out: it has no name, and none of its identifiers is usable"),
            ("card 1 (line 1)", 'phone "12" left out: not a phone number (one without a country code is read in '
                                "US: set [owner] default_region)"),
            ("card 2 (line 5)", 'phone "12" left out: not a phone number (one without a country code is read in '
                                "US: set [owner] default_region)"),
        ]
    finally:
        con.close()
