"""Turns messages, invitations, received endorsements and received recommendations into Interactions."""

from __future__ import annotations

from collections.abc import Iterator

from connectors.linkedin.profiles import full_name, profile_key, with_scheme
from connectors.linkedin.table import CsvRow, FileContext, RowError
from connectors.records import Interaction, Participant, Record

MESSAGE_HEADER = ("From", "Date")  # "From,To,Date" in 2017, "FROM,...,DATE" since; matched case-insensitively
INVITATION_HEADER = ("From", "To", "Sent At")
ENDORSEMENT_HEADER = ("Endorsement Date", "Skill Name")
RECOMMENDATION_HEADER = ("First Name", "Last Name", "Creation Date")

_DIRECTION_HINTS = {"INCOMING": "received", "OUTGOING": "sent"}
# LinkedIn's stand-in for a member it does not name (ads, hidden profiles): as a name it would merge them all
# into one fake person.
_HIDDEN_MEMBER = "linkedin member"
# Ads in the inbox come as a conversation of this title, sent by a hidden member.
_SPONSORED_TITLE = "sponsored conversation"
_DRAFT_FOLDERS = {"draft", "drafts"}
_YES = {"true", "yes", "1"}


def message(row: CsvRow, context: FileContext) -> Iterator[Record]:
    occurred_at = row.require_date("Date", "message")
    sender = _participant("from", row.get("Sender Profile URL"), row.get("From"))
    sponsored = (row.get("Conversation Title") or "").casefold() == _SPONSORED_TITLE
    if sender is None and not sponsored:
        raise RowError("message without a sender", row.column_name("From"))
    senders = [sender] if sender else []  # an ad's sender is LinkedIn's placeholder: nobody to name
    conversation = row.get("Conversation ID")
    key_parts = (conversation, occurred_at.isoformat(), *map(_key_of, senders))
    folder = row.get("Folder")
    is_draft = (row.get("Is Message Draft") or "").lower() in _YES or (folder or "").lower() in _DRAFT_FOLDERS
    yield _interaction(
        context,
        row,
        key="linkedin:" + "/".join(part for part in key_parts if part),
        channel="linkedin_message",
        occurred_at=occurred_at,
        participants=[*senders, *_recipients(row.get("To"), row.get("Recipient Profile URLs"))],
        thread_id=conversation,
        title=row.get("Subject") or row.get("Conversation Title"),
        status="draft" if is_draft else None,
        labels=[folder] if folder else [],
        direction_hint=_DIRECTION_HINTS.get((row.get("Direction") or "").upper()),
        automated_reason="sponsored" if sponsored else None,
    )


def invitation(row: CsvRow, context: FileContext) -> Iterator[Record]:
    sent_at = row.require_date("Sent At", "invitation")
    inviter = _participant("from", row.get("inviterProfileUrl"), row.get("From"))
    invitee = _participant("to", row.get("inviteeProfileUrl"), row.get("To"))
    if inviter is None or invitee is None:
        column = "From" if inviter is None else "To"
        raise RowError(f"invitation without {row.column_name(column)}", row.column_name(column))
    yield _interaction(
        context,
        row,
        key=f"linkedin-invitation:{_key_of(inviter)}/{_key_of(invitee)}/{sent_at.isoformat()}",
        channel="linkedin_invitation",
        occurred_at=sent_at,
        participants=[inviter, invitee],
        direction_hint=_DIRECTION_HINTS.get((row.get("Direction") or "").upper()),
    )


def endorsement(row: CsvRow, context: FileContext) -> Iterator[Record]:
    endorsed_at = row.require_date("Endorsement Date", "endorsement")
    name = full_name(row.get("Endorser First Name"), row.get("Endorser Last Name"))
    endorser = _participant("from", row.get("Endorser Public Url"), name)
    if endorser is None:
        raise RowError("endorsement without an endorser")
    skill = row.get("Skill Name")
    yield _interaction(
        context,
        row,
        key=f"linkedin-endorsement:{_key_of(endorser)}/{skill or ''}/{endorsed_at.isoformat()}",
        channel="linkedin_endorsement",
        occurred_at=endorsed_at,
        participants=[endorser],
        title=skill,
        status=_lower(row.get("Endorsement Status")),
        direction_hint="received",
    )


def recommendation(row: CsvRow, context: FileContext) -> Iterator[Record]:
    created_at = row.require_date("Creation Date", "recommendation")
    recommender = _participant("from", None, full_name(row.get("First Name"), row.get("Last Name")))
    if recommender is None:
        raise RowError("recommendation without a name")
    yield _interaction(
        context,
        row,
        key=f"linkedin-recommendation:{_key_of(recommender)}/{created_at.isoformat()}",
        channel="linkedin_recommendation",
        occurred_at=created_at,
        participants=[recommender],
        status=_lower(row.get("Status")),
        direction_hint="received",
    )


def _interaction(context: FileContext, row: CsvRow, *, key: str, **fields) -> Interaction:
    return Interaction(
        source="linkedin",
        source_file=context.source_file,
        location=context.location(row.line),
        interaction_key=key,
        **fields,
    )


def _participant(role: str, url: str | None, name: str | None) -> Participant | None:
    name = _real_name(name)
    if url:
        return Participant(role, "linkedin", with_scheme(url), name)
    if name:
        return Participant(role, "name", name, name)
    return None


def _recipients(names: str | None, urls: str | None) -> list[Participant]:
    """Group chats list several names in TO and several URLs in RECIPIENT PROFILE URLS, comma-separated."""
    url_list = urls.replace(",", " ").split() if urls else []
    name_list = [_real_name(name) for name in (names or "").split(",") if name.strip()]
    if not url_list:
        return [Participant("to", "name", name, name) for name in name_list if name]
    if len(name_list) != len(url_list):
        # The names cannot be paired with the URLs (a name holding a comma): keep the URLs, which identify.
        name_list = [names] if len(url_list) == 1 else [None] * len(url_list)
    return [Participant("to", "linkedin", with_scheme(url), name) for url, name in zip(url_list, name_list)]


def _real_name(name: str | None) -> str | None:
    """The stripped name, None for an empty one or LinkedIn's placeholder for a member it hides."""
    name = name.strip() if name else None
    return None if not name or name.casefold() == _HIDDEN_MEMBER else name


def _key_of(participant: Participant) -> str:
    url = participant.value if participant.kind == "linkedin" else None
    return profile_key(url, participant.name)


def _lower(value: str | None) -> str | None:
    return value.lower() if value else None
