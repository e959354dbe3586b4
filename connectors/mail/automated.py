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
        r"(?:(?:[^@]*[-_.])?(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|ne[-_.]?pas[-_.]?r[ée]pondre|keine[-_.]?antwort"
        r"|no[-_.]?responder|n[aã]o[-_.]?respond(?:a|er)|non[-_.]?rispondere|niet[-_.]?beantwoorden)(?:[-_.][^@]*)?"
        r"|notifications?|bounces?(?:[-+.=_][^@]*)?|newsletters?|news|alerts?|avisos?)@",
        "no-reply",
    ),
    # in English, German, French, Spanish, Portuguese, Italian and Dutch; support and service also as it-support@
    (
        r"(?:info|contact|kontakt|contacto|contato|contatto|sales|vertrieb|ventes|ventas|vendas|billing|rechnung"
        r"|facturation|help|hello|hallo|bonjour|hola|office|buero|kundenservice|kundendienst|atendimento|sac"
        r"|faleconosco|suporte|soporte|rh|facturacion|cobranza|atencion[^@]*|administracion[^@]*"
        r"|(?:[^@]*[-_.])?(?:support|service|helpdesk))@",
        "role-address",
    ),
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
    r"\s*(?:automatic reply|auto[- ]?reply|autoreply|out of office autoreply|abwesenheitsnotiz"
    r"|automatische antwort|réponse automatique|respuesta automática|risposta automatica|automatisch antwoord)\s*:",
    re.IGNORECASE,
)
_AUTO_REPLY_HEADERS = ("x-autoreply", "x-autorespond")
# A discussion list names where to post (RFC 2369); `List-Post: NO` is an announcement list.
_LIST_POST_ADDRESS = re.compile(r"<\s*mailto:([^>?\s]+@[^>?\s]+)", re.IGNORECASE)


def automated_reason(
    headers: Mapping[str, str], sender_addresses: Iterable[str], subject: str | None = None
) -> str | None:
    """Why the message looks automated ("list-id", "no-reply", ...), or None for person-to-person mail.

    `headers` maps lower-case header names to unfolded values; `sender_addresses` are the lower-case
    From and Sender addresses; `subject` is the decoded Subject.
    """
    sender_reason = _sender_reason(sender_addresses)
    if headers.get("list-id"):
        # A discussion list (Google Groups, Mailman) names where to post: its mail is from the people on it,
        # a newsletter's is from the sender that runs it. GitHub names a reply address too, but sends from
        # notifications@.
        if sender_reason is None and list_post_address(headers) is not None:
            return "mailing-list"
        return "list-id"
    if headers.get("list-unsubscribe"):
        return "list-unsubscribe"
    if headers.get("precedence", "").strip().lower() in _BULK_PRECEDENCE:
        return "precedence"
    auto_submitted = headers.get("auto-submitted", "").strip().lower()
    if auto_submitted and not _NOT_AUTOMATED.match(auto_submitted):
        return "auto-submitted"
    auto_reply_header = any(
        (value := headers.get(name, "").strip().lower()) and value != "no" for name in _AUTO_REPLY_HEADERS
    )
    if auto_reply_header or _AUTO_REPLY_SUBJECT.match(subject or ""):
        return "auto-reply"
    return sender_reason


def list_post_address(headers: Mapping[str, str]) -> str | None:
    """The address a discussion list says to post to, lower-case, or None (no List-Post, or `List-Post: NO`)."""
    match = _LIST_POST_ADDRESS.search(headers.get("list-post", ""))
    return match[1].lower() if match else None


def _sender_reason(sender_addresses: Iterable[str]) -> str | None:
    for address in sender_addresses:
        match = _AUTOMATED_SENDER.match(address)
        if match is not None:
            return _REASON_BY_GROUP[match.lastgroup]
    return None
