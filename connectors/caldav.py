"""Fetches a CalDAV account's events incrementally (sync-collection, else ETags) into meeting Interactions.

`state` (JSON-able, updated in place) holds per calendar URL the server's sync token and, per object
href, its ETag and the interaction keys it produced. That lets a later fetch say what went away:
occurrences of a deleted object, or occurrences a changed object no longer has, come back as
`Interaction(status="cancelled")` with the same key, so a loader that upserts by key forgets them.
Recurring objects are fetched again once the expansion window (a year ahead) has moved on by
`REEXPAND_AFTER`, so an endless series keeps producing upcoming occurrences without any change on
the server.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import caldav
from caldav.elements import dav
from caldav.lib import error as dav_error

from connectors.ics import FUTURE_HORIZON, events_from_calendar_text
from connectors.records import Interaction, OwnerIdentity, Reject, cancelled_meeting

__all__ = ["REEXPAND_AFTER", "fetch_caldav"]

SOURCE = "caldav"
REEXPAND_AFTER = timedelta(days=30)
_MULTIGET_BATCH = 100
_RRULE = re.compile(r"^RRULE[;:](.*)$", re.IGNORECASE | re.MULTILINE)
_UNTIL = re.compile(r"UNTIL=(\d{8})", re.IGNORECASE)
_MAILTO = re.compile(r"^\s*mailto:([^?\s]+)", re.IGNORECASE)


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
    state: dict  # {"sync_token": str | None, "objects": {href: {"etag", "keys", "expanded_until"}}}
    source_file: str
    now: datetime

    def run(self) -> Iterator[Interaction | Reject]:
        token = self.state.get("sync_token")
        known: dict[str, dict] = self.state.setdefault("objects", {})
        try:
            listing = self.calendar.get_objects_by_sync_token(token, load_objects=False)
        except dav_error.DAVError as problem:
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
        complete = True
        for obj in chain((obj for obj in changed if obj.is_loaded()), self._fetch(to_fetch)):
            if isinstance(obj, Reject):
                complete = False
                yield obj
            else:
                yield from self._ingest(obj, known)
        if complete:  # else the old token makes the next fetch list the missed objects again
            self.state["sync_token"] = None if emulated else listing.sync_token

    def _stale_recurring(self, known: dict[str, dict], listed: Iterable[str]) -> list[str]:
        due = (self.now + FUTURE_HORIZON - REEXPAND_AFTER).isoformat()
        return [
            href
            for href, entry in known.items()
            if href not in listed and entry.get("expanded_until") and entry["expanded_until"] < due
        ]

    def _fetch(self, urls: list) -> Iterator:
        """The objects at `urls` with their ICS text, one calendar-multiget per batch."""
        for start in range(0, len(urls), _MULTIGET_BATCH):
            batch = urls[start : start + _MULTIGET_BATCH]
            try:
                yield from self.calendar.multiget(batch)
            except (dav_error.DAVError, KeyError) as problem:  # KeyError: a member vanished meanwhile
                yield Reject(SOURCE, self.source_file, str(self.calendar.url), f"cannot fetch {len(batch)} objects: {problem!r}")

    def _ingest(self, obj, known: dict[str, dict]) -> Iterator[Interaction | Reject]:
        href = _href(obj.url)
        data = obj.data or ""
        window_end = self.now + FUTURE_HORIZON
        new_keys = []
        for record in events_from_calendar_text(data, source=SOURCE, source_file=self.source_file, now=self.now):
            if isinstance(record, Interaction):
                record.labels = [self.name, *record.labels]
                new_keys.append(record.interaction_key)
            else:
                record.location = f"{href}, {record.location}"
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
