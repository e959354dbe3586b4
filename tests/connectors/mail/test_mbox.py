"""Tests for the byte-level mbox reader: Takeout CRLF and mboxo LF files, resuming, and broken input."""

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.mail import headers, mbox
from connectors.mail.addresses import parse_addresses
from connectors.mail.mbox import parse_mbox
from connectors.records import Interaction, Participant, Reject

FIXTURES = Path(__file__).parents[2] / "fixtures" / "mail"
TAKEOUT = FIXTURES / "takeout.mbox"
MBOXO = FIXTURES / "mboxo.mbox"
THUNDERBIRD_DRAFT = FIXTURES / "thunderbird-draft.mbox"


def _email(role, value, name=None):
    return Participant(role=role, kind="email", value=value, name=name)


def _takeout(location, **fields):
    return Interaction(source="mbox", source_file=str(TAKEOUT), location=location, channel="email", **fields)


TAKEOUT_EXPECTED = [
    _takeout(
        "byte 0",
        interaction_key="<CAF+abc123@mail.example.com>",
        occurred_at=datetime(2020, 1, 6, 4, 49, 45, tzinfo=UTC),
        participants=[
            _email("from", "john.smith@example.com", "Smith, John"),
            _email("to", "renee.dupre@example.fr", "Renée Dupré"),
            _email("to", "zoe@example.org", "Zoë Müller"),
            _email("cc", "alice@example.com", "Alice Example"),
            _email("cc", "bob@example.com", "Bob König"),
        ],
        thread_id="1654953015393719153",
        title="Réunion de lundi",
        labels=["Boîte de réception", "Important", "Ouvert", "Catégorie Forums"],
    ),
    _takeout(
        "byte 1008",
        interaction_key="<reply-1@example.fr>",
        occurred_at=datetime(2020, 1, 7, 9, 15, tzinfo=UTC),
        participants=[
            _email("from", "renee.dupre@example.fr", "Renée Dupré"),
            _email("to", "john.smith@example.com", "Smith, John"),
        ],
        thread_id="1654953015393719153",
        title="Re: Réunion de lundi",
        in_reply_to="<CAF+abc123@mail.example.com>",
        labels=["Envoyés", "Ouvert"],
        direction_hint="sent",
    ),
    _takeout(  # a Hangouts chat item: raw UTF-8 From, no Date, the From_ line gives the time
        "byte 1500",
        interaction_key="sha1:88d812fd056caf9c9e40509a14c45bdd273cca40",
        occurred_at=datetime(2020, 1, 8, 18, 30, 12, tzinfo=UTC),
        participants=[_email("from", "jose.perez@example.com", "José Pérez")],
        thread_id="1654953015393719155",
        labels=["Chat"],
    ),
    Reject("mbox", str(TAKEOUT), "byte 1674", "chat item without date"),
    _takeout(
        "byte 1842",
        interaction_key="<party@example.net>",
        occurred_at=datetime(2020, 1, 10, 8, 0, tzinfo=UTC),
        participants=[_email("from", "carol@example.net", "Carol"), _email("bcc", "renee.dupre@example.fr")],
        thread_id="1654953015393719157",
        title="Party",
        labels=["Inbox"],
    ),
    _takeout(  # unparseable Date: the last Received header's stamp
        "byte 2150",
        interaction_key="<clock@example.net>",
        occurred_at=datetime(2020, 1, 11, 11, 59, 58, tzinfo=UTC),
        participants=[_email("from", "dave@example.net", "Dave"), _email("to", "renee.dupre@example.fr")],
        thread_id="1654953015393719158",
        title="broken clock",
        labels=["Inbox"],
    ),
    Reject("mbox", str(TAKEOUT), "byte 2597", "no usable date (Date, Received, From_ line)"),
    _takeout(
        "byte 2839",
        interaction_key="<digest-42@news.example.com>",
        occurred_at=datetime(2020, 1, 12, 7, 0, tzinfo=UTC),
        participants=[
            _email("from", "digest@news.example.com", "Weekly Digest"),
            _email("to", "renee.dupre@example.fr"),
        ],
        thread_id="1654953015393719160",
        title="This week",
        labels=["Boîte de réception", "Catégorie Promotions"],
        automated_reason="list-id",
    ),
    _takeout(
        "byte 3329",
        interaction_key="<order-1@shop.example.com>",
        occurred_at=datetime(2020, 1, 13, 7, 0, tzinfo=UTC),
        participants=[
            _email("from", "no-reply@shop.example.com", "Example Shop"),
            _email("to", "renee.dupre@example.fr"),
        ],
        thread_id="1654953015393719161",
        title="Your order",
        labels=["Boîte de réception"],
        automated_reason="no-reply",
    ),
]


def test_takeout_mbox_gives_exact_interactions_and_rejects():
    assert list(parse_mbox(TAKEOUT)) == TAKEOUT_EXPECTED


def test_offsets_point_at_the_from_lines():
    data = TAKEOUT.read_bytes()
    for record in TAKEOUT_EXPECTED:
        offset = int(record.location.removeprefix("byte "))
        assert data[offset : offset + 5] == b"From "
        assert offset == 0 or data[offset - 1 : offset] == b"\n"


@pytest.mark.parametrize(("folder", "hint"), [
    ("Sent", "sent"),  # Thunderbird: one mbox file per folder, no extension
    ("Sent.mbox", "sent"),
    ("Gesendete Objekte.mbox", "sent"),
    ("Sent Messages.mbox/mbox", "sent"),  # Apple Mail's export: a folder per mailbox, the mbox inside
    ("INBOX.Sent", "sent"),
    ("Inbox", None),
    ("Archive.mbox/mbox", None),
    ("All mail Including Spam and Trash.mbox", None),  # Takeout: the labels say which mail was sent
])
def test_the_mail_of_a_sent_folder_is_sent(tmp_path, folder, hint):
    path = tmp_path / folder
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(MBOXO.read_bytes())
    records = [record for record in parse_mbox(path) if isinstance(record, Interaction)]
    assert records and {record.direction_hint for record in records} == {hint}


@pytest.mark.parametrize(("folder", "reason", "hint"), [
    ("Drafts", "draft", None),  # Thunderbird's Local Folders: an unsent draft is no sent mail
    ("Inbox.sbd/Entwürfe", "draft", None),
    ("Junk", "spam", None),
    ("Spam.mbox", "spam", None),
    ("Junk E-mail.mbox/mbox", "spam", None),
    ("Trash", None, None),  # deleted mail did happen
    ("Sent", None, "sent"),  # Thunderbird keeps X-Mozilla-Draft-Info on sent copies: not a draft for that
])
def test_the_mail_of_a_drafts_or_spam_folder_counts_for_nobody(tmp_path, folder, reason, hint):
    path = tmp_path / folder
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(THUNDERBIRD_DRAFT.read_bytes())
    [record] = parse_mbox(path)
    assert (record.interaction_key, record.automated_reason, record.direction_hint) == (
        "<draft-1@example.org>", reason, hint
    )


def test_mboxo_lf_file():
    source_file = str(MBOXO)
    assert list(parse_mbox(MBOXO)) == [
        Interaction(
            source="mbox",
            source_file=source_file,
            location="byte 0",
            interaction_key="<20110708120834.1@mail.example.org>",
            channel="email",
            occurred_at=datetime(2011, 7, 8, 12, 8, 34, tzinfo=UTC),
            participants=[
                _email("from", "mailer-daemon@mail.example.org", "Mail Delivery Subsystem"),
                _email("to", "alice@example.org"),
            ],
            thread_id="<20110708120834.1@mail.example.org>",
            title="Undelivered Mail Returned to Sender",
            automated_reason="mailer-daemon",
        ),
        Interaction(
            source="mbox",
            source_file=source_file,
            location="byte 365",
            interaction_key="sha1:2368d854416dd023abf30db0222cb3e696b9f87c",
            channel="email",
            occurred_at=datetime(2014, 1, 21, 10, 30, 14, tzinfo=UTC),
            participants=[_email("from", "alice@example.org", "Alice"), _email("to", "bob@example.org", "Bob")],
            thread_id="<root@example.org>",
            title="lunch?",
            in_reply_to="<mid@example.org>",
        ),
        Interaction(
            source="mbox",
            source_file=source_file,
            location="byte 629",
            interaction_key="sha1:132694f6af2360e5879b445ae2721c8c1855595f",
            channel="email",
            occurred_at=datetime(2014, 1, 22, 10, 0, tzinfo=UTC),
            participants=[_email("from", "bob@example.org", "Bob"), _email("to", "alice@example.org", "Alice")],
            thread_id="<lunch@example.org>",
            title="Re: lunch?",
            in_reply_to="<lunch@example.org>",
        ),
    ]


def test_start_offset_resumes_at_a_from_line():
    assert list(parse_mbox(TAKEOUT, start_offset=2150)) == TAKEOUT_EXPECTED[5:]


def test_start_offset_of_a_grown_mbox_reads_only_the_new_messages(tmp_path):
    grown = tmp_path / "grown.mbox"
    old = MBOXO.read_bytes()
    grown.write_bytes(old + TAKEOUT.read_bytes())
    records = list(parse_mbox(grown, start_offset=len(old)))
    assert [record.location for record in records] == [
        f"byte {len(old) + int(record.location.removeprefix('byte '))}" for record in TAKEOUT_EXPECTED
    ]
    assert [record.interaction_key for record in records if isinstance(record, Interaction)] == [
        record.interaction_key for record in TAKEOUT_EXPECTED if isinstance(record, Interaction)
    ]


def test_start_offset_inside_a_message_rejects_the_partial_bytes():
    records = list(parse_mbox(TAKEOUT, start_offset=2200))
    assert records[0] == Reject("mbox", str(TAKEOUT), "byte 2200", "not a message: bytes before the first From_ line")
    assert records[1:] == TAKEOUT_EXPECTED[6:]


@pytest.mark.parametrize("chunk_size", [1, 7, 64, 1000])
def test_tiny_chunks_give_the_same_records(monkeypatch, chunk_size):
    monkeypatch.setattr(mbox, "CHUNK_SIZE", chunk_size)
    assert list(parse_mbox(TAKEOUT)) == TAKEOUT_EXPECTED


def _message(sender: str, message_id: str, body: str = "hello\n") -> str:
    return (
        f"From {sender} Mon Mar  2 10:00:00 2020\nFrom: {sender}\nTo: me@example.org\n"
        f"Date: Mon, 2 Mar 2020 10:00:00 +0000\nMessage-ID: <{message_id}>\n\n{body}"
    )


def _keys(records):
    return [(record.location, record.interaction_key) for record in records]


def test_leading_garbage_is_one_reject_and_the_messages_still_parse(tmp_path):
    path = tmp_path / "garbage.mbox"
    path.write_text("some unrelated text\n\n" + _message("a@example.org", "a@x"))
    records = list(parse_mbox(path))
    assert records[0] == Reject("mbox", str(path), "byte 0", "not a message: bytes before the first From_ line")
    assert _keys(records[1:]) == [("byte 21", "<a@x>")]


def test_leading_blank_lines_are_not_garbage(tmp_path):
    path = tmp_path / "blank.mbox"
    path.write_text("\n\n" + _message("a@example.org", "a@x"))
    assert _keys(parse_mbox(path)) == [("byte 2", "<a@x>")]


def test_a_file_without_from_lines_is_one_reject(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Subject: not an mbox\n\nFrom here on, nothing.\n")
    assert list(parse_mbox(path)) == [
        Reject("mbox", str(path), "byte 0", "not a message: bytes before the first From_ line")
    ]


def test_empty_file_gives_nothing(tmp_path):
    path = tmp_path / "empty.mbox"
    path.write_bytes(b"")
    assert list(parse_mbox(path)) == []


def test_truncated_last_message_still_parses_its_headers(tmp_path):
    path = tmp_path / "truncated.mbox"
    whole = _message("a@example.org", "a@x")
    path.write_text(whole + _message("b@example.org", "b@x")[:-3])
    assert _keys(parse_mbox(path)) == [("byte 0", "<a@x>"), (f"byte {len(whole)}", "<b@x>")]


def test_headers_cut_short_by_the_next_from_line(tmp_path):
    path = tmp_path / "no-blank-line.mbox"
    broken = "From a@example.org Mon Mar  2 10:00:00 2020\nFrom: a@example.org\nMessage-ID: <a@x>\n"
    path.write_text(broken + _message("b@example.org", "b@x"))
    records = list(parse_mbox(path))
    assert _keys(records) == [("byte 0", "<a@x>"), (f"byte {len(broken)}", "<b@x>")]
    assert records[0].participants == [_email("from", "a@example.org")]
    assert records[0].occurred_at == datetime(2020, 3, 2, 10, 0, tzinfo=UTC)  # the From_ line date


def test_body_from_lines_do_not_split(tmp_path):
    path = tmp_path / "bodies.mbox"
    body = (
        "From the archive:\n"
        "From a@example.org Mon Mar  2 10:00:00 2020\n"  # a From_ line shape, but no header after it
        "quoted text\n"
        ">From escaped\n"
        "From here on, we meet on Mondays.\n"
        "See you then\n"
        "From now on the agenda goes out on Fridays\n"  # a sentence, even with a header-like line after it
        "Note: bring slides\n"
        "From Alice\n"  # an undated From_ line opens a message only before a header that opens messages
        "PS: slides attached\n"
        "From here\n"
        "https://example.org/agenda\n"
        "From Bob\n"
        "Sent: Monday\n"
        "From \n"
        "\n"
    )
    first = _message("a@example.org", "a@x", body)
    path.write_text(first + _message("b@example.org", "b@x"))
    assert _keys(parse_mbox(path)) == [("byte 0", "<a@x>"), (f"byte {len(first)}", "<b@x>")]


def test_enormous_header_line_is_cut_and_the_next_message_parses(tmp_path, monkeypatch):
    monkeypatch.setattr(mbox, "CHUNK_SIZE", 64 * 1024)
    path = tmp_path / "huge.mbox"
    huge = (
        "From a@example.org Mon Mar  2 10:00:00 2020\nFrom: a@example.org\nSubject: big\nReferences: "
        + "<x@y> " * 400_000  # 2.4 MB: past the header block cap, so what follows is lost
        + "\nMessage-ID: <lost@x>\n\nbody\n"
    )
    path.write_text(huge + _message("b@example.org", "b@x"))
    records = list(parse_mbox(path))
    assert [record.location for record in records] == ["byte 0", f"byte {len(huge)}"]
    first, second = records
    assert (first.title, first.thread_id, first.participants) == ("big", "<x@y>", [_email("from", "a@example.org")])
    assert first.interaction_key.startswith("sha1:")
    assert second.interaction_key == "<b@x>"


def test_headers_python_cannot_decode_cost_no_message(tmp_path):
    path = tmp_path / "odd-headers.mbox"
    odd_headers = [
        "Subject: =?undefined?B?U2FsZQ==?=",  # JavaScript mailers' charset
        "From: =?undefined?Q?Shop?= <news@shop.example>",
        "Subject: =?utf\x00-8?B?SGVsbG8=?=",
        'X-Gmail-Labels: Inbox\rArchived,"Work, stuff"',
    ]
    messages = [_message("a@example.org", f"m{number}@x").replace("\n\n", f"\n{header}\n\n", 1)
                for number, header in enumerate(odd_headers)]
    path.write_text("".join(messages) + _message("b@example.org", "last@x"))
    records = list(parse_mbox(path))
    assert [record.interaction_key for record in records] == ["<m0@x>", "<m1@x>", "<m2@x>", "<m3@x>", "<last@x>"]
    assert [record.title for record in records[:3]] == ["Sale", None, "Hello"]
    assert _email("from", "news@shop.example", "Shop") in records[1].participants
    assert records[3].labels == ["Inbox", "Archived", "Work, stuff"]


def test_a_message_that_fails_unforeseen_is_a_reject_at_its_offset_and_the_next_still_parses(tmp_path, monkeypatch):
    def failing_on_b(value):
        if "b@example.org" in value:
            raise RuntimeError("unforeseen")
        return parse_addresses(value)

    monkeypatch.setattr(headers, "parse_addresses", failing_on_b)
    path = tmp_path / "one-bad.mbox"
    first = _message("a@example.org", "a@x")
    path.write_text(first + _message("b@example.org", "b@x") + _message("c@example.org", "c@x"))
    records = list(parse_mbox(path))
    assert records[1] == Reject(
        "mbox", str(path), f"byte {len(first)}", "could not be read (Message-ID <b@x>): RuntimeError: unforeseen"
    )
    assert [record.interaction_key for record in (records[0], records[2])] == ["<a@x>", "<c@x>"]


def test_unreadable_path_is_a_file_reject(tmp_path):
    path = tmp_path / "missing.mbox"
    [reject] = parse_mbox(path)
    assert reject.location == "file" and reject.reason.startswith("cannot open the file")


def test_mangled_mboxes_never_raise(tmp_path, monkeypatch):
    monkeypatch.setattr(mbox, "CHUNK_SIZE", 256)
    rng = random.Random(5)
    original = TAKEOUT.read_bytes() + MBOXO.read_bytes()
    path = tmp_path / "mangled.mbox"
    for _ in range(150):
        data = bytearray(original)
        for _ in range(rng.randint(1, 40)):
            position = rng.randrange(len(data))
            data[position : position + rng.randint(1, 8)] = rng.randbytes(rng.randint(0, 8))
        path.write_bytes(bytes(data[: rng.randint(len(data) // 2, len(data))]))
        for record in parse_mbox(path, start_offset=rng.choice([0, 0, rng.randrange(len(data))])):
            assert isinstance(record, Interaction | Reject)


def _undated(separator: str, message_id: str) -> str:
    """A message without a Date header, so its time can only come from the From_ line."""
    return f"{separator}\nFrom: a@example.org\nTo: me@example.org\nMessage-ID: <{message_id}>\n\nFrom time to time\n"


# Separator lines seen in real mboxes (CPython's mailbox_01.mbox) and accepted by Thunderbird's parser.
@pytest.mark.parametrize(("separator", "moment"), [
    ("From MAILER-DAEMON Sun Aug  7 11:40:37 2022 extra info", datetime(2022, 8, 7, 11, 40, 37, tzinfo=UTC)),
    ("From jwz  Fri, Jul 01 09:13:09 1994", datetime(1994, 7, 1, 9, 13, 9, tzinfo=UTC)),
    ("From jwz  Fri, Jul 01 09:13:09 1994 PST", datetime(1994, 7, 1, 9, 13, 9, tzinfo=UTC)),
    ("From jwz  Fri, Jul 01 09:13:09 1994 (+0700)", datetime(1994, 7, 1, 2, 13, 9, tzinfo=UTC)),
    ("From jwz  Fri Jul  1 09:13:09 1994 remote from host", datetime(1994, 7, 1, 9, 13, 9, tzinfo=UTC)),
])
def test_other_from_line_forms_separate_messages_and_give_their_date(tmp_path, separator, moment):
    path = tmp_path / "forms.mbox"
    first = _undated(separator, "a@x")
    path.write_text(first + _undated(separator, "b@x") + _message("c@example.org", "c@x"))
    records = list(parse_mbox(path))
    assert _keys(records) == [
        ("byte 0", "<a@x>"), (f"byte {len(first)}", "<b@x>"), (f"byte {2 * len(first)}", "<c@x>"),
    ]
    assert [record.occurred_at for record in records[:2]] == [moment, moment]


def test_a_bare_from_line_separates_and_its_missing_date_is_not_guessed(tmp_path):
    path = tmp_path / "bare.mbox"
    first = _message("a@example.org", "a@x")
    path.write_text(first + _undated("From ", "b@x") + _message("c@example.org", "c@x"))
    records = list(parse_mbox(path))
    assert _keys(records[:1]) == [("byte 0", "<a@x>")]
    assert records[1] == Reject("mbox", str(path), f"byte {len(first)}", "no usable date (Date, Received, From_ line)")
    assert records[2].interaction_key == "<c@x>"


def _chat(gmail_id: int, time: str, thread: str, sender: str = "Ana <ana@example.com>") -> str:
    """A Hangouts chat line as Takeout writes it: no Date, Message-ID, To or Subject."""
    return (
        f"From {gmail_id}@xxx Wed Jan 08 {time} +0000 2020\r\nX-GM-THRID: {thread}\r\n"
        f"X-Gmail-Labels: Chat\r\nFrom: {sender}\r\n\r\nhi\r\n"
    )


def test_chat_lines_of_one_sender_keep_distinct_keys_and_a_reread_keeps_them(tmp_path):
    path = tmp_path / "chats.mbox"
    path.write_bytes(
        (
            _chat(1, "18:30:12", "71")
            + _chat(2, "18:31:40", "71")  # the same sender a minute later
            + _chat(3, "18:30:12", "72")  # the same second in another conversation
            + _chat(4, "18:30:12", "71", "Bo <bo@example.com>")
        ).encode()
    )
    records = list(parse_mbox(path))
    assert all(isinstance(record, Interaction) for record in records)
    keys = [record.interaction_key for record in records]
    assert len(set(keys)) == 4
    assert [record.interaction_key for record in parse_mbox(path)] == keys
