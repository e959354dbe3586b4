"""Tests for connectors/imap.py: against a real Dovecot, plus Gmail's extensions with a fake client."""

from __future__ import annotations

import ssl
from datetime import datetime, timezone
from pathlib import Path

import pytest

from connectors import imap
from connectors.imap import Folder, connect_imap, fetch_imap
from connectors.mail.headers import DRAFTS_LABELS, SPAM_LABELS, TRASH_LABELS
from connectors.records import Interaction, Participant, Reject
from tests.servers.dovecot import dovecot_server  # noqa: F401  (pytest fixture)

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imap"
SOURCE_FILE = "account:test-imap"
APPENDED_AT = datetime(2024, 6, 5, 7, 0, tzinfo=timezone.utc)
NO_DATE_APPENDED_AT = datetime(2024, 6, 4, 15, 45, tzinfo=timezone.utc)


def fixture_message(name: str) -> bytes:
    return (FIXTURES / name).read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


@pytest.fixture
def mailbox(dovecot_server, request):  # noqa: F811  (the imported fixture)
    """A logged-in client on an empty mailbox of its own (the user name is the test's name)."""
    client = connect_imap(
        dovecot_server.host, dovecot_server.port, request.node.name, dovecot_server.password, ssl=False
    )
    yield client
    client.logout()


def append_fixtures(client) -> None:
    client.append("INBOX", fixture_message("01-normal.eml"), msg_time=APPENDED_AT)
    client.append("Sent", fixture_message("02-sent.eml"), msg_time=APPENDED_AT)
    client.append("INBOX", fixture_message("03-reply.eml"), msg_time=APPENDED_AT)
    client.append("INBOX", fixture_message("04-rfc2047.eml"), msg_time=APPENDED_AT)
    client.append("INBOX", fixture_message("05-no-date.eml"), msg_time=NO_DATE_APPENDED_AT)


def uidvalidity(client, folder: str) -> int:
    return client.folder_status(folder, [b"UIDVALIDITY"])[b"UIDVALIDITY"]


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def email(role: str, value: str, name: str | None = None) -> Participant:
    return Participant(role=role, kind="email", value=value, name=name)


ALICE = ("alice@example.org", "Alice Example")
ME = ("me@example.com", "Me Myself")


def inbox_normal(uid: int = 1, folder: str = "INBOX") -> Interaction:
    return Interaction(
        source="imap",
        source_file=SOURCE_FILE,
        location=f"{folder} UID {uid}",
        interaction_key="<lunch-1@example.org>",
        channel="email",
        occurred_at=at(2024, 6, 3, 9, 15),
        participants=[email("from", *ALICE), email("to", *ME), email("cc", "bob@example.net")],
        thread_id="<lunch-1@example.org>",
        title="Lunch on Thursday?",
        labels=[folder],
    )


def sent_reply() -> Interaction:
    return Interaction(
        source="imap",
        source_file=SOURCE_FILE,
        location="Sent UID 1",
        interaction_key="<reply-2@example.com>",
        channel="email",
        occurred_at=at(2024, 6, 3, 9, 2, 30),
        participants=[email("from", *ME), email("to", *ALICE)],
        thread_id="<lunch-1@example.org>",
        title="Re: Lunch on Thursday?",
        in_reply_to="<lunch-1@example.org>",
        labels=["Sent"],
        direction_hint="sent",
    )


EXPECTED_INBOX = [
    inbox_normal(),
    Interaction(
        source="imap",
        source_file=SOURCE_FILE,
        location="INBOX UID 2",
        interaction_key="<lunch-3@example.org>",
        channel="email",
        occurred_at=at(2024, 6, 3, 12, 40),
        participants=[email("from", *ALICE), email("to", *ME)],
        thread_id="<lunch-1@example.org>",
        title="Re: Lunch on Thursday?",
        in_reply_to="<reply-2@example.com>",
        labels=["INBOX"],
    ),
    Interaction(
        source="imap",
        source_file=SOURCE_FILE,
        location="INBOX UID 3",
        interaction_key="<gruesse-4@example.de>",
        channel="email",
        occurred_at=at(2024, 6, 4, 6, 0),
        participants=[
            email("from", "zoe@example.de", "Zoë Müller"),
            email("to", "rene@example.fr", "René François"),
            email("to", *ME),
        ],
        thread_id="<gruesse-4@example.de>",
        title="Grüße aus Köln",
        labels=["INBOX"],
    ),
    Interaction(
        source="imap",
        source_file=SOURCE_FILE,
        location="INBOX UID 4",
        interaction_key="<nodate-5@example.com>",
        channel="email",
        occurred_at=NO_DATE_APPENDED_AT,  # INTERNALDATE stands in for the missing Date
        participants=[email("from", "carol@example.com", "Carol"), email("to", "me@example.com")],
        thread_id="<nodate-5@example.com>",
        title="No date header here",
        labels=["INBOX"],
    ),
]

LATER = Interaction(
    source="imap",
    source_file=SOURCE_FILE,
    location="INBOX UID 5",
    interaction_key="<photos-6@example.net>",
    channel="email",
    occurred_at=at(2024, 6, 5, 22, 30),
    participants=[email("from", "bob@example.net", "Bob"), email("to", "me@example.com")],
    thread_id="<photos-6@example.net>",
    title="Photos",
    labels=["INBOX"],
)


@pytest.mark.servers
def test_first_fetch_yields_every_message_in_batches_and_saves_state(mailbox, monkeypatch):
    monkeypatch.setattr(imap, "FETCH_BATCH_SIZE", 3)
    append_fixtures(mailbox)
    state: dict = {}

    records = list(fetch_imap(mailbox, state, source_file=SOURCE_FILE))

    assert records == [*EXPECTED_INBOX, sent_reply()]
    assert state == {
        "folders": {
            "INBOX": {"uidvalidity": uidvalidity(mailbox, "INBOX"), "last_uid": 4},
            "Sent": {"uidvalidity": uidvalidity(mailbox, "Sent"), "last_uid": 1},
        }
    }


@pytest.mark.servers
def test_fetch_with_saved_state_yields_only_new_messages(mailbox):
    append_fixtures(mailbox)
    state: dict = {}
    list(fetch_imap(mailbox, state, source_file=SOURCE_FILE))

    assert list(fetch_imap(mailbox, state, source_file=SOURCE_FILE)) == []

    mailbox.append("INBOX", fixture_message("06-later.eml"), msg_time=APPENDED_AT)
    assert list(fetch_imap(mailbox, state, source_file=SOURCE_FILE)) == [LATER]
    assert state["folders"]["INBOX"]["last_uid"] == 5
    assert list(fetch_imap(mailbox, state, source_file=SOURCE_FILE)) == []


@pytest.mark.servers
def test_state_advances_only_past_records_taken(mailbox):
    append_fixtures(mailbox)
    state: dict = {}
    records = fetch_imap(mailbox, state, source_file=SOURCE_FILE, folders=["INBOX"])

    assert next(records) == EXPECTED_INBOX[0]
    records.close()  # the pipeline stopped after one record

    assert state["folders"]["INBOX"]["last_uid"] == 1
    assert list(fetch_imap(mailbox, state, source_file=SOURCE_FILE, folders=["INBOX"])) == EXPECTED_INBOX[1:]


@pytest.mark.servers
def test_changed_uidvalidity_rereads_that_folder_only(mailbox):
    append_fixtures(mailbox)
    state: dict = {}
    list(fetch_imap(mailbox, state, source_file=SOURCE_FILE))
    old_uidvalidity = state["folders"]["Sent"]["uidvalidity"]

    mailbox.unselect_folder()  # Dovecot drops a session whose selected folder is deleted
    mailbox.delete_folder("Sent")
    mailbox.create_folder("Sent")
    mailbox.append("Sent", fixture_message("02-sent.eml"), msg_time=APPENDED_AT)

    assert list(fetch_imap(mailbox, state, source_file=SOURCE_FILE)) == [sent_reply()]
    assert state["folders"]["Sent"]["uidvalidity"] != old_uidvalidity
    assert state["folders"]["Sent"]["uidvalidity"] == uidvalidity(mailbox, "Sent")


@pytest.mark.servers
def test_edited_uidvalidity_in_state_rereads_the_folder(mailbox):
    append_fixtures(mailbox)
    state: dict = {}
    list(fetch_imap(mailbox, state, source_file=SOURCE_FILE))
    state["folders"]["INBOX"]["uidvalidity"] = 1

    assert list(fetch_imap(mailbox, state, source_file=SOURCE_FILE)) == EXPECTED_INBOX


@pytest.mark.servers
def test_messages_stay_unseen(mailbox):
    append_fixtures(mailbox)
    list(fetch_imap(mailbox, {}, source_file=SOURCE_FILE))

    for folder in ("INBOX", "Sent"):
        mailbox.select_folder(folder, readonly=True)
        flags = mailbox.get_flags(mailbox.search("ALL"))
        assert flags and all(b"\\Seen" not in message_flags for message_flags in flags.values())


@pytest.mark.servers
def test_noselect_parent_is_skipped_and_its_child_read(mailbox):
    mailbox.create_folder("Archive/2020")
    mailbox.append("Archive/2020", fixture_message("01-normal.eml"), msg_time=APPENDED_AT)
    assert (b"\\Noselect", b"\\HasChildren") in [flags for flags, _, name in mailbox.list_folders() if name == "Archive"]

    assert list(fetch_imap(mailbox, {}, source_file=SOURCE_FILE)) == [inbox_normal(folder="Archive/2020")]


@pytest.mark.servers
def test_unselectable_folder_is_one_reject_and_other_folders_continue(mailbox):
    mailbox.append("INBOX", fixture_message("01-normal.eml"), msg_time=APPENDED_AT)
    state: dict = {}

    missing, normal = fetch_imap(mailbox, state, source_file=SOURCE_FILE, folders=["No Such Folder", "INBOX"])

    assert isinstance(missing, Reject)
    assert (missing.source, missing.source_file, missing.location) == ("imap", SOURCE_FILE, "No Such Folder")
    assert missing.reason.startswith("cannot read folder: select failed: Mailbox doesn't exist: No Such Folder")
    assert normal == inbox_normal()
    assert list(state["folders"]) == ["INBOX"]


@pytest.mark.servers
def test_message_without_usable_headers_is_a_reject_naming_folder_and_uid(mailbox):
    mailbox.append("INBOX", b"X-Spam-Score: 12\r\n\r\nno real headers\r\n", msg_time=APPENDED_AT)
    mailbox.append("INBOX", fixture_message("01-normal.eml"), msg_time=APPENDED_AT)

    assert list(fetch_imap(mailbox, {}, source_file=SOURCE_FILE)) == [
        Reject("imap", SOURCE_FILE, "INBOX UID 1", "no message headers (From, To, Date, Subject, Message-ID)"),
        inbox_normal(uid=2),
    ]


@pytest.mark.servers
def test_a_subject_in_a_charset_python_cannot_decode_stops_neither_the_sync_nor_the_message(mailbox):
    sale = fixture_message("01-normal.eml").replace(b"Lunch on Thursday?", b"=?undefined?B?U2FsZQ==?=")
    mailbox.append("INBOX", sale.replace(b"<lunch-1@", b"<sale-1@"), msg_time=APPENDED_AT)
    mailbox.append("INBOX", fixture_message("01-normal.eml"), msg_time=APPENDED_AT)
    state: dict = {}

    records = list(fetch_imap(mailbox, state, source_file=SOURCE_FILE))

    assert [(record.location, record.title) for record in records] == [
        ("INBOX UID 1", "Sale"), ("INBOX UID 2", "Lunch on Thursday?")
    ]
    assert state["folders"]["INBOX"]["last_uid"] == 2


GMAIL_LISTING = [
    ((b"\\HasNoChildren",), b"/", "INBOX"),
    ((b"\\HasNoChildren",), b"/", "Friends"),
    ((b"\\HasChildren", b"\\Noselect"), b"/", "[Gmail]"),
    ((b"\\All", b"\\HasNoChildren"), b"/", "[Gmail]/All Mail"),
    ((b"\\HasNoChildren", b"\\Drafts"), b"/", "[Gmail]/Drafts"),
    ((b"\\HasNoChildren", b"\\Sent"), b"/", "[Gmail]/Sent Mail"),
    ((b"\\HasNoChildren", b"\\Junk"), b"/", "[Gmail]/Spam"),
]
# Fastmail's LIST (RFC 6154 special-use flags), plus a spam folder whose name alone would not tell.
FASTMAIL_LISTING = [
    ((b"\\HasNoChildren",), b"/", "INBOX"),
    ((b"\\HasNoChildren", b"\\Drafts"), b"/", "Drafts"),
    ((b"\\HasNoChildren", b"\\Sent"), b"/", "Sent"),
    ((b"\\Noinferiors", b"\\HasNoChildren", b"\\Junk"), b"/", "Spam"),
    ((b"\\HasNoChildren", b"\\Junk"), b"/", "Werbung"),
    ((b"\\HasNoChildren", b"\\Trash"), b"/", "Trash"),
]


class FakeGmail:
    """Just enough of IMAPClient to stand in for Gmail: X-GM-EXT-1, All Mail with \\All, label FETCH items.

    With `gmail=False` it is a plain IMAP server listing `listing`, every folder holding `messages`.
    """

    def __init__(self, messages: dict[int, dict], listing: list = GMAIL_LISTING, gmail: bool = True) -> None:
        self.messages = messages
        self.listing = listing
        self.gmail = gmail
        self.selected: list[tuple[str, bool]] = []
        self.fetched_items: list[list[bytes]] = []

    def capabilities(self):
        return (b"IMAP4REV1", b"X-GM-EXT-1", b"UIDPLUS") if self.gmail else (b"IMAP4REV1", b"SPECIAL-USE")

    def list_folders(self):
        return self.listing

    def select_folder(self, folder, readonly=False):
        self.selected.append((folder, readonly))
        return {b"UIDVALIDITY": 11, b"UIDNEXT": max(self.messages) + 1}

    def search(self, criteria):
        return sorted(self.messages)

    def fetch(self, uids, items):
        self.fetched_items.append(items)
        return {uid: self.messages[uid] for uid in uids}


def test_gmail_reads_all_mail_only_with_labels_and_thread_id():
    client = FakeGmail(
        {
            7: {
                b"BODY[HEADER]": fixture_message("02-sent.eml").split(b"\r\n\r\n")[0] + b"\r\n\r\n",
                b"INTERNALDATE": APPENDED_AT,
                b"X-GM-THRID": 1801234567890123456,
                b"X-GM-LABELS": (b"\\Sent", b"&AMk-quipe", 2024),
            }
        }
    )
    state: dict = {}

    records = list(fetch_imap(client, state, source_file=SOURCE_FILE))

    expected = sent_reply()
    expected.location = "[Gmail]/All Mail UID 7"
    expected.labels = ["[Gmail]/All Mail", "Sent", "Équipe", "2024"]
    expected.thread_id = "1801234567890123456"
    assert records == [expected]
    assert client.selected == [("[Gmail]/All Mail", True)]
    assert client.fetched_items == [[b"BODY.PEEK[HEADER]", b"INTERNALDATE", b"X-GM-THRID", b"X-GM-LABELS"]]
    assert state == {"folders": {"[Gmail]/All Mail": {"uidvalidity": 11, "last_uid": 7}}}


def test_a_message_that_fails_unforeseen_is_a_reject_for_its_uid_and_the_sync_goes_on():
    client = FakeGmail({7: message_data("01-normal.eml", (b"&A-",)), 8: message_data("02-sent.eml", (b"\\Sent",))})
    state: dict = {}

    records = list(fetch_imap(client, state, source_file=SOURCE_FILE))

    assert [type(record).__name__ for record in records] == ["Reject", "Interaction"]
    assert records[0].location == "[Gmail]/All Mail UID 7"
    assert records[0].reason.startswith("could not be read (Message-ID <lunch-1@example.org>): UnicodeDecodeError")
    assert state["folders"]["[Gmail]/All Mail"]["last_uid"] == 8


def message_data(eml: str, labels: tuple = ()) -> dict:
    data = {b"BODY[HEADER]": fixture_message(eml).split(b"\r\n\r\n")[0] + b"\r\n\r\n", b"INTERNALDATE": APPENDED_AT}
    return {**data, b"X-GM-THRID": 1801234567890123456, b"X-GM-LABELS": labels} if labels else data


@pytest.mark.parametrize("label", [b"\\Draft", b"\\Spam", b"\\Trash"])
def test_gmail_drafts_spam_and_trash_are_no_interactions(label):
    client = FakeGmail({7: message_data("02-sent.eml", (b"\\Sent",)), 8: message_data("01-normal.eml", (label,))})
    state: dict = {}

    records = list(fetch_imap(client, state, source_file=SOURCE_FILE))

    assert [record.location for record in records] == ["[Gmail]/All Mail UID 7"]
    assert state["folders"]["[Gmail]/All Mail"]["last_uid"] == 8  # skipped, not to be fetched again


def test_special_use_junk_trash_and_drafts_folders_are_not_read():
    client = FakeGmail({1: message_data("01-normal.eml")}, listing=FASTMAIL_LISTING, gmail=False)

    records = list(fetch_imap(client, {}, source_file=SOURCE_FILE))

    assert client.selected == [("INBOX", True), ("Sent", True)]
    assert [record.location for record in records] == ["INBOX UID 1", "Sent UID 1"]


@pytest.mark.servers
def test_folders_named_like_spam_trash_or_drafts_are_not_read_without_special_use(mailbox):
    for folder in ("Junk", "Trash", "Drafts", "Archive/Spam"):
        mailbox.create_folder(folder)
        mailbox.append(folder, fixture_message("03-reply.eml"), msg_time=APPENDED_AT)
    assert not [flags for flags, _, name in mailbox.list_folders() if name == "Junk" and len(flags) > 1]
    mailbox.append("INBOX", fixture_message("01-normal.eml"), msg_time=APPENDED_AT)

    assert list(fetch_imap(mailbox, {}, source_file=SOURCE_FILE)) == [inbox_normal()]


@pytest.mark.servers
def test_a_spam_folder_named_in_the_config_is_a_reject_and_not_read(mailbox):
    mailbox.create_folder("Junk")
    mailbox.append("Junk", fixture_message("03-reply.eml"), msg_time=APPENDED_AT)
    mailbox.append("INBOX", fixture_message("01-normal.eml"), msg_time=APPENDED_AT)
    state: dict = {}

    records = list(fetch_imap(mailbox, state, source_file=SOURCE_FILE, folders=["Junk", "INBOX"]))

    assert records == [
        Reject("imap", SOURCE_FILE, "Junk", "not read: spam, trash and drafts hold no interactions"),
        inbox_normal(),
    ]
    assert list(state["folders"]) == ["INBOX"]


@pytest.mark.parametrize(
    ("name", "flags", "delimiter", "is_sent"),
    [
        ("Sent", (), "/", True),
        ("INBOX.Sent Items", (), ".", True),
        ("Sent Messages", (), "/", True),
        ("[Gmail]/Sent Mail", (), "/", True),
        ("Verschickt", (b"\\sent",), "/", True),
        ("INBOX", (), "/", False),
        ("Sentimental", (), "/", False),
    ],
)
def test_sent_folder_by_special_use_or_name(name, flags, delimiter, is_sent):
    assert Folder(name, frozenset(flags), delimiter).is_sent is is_sent


@pytest.mark.parametrize(
    ("name", "flags", "delimiter", "skipped"),
    [
        ("Werbung", (b"\\junk",), "/", True),
        ("Corbeille", (b"\\trash",), "/", True),
        ("Entwurf", (b"\\drafts",), "/", True),
        ("INBOX.Junk E-mail", (), ".", True),
        ("Deleted Items", (), "/", True),
        ("Papierkorb", (), "/", True),
        ("INBOX", (), "/", False),
        ("Spammers I answered", (), "/", False),
        ("Archive", (b"\\archive",), "/", False),
    ],
)
def test_spam_trash_and_drafts_folders_by_special_use_or_name(name, flags, delimiter, skipped):
    assert Folder(name, frozenset(flags), delimiter).holds_no_interactions is skipped


def test_imap_skips_the_folders_whose_files_count_for_nobody_and_trash():
    # One name list: a drafts or spam folder IMAP skips is one whose mbox or Maildir mail counts for nobody.
    for names in (DRAFTS_LABELS, SPAM_LABELS, TRASH_LABELS):
        assert all(Folder(f"INBOX.{name}", frozenset(), ".").holds_no_interactions for name in names)


def test_connect_refuses_plaintext_to_a_non_loopback_host():
    with pytest.raises(ValueError, match="unencrypted"):
        connect_imap("imap.example.com", 143, "me", "secret", ssl=False)


def test_connect_verifies_certificates_by_default(monkeypatch):
    opened = {}

    class RecordingClient:
        def __init__(self, host, port, ssl, ssl_context):
            opened.update(host=host, port=port, ssl=ssl, context=ssl_context)

        def login(self, username, password):
            opened["login"] = (username, password)

    monkeypatch.setattr(imap.imapclient, "IMAPClient", RecordingClient)

    connect_imap("imap.example.com", 993, "me", "secret")

    assert (opened["host"], opened["port"], opened["ssl"], opened["login"]) == (
        "imap.example.com", 993, True, ("me", "secret"),
    )
    assert opened["context"].verify_mode == ssl.CERT_REQUIRED
    assert opened["context"].check_hostname is True
