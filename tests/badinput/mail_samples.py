"""Small well-formed messages for the mail bad-input tests, with marker strings for the privacy tests."""

from __future__ import annotations

SUBJECT_MARKER = "SUBJECT-MARKER-7f3a"
BODY_MARKER = "BODY-MARKER-c41d"

HEADERS = (
    "Message-ID: <{uid}@good.example>\n"
    "Date: Mon, 06 Jan 2020 04:49:45 +0000\n"
    "From: Ana Good <ana@good.example>\n"
    "To: Bob Good <bob@good.example>\n"
    f"Subject: {SUBJECT_MARKER}\n"
)
FROM_LINE = "From x@y Mon Jan 06 04:49:45 +0000 2020\n"


def message(uid: str) -> str:
    """One .eml / Maildir message."""
    return HEADERS.format(uid=uid) + f"\n{BODY_MARKER}\n"


def mbox_message(uid: str) -> str:
    return FROM_LINE + message(uid) + "\n"


def key(uid: str) -> str:
    return f"<{uid}@good.example>"
