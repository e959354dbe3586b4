"""Tests for connectors/carddav.py against a real Radicale server on 127.0.0.1."""

from __future__ import annotations

import json

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
