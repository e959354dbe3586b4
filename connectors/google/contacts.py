"""Fetches Google Contacts through the People API (incremental with a sync token) as ContactCards."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import datetime

from googleapiclient.errors import HttpError

from connectors.google.calls import Sleep, describe, error_reasons, execute
from connectors.google.sync import ListingFailed, sync_token_pages
from connectors.google.timestamps import parse_rfc3339
from connectors.records import ContactCard, Identifier, Reject

SOURCE = "google_contacts"
PERSON_FIELDS = ",".join(
    [
        "metadata", "names", "nicknames", "emailAddresses", "phoneNumbers", "organizations",
        "birthdays", "urls", "memberships", "biographies", "addresses",
    ]
)
# an extension at the end of a number as people type it: "ext. 5555", "x5555", "#5555", ";ext=5555"
_EXTENSION = re.compile(r"(?:ext\.?|x|#|;ext=)\s*(\d+)\s*$", re.IGNORECASE)
_USER_GROUP = "USER_CONTACT_GROUP"  # system groups ("myContacts", "starred") are not the user's categories


def fetch_google_contacts(
    service, state: dict, *, source_file: str, sleep: Sleep = time.sleep
) -> Iterator[ContactCard | Reject]:
    """Every contact of the account, or only the changes since `state["sync_token"]`.

    Updates `state` in place: `sync_token` (stored once the last page is read) and `full_resync`
    (True when this run listed every contact, because there was no token or it had expired).
    Deleted contacts come back as `ContactCard(deleted=True)`. An API failure ends the run with one Reject.
    """
    try:
        group_names = _user_group_names(service, sleep)
    except HttpError as error:
        yield Reject(SOURCE, source_file, "contactGroups.list", f"contact groups left out: {describe(error)}")
        group_names = {}

    def list_request(sync_token: str | None, page_token: str | None):
        return service.people().connections().list(
            resourceName="people/me",
            personFields=PERSON_FIELDS,
            pageSize=1000,
            requestSyncToken=True,
            syncToken=sync_token,
            pageToken=page_token,
        )

    try:
        for page, response in sync_token_pages(list_request, state, _sync_token_expired, sleep):
            for index, person in enumerate(response.get("connections", []), start=1):
                place = f"connections page {page}, item {index}"
                yield person_to_record(person, group_names, source_file=source_file, place=place)
    except ListingFailed as failure:
        yield Reject(SOURCE, source_file, f"connections page {failure.page}", describe(failure.error))


def _sync_token_expired(error: HttpError) -> bool:
    # The People API answers 400 FAILED_PRECONDITION with reason EXPIRED_SYNC_TOKEN; older docs say 410.
    if error.status_code == 410:
        return True
    return error.status_code == 400 and (
        "EXPIRED_SYNC_TOKEN" in error_reasons(error) or "sync token is expired" in error.reason.lower()
    )


def _user_group_names(service, sleep: Sleep) -> dict[str, str]:
    """Resource name -> name of every contact group the user made (one cheap call, paged)."""
    names: dict[str, str] = {}
    page_token = None
    while True:
        response = execute(
            service.contactGroups().list(pageSize=1000, groupFields="name,groupType", pageToken=page_token), sleep
        )
        for group in response.get("contactGroups", []):
            if group.get("groupType") == _USER_GROUP and group.get("name"):
                names[group["resourceName"]] = group["name"]
        page_token = response.get("nextPageToken")
        if not page_token:
            return names


def person_to_record(
    person: dict, group_names: dict[str, str], *, source_file: str, place: str
) -> ContactCard | Reject:
    """One People API `Person` as a ContactCard, or a Reject naming `place` when it is unusable."""
    resource_name = person.get("resourceName") if isinstance(person, dict) else None
    if not resource_name:
        return Reject(SOURCE, source_file, place, "person without resourceName")
    try:
        return _card(person, resource_name, group_names, source_file)
    except (AttributeError, KeyError, TypeError, ValueError) as error:
        return Reject(SOURCE, source_file, resource_name, f"unreadable person: {type(error).__name__}: {error}")


def _card(person: dict, resource_name: str, group_names: dict[str, str], source_file: str) -> ContactCard:
    metadata = person.get("metadata", {})
    card = ContactCard(
        source=SOURCE,
        source_file=source_file,
        location=resource_name,
        record_key=resource_name,
        observed_at=_last_update(metadata),
        deleted=bool(metadata.get("deleted")),
    )
    if card.deleted:
        return card
    name = _primary(person.get("names", []))
    if name:
        card.full_name = name.get("displayName") or name.get("unstructuredName")
        card.given_name = name.get("givenName")
        card.family_name = name.get("familyName")
        card.middle_name = name.get("middleName")
        card.phonetic_name = name.get("phoneticFullName") or _joined(
            name.get("phoneticGivenName"), name.get("phoneticMiddleName"), name.get("phoneticFamilyName")
        )
    nickname = _primary(person.get("nicknames", []))
    card.nickname = nickname.get("value") if nickname else None
    organization = _current_organization(person.get("organizations", []))
    if organization:
        card.organization = organization.get("name")
        card.title = organization.get("title")
    card.birthday = _birthday(person.get("birthdays", []))
    card.identifiers = _identifiers(person)
    card.urls = [url["value"] for url in person.get("urls", []) if url.get("value") and not _is_linkedin(url["value"])]
    card.addresses = [text for text in map(_address, person.get("addresses", [])) if text]
    card.categories = [
        group_names[resource]
        for membership in person.get("memberships", [])
        if (resource := membership.get("contactGroupMembership", {}).get("contactGroupResourceName")) in group_names
    ]
    biography = _primary(person.get("biographies", []))
    card.note = biography.get("value") if biography else None
    return card


def _primary(fields: list[dict]) -> dict | None:
    """The field Google marks primary, else the first one."""
    for field in fields:
        if field.get("metadata", {}).get("primary"):
            return field
    return fields[0] if fields else None


def _joined(*parts: str | None) -> str | None:
    return " ".join(part for part in parts if part) or None


def _last_update(metadata: dict) -> datetime | None:
    stamps = [parse_rfc3339(source["updateTime"]) for source in metadata.get("sources", []) if source.get("updateTime")]
    return max(stamps) if stamps else None


def _current_organization(organizations: list[dict]) -> dict | None:
    """The organization Google marks primary, else one marked current, else the first; one marked
    `current: false` is a past employer, so only if there is nothing else (even when it is primary)."""
    ranked = sorted(
        organizations,  # sorted() is stable: among equals, the first stays first
        key=lambda organization: (
            organization.get("current") is False,
            not organization.get("metadata", {}).get("primary"),
            not organization.get("current"),
        ),
    )
    return ranked[0] if ranked else None


def _birthday(birthdays: list[dict]) -> str | None:
    """"YYYY-MM-DD", or "--MM-DD" when Google knows no year (it then leaves `year` out)."""
    for birthday in birthdays:
        day = birthday.get("date", {})
        if day.get("month") and day.get("day"):
            if day.get("year"):
                return f"{day['year']:04d}-{day['month']:02d}-{day['day']:02d}"
            return f"--{day['month']:02d}-{day['day']:02d}"
    return None


def _phone(item: dict) -> str:
    """The number in Google's E.164 `canonicalForm` (which knows its country), with the extension `value` gives,
    which E.164 has no place for."""
    canonical, written = item.get("canonicalForm"), item.get("value") or ""
    if not canonical:
        return written
    extension = _EXTENSION.search(written)
    return f"{canonical};ext={extension.group(1)}" if extension else canonical


def _identifiers(person: dict) -> list[Identifier]:
    emails = [
        Identifier("email", item["value"], item.get("type"))
        for item in person.get("emailAddresses", [])
        if item.get("value")
    ]
    phones = [
        Identifier("phone", _phone(item), item.get("type"))
        for item in person.get("phoneNumbers", [])
        if item.get("canonicalForm") or item.get("value")
    ]
    linkedin = [
        Identifier("linkedin", item["value"], item.get("type"))
        for item in person.get("urls", [])
        if _is_linkedin(item.get("value", ""))
    ]
    return emails + phones + linkedin


def _is_linkedin(url: str) -> bool:
    return "linkedin.com/in/" in url.lower()


def _address(address: dict) -> str | None:
    if address.get("formattedValue"):
        return address["formattedValue"]
    parts = ("streetAddress", "extendedAddress", "city", "region", "postalCode", "country")
    return ", ".join(address[part] for part in parts if address.get(part)) or None
