"""Tests for turning one header block into an Interaction: decoding, addresses, dates, labels, automation."""

from datetime import UTC, datetime

import pytest

from connectors.mail.addresses import parse_addresses
from connectors.mail.automated import automated_reason
from connectors.mail.dates import parse_mail_date
from connectors.mail.encoded_words import decode_encoded_words
from connectors.mail import headers
from connectors.mail.headers import (
    MAX_HEADER_CHARS,
    interaction_from_headers,
    last_received,
    parse_header_block,
    split_labels,
)
from connectors.records import Interaction, Participant, Reject


def _parse(raw: bytes, **options) -> Interaction | Reject:
    return interaction_from_headers(raw, source="imap", source_file="account:test", location="UID 7", **options)


def _email(role, value, name=None):
    return Participant(role=role, kind="email", value=value, name=name)


def test_full_header_block_with_crlf_and_folding():
    raw = (
        b"From: =?utf-8?b?U8O4cmVuIMOYcnN0ZWQ=?= <Soren@Example.DK>\r\n"
        b"To: a@example.org,\r\n\t\"O'Brien, Pat\" <pat@example.org>\r\n"
        b"Reply-To: list-owner@example.org\r\n"
        b"Sender: Assistant <assist@example.org>\r\n"
        b"Subject: =?utf-8?q?caf=C3=A9?= =?utf-8?q?_cr=C3=A8me?= and\r\n more\r\n"
        b"Date: Tue, 07 Jan 2020 10:15:00 +0530\r\n"
        b"Message-Id: < abc@example.dk >\r\n"
        b"References: <root@example.dk>\r\n <parent@example.dk>\r\n"
        b"In-Reply-To: <parent@example.dk> (Pat's message)\r\n"
    )
    assert _parse(raw, labels=["INBOX"]) == Interaction(
        source="imap",
        source_file="account:test",
        location="UID 7",
        interaction_key="<abc@example.dk>",
        channel="email",
        occurred_at=datetime(2020, 1, 7, 4, 45, tzinfo=UTC),
        participants=[
            _email("from", "soren@example.dk", "Søren Ørsted"),
            _email("to", "a@example.org"),
            _email("to", "pat@example.org", "O'Brien, Pat"),
            _email("reply_to", "list-owner@example.org"),
            _email("sender", "assist@example.org", "Assistant"),
        ],
        thread_id="<root@example.dk>",
        title="café crème and more",
        in_reply_to="<parent@example.dk>",
        labels=["INBOX"],
    )


def test_header_names_in_any_case_and_first_value_wins():
    raw = b"SUBJECT: one\nsubject: two\nTO: a@x.org\nto: b@x.org\nReceived: 1\nReceived: 2\n\t3\n"
    assert parse_header_block(raw) == {"subject": "one", "to": "a@x.org, b@x.org"}
    assert last_received(raw) == "2\t3"


def test_raw_8bit_headers_utf8_else_latin1_per_line():
    headers = parse_header_block("From: José <j@x.org>\n".encode() + b"Subject: caf\xe9\n")
    assert headers == {"from": "José <j@x.org>", "subject": "café"}


def test_raw_8bit_headers_not_utf8_are_read_in_the_declared_charset():
    name = "腾讯客服".encode("gb18030")  # not valid UTF-8
    raw = (
        b'From: "' + name + b'" <10000@qq.com>\r\nSubject: caf\xe9\r\n'
        b'Content-Type: text/html;\r\n\tcharset="gb18030"\r\n'
    )
    headers = parse_header_block(raw)
    assert headers["from"] == '"腾讯客服" <10000@qq.com>'
    assert headers["subject"] == "café"  # not GB18030 either: latin-1 as before
    # A charset that does not read ASCII as ASCII would garble the header names: latin-1 instead.
    utf16 = parse_header_block(raw.replace(b"gb18030", b"utf-16"))
    assert utf16["from"] == f'"{name.decode("latin-1")}" <10000@qq.com>'


def test_raw_8bit_headers_declared_latin1_or_undeclared_are_read_as_windows_1252():
    raw = b"From: Ren\xe9e O\x92Brien <r@x.org>\nSubject: Angebot \x96 Entwurf\n"
    expected = {"from": "Renée O’Brien <r@x.org>", "subject": "Angebot – Entwurf"}
    assert parse_header_block(raw) == expected
    assert parse_header_block(raw + b'Content-Type: text/plain; charset="iso-8859-1"\n') == expected


def test_a_declared_escape_codec_cannot_forge_a_header():
    raw = (b"From: a@example.org\r\nSubject: caf\xe9 \\nMessage-ID: <forged@x>\r\nMessage-ID: <real@x>\r\n"
           b'Content-Type: text/plain; charset="unicode_escape"\r\n')
    headers = parse_header_block(raw)
    assert headers["message-id"] == "<real@x>"
    assert headers["subject"] == "caf\xe9 \\nMessage-ID: <forged@x>"  # latin-1, escapes left as written


def test_header_values_are_capped():
    headers = parse_header_block(b"References: " + b"<a@b> " * 50_000 + b"\nSubject: s\n")
    assert len(headers["references"]) == MAX_HEADER_CHARS
    assert headers["subject"] == "s"


@pytest.mark.parametrize(
    ("text", "decoded"),
    [
        ("=?ISO8859-1?Q?Ren=E9e?=", "Renée"),
        ("=?iso-8859-1?q?Ren=E9e?= Dupont", "Renée Dupont"),
        ("=?UTF-8?B?Wm/Dqw==?=", "Zoë"),
        ("=?UTF-8?B?Wm/Dqw?=", "Zoë"),  # missing padding
        ("=?utf-8?q?=C3?= =?utf-8?q?=A9t=C3=A9?=", "été"),  # a character split across two words
        ("=?utf-8*fr?q?caf=C3=A9?=", "café"),  # RFC 2231 language
        ("=?x-unknown?q?caf=C3=A9?=", "café"),
        ("=?windows-1252?q?=93quoted=94?=", "\u201cquoted\u201d"),
        # ISO-8859-1 and US-ASCII are read as windows-1252, as mail clients do (Outlook writes them so); the five
        # bytes windows-1252 leaves undefined stay as latin-1 reads them.
        ("=?iso-8859-1?Q?Angebot_Acme_=96_Entwurf?=", "Angebot Acme – Entwurf"),
        ("=?iso-8859-1?Q?Ren=E9e_O=92Brien?=", "Renée O’Brien"),
        ("=?latin1?q?=80=81=8D=8F=90=9D=9F?=", "€\x81\x8d\x8f\x90\x9dŸ"),
        ("=?windows-1252?q?=93x=81?=", "“x\x81"),
        ("=?us-ascii?q?O=92Brien?=", "O’Brien"),
        ("=?us-ascii?q?caf=C3=A9?=", "café"),  # UTF-8 under an ASCII label is still read as UTF-8
        ("=?x-unknown?q?=96?=", "–"),
        ("=?utf-8?q?bad=FF?=", "badÿ"),
        ("=?koi8-r?b?8NLJ18XU?=", "Привет"),
        # Labels Python has a codec for that decodes nothing, or refuses: JavaScript mailers write `undefined`.
        ("=?undefined?B?U2FsZQ==?=", "Sale"),
        ("=?UNDEFINED?Q?caf=C3=A9?=", "café"),
        ("=?utf\x00-8?B?SGVsbG8=?=", "Hello"),
        ("plain =? text", "plain =? text"),
        # read leniently: spaces inside a word (sup#424), a word a broken mailer left unclosed (nylas#174)
        ("=?ISO-8859-1?Q?J=F6rg Meyer?=", "Jörg Meyer"),
        ("=?UTF-8?B?Wm/D qw==?=", "Zoë"),
        ("=?Subject?Q?Atenci=F3n=20al=20cliente=20OVH", "Atención al cliente OVH"),
    ],
)
def test_encoded_words(text, decoded):
    assert decode_encoded_words(text) == decoded


@pytest.mark.parametrize(
    ("value", "pairs"),
    [
        ('"Smith, John" <John@X.com>', (("Smith, John", "john@x.com"),)),
        ("undisclosed-recipients:;", ()),
        ("Team: a@x.org, b@x.org;", ((None, "a@x.org"), (None, "b@x.org"))),
        ("Alice Example alice@x.org", (("Alice Example", "alice@x.org"),)),
        ("bob@x.org (=?UTF-8?Q?Bob_K=C3=B6nig?=)", (("Bob König", "bob@x.org"),)),
        ("<a@x.org>, , b@x.org", ((None, "a@x.org"), (None, "b@x.org"))),
        ("MAILER-DAEMON <>", ()),
        ("Jo <jo@x.org> (work), =?ISO8859-1?Q?Ren=E9e?= <r@x.org>", (("Jo", "jo@x.org"), ("Renée", "r@x.org"))),
        ('"a@x.org" <a@x.org>', (("a@x.org", "a@x.org"),)),
        # Outlook single-quotes display names; one matching pair around the whole name goes.
        ("'Wei Liu' <wl@xen.org>, 'Jan' <jan@x.org>", (("Wei Liu", "wl@xen.org"), ("Jan", "jan@x.org"))),
        ("\"'Wei Liu'\" <wl@xen.org>", (("Wei Liu", "wl@xen.org"),)),
        ("O'Brien <ob@x.org>, 'Tis Jo <jo@x.org>", (("O'Brien", "ob@x.org"), ("'Tis Jo", "jo@x.org"))),
        # a family name left unquoted before its comma (swiftmailer#84), and what is no family name
        ("Berntsen, =?utf-8?Q?P=C3=A5l?= <Berntsen@x.org>", (("Pål Berntsen", "berntsen@x.org"),)),
        ("Tan, Jason <jt@x.org>, Lee, Mary Ann <ml@x.org>", (("Jason Tan", "jt@x.org"), ("Mary Ann Lee", "ml@x.org"))),
        ("Team A, Bob <b@x.org>", (("Bob", "b@x.org"),)),
        ("Ann, b@x.org, Berntsen, Pål Berntsen <pb@x.org>", ((None, "b@x.org"), ("Pål Berntsen", "pb@x.org"))),
        ("Mary Lee, John Smith <js@x.org>", (("John Smith", "js@x.org"),)),  # a name of its own, no family name
        ("jsmith, Mary Lee <ml@x.org>", (("Mary Lee", "ml@x.org"),)),
        # a broken encoded From spills its end into an address of its own (nylas/sync-engine#174)
        ("=?Subject?Q?Atenci=F3n=20al=20cliente=20OVH=20 <soporte@ovh.example>, ?=@robot.ovh.example",
         (("Atención al cliente OVH", "soporte@ovh.example"),)),
    ],
)
def test_addresses(value, pairs):
    assert parse_addresses(value) == pairs


@pytest.mark.parametrize(
    ("value", "moment"),
    [
        ("Mon, 6 Jan 2020 05:49:45 +0100", datetime(2020, 1, 6, 4, 49, 45, tzinfo=UTC)),
        ("6 Jan 2020 05:49 -0330", datetime(2020, 1, 6, 9, 19, tzinfo=UTC)),
        ("Mon,  6 Jan 2020 05:49:45 +0000 (UTC)", datetime(2020, 1, 6, 5, 49, 45, tzinfo=UTC)),
        ("Mon, 6 Jan 2020 05:49:45 GMT", datetime(2020, 1, 6, 5, 49, 45, tzinfo=UTC)),
        ("Mon, 6 Jan 2020 05:49:45 EST", datetime(2020, 1, 6, 10, 49, 45, tzinfo=UTC)),
        ("Mon, 6 Jan 20 05:49:45 -0000", datetime(2020, 1, 6, 5, 49, 45, tzinfo=UTC)),
        ("Monday, 6 January 2020 05:49:45 +0100", datetime(2020, 1, 6, 4, 49, 45, tzinfo=UTC)),
        ("2020-01-06T05:49:45+01:00", datetime(2020, 1, 6, 4, 49, 45, tzinfo=UTC)),
        ("Mon, 6 Jan 2020 05:49:45 +9900", datetime(2020, 1, 6, 5, 49, 45, tzinfo=UTC)),
        ("Mon, 18 Nov 2013 09:26:24 GMT +0100", datetime(2013, 11, 18, 8, 26, 24, tzinfo=UTC)),  # msg-extractor#69
        ("Thu, 10 Jul 1997 14:53:31 EST5EDT", datetime(1997, 7, 10, 18, 53, 31, tzinfo=UTC)),  # mail-parser#89
        ("Fri, 10 Jan 1997 14:53:31 PST8PDT", datetime(1997, 1, 10, 22, 53, 31, tzinfo=UTC)),
        ("Thu, 01 Jan 1970 00:00:00 +0000", None),  # the epoch of broken clients
        ("Fri, 30 Feb 2020 10:00:00 +0000", None),
        ("Wed, 1 Jan 2920 10:00:00 +0000", None),
        ("soon", None),
        ("", None),
    ],
)
def test_dates(value, moment):
    assert parse_mail_date(value) == moment


def test_received_then_fallback_date():
    base = b"From: a@x.org\nMessage-ID: <m@x>\nDate: never\n"
    received = b"Received: by b; Tue, 7 Jan 2020 10:00:00 +0000\nReceived: by a; Tue, 7 Jan 2020 09:59:00 +0000\n"
    fallback = datetime(2019, 5, 1, tzinfo=UTC)
    assert _parse(base + received, fallback_date=fallback).occurred_at == datetime(2020, 1, 7, 9, 59, tzinfo=UTC)
    assert _parse(base, fallback_date=fallback).occurred_at == fallback
    assert _parse(base) == Reject("imap", "account:test", "UID 7", "no usable date (Date, Received, From_ line)")


def test_a_fallback_date_given_as_a_function_is_asked_only_when_needed():
    asked = []

    def from_line_date():
        asked.append(True)
        return datetime(2019, 5, 1, tzinfo=UTC)

    dated = b"From: a@x.org\nMessage-ID: <m@x>\nDate: Tue, 7 Jan 2020 10:00:00 +0000\n"
    assert _parse(dated, fallback_date=from_line_date).occurred_at == datetime(2020, 1, 7, 10, 0, tzinfo=UTC)
    assert asked == []
    undated = b"From: a@x.org\nMessage-ID: <m@x>\n"
    assert _parse(undated, fallback_date=from_line_date).occurred_at == datetime(2019, 5, 1, tzinfo=UTC)
    assert asked == [True]


def test_block_without_message_headers_is_rejected():
    assert _parse(b"X-Mailer: x\nContent-Type: text/plain\n", fallback_date=datetime(2020, 1, 1, tzinfo=UTC)) == Reject(
        "imap", "account:test", "UID 7", "no message headers (From, To, Date, Subject, Message-ID)"
    )


@pytest.mark.parametrize("raw", [b"From: \x00garbage\nSubject: s\n", b"To: undisclosed-recipients:;\nSubject: s\n"])
def test_a_message_without_any_address_is_rejected(raw):
    dated = raw + b"Date: Mon, 6 Jan 2020 05:49:45 +0000\nMessage-ID: <m@x>\n"
    assert _parse(dated) == Reject("imap", "account:test", "UID 7", "no sender or recipient address")


def test_missing_message_id_key_is_a_hash_of_date_from_to_subject():
    raw = b"From: a@x.org\nTo: b@x.org\nSubject: s\nDate: Mon, 6 Jan 2020 05:49:45 +0000\n"
    first, again = _parse(raw), _parse(b"X-Other: 1\n" + raw)
    assert first.interaction_key == again.interaction_key
    assert first.interaction_key.startswith("sha1:") and len(first.interaction_key) == 45
    assert first.thread_id is None
    assert _parse(raw.replace(b"Subject: s", b"Subject: t")).interaction_key != first.interaction_key


def test_labels_decoded_then_split_and_merged_after_the_source_labels():
    raw = b"From: a@x.org\nDate: Mon, 6 Jan 2020 05:49:45 +0000\nX-Gmail-Labels: =?UTF-8?Q?INBOX,Gesendet,Wichtig?=\n"
    record = _parse(raw, labels=["INBOX", "Work"])
    assert record.labels == ["INBOX", "Work", "Gesendet", "Wichtig"]
    assert record.direction_hint == "sent"
    assert _parse(raw, direction_hint="received").direction_hint == "received"


@pytest.mark.parametrize(
    "label",
    [
        "Sent", "sent", "Envoyés", "Gesendet", "Enviados", "Inviati", "Verzonden", "Отправленные", "E-mails enviados",
        "Gönderilmiş Postalar", "已发邮件",
    ],
)
def test_localised_sent_labels(label):
    raw = b"From: a@x.org\nDate: Mon, 6 Jan 2020 05:49:45 +0000\nX-Gmail-Labels: Opened," + label.encode() + b"\n"
    assert _parse(raw).direction_hint == "sent"


@pytest.mark.parametrize(
    "labels",
    [
        "=?UTF-8?Q?Archiv=C3=A9s,Envoy=C3=A9?=",  # a French Takeout: Archivés,Envoyé (rustmailer/bichon#358)
        "=?UTF-8?Q?Odesl=C3=A1no,Nep=C5=99e=C4=8Dten=C3=A9?=",  # a Czech one: Odesláno,Nepřečtené (got-your-back#227)
    ],
)
def test_a_takeout_in_another_language_marks_its_sent_mail_sent(labels):
    raw = b"From: a@x.org\nDate: Mon, 6 Jan 2020 05:49:45 +0000\nX-Gmail-Labels: " + labels.encode() + b"\n"
    assert _parse(raw).direction_hint == "sent"


@pytest.mark.parametrize(
    ("labels", "reason"),
    [
        ("Spam", "spam"),
        ("Opened,Drafts", "draft"),
        ("Draft", "draft"),
        ("Koncepty,Důležité", "draft"),  # a Czech Takeout
        ("Important,Junk", "spam"),
        ("Trash,Opened", None),  # deleted mail did happen
        ("Inbox,Spammers I answered", None),
    ],
)
def test_takeout_drafts_and_spam_labels_make_mail_count_for_nobody(labels, reason):
    raw = b"From: a@x.org\nDate: Mon, 6 Jan 2020 05:49:45 +0000\nX-Gmail-Labels: " + labels.encode() + b"\n"
    assert _parse(raw).automated_reason == reason


@pytest.mark.parametrize(
    ("folder", "reason", "direction_hint"),
    [
        ("Drafts", "draft", None),
        ("INBOX.Entwürfe", "draft", None),
        ("Junk", "spam", None),
        ("Work.Junk E-mail", "spam", None),
        ("Sent", None, "sent"),
        ("INBOX.Gesendete Objekte", None, "sent"),
        ("Trash", None, None),
        ("Papierkorb", None, None),
        ("Inbox", None, None),
    ],
)
def test_the_folder_marks_drafts_and_spam_automated_and_sent_mail_sent(folder, reason, direction_hint):
    raw = b"From: a@x.org\nTo: b@x.org\nDate: Mon, 6 Jan 2020 05:49:45 +0000\nList-Id: <l.x.org>\n"
    record = _parse(raw, folder=folder)
    assert (record.automated_reason, record.direction_hint) == (reason or "list-id", direction_hint)
    assert _parse(raw, folder=folder, direction_hint="received").direction_hint == "received"


def test_a_folder_label_of_a_drafts_folder_makes_its_mail_a_draft():
    raw = b"From: a@x.org\nDate: Mon, 6 Jan 2020 05:49:45 +0000\n"
    assert _parse(raw, labels=["Brouillons"]).automated_reason == "draft"


def test_quoted_labels_keep_their_commas():
    assert split_labels('Inbox,"Clients, 2020",Opened') == ("Inbox", "Clients, 2020", "Opened")


@pytest.mark.parametrize("value", ['Inbox\rArchived,"Work, stuff"', '=?utf-8?q?Inbox=0DArchived?=,"Work, stuff"'])
def test_a_line_break_in_the_labels_parts_two_labels(value):
    assert split_labels(value) == ("Inbox", "Archived", "Work, stuff")


def test_a_message_that_fails_unforeseen_is_a_reject_naming_its_message_id(monkeypatch):
    def failing(value):
        raise RuntimeError("unforeseen")

    monkeypatch.setattr(headers, "parse_addresses", failing)
    raw = b"From: a@x.org\nDate: Mon, 6 Jan 2020 05:49:45 +0000\nMessage-ID: <m7@x.org>\n"
    assert _parse(raw) == Reject(
        "imap", "account:test", "UID 7", "could not be read (Message-ID <m7@x.org>): RuntimeError: unforeseen"
    )
    assert _parse(raw.replace(b"Message-ID", b"X-Other")).reason == "could not be read: RuntimeError: unforeseen"


@pytest.mark.parametrize(
    ("headers", "senders", "reason"),
    [
        ({"list-id": "<x.example.org>"}, ["a@x.org"], "list-id"),
        ({"list-unsubscribe": "<mailto:u@x.org>"}, ["a@x.org"], "list-unsubscribe"),
        ({"precedence": "Bulk"}, ["a@x.org"], "precedence"),
        ({"precedence": "first-class"}, ["a@x.org"], None),
        ({"auto-submitted": "auto-replied"}, ["a@x.org"], "auto-submitted"),
        ({"auto-submitted": "no"}, ["a@x.org"], None),
        ({}, ["noreply@x.org"], "no-reply"),
        ({}, ["do-not-reply@x.org"], "no-reply"),
        ({}, ["donotreply@x.org"], "no-reply"),
        ({}, ["notifications@github.example"], "no-reply"),
        ({}, ["bounces+123-abc@x.org"], "no-reply"),
        ({}, ["newsletter@x.org"], "no-reply"),
        ({}, ["mailer-daemon@x.org"], "mailer-daemon"),
        ({}, ["postmaster@x.org"], "mailer-daemon"),
        ({}, ["calendar-notification@google.com"], "calendar-notification"),
        ({}, ["info@x.org"], "role-address"),
        ({}, ["a@x.org", "newsletter@x.org"], "no-reply"),  # a Sender header counts too
        ({}, ["information@x.org"], None),
        ({}, ["snoreply@x.org"], None),
        ({}, ["no.reply.alerts@bank.example"], "no-reply"),
        ({}, ["jobs-noreply@linkedin.example"], "no-reply"),
        ({}, ["ne-pas-repondre@impots.example"], "no-reply"),
        ({}, ["keine_antwort@bahn.example"], "no-reply"),
        ({}, ["kontakt@firma.example"], "role-address"),
        ({}, ["kundenservice@shop.example"], "role-address"),
        ({}, ["bonjour@atelier.example"], "role-address"),
        ({}, ["faleconosco@loja.example"], "role-address"),
        ({}, ["rh@empresa.example"], "role-address"),
        ({}, ["atencion.clientes@banco.example"], "role-address"),
        ({}, ["facturacion@proveedor.example"], "role-address"),
        ({}, ["administracion.condominio@gmail.com"], "role-address"),
        ({}, ["rhernandez@empresa.example"], None),
        ({}, ["naoresponder@banco.example"], "no-reply"),
        ({}, ["avisos@condominio.example"], "no-reply"),
        ({}, ["it-support@helioskraft.example"], "role-address"),
        ({}, ["servicedesk.anna@x.org"], None),  # the words must be the whole user name
        ({}, ["anna.hello@x.org"], None),
        ({"x-autoreply": "yes"}, ["a@x.org"], "auto-reply"),
        ({"x-autoreply": "no"}, ["a@x.org"], None),
        # a list that names where to post is a discussion list, unless it is an announcement list or the sender
        # is a machine (GitHub names a reply address but sends from notifications@)
        ({"list-id": "<r.example>", "list-post": "<mailto:r@lists.example>"}, ["a@x.org"], "mailing-list"),
        ({"list-id": "<r.example>", "list-post": "NO"}, ["a@x.org"], "list-id"),
        ({"list-id": "<r.github.com>", "list-post": "<mailto:reply+ab12@reply.github.example>"},
         ["notifications@github.example"], "list-id"),
    ],
)
def test_automated_reason(headers, senders, reason):
    assert automated_reason(headers, senders) == reason


@pytest.mark.parametrize(("subject", "reason"), [
    ("Out of Office AutoReply: lunch on Friday?", "auto-reply"),
    ("Automatic reply: Re: the contract", "auto-reply"),
    ("Abwesenheitsnotiz: Angebot", "auto-reply"),
    ("Réponse automatique : devis", "auto-reply"),
    ("Re: out of office plans for the team offsite", None),
    ("Out of office: dentist on Friday, Sam covers", None),  # people announce their own absence too
    (None, None),
])
def test_an_auto_reply_says_so_in_its_subject(subject, reason):
    assert automated_reason({}, ["a@x.org"], subject) == reason


def test_a_discussion_list_s_post_names_the_list_and_is_mailing_list_mail():
    raw = (b"From: Ana Lima <ana@example.org>\nTo: runners@googlegroups.com\nDate: Mon, 6 Jan 2025 09:00:00 +0000\n"
           b"List-Id: <runners.googlegroups.com>\nList-Post: <mailto:Runners@GoogleGroups.com>\n\nhi\n")
    record = _parse(raw)
    assert record.automated_reason == "mailing-list"
    assert [(p.role, p.value) for p in record.participants if p.role == "list"] == [
        ("list", "runners@googlegroups.com")]


def test_an_auto_reply_is_read_from_its_headers_and_its_encoded_subject():
    base = b"From: Ana Lima <ana@example.org>\nTo: me@example.com\nDate: Mon, 6 Jan 2025 09:00:00 +0000\n"
    assert _parse(base + b"X-Autoreply: yes\nSubject: Re: lunch\n\nhi\n").automated_reason == "auto-reply"
    assert _parse(base + b"Subject: =?utf-8?q?R=C3=A9ponse_automatique_:_devis?=\n\nhi\n").automated_reason == (
        "auto-reply")
    assert _parse(base + b"Subject: Re: lunch\n\nhi\n").automated_reason is None


def _name(role, value):
    return Participant(role=role, kind="name", value=value, name=value)


@pytest.mark.parametrize(("to", "named"), [
    ("Tan, Jason", [_name("to", "Jason Tan")]),  # readpst's Sent Items: Outlook's display list, no addresses
    ("Tan, Jason; Lee, Mary", [_name("to", "Jason Tan"), _name("to", "Mary Lee")]),
    ("Al Falasi, Fatima", [_name("to", "Fatima Al Falasi")]),  # one display name: Outlook's list separates with ;
    ("Dela Cruz, Ana Marie (SG); Al Falasi, Fatima",
     [_name("to", "Ana Marie Dela Cruz"), _name("to", "Fatima Al Falasi")]),
    ("Jason Tan, Mary Lee", [_name("to", "Jason Tan"), _name("to", "Mary Lee")]),  # no side of one word: two names
    ("Tan, Jason, Lee, Mary Ann (SG)", [_name("to", "Jason Tan"), _name("to", "Mary Ann Lee")]),
    ("Jason Tan, Mary Lee, Ann Wong", [_name("to", "Jason Tan"), _name("to", "Mary Lee"), _name("to", "Ann Wong")]),
    ("undisclosed-recipients:;", []),
    ("root; All Staff; Conference Room 4B", []),  # no person's name
])
def test_recipients_named_without_addresses_are_people_known_by_name(to, named):
    raw = (f'From: "Menon, Arjun" <MAILER-DAEMON>\r\nTo: {to}\r\nCc: jo@example.org\r\n'
           "Date: Mon, 11 Sep 2023 04:00:00 +0000\r\nMessage-Id: <a1@example.com>\r\n\r\n").encode()
    record = _parse(raw, folder="Sent Items")
    assert record.participants == [_email("cc", "jo@example.org"), *named]
    assert record.direction_hint == "sent"
