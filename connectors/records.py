"""The typed records every connector yields: contact cards, interactions, owner facts and rejects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

_SNIPPET_CHARS = 40  # of a line quoted in a reject reason


@dataclass(slots=True)
class Identifier:
    """One way to reach a person, as the source wrote it (normalisation happens in transforms)."""

    kind: str  # "email" | "phone" | "linkedin" | other handles ("url", "im", ...)
    value: str
    label: str | None = None  # "work", "home", "mobile", Apple's custom X-ABLabel, ...


@dataclass(slots=True)
class ContactCard:
    """One contact record of a source: a vCard, a LinkedIn connection, a Google contact."""

    source: str  # "linkedin" | "vcard" | "google_contacts" | "carddav"
    source_file: str  # path of the file or "account:<name>" for an account
    location: str  # where in the file: "line 12", "card 3", a resource name
    record_key: str  # stable within the source: vCard UID, LinkedIn profile slug, ...
    full_name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    middle_name: str | None = None
    nickname: str | None = None
    phonetic_name: str | None = None
    organization: str | None = None
    title: str | None = None
    birthday: str | None = None  # ISO date, or "--MM-DD" when the year is unknown
    connected_at: datetime | None = None  # LinkedIn "Connected On", UTC
    identifiers: list[Identifier] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # vCard CATEGORIES: "Family", "Run club"
    addresses: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    note: str | None = None
    observed_at: datetime | None = None  # when the source said this (export date, REV): newer wins
    deleted: bool = False  # account sync: the source says this record is gone


@dataclass(slots=True)
class Participant:
    """Someone on an interaction, identified as the source identified them."""

    role: str  # "from" | "to" | "cc" | "bcc" | "reply_to" | "organizer" | "attendee" | "sender" | "recipient"
    kind: str  # "email" | "linkedin" | "name" (a name only, as in old LinkedIn messages)
    value: str
    name: str | None = None  # display name / CN
    response: str | None = None  # calendar PARTSTAT, lower-case: "accepted", "declined", ...


@dataclass(slots=True)
class Interaction:
    """One message, meeting occurrence, LinkedIn message, invitation or endorsement."""

    source: str  # "mbox" | "maildir" | "eml" | "imap" | "gmail" | "ics" | "google_calendar" | "linkedin" | ...
    source_file: str
    location: str  # "byte 1234", "line 17", "UID 4711", "UID abc@x / 2024-05-01T10:00:00+00:00"
    interaction_key: str  # dedupe key across sources: Message-ID, "<UID>/<occurrence start>", ...
    channel: str  # "email" | "meeting" | "linkedin_message" | "linkedin_invitation" | "linkedin_endorsement" | ...
    occurred_at: datetime  # timezone-aware UTC
    participants: list[Participant] = field(default_factory=list)
    thread_id: str | None = None
    title: str | None = None  # subject or event summary; left None unless the user opts in
    duration_minutes: float | None = None
    status: str | None = None  # calendar: "confirmed" | "tentative" | "cancelled"; LinkedIn: "draft"
    automated_reason: str | None = None  # why this looks like bulk/automated mail: "list-id", "no-reply", ...
    in_reply_to: str | None = None
    labels: list[str] = field(default_factory=list)  # Gmail labels, mail folder, calendar name
    direction_hint: str | None = None  # "sent" | "received" when the source states it (LinkedIn, Sent folder)


def cancelled_meeting(
    source: str, source_file: str, location: str, interaction_key: str, start: str, thread_id: str, calendar: str
) -> Interaction:
    """The cancellation of a meeting occurrence stored earlier under `interaction_key` (`start` in ISO form):
    the event was deleted on the server or moved to another time."""
    return Interaction(
        source=source,
        source_file=source_file,
        location=location,
        interaction_key=interaction_key,
        channel="meeting",
        occurred_at=datetime.fromisoformat(start),
        thread_id=thread_id,
        status="cancelled",
        labels=[calendar],
    )


@dataclass(slots=True)
class OwnerIdentity:
    """An identifier, name or employment period that belongs to the owner of the data."""

    source: str
    source_file: str
    kind: str  # "email" | "phone" | "linkedin" | "name" | "position"
    value: str
    organization: str | None = None  # for "position"
    started_on: date | None = None
    finished_on: date | None = None


@dataclass(slots=True)
class Reject:
    """An input that could not be used, and where and why."""

    source: str
    source_file: str
    location: str  # "line 12, column Connected On", "byte 40213", "card 7", "UID x"
    reason: str


def cannot_open(source: str, source_file: str, error: OSError, location: str = "file") -> Reject:
    """The reject of a file that cannot be opened or read: the file itself, or one message file of a Maildir."""
    return Reject(source, source_file, location, f"cannot open the file: {error}")


def snippet(text: str) -> str:
    """A short quotable piece of a line for a reject reason."""
    return repr(text if len(text) <= _SNIPPET_CHARS else text[:_SNIPPET_CHARS] + "…")


Record = ContactCard | Interaction | OwnerIdentity | Reject
