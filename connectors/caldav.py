"""Fetches a CalDAV account's events incrementally (sync-collection, else ETags) into meeting Interactions.

`state` (JSON-able, updated in place) holds per calendar URL the server's sync token and, per object
href, its ETag and the interaction keys it produced. That lets a later fetch say what went away:
occurrences of a deleted object, or occurrences a changed object no longer has, come back as
`Interaction(status="cancelled")` with the same key, so a loader that upserts by key forgets them.
Recurring objects are fetched again once the expansion window (a year ahead) has moved on by
`REEXPAND_AFTER`, so an endless series keeps producing upcoming occurrences without any change on
the server. `refetch` lists the objects that could not be fetched, for the next run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import caldav
from caldav.elements import dav
from caldav.lib import error as dav_error

from connectors.carddav import BAD_XML
from connectors.ics import FUTURE_HORIZON, events_from_calendar_text
from connectors.records import Interaction, OwnerIdentity, Reject, cancelled_meeting

__all__ = ["REEXPAND_AFTER", "fetch_caldav"]

SOURCE = "caldav"
REEXPAND_AFTER = timedelta(days=30)
_MULTIGET_BATCH = 100
_RRULE = re.compile(r"^RRULE[;:](.*)$", re.IGNORECASE | re.MULTILINE)
_UNTIL = re.compile(r"UNTIL=(\d{8})", re.IGNORECASE)
_MAILTO = re.compile(r"^\s*mailto:([^?\s]+)", re.IGNORECASE)
_CANNOT_READ = (dav_error.DAVError, *BAD_XML)


def fetch_caldav(
    client: caldav.DAVClient,
    state: dict,
    *,
    calendars: list[str] | None = None,
    source_file: str,
    now: datetime | None = None,
) -> Iterator[Interaction | OwnerIdentity | Reject]:
    """Yield the occurrences of events added or changed since `state`, and cancellations for removed ones;
    first, the principal's own addresses as the owner's.

    `calendars` picks calendars by display name or URL; None means all calendars of the principal.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    wanted = set(calendars) if calendars is not None else None
    calendar_states = state.setdefault("calendars", {})
    principal = client.principal()
    yield from _owner_addresses(principal, source_file)
    for calendar in principal.calendars():
        name = calendar.get_display_name() or calendar.url.path
        if wanted is not None and not wanted & {name, str(calendar.url), calendar.url.path}:
            continue
        sync = _CalendarSync(calendar, name, calendar_states.setdefault(str(calendar.url), {}), source_file, now)
        yield from sync.run()


def _owner_addresses(principal: caldav.Principal, source_file: str) -> Iterator[OwnerIdentity]:
    """The principal's mailto: addresses (RFC 6638 calendar-user-address-set): the owner's, as invitations name
    them. A server without scheduling gives none, or only the principal's URL."""
    try:
        addresses = principal.calendar_user_address_set()
    except Exception:  # a hint, not the data: a server that cannot give it still syncs its calendars
        return
    for address in addresses:
        mailto = _MAILTO.match(address or "")
        if mailto:
            yield OwnerIdentity(SOURCE, source_file, "email", mailto.group(1).lower())


@dataclass(slots=True)
class _CalendarSync:
    calendar: caldav.Calendar
    name: str
    # {"sync_token": str | None, "objects": {href: {"etag", "keys", "expanded_until"}}, "refetch": [href]?}
    state: dict
    source_file: str
    now: datetime
    failed: list[str] = field(default_factory=list)  # hrefs this run could not fetch

    def run(self) -> Iterator[Interaction | Reject]:
        token = self.state.get("sync_token")
        known: dict[str, dict] = self.state.setdefault("objects", {})
        try:
            listing = self.calendar.get_objects_by_sync_token(token, load_objects=False)
        except _CANNOT_READ as problem:
            yield Reject(SOURCE, self.source_file, str(self.calendar.url), f"cannot list calendar: {problem}")
            return
        emulated = _is_emulated(listing.sync_token)  # the server has no sync-collection: full listing
        gone = {_href(url) for url in listing.deleted_urls}
        listed = {_href(obj.url): obj for obj in listing if _href(obj.url) not in gone}
        if not token or emulated:
            gone |= known.keys() - listed.keys()
        changed = [obj for href, obj in listed.items() if _etag(obj) is None or _etag(obj) != known.get(href, {}).get("etag")]
        for href in sorted(gone):
            yield from self._cancel(href, known.pop(href, {}).get("keys", []))
        to_fetch = [obj.url for obj in changed if not obj.is_loaded()]  # an emulated sync brings the data along
        to_fetch += [self.calendar.url.join(href) for href in self._stale_recurring(known, listed.keys())]
        to_fetch += [self.calendar.url.join(href) for href in self._refetch(gone, listed.keys())]
        for obj in chain((obj for obj in changed if obj.is_loaded()), self._fetch(to_fetch)):
            if isinstance(obj, Reject):
                yield obj
            else:
                yield from self._ingest(obj, known)
        # The token moves on past an object that failed: `refetch` brings that one next time.
        self.state["sync_token"] = None if emulated else listing.sync_token
        if self.failed:
            self.state["refetch"] = sorted(set(self.failed))

    def _refetch(self, gone: set[str], listed: Iterable[str]) -> list[str]:
        """The objects the last run could not fetch; one listed again comes with the changed ones."""
        return [href for href in self.state.pop("refetch", []) if href not in gone and href not in listed]

    def _stale_recurring(self, known: dict[str, dict], listed: Iterable[str]) -> list[str]:
        due = (self.now + FUTURE_HORIZON - REEXPAND_AFTER).isoformat()
        return [
            href
            for href, entry in known.items()
            if href not in listed and entry.get("expanded_until") and entry["expanded_until"] < due
        ]

    def _fetch(self, urls: list) -> Iterator:
        """The objects at `urls` with their ICS text, one calendar-multiget per batch. A batch whose reply is not
        XML (one object's raw control character spoils the whole reply) is fetched again object by object."""
        for start in range(0, len(urls), _MULTIGET_BATCH):
            batch = urls[start : start + _MULTIGET_BATCH]
            try:
                yield from self.calendar.multiget(batch)
            except BAD_XML:
                yield from (self._get(url) for url in batch)
            except (dav_error.DAVError, KeyError) as problem:  # KeyError: a member vanished meanwhile
                yield self._failed(batch, str(self.calendar.url), f"cannot fetch {len(batch)} objects: {problem!r}")

    def _get(self, url) -> caldav.CalendarObjectResource | Reject:
        """One object by GET, which sends its ICS text as it is, with no XML around it to break."""
        try:
            # Not CalendarObjectResource.load(): it takes the body of any answer but a 404 for the object.
            response = self.calendar.client.request(str(url))
        except _CANNOT_READ as problem:
            return self._failed([url], _href(url), f"cannot fetch the object: {problem!r}")
        if response.status >= 300:
            return self._failed([url], _href(url), f"cannot fetch the object: HTTP {response.status}")
        props = {dav.GetEtag.tag: response.headers.get("ETag")}
        return caldav.CalendarObjectResource(
            self.calendar.client, url=url, data=response.raw, parent=self.calendar, props=props
        )

    def _failed(self, urls: list, location: str, problem: str) -> Reject:
        """A Reject for objects that could not be fetched; they are kept to be fetched on the next run."""
        self.failed += [_href(url) for url in urls]
        return Reject(SOURCE, self.source_file, location, f"{problem}; to be fetched again on the next run")

    def _ingest(self, obj, known: dict[str, dict]) -> Iterator[Interaction | Reject]:
        href = _href(obj.url)
        data = obj.data or ""
        window_end = self.now + FUTURE_HORIZON
        new_keys = []
        for record in events_from_calendar_text(data, source=SOURCE, source_file=self.source_file, now=self.now):
            if isinstance(record, Interaction):
                record.labels = [self.name, *record.labels]
                new_keys.append(record.interaction_key)
            record.location = f"{href}, {record.location}"  # a reject at the href clears when its events land
            yield record
        old_keys = set(known.get(href, {}).get("keys", []))
        yield from self._cancel(href, sorted(old_keys - set(new_keys)))
        known[href] = {
            "etag": _etag(obj),
            "keys": new_keys,
            "expanded_until": window_end.isoformat() if _recurs_after(data, window_end) else None,
        }

    def _cancel(self, href: str, keys: Iterable[str]) -> Iterator[Interaction]:
        for key in keys:
            uid, _, start = key.rpartition("/")
            location = f"{href} (no longer on the server)"
            yield cancelled_meeting(SOURCE, self.source_file, location, key, start, uid, self.name)


def _recurs_after(data: str, window_end: datetime) -> bool:
    """Whether a RRULE of the object may have occurrences after the expansion window.

    Only an UNTIL before the window's end rules that out; a COUNT rule is taken to go on, as
    telling would mean expanding it.
    """
    for rule in _RRULE.findall(re.sub(r"\r?\n[ \t]", "", data)):
        until = _UNTIL.search(rule)
        if until is None or until.group(1) > window_end.strftime("%Y%m%d"):
            return True
    return False


def _href(url) -> str:
    return unquote(url.path)


def _etag(obj) -> str | None:
    return (obj.props or {}).get(dav.GetEtag.tag)


def _is_emulated(token) -> bool:
    return isinstance(token, str) and token.startswith("fake-")
