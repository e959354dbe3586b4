"""Decides from headers alone whether a message looks like bulk or automated mail, and why."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# Sender address patterns (matched at the start of the lower-case address) and the reason each gives, in order.
# Role addresses (info@, support@) are often staffed by people, so they get their own, milder reason.
AUTOMATED_SENDERS: tuple[tuple[str, str], ...] = (
    (r"calendar-notification@google\.com$", "calendar-notification"),
    (r"(?:mailer-daemon|postmaster)@", "mailer-daemon"),
    (
        r"(?:(?:[^@]*[-_.])?(?:no[-_.]?reply|do[-_.]?not[-_.]?reply)(?:[-_.][^@]*)?|notifications?"
        r"|bounces?(?:[-+.=_][^@]*)?|newsletters?|news|alerts?)@",
        "no-reply",
    ),
    (r"(?:info|support|help|contact|sales|billing)@", "role-address"),
)
# All patterns in one regex, one named group per pattern, so each address costs one match.
_AUTOMATED_SENDER = re.compile(
    "|".join(f"(?P<p{index}>{pattern})" for index, (pattern, _) in enumerate(AUTOMATED_SENDERS))
)
_REASON_BY_GROUP = {f"p{index}": reason for index, (_, reason) in enumerate(AUTOMATED_SENDERS)}
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk"})
_NOT_AUTOMATED = re.compile(r"no\b")  # Auto-Submitted: no, possibly with a comment
# Out-of-office replies that carry no Auto-Submitted header (Outlook's and Exchange's among them) say so in their
# subject, in the sender's language.
_AUTO_REPLY_SUBJECT = re.compile(
    r"\s*(?:automatic reply|auto[- ]?reply|autoreply|out of (?:the )?office(?: autoreply)?|abwesenheitsnotiz"
    r"|automatische antwort|réponse automatique|respuesta automática|risposta automatica|automatisch antwoord)\s*:",
    re.IGNORECASE,
)
_AUTO_REPLY_HEADERS = ("x-autoreply", "x-autorespond")


def automated_reason(
    headers: Mapping[str, str], sender_addresses: Iterable[str], subject: str | None = None
) -> str | None:
    """Why the message looks automated ("list-id", "no-reply", ...), or None for person-to-person mail.

    `headers` maps lower-case header names to unfolded values; `sender_addresses` are the lower-case
    From and Sender addresses; `subject` is the decoded Subject.
    """
    if headers.get("list-id"):
        # A discussion list (Google Groups, Mailman) names where to post: its mail is from the people on it,
        # a newsletter's is from the sender that runs it.
        return "mailing-list" if headers.get("list-post") else "list-id"
    if headers.get("list-unsubscribe"):
        return "list-unsubscribe"
    if headers.get("precedence", "").strip().lower() in _BULK_PRECEDENCE:
        return "precedence"
    auto_submitted = headers.get("auto-submitted", "").strip().lower()
    if auto_submitted and not _NOT_AUTOMATED.match(auto_submitted):
        return "auto-submitted"
    if any(headers.get(name) for name in _AUTO_REPLY_HEADERS) or _AUTO_REPLY_SUBJECT.match(subject or ""):
        return "auto-reply"
    for address in sender_addresses:
        match = _AUTOMATED_SENDER.match(address)
        if match is not None:
            return _REASON_BY_GROUP[match.lastgroup]
    return None
