"""Tests for connectors/carddav.py against a real Radicale server on 127.0.0.1."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import caldav
import pytest

from connectors.carddav import fetch_carddav
from connectors.records import ContactCard, Reject
from tests.servers.radicale import radicale_server  # noqa: F401  (pytest fixture)

SOURCE_FILE = "account:radicale-contacts"
MKCOL_ADDRESS_BOOK = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>'
    "<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>"
    "<D:displayname>Contacts</D:displayname>"
    "</D:prop></D:set></D:mkcol>"
)


def vcard(uid: str, name: str, email: str) -> str:
    return "\r\n".join(
        ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}", f"N:{name.split()[-1]};{name.split()[0]};;;",
         f"EMAIL;TYPE=INTERNET,WORK:{email}", "END:VCARD", ""]
    )


class AddressBook:
    """A fresh user's address book on the test server, written to with raw CardDAV requests."""

    def __init__(self, client: caldav.DAVClient, url: str) -> None:
        self.client = client
        self.url = url

    def put(self, name: str, text: str) -> None:
        response = self.client.put(self.url + name, text, {"Content-Type": "text/vcard; charset=utf-8"})
        assert response.status in (201, 204), response.status

    def delete(self, name: str) -> None:
        assert self.client.delete(self.url + name).status in (200, 204)


@pytest.fixture
def book(radicale_server, request) -> AddressBook:  # noqa: F811
    """An address book holding Ada and Grace."""
    user = request.node.name.replace("[", "_").replace("]", "_")
    client = caldav.DAVClient(url=radicale_server.url, username=user, password=radicale_server.password)
    client.principal()  # Radicale creates the user's home on first sight
    url = radicale_server.home(user) + "contacts/"
    assert client.mkcol(url, MKCOL_ADDRESS_BOOK).status == 201
    address_book = AddressBook(client, url)
    address_book.put("ada.vcf", vcard("ada-uid", "Ada Lovelace", "ada@example.com"))
    address_book.put("grace.vcf", vcard("grace-uid", "Grace Hopper", "grace@example.org"))
    return address_book


def fetch(book: AddressBook, state: dict, **options) -> list[ContactCard | Reject]:
    options.setdefault("address_book_url", book.url)
    return list(fetch_carddav(book.client, state, source_file=SOURCE_FILE, **options))


def summary(records) -> list[tuple[str, str | None, bool]]:
    return sorted((r.record_key, r.full_name, r.deleted) for r in records if isinstance(r, ContactCard))


def test_first_sync_returns_every_card(book):
    state: dict = {}
    records = fetch(book, state)
    assert summary(records) == [("ada-uid", "Ada Lovelace", False), ("grace-uid", "Grace Hopper", False)]
    ada = next(r for r in records if r.record_key == "ada-uid")
    assert (ada.source, ada.source_file, ada.given_name, ada.family_name) == ("carddav", SOURCE_FILE, "Ada", "Lovelace")
    assert [i.value for i in ada.identifiers if i.kind == "email"] == ["ada@example.com"]
    assert ada.location == "/test_first_sync_returns_every_card/contacts/ada.vcf, card 1 (line 1)"
    assert json.loads(json.dumps(state)) == state
    assert state["address_books"][book.url]["sync_token"]


def test_resync_returns_only_the_changed_card(book):
    state: dict = {}
    fetch(book, state)
    assert fetch(book, state) == []
    book.put("grace.vcf", vcard("grace-uid", "Grace B. Hopper", "grace@example.org"))
    assert summary(fetch(book, state)) == [("grace-uid", "Grace B. Hopper", False)]


def test_deleted_card_comes_back_deleted(book):
    state: dict = {}
    fetch(book, state)
    book.delete("ada.vcf")
    [deleted] = fetch(book, state)
    assert (deleted.record_key, deleted.deleted, deleted.source, deleted.full_name) == ("ada-uid", True, "carddav", None)


def test_refused_sync_token_falls_back_to_a_full_listing(book):
    state: dict = {}
    fetch(book, state)
    book.delete("grace.vcf")
    state["address_books"][book.url]["sync_token"] = "http://radicale.org/ns/sync/not-a-token"
    assert summary(fetch(book, state)) == [("grace-uid", None, True)]
    assert fetch(book, state) == []


def test_address_books_are_discovered_without_a_url(book):
    state: dict = {}
    records = fetch(book, state, address_book_url=None)
    assert summary(records) == [("ada-uid", "Ada Lovelace", False), ("grace-uid", "Grace Hopper", False)]
    assert list(state["address_books"]) == [book.url]


ESC_MARKER = b"ESC-CHAR-HERE"


class RawControlCharacters:
    """Stands between the client and Radicale, which will not store a raw control character: every reply
    gets one where a card says ESC_MARKER, as SabreDAV serves it (sabre-io/dav#783). A GET of the card named
    `unreadable` answers HTTP 500, so that one cannot be fetched by itself either."""

    def __init__(self, client: caldav.DAVClient, unreadable: str | None = None) -> None:
        self.session = client.session
        self.unreadable = unreadable
        client.session = self

    def request(self, method, url, **options):
        response = self.session.request(method, url, **options)
        response._content = response.content.replace(ESC_MARKER, b"\x1b")
        if method == "GET" and self.unreadable and url.endswith(self.unreadable):
            response.status_code = 500
        return response

    def __getattr__(self, name):
        return getattr(self.session, name)


def test_a_reply_spoilt_by_one_card_s_control_character_is_read_card_by_card(book):
    escaped = vcard("bad-uid", "Bad Byte", "bad@example.com").replace("END:", "NOTE:a ESC-CHAR-HERE b\r\nEND:")
    book.put("bad.vcf", escaped)
    RawControlCharacters(book.client)
    state: dict = {}

    records = fetch(book, state)

    assert summary(records) == [
        ("ada-uid", "Ada Lovelace", False), ("bad-uid", "Bad Byte", False), ("grace-uid", "Grace Hopper", False)
    ]
    assert next(r for r in records if r.record_key == "bad-uid").note == "a  b"  # less the control character
    assert state["address_books"][book.url]["sync_token"] and "refetch" not in state["address_books"][book.url]


def test_a_card_that_cannot_be_fetched_at_all_is_a_reject_and_fetched_on_the_next_run(book):
    book.put("bad.vcf", vcard("bad-uid", "Bad Byte", "bad@example.com").replace("END:", "NOTE:ESC-CHAR-HERE\r\nEND:"))
    session = RawControlCharacters(book.client, unreadable="bad.vcf").session
    state: dict = {}

    records = fetch(book, state)

    path = urlsplit(book.url).path
    reason = "cannot fetch the card, to be fetched again on the next run: HTTP 500"
    assert [r for r in records if isinstance(r, Reject)] == [Reject("carddav", SOURCE_FILE, f"{path}bad.vcf", reason)]
    assert summary(records) == [("ada-uid", "Ada Lovelace", False), ("grace-uid", "Grace Hopper", False)]
    book_state = state["address_books"][book.url]
    token = book_state["sync_token"]
    assert token and book_state["refetch"] == [f"{path}bad.vcf"]

    book.client.session = session  # the server answers again; the card itself has not changed since
    book.put("ada.vcf", vcard("ada-uid", "Ada King", "ada@example.com"))
    assert summary(fetch(book, state)) == [("ada-uid", "Ada King", False), ("bad-uid", "Bad Byte", False)]
    assert "refetch" not in book_state and book_state["sync_token"] != token


def group_card(uid: str, name: str, *members: str) -> str:
    """A contact group as iCloud stores it: a card of its own that lists its members' UIDs."""
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{name};;;;", f"FN:{name}", "X-ADDRESSBOOKSERVER-KIND:group"]
    lines += [f"X-ADDRESSBOOKSERVER-MEMBER:urn:uuid:{member}" for member in members]
    return "\r\n".join([*lines, f"UID:{uid}", "END:VCARD", ""])


def categories(records) -> dict[str, list[str]]:
    return {r.record_key: r.categories for r in records if isinstance(r, ContactCard) and not r.deleted}


def test_icloud_group_cards_become_their_members_categories_and_follow_their_changes(book):
    book.put("friends.vcf", group_card("friends-uid", "Friends", "ADA-UID", "nobody-uid"))
    state: dict = {}

    assert categories(fetch(book, state)) == {"ada-uid": ["Friends"], "grace-uid": []}

    book.put("friends.vcf", group_card("friends-uid", "Friends", "ada-uid", "grace-uid"))
    assert categories(fetch(book, state)) == {"grace-uid": ["Friends"]}  # Ada's groups did not change

    book.put("navy.vcf", group_card("navy-uid", "Navy", "grace-uid"))
    book.delete("friends.vcf")
    assert categories(fetch(book, state)) == {"ada-uid": [], "grace-uid": ["Navy"]}
    assert fetch(book, state) == []


def test_a_group_card_without_a_name_is_a_reject(book):
    book.put("nameless.vcf", group_card("nameless-uid", "", "ada-uid").replace("N:;;;;\r\nFN:", "FN: "))
    records = fetch(book, {})
    assert [(r.location.rsplit("/", 1)[1], r.reason) for r in records if isinstance(r, Reject)] == [
        ("nameless.vcf, card 1 (line 1)", "group card (X-ADDRESSBOOKSERVER-KIND=group) has no name")
    ]
    assert categories(records) == {"ada-uid": [], "grace-uid": []}


def test_nextcloud_recently_contacted_is_read_only_when_named(book):
    recent = book.url.replace("/contacts/", "/z-app-generated--contactsinteraction--recent/")
    assert book.client.mkcol(recent, MKCOL_ADDRESS_BOOK).status == 201
    book.client.put(recent + "r.vcf", vcard("recent-uid", "Once Mailed", "once@example.net"), {})

    discovered: dict = {}
    assert summary(fetch(book, discovered, address_book_url=None)) == [
        ("ada-uid", "Ada Lovelace", False), ("grace-uid", "Grace Hopper", False)
    ]
    assert list(discovered["address_books"]) == [book.url]
    assert summary(fetch(book, {}, address_book_url=recent)) == [("recent-uid", "Once Mailed", False)]
