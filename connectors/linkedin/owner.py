"""Turns the owner's own files (Profile, Email Addresses, PhoneNumbers, Positions) into OwnerIdentity records."""

from __future__ import annotations

import re
from collections.abc import Iterator

from connectors.linkedin.profiles import full_name
from connectors.linkedin.table import CsvRow, FileContext, RowError
from connectors.records import OwnerIdentity, Record

PROFILE_HEADER = ("First Name", "Last Name")
EMAIL_HEADER = ("Email Address",)
PHONE_HEADER = ("Number",)
POSITION_HEADER = ("Company Name", "Title")

# Profile "Websites" is written like "[PORTFOLIO:https://github.com/x,BLOG:https://x.dev]".
_WEBSITE = re.compile(r"https?://[^\s,\]]+")


def profile(row: CsvRow, context: FileContext) -> Iterator[Record]:
    if name := full_name(row.get("First Name"), row.get("Last Name")):
        yield _owner(context, "name", name)
    for website in _WEBSITE.findall(row.get("Websites") or ""):
        yield _owner(context, "url", website)


def email_address(row: CsvRow, context: FileContext) -> Iterator[Record]:
    if address := row.get("Email Address"):
        yield _owner(context, "email", address)


def phone_number(row: CsvRow, context: FileContext) -> Iterator[Record]:
    if number := row.get("Number"):
        yield _owner(context, "phone", number)


def position(row: CsvRow, context: FileContext) -> Iterator[Record]:
    title, company = row.get("Title"), row.get("Company Name")
    if not title and not company:
        raise RowError("position without Title or Company Name")
    started, finished = row.date("Started On"), row.date("Finished On")
    yield OwnerIdentity(
        source="linkedin",
        source_file=context.source_file,
        kind="position",
        value=title or "",
        organization=company,
        started_on=started.date() if started else None,
        finished_on=finished.date() if finished else None,
    )


def _owner(context: FileContext, kind: str, value: str) -> OwnerIdentity:
    return OwnerIdentity(source="linkedin", source_file=context.source_file, kind=kind, value=value)
