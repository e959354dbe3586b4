"""Decides from headers alone whether a message looks like bulk or automated mail, and why."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# Sender addresses (the whole address or its local part) and the reason each gives, tried in order.
# Role addresses (info@, support@) are often staffed by people, so they get their own, milder reason.
AUTOMATED_SENDERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"calendar-notification@google\.com$"), "calendar-notification"),
    (re.compile(r"(mailer-daemon|postmaster)@"), "mailer-daemon"),
    (
        re.compile(
            r"(no[-_.]?reply|do[-_.]?not[-_.]?reply|notifications?|bounces?([-+.=_].*)?|newsletters?|news|alerts?)@"
        ),
        "no-reply",
    ),
    (re.compile(r"(info|support|help|contact|sales|billing)@"), "role-address"),
)
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
_NOT_AUTOMATED = re.compile(r"no\b")  # Auto-Submitted: no, possibly with a comment


def automated_reason(headers: Mapping[str, str], sender_addresses: Iterable[str]) -> str | None:
    """Why the message looks automated ("list-id", "no-reply", ...), or None for person-to-person mail.

    `headers` maps lower-case header names to unfolded values; `sender_addresses` are the lower-case
    From and Sender addresses.
    """
    if headers.get("list-id"):
        return "list-id"
    if headers.get("list-unsubscribe"):
        return "list-unsubscribe"
    if headers.get("precedence", "").strip().lower() in _BULK_PRECEDENCE:
        return "precedence"
    auto_submitted = headers.get("auto-submitted", "").strip().lower()
    if auto_submitted and not _NOT_AUTOMATED.match(auto_submitted):
        return "auto-submitted"
    for address in sender_addresses:
        for pattern, reason in AUTOMATED_SENDERS:
            if pattern.match(address):
                return reason
    return None
