"""Fetches a CardDAV address book incrementally (sync-collection, else ETags) into ContactCards.

`state` (JSON-able, updated in place) holds per address-book URL the server's sync token and, per card
href, its ETag and the record keys it produced, so a card removed on the server (or whose UID changed)
comes back as `ContactCard(deleted=True)` with the key the loader knows. A group card (Apple's contact
groups) keeps its name and members there too: its name is a category of each member card, and a member
whose groups changed is read again. `refetch` lists the cards that could not be fetched, for the next run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import caldav
from caldav.lib import error as dav_error
from lxml import etree

from connectors.records import ContactCard, Reject
from connectors.vcard import ContactGroup, GroupMembership, entries_from_text
from connectors.vcard.groups import member_key

__all__ = ["fetch_carddav"]

SOURCE = "carddav"
_DAV = "{DAV:}"
_CARDDAV = "{urn:ietf:params:xml:ns:carddav}"
_MULTIGET_BATCH = 100
_MAX_SYNC_PAGES = 100  # a server truncates a long sync-collection reply (RFC 6578 section 3.6)
_XML_HEADERS = {"Content-Type": 'application/xml; charset="utf-8"'}
# A reply that is not well-formed XML: SabreDAV serves a raw control character of a card or event as it is.
# caldav's client parses a reply with lxml before we see it; ElementTree reads the ones it leaves as text.
BAD_XML = (ElementTree.ParseError, etree.XMLSyntaxError)
_CANNOT_READ = (dav_error.DAVError, *BAD_XML)
# Nextcloud's "Recently contacted": people the owner mailed, gathered by the Contacts app, not address book cards.
_GENERATED_BOOKS = ("z-app-generated--contactsinteraction--recent",)


def fetch_carddav(
    client: caldav.DAVClient, state: dict, *, address_book_url: str | None = None, source_file: str
) -> Iterator[ContactCard | Reject]:
    """Yield the cards added or changed since `state`, and deleted cards for the ones that went away.

    Without `address_book_url`, every address book of the user's principal is synced, except Nextcloud's
    generated "Recently contacted" (name it as `address_book_url` to read it).
    """
    try:
        books = [address_book_url] if address_book_url else _discover_address_books(client)
    except _CANNOT_READ as problem:
        yield Reject(SOURCE, source_file, str(client.url), f"cannot find the address books: {problem}")
        return
    book_states = state.setdefault("address_books", {})
    for url in books:
        yield from _BookSync(client, url, book_states.setdefault(url, {}), source_file).run()


@dataclass(slots=True)
class _Member:
    href: str  # path, unquoted
    status: int
    props: dict[str, ElementTree.Element]


@dataclass(slots=True)
class _Listing:
    etags: dict[str, str | None]  # href -> ETag; None when the server says the card is gone
    token: str | None
    complete: bool  # every member listed, so a known href missing from it is gone


class _BookSync:
    def __init__(self, client: caldav.DAVClient, url: str, state: dict, source_file: str) -> None:
        self.client = client
        self.url = url
        self.path = unquote(urlsplit(url).path)
        # {"sync_token": str | None, "cards": {href: {"etag", "keys", "group"?}}, "refetch": [href]?}
        self.state = state
        self.source_file = source_file
        self.failed: list[str] = []  # hrefs this run could not fetch

    def run(self) -> Iterator[ContactCard | Reject]:
        known: dict[str, dict] = self.state.setdefault("cards", {})
        try:
            listing = self._listing(self.state.get("sync_token"))
        except _CANNOT_READ as problem:
            yield self._reject(self.url, f"cannot list address book: {problem}")
            return
        groups_before = _membership(known)
        gone = {href for href, etag in listing.etags.items() if etag is None}
        if listing.complete:
            gone |= known.keys() - listing.etags.keys()
        changed = [
            href for href, etag in listing.etags.items() if etag is not None and etag != known.get(href, {}).get("etag")
        ]
        changed += [href for href in self.state.pop("refetch", []) if href not in gone and href not in changed]
        for href in sorted(gone):
            yield from self._deleted(href, known.pop(href, {}).get("keys", []))
        # Held back until every group card is read: a group may come after its members.
        records = list(self._fetch(changed, known))
        groups = _membership(known)
        records += self._fetch(_regrouped(groups_before, groups, known, set(changed)), known)
        for record in records:
            if isinstance(record, ContactCard) and not record.deleted:
                groups.add_categories(record)
            yield record
        # The token moves on past a card that failed: `refetch` brings that one next time.
        self.state["sync_token"] = listing.token
        if self.failed:
            self.state["refetch"] = sorted(set(self.failed))

    def _listing(self, token: str | None) -> _Listing:
        """Changes since `token` by sync-collection; all members if the token is refused or sync unsupported."""
        for attempt in ([token, None] if token else [None]):
            try:
                return self._sync_collection(attempt)
            except (dav_error.DAVError, _Unsupported):
                continue
        return self._propfind_etags()

    def _sync_collection(self, token: str | None) -> _Listing:
        etags: dict[str, str | None] = {}
        current = token
        for _ in range(_MAX_SYNC_PAGES):
            body = (
                '<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:">'
                f"<D:sync-token>{escape(current or '')}</D:sync-token><D:sync-level>1</D:sync-level>"
                "<D:prop><D:getetag/></D:prop></D:sync-collection>"
            )
            response = self.client.request(self.url, "REPORT", body, {**_XML_HEADERS, "Depth": "0"})
            if response.status != 207:
                raise _Unsupported(response.status)
            root = ElementTree.fromstring(response.raw)
            truncated = False
            for member in _members(root):
                if member.href.rstrip("/") == self.path.rstrip("/"):
                    truncated = member.status == 507
                elif member.status == 404:
                    etags[member.href] = None
                elif _DAV + "getetag" in member.props:
                    etags[member.href] = member.props[_DAV + "getetag"].text
            new_token = root.findtext(_DAV + "sync-token")
            if not truncated or not new_token or new_token == current:
                return _Listing(etags, new_token, complete=token is None and not truncated)
            current = new_token
        return _Listing(etags, current, complete=False)

    def _propfind_etags(self) -> _Listing:
        body = '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:resourcetype/></D:prop></D:propfind>'
        response = self.client.request(self.url, "PROPFIND", body, {**_XML_HEADERS, "Depth": "1"})
        etags = {
            member.href: member.props[_DAV + "getetag"].text
            for member in _members(ElementTree.fromstring(response.raw))
            if member.href.rstrip("/") != self.path.rstrip("/") and _DAV + "getetag" in member.props
        }
        return _Listing(etags, None, complete=True)

    def _fetch(self, hrefs: list[str], known: dict[str, dict]) -> Iterator[ContactCard | Reject]:
        """The records of the cards at `hrefs`, one addressbook-multiget per batch. A batch whose reply is not
        XML (one card's raw control character spoils the whole reply) is fetched again card by card."""
        for start in range(0, len(hrefs), _MULTIGET_BATCH):
            batch = hrefs[start : start + _MULTIGET_BATCH]
            try:
                members = self._multiget(batch)
            except BAD_XML:
                for href in batch:
                    yield from self._get(href, known)
                continue
            except dav_error.DAVError as problem:
                yield self._failed(batch, self.url, str(problem))
                continue
            for member in members:
                yield from self._member_records(member, known)

    def _multiget(self, hrefs: list[str]) -> list[_Member]:
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">'
            "<D:prop><D:getetag/><C:address-data/></D:prop>"
            + "".join(f"<D:href>{escape(href)}</D:href>" for href in hrefs)
            + "</C:addressbook-multiget>"
        )
        response = self.client.request(self.url, "REPORT", body, {**_XML_HEADERS, "Depth": "1"})
        return list(_members(ElementTree.fromstring(response.raw)))

    def _member_records(self, member: _Member, known: dict[str, dict]) -> Iterator[ContactCard | Reject]:
        if member.status == 404:
            yield from self._deleted(member.href, known.pop(member.href, {}).get("keys", []))
            return
        data = member.props.get(_CARDDAV + "address-data")
        if data is None or not (data.text or "").strip():
            yield self._reject(member.href, "no address-data in the server's reply")
            return
        etag = member.props.get(_DAV + "getetag")
        yield from self._ingest(member.href, data.text, etag.text if etag is not None else None, known)

    def _get(self, href: str, known: dict[str, dict]) -> Iterator[ContactCard | Reject]:
        """One card by GET, which sends the vCard as it is, with no XML around it to break."""
        try:
            response = self.client.request(urljoin(self.url, quote(href)), "GET", "", {})
        except _CANNOT_READ as problem:
            yield self._failed([href], href, f"{type(problem).__name__}: {problem}")
            return
        if response.status == 404:
            yield from self._deleted(href, known.pop(href, {}).get("keys", []))
        elif response.status < 300:
            yield from self._ingest(href, response.raw, response.headers.get("ETag"), known)
        else:
            yield self._failed([href], href, f"HTTP {response.status}")

    def _ingest(self, href: str, text: str, etag: str | None, known: dict[str, dict]) -> Iterator[ContactCard | Reject]:
        keys, group = [], None
        for record in entries_from_text(text, source=SOURCE, source_file=self.source_file):
            record.location = f"{href}, {record.location}"
            if isinstance(record, ContactGroup):
                group = {"name": record.name, "members": record.members}
                continue
            if isinstance(record, ContactCard):
                keys.append(record.record_key)
            yield record
        old_keys = known.get(href, {}).get("keys", [])
        yield from self._deleted(href, [key for key in old_keys if key not in keys])
        known[href] = {"etag": etag, "keys": keys, **({"group": group} if group else {})}

    def _deleted(self, href: str, keys: list[str]) -> Iterator[ContactCard]:
        for key in keys:
            yield ContactCard(source=SOURCE, source_file=self.source_file, location=href, record_key=key, deleted=True)

    def _failed(self, hrefs: list[str], location: str, problem: str) -> Reject:
        """A Reject for cards that could not be fetched; they are kept to be fetched on the next run."""
        self.failed += hrefs
        what = "the card" if len(hrefs) == 1 else f"{len(hrefs)} cards"
        return self._reject(location, f"cannot fetch {what}, to be fetched again on the next run: {problem}")

    def _reject(self, location: str, reason: str) -> Reject:
        return Reject(SOURCE, self.source_file, location, reason)


class _Unsupported(Exception):
    """The server answered sync-collection with something other than a multistatus."""


def _members(root: ElementTree.Element) -> Iterator[_Member]:
    for response in root.iter(_DAV + "response"):
        href = unquote(urlsplit(response.findtext(_DAV + "href", "")).path)
        props: dict[str, ElementTree.Element] = {}
        for propstat in response.iter(_DAV + "propstat"):
            found = propstat.find(_DAV + "prop")
            if found is not None and _status_code(propstat.findtext(_DAV + "status")) == 200:
                props.update({prop.tag: prop for prop in found})
        yield _Member(href, _status_code(response.findtext(_DAV + "status")) or 200, props)


def _status_code(status_line: str | None) -> int | None:
    parts = (status_line or "").split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def _membership(known: dict[str, dict]) -> GroupMembership:
    """The groups of the group cards in a book's state."""
    return GroupMembership(
        ContactGroup(href, entry["group"]["name"], entry["group"]["members"])
        for href, entry in known.items()
        if entry.get("group")
    )


def _regrouped(before: GroupMembership, after: GroupMembership, known: dict[str, dict], fetched: set[str]) -> list[str]:
    """The cards not fetched in this run whose groups changed (a group card was edited or deleted): read
    again, as the server has no change of their own to report, so they come back with the new categories."""
    members = before.names.keys() | after.names.keys()
    moved = {member for member in members if before.names.get(member) != after.names.get(member)}
    return sorted(
        href
        for href, entry in known.items()
        if href not in fetched and moved & {member_key(key) for key in entry.get("keys", [])}
    )


def _discover_address_books(client: caldav.DAVClient) -> list[str]:
    """The address books in the user's addressbook-home-set (RFC 6352 section 7.1), but generated ones."""
    principal = _single_href(client, str(client.url), _DAV + "current-user-principal")
    home = _single_href(client, principal, _CARDDAV + "addressbook-home-set")
    body = '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>'
    response = client.request(home, "PROPFIND", body, {**_XML_HEADERS, "Depth": "1"})
    return [
        urljoin(home, member.href)
        for member in _members(ElementTree.fromstring(response.raw))
        if member.props.get(_DAV + "resourcetype") is not None
        and member.props[_DAV + "resourcetype"].find(_CARDDAV + "addressbook") is not None
        and not any(name in member.href for name in _GENERATED_BOOKS)
    ]


def _single_href(client: caldav.DAVClient, url: str, prop: str) -> str:
    namespace, _, name = prop[1:].partition("}")
    body = f'<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><x:{name} xmlns:x="{namespace}"/></prop></propfind>'
    response = client.request(url, "PROPFIND", body, {**_XML_HEADERS, "Depth": "0"})
    for member in _members(ElementTree.fromstring(response.raw)):
        if prop in member.props:
            href = member.props[prop].findtext(_DAV + "href")
            if href:
                return urljoin(url, href.strip())
    raise dav_error.PropfindError(f"{url} has no {name}")
