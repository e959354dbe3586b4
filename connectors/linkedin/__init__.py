"""Reads a LinkedIn data export (.zip or unpacked folder) into contact cards, interactions and owner facts.

Files read, matched case-insensitively with `_` and spaces ignored (see `FILES_READ`): Connections,
messages, Invitations, Endorsement_Received_Info, Recommendations_Received, Profile, Email Addresses,
PhoneNumbers and Positions. Every other file is skipped; `FILES_IGNORED` says why for the known ones.
"""

from __future__ import annotations

import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from connectors.linkedin import contacts, interactions, owner
from connectors.linkedin.archive import Export, ExportFile, UnreadableExport, normalised_file_name, open_export
from connectors.linkedin.table import CsvProblem, CsvRow, FileContext, MissingHeader, RowError, read_rows
from connectors.records import Interaction, Record, Reject

__all__ = ["FILES_IGNORED", "FILES_READ", "parse_linkedin"]

SOURCE = "linkedin"


@dataclass(frozen=True, slots=True)
class FileReader:
    header: tuple[str, ...]  # columns that identify the header line below any preamble
    build: Callable[[CsvRow, FileContext], Iterator[Record]]  # raises RowError for an unusable row


FILES_READ: dict[str, FileReader] = {
    "Connections.csv": FileReader(contacts.CONNECTION_HEADER, contacts.connection_card),
    "messages.csv": FileReader(interactions.MESSAGE_HEADER, interactions.message),
    "Invitations.csv": FileReader(interactions.INVITATION_HEADER, interactions.invitation),
    "Endorsement_Received_Info.csv": FileReader(interactions.ENDORSEMENT_HEADER, interactions.endorsement),
    "Recommendations_Received.csv": FileReader(interactions.RECOMMENDATION_HEADER, interactions.recommendation),
    "Profile.csv": FileReader(owner.PROFILE_HEADER, owner.profile),
    "Email Addresses.csv": FileReader(owner.EMAIL_HEADER, owner.email_address),
    "PhoneNumbers.csv": FileReader(owner.PHONE_HEADER, owner.phone_number),
    "Positions.csv": FileReader(owner.POSITION_HEADER, owner.position),
}

FILES_IGNORED: dict[str, str] = {
    "Ad_Targeting.csv": "LinkedIn's advertising segments about the owner, no people in it",
    "Inferences_about_you.csv": "LinkedIn's guesses about the owner, no people in it",
    "Learning.csv": "courses watched, no people in it",
    "Logins.csv": "sign-in times and IP addresses, no people in it",
    "Registration.csv": "account creation date, no people in it",
    "Rich_Media.csv": "the owner's uploaded media, no people in it",
    "Company Follows.csv": "companies followed, not people",
    "Member_Follows.csv": "a follow is not an interaction and the file has no profile URLs",
    "SearchQueries.csv": "the owner's search terms, not interactions",
    "Skills.csv": "the owner's skill list, not an identity",
    "Education.csv": "schools, not people; the owner's identity comes from Profile and Positions",
    "Certifications.csv": "the owner's credentials, no people in it",
    "Courses.csv": "the owner's courses, no people in it",
    "Languages.csv": "the owner's languages, no people in it",
    "Projects.csv": "the owner's projects; collaborators are not listed",
    "Publications.csv": "the owner's publications; co-authors are not listed",
    "Honors.csv": "the owner's awards, no people in it",
    "Volunteering.csv": "the owner's volunteering, no people in it",
    "Causes You Care About.csv": "the owner's causes, no people in it",
    "Shares.csv": "the owner's posts: broadcasts, not interactions with a person",
    "Comments.csv": "comments on posts: the post's author is not named",
    "Reactions.csv": "reactions to posts: the post's author is not named",
    "Votes.csv": "poll votes, no people in it",
    "Events.csv": "events attended, no other attendees listed",
    "Groups.csv": "group memberships, no members listed",
    "Hashtag_Follows.csv": "hashtags followed, not people",
    "Saved_Jobs.csv": "job postings, not people",
    "Job Applications.csv": "job applications, not people",
    "Receipts.csv": "payments to LinkedIn, no people in it",
    "Private_identity_asset.csv": "identity verification data, not needed",
    "Endorsement_Given_Info.csv": "columns not verified in any researched export",
    "Recommendations_Given.csv": "columns not verified in any researched export",
    "Whatsapp Phone Numbers.csv": "columns not verified in any researched export",
}

# "Phone Numbers.csv" (about 2017) and "PhoneNumbers.csv" (2021) normalise to the same key.
_READERS_BY_NAME = {normalised_file_name(name): reader for name, reader in FILES_READ.items()}


def parse_linkedin(path: Path) -> Iterator[Record]:
    """Every record of the LinkedIn export at `path`: a .zip or a folder holding Connections.csv."""
    source_file = str(path)
    try:
        with open_export(path) as export:
            yield from _parse_export(export, source_file)
    except UnreadableExport as error:
        yield Reject(SOURCE, source_file, "file", str(error))


def _parse_export(export: Export, source_file: str) -> Iterator[Record]:
    for label, reason in export.refused:
        yield Reject(SOURCE, source_file, label, reason)
    seen_keys: Counter[str] = Counter()
    for name, export_file in sorted(export.files.items()):
        reader = _READERS_BY_NAME.get(name)
        if reader is None:
            continue
        context = FileContext(source_file, export_file.label, export.exported_at)
        for record in _parse_file(export_file, reader, context):
            if isinstance(record, Interaction):
                _make_key_unique(record, seen_keys)
            yield record


def _parse_file(export_file: ExportFile, reader: FileReader, context: FileContext) -> Iterator[Record]:
    try:
        with export_file.open() as binary:
            for row in read_rows(binary, reader.header):
                if isinstance(row, CsvProblem):
                    yield Reject(SOURCE, context.source_file, context.location(row.line), row.reason)
                    continue
                try:
                    records = list(reader.build(row, context))
                except RowError as error:
                    location = context.location(row.line, error.column)
                    yield Reject(SOURCE, context.source_file, location, error.reason)
                    continue
                yield from records
    except MissingHeader as error:
        yield Reject(SOURCE, context.source_file, context.label, str(error))
    except (OSError, EOFError, RuntimeError, NotImplementedError, zlib.error, zipfile.BadZipFile) as error:
        # A damaged or encrypted member: the rows read so far stand, the rest of the file is one reject.
        yield Reject(SOURCE, context.source_file, context.label, f"unreadable: {error}")


def _make_key_unique(record: Interaction, seen_keys: Counter[str]) -> None:
    """Two messages of one sender in one conversation within the same second get "#2", "#3", ..."""
    seen_keys[record.interaction_key] += 1
    if (count := seen_keys[record.interaction_key]) > 1:
        record.interaction_key = f"{record.interaction_key}#{count}"
