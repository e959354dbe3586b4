"""Turns Connections.csv rows (all three column generations) into ContactCards."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from connectors.linkedin.names import family_name, family_name_from_profile, given_name_and_nickname
from connectors.linkedin.profiles import full_name, profile_key, profile_slug
from connectors.linkedin.table import CsvRow, FileContext, RowError
from connectors.records import ContactCard, Identifier, Record

CONNECTION_HEADER = ("First Name", "Last Name")


def _key_without_url(name: str | None, connected_at: datetime | None) -> str:
    """2021-generation exports have no profile URLs, and two connections can share a name: the day
    they connected tells them apart and is the same in every later export."""
    return f"{profile_key(None, name)}|{connected_at.date().isoformat() if connected_at else ''}"


def connection_card(row: CsvRow, context: FileContext) -> Iterator[Record]:
    given, nickname = given_name_and_nickname(row.get("First Name"))
    url = row.get("URL")
    family = family_name_from_profile(family_name(row.get("Last Name")), given, url and profile_slug(url))
    name = full_name(given, family)
    if not name and not url:
        raise RowError("connection without a name or a profile URL")
    # LinkedIn dates every connection in a file with the column: a row without a date there is a stray line (text an
    # unclosed quote spilled), not a person
    connected_at = row.require_date("Connected On", "connection") if "connected on" in row.headers else None
    identifiers = [Identifier("linkedin", url)] if url else []
    # 2018 exports can hold a member URN (`urn:li:member:664293716`) in Email Address: not an address.
    if (email := row.get("Email Address")) and "@" in email:
        identifiers.append(Identifier("email", email))
    if messenger := row.get("Instant Messengers"):
        identifiers.append(Identifier("im", messenger))
    yield ContactCard(
        source="linkedin",
        source_file=context.source_file,
        location=context.location(row.line),
        record_key=profile_key(url, name) if url else _key_without_url(name, connected_at),
        full_name=name,
        given_name=given,
        family_name=family,
        nickname=nickname,
        organization=row.get("Company"),
        title=row.get("Position"),
        connected_at=connected_at,
        identifiers=identifiers,
        addresses=[address] if (address := row.get("Address")) else [],
        urls=[website] if (website := row.get("Websites")) else [],
        observed_at=context.exported_at,
    )
