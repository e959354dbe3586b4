"""Turns the header block of one message into an Interaction, or a Reject: the core of every email connector."""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

from connectors.charsets import reads_ascii_as_ascii
from connectors.mail.addresses import names_without_addresses, parse_addresses
from connectors.mail.automated import automated_reason, list_post_address
from connectors.mail.dates import parse_mail_date, parse_received_date
from connectors.mail.encoded_words import decode_bytes, decode_encoded_words
from connectors.records import Interaction, Participant, Reject

# Each header value is cut to this many characters (a 10 MB References line stays cheap).
MAX_HEADER_CHARS = 64 * 1024

# Folder and label names are compared casefolded. A Takeout's X-Gmail-Labels name Gmail's system labels in the
# account's language ("Envoyé" in a French export, rustmailer/bichon#358; "Odesláno" in a Czech one,
# GAM-team/got-your-back#227), and mail clients name their folders in the user's (Outlook's "Gesendete Objekte").
# Sent mail, by language: Gmail's Sent label as Takeout and Gmail's web UI write it, then clients' sent folders.
_SENT_NAMES_BY_LANGUAGE = {
    "en": ("Sent", "Sent Mail", "[Gmail]/Sent Mail", "Sent Items", "Sent Messages"),
    "fr": ("Envoyé", "Envoyés", "Messages envoyés", "Mails envoyés", "Éléments envoyés"),
    "de": ("Gesendet", "Gesendete Objekte", "Gesendete Elemente"),
    "es": ("Enviados", "Elementos enviados", "Enviadas"),
    "it": ("Inviati", "Posta inviata", "Elementi inviati"),
    "pt": ("Enviados", "E-mails enviados", "Itens enviados"),
    "nl": ("Verzonden", "Verzonden items", "Verzonden berichten"),
    "cs": ("Odesláno", "Odeslaná pošta", "Odeslané"),
    "pl": ("Wysłane",),
    "sv": ("Skickat", "Skickade objekt"),
    "da": ("Sendt", "Sendte elementer"),
    "nb": ("Sendt", "Sendte elementer"),
    "fi": ("Lähetetyt",),
    "hu": ("Elküldött",),
    "ru": ("Отправленные",),
    "tr": ("Gönderilmiş Postalar", "Gönderilmiş", "Gönderilenler"),
    "el": ("Απεσταλμένα",),
    "ja": ("送信済みメール", "送信済み"),
    "zh": ("已发邮件", "已发送", "已發送", "寄件備份"),
    "ko": ("보낸편지함", "보낸메일함"),
}
SENT_LABELS = frozenset(name.casefold() for names in _SENT_NAMES_BY_LANGUAGE.values() for name in names)
# Drafts and spam folders and labels: their mail is no interaction, an unsent draft no more than a spammer's message.
DRAFTS_LABELS = frozenset(
    name.casefold()
    for name in (
        "Drafts", "Draft", "Entwürfe", "Brouillons", "Borradores", "Bozze", "Concepten", "Rascunhos", "Koncepty",
        "Wersje robocze", "Utkast", "Kladder", "Luonnokset", "Черновики", "Taslaklar", "下書き", "草稿", "임시보관함",
    )
)
SPAM_LABELS = frozenset(
    name.casefold()
    for name in (
        "Spam", "Junk", "Junk E-mail", "Junk Email", "Junk-E-Mail", "Bulk Mail", "Indésirables",
        "Courrier indésirable", "Pourriels", "Correo no deseado", "Posta indesiderata", "Ongewenste e-mail",
        "Lixo eletrônico",
    )
)
# Deleted mail did happen, so files read a trash folder as any other; only IMAP skips it, as the Gmail API does.
TRASH_LABELS = frozenset(
    name.casefold()
    for name in (
        "Trash", "Deleted Items", "Deleted Messages", "Bin", "Papierkorb", "Gelöschte Elemente", "Corbeille",
        "Papelera", "Cestino", "Prullenbak",
    )
)
CHAT_LABELS = frozenset({"chat", "chats"})

# Address headers in the order participants are listed, with the role each gives.
_ADDRESS_ROLES = (
    ("from", "from"), ("to", "to"), ("cc", "cc"), ("bcc", "bcc"), ("reply-to", "reply_to"), ("sender", "sender"),
)
_ADDRESS_HEADERS = frozenset(name for name, _ in _ADDRESS_ROLES)
# Recipients an Exchange archive names without their addresses (readpst's Sent Items): people known by name.
_NAMED_ONLY_ROLES = (("to", "to"), ("cc", "cc"))
_WANTED_HEADERS = (
    *_ADDRESS_HEADERS, "date", "subject", "message-id", "in-reply-to", "references", "list-id", "list-unsubscribe",
    "list-post", "precedence", "auto-submitted", "x-autoreply", "x-autorespond", "x-gm-thrid", "x-gmail-labels",
)
_MESSAGE_HEADERS = frozenset({*_ADDRESS_HEADERS, "date", "subject", "message-id"})


def _any_case(name: str) -> str:
    return "".join(f"[{c.upper()}{c}]" if c.isalpha() else re.escape(c) for c in name)


def _headers_pattern(names) -> re.Pattern[str]:
    """Headers of these names with their folded continuation lines, in a block given a leading newline.

    Names are spelled in any case with character classes, which is faster than re.IGNORECASE.
    """
    return re.compile(
        r"\n(" + "|".join(_any_case(name) for name in names) + r")[ \t]*:[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)"
    )


_WANTED_HEADER = _headers_pattern(_WANTED_HEADERS)
# Received headers are many and only needed when Date is unusable, so they are looked up on demand.
_RECEIVED_HEADER = _headers_pattern(["received"])
_MESSAGE_ID = re.compile(r"<[^<>]*>")
_LINE_BREAKS_AS_COMMAS = str.maketrans("\r\n", ",,")
# The Message-ID as written, to name a message that could not be read (its headers were not decoded).
_RAW_MESSAGE_ID = re.compile(rb"(?:^|\n)message-id[ \t]*:[ \t]*(<[^<>\r\n]{1,998}>)", re.IGNORECASE)
# `Content-Type: text/html;charset="gb18030"`, possibly folded; read only when a header line is not UTF-8.
_CONTENT_TYPE_CHARSET = re.compile(
    rb'(?:^|\n)content-type[ \t]*:(?:[^\n]|\n[ \t])*?charset[ \t]*=[ \t]*"?([-\w.:+]+)', re.IGNORECASE
)


def _block_text(raw_headers: bytes) -> str:
    """The block as text with LF line ends: UTF-8; a line that is not UTF-8 is read in the charset the
    Content-Type header declares (a client writing raw GB18030 headers writes its body in it too), else windows-1252
    (what mail clients assume)."""
    try:
        text = raw_headers.decode()
    except UnicodeDecodeError:
        charset = _declared_charset(raw_headers)
        text = "\n".join(_line_text(line, charset) for line in raw_headers.split(b"\n"))
    return "\n" + text.replace("\r\n", "\n")


def _line_text(line: bytes, charset: str) -> str:
    try:
        return line.decode()
    except UnicodeDecodeError:
        return decode_bytes(line, charset)


def _declared_charset(raw_headers: bytes) -> str:
    """The charset of the block's Content-Type header when it reads ASCII as ASCII (not UTF-16), else windows-1252."""
    found = _CONTENT_TYPE_CHARSET.search(raw_headers)
    charset = found.group(1).decode("ascii").lower() if found else ""
    return charset if reads_ascii_as_ascii(charset) else "windows-1252"


def _unfolded(value: str) -> str:
    if len(value) > MAX_HEADER_CHARS:
        value = value[:MAX_HEADER_CHARS]
    return (value.replace("\n", "") if "\n" in value else value).strip()


def parse_header_block(raw_headers: bytes) -> dict[str, str]:
    """The wanted headers of a block (not Received), by lower-case name, unfolded, decoded, cut to MAX_HEADER_CHARS.

    Raw 8-bit text is read as UTF-8, else in the declared charset or windows-1252. Repeated address headers are
    joined with commas; for other headers the first wins.
    """
    headers: dict[str, str] = {}
    for name, value in _WANTED_HEADER.findall(_block_text(raw_headers)):
        name = name.lower()
        if name not in headers:
            headers[name] = _unfolded(value)
        elif name in _ADDRESS_HEADERS:
            headers[name] = f"{headers[name]}, {_unfolded(value)}"
    return headers


def last_received(raw_headers: bytes) -> str | None:
    """The last Received header of a block (the earliest hop), unfolded."""
    found = _RECEIVED_HEADER.findall(_block_text(raw_headers))
    return _unfolded(found[-1][1]) if found else None


@lru_cache(maxsize=4096)  # a mailbox has few distinct label combinations
def split_labels(value: str) -> tuple[str, ...]:
    """X-Gmail-Labels as labels: decoded as a whole first (it may be one encoded word), then split on commas."""
    # A line break (a bare CR in the header, or one decoded from an encoded word) can only have parted two labels;
    # csv refuses one outside quotes.
    text = decode_encoded_words(value).translate(_LINE_BREAKS_AS_COMMAS)
    items = next(csv.reader([text], skipinitialspace=True)) if '"' in text else text.split(",")
    return tuple(label for label in (item.strip() for item in items) if label)


def is_sent_label(label: str) -> bool:
    return label.casefold() in SENT_LABELS


def _not_interaction_reason(names: frozenset[str]) -> str | None:
    """"draft" or "spam" when one of the casefolded folder or label names says so, else None."""
    if not names.isdisjoint(DRAFTS_LABELS):
        return "draft"
    if not names.isdisjoint(SPAM_LABELS):
        return "spam"
    return None


@lru_cache(maxsize=256)
def _folder_kinds(folder: str) -> tuple[bool, str | None]:
    """(whether a mail client's folder is a sent folder, "draft"/"spam" for a drafts or spam folder), by its name or
    its last part: `Sent`, `Work.Gesendet`, `INBOX.Sent Items`, `INBOX.Drafts`."""
    names = frozenset({folder.casefold(), folder.rsplit(".", 1)[-1].casefold()})
    return not names.isdisjoint(SENT_LABELS), _not_interaction_reason(names)


@lru_cache(maxsize=4096)
def _label_kinds(labels: tuple[str, ...]) -> tuple[bool, bool, str | None]:
    """(whether one label is a sent label, whether one is the chat label, "draft"/"spam" for a drafts or spam label)."""
    folded = frozenset(label.casefold() for label in labels)
    return not folded.isdisjoint(SENT_LABELS), not folded.isdisjoint(CHAT_LABELS), _not_interaction_reason(folded)


def _first_message_id(value: str | None) -> str | None:
    if not value:
        return None
    match = _MESSAGE_ID.search(value)
    if match is not None:
        return "".join(match.group().split())
    return value.split()[0]


def _fallback_key(headers: dict[str, str], occurred_at: datetime) -> str:
    """A key for mail without Message-ID: a hash of Date, From, To and Subject.

    Without a Date (Takeout chat items have only From) those are the same for every message of a sender, so the
    date found elsewhere (Received, the From_ line) and the Gmail thread go in too; a message read twice keeps its key.
    """
    fields = [headers.get(name, "") for name in ("date", "from", "to", "subject")]
    if not fields[0]:
        fields += [occurred_at.isoformat(), headers.get("x-gm-thrid", "")]
    return "sha1:" + hashlib.sha1("\x1f".join(fields).encode("utf-8", "surrogatepass")).hexdigest()


def unreadable_message(
    raw_headers: bytes, error: Exception, *, source: str, source_file: str, location: str
) -> Reject:
    """The Reject of one message that failed in a way no rule foresaw, naming its Message-ID when it has one."""
    found = _RAW_MESSAGE_ID.search(raw_headers)
    message_id = f" (Message-ID {found.group(1).decode('ascii', 'replace')})" if found else ""
    return Reject(source, source_file, location, f"could not be read{message_id}: {type(error).__name__}: {error}")


def interaction_from_headers(
    raw_headers: bytes, *, source: str, source_file: str, location: str, **options
) -> Interaction | Reject:
    """One email Interaction from the header block of a message (bytes up to the blank line), or a Reject; see
    `_interaction` for the `options`. Whatever goes wrong costs this message only: the mailbox's other messages
    are still read."""
    try:
        return _interaction(raw_headers, source=source, source_file=source_file, location=location, **options)
    except Exception as error:  # noqa: BLE001  a header no rule foresaw costs its message, not the mailbox
        return unreadable_message(raw_headers, error, source=source, source_file=source_file, location=location)


def _interaction(
    raw_headers: bytes,
    *,
    source: str,
    source_file: str,
    location: str,
    labels: list[str] | None = None,
    folder: str | None = None,
    direction_hint: str | None = None,
    fallback_date: datetime | Callable[[], datetime | None] | None = None,
) -> Interaction | Reject:
    """One email Interaction from the header block of a message (bytes up to the blank line).

    `labels` are the source's own (folder, IMAP/Gmail API labels), merged before X-Gmail-Labels; `folder` is the
    mail client's folder a file holds (mbox, Maildir). A sent folder or label marks the mail sent unless
    `direction_hint` says otherwise; a drafts or spam folder or label makes it automated ("draft", "spam"), so it
    lands but counts for nobody.
    `fallback_date` (mbox From_ line, IMAP INTERNALDATE) is used when neither Date nor Received gives one; it may
    be a function giving that date, called only then (an mbox's From_ line is rarely needed, and costly to read).
    """
    headers = parse_header_block(raw_headers)
    if headers.keys().isdisjoint(_MESSAGE_HEADERS):
        return Reject(source, source_file, location, "no message headers (From, To, Date, Subject, Message-ID)")

    gmail_labels = split_labels(headers["x-gmail-labels"]) if "x-gmail-labels" in headers else ()
    all_labels = (*labels, *(label for label in gmail_labels if label not in labels)) if labels else gmail_labels
    sent_label, chat_label, label_reason = _label_kinds(all_labels)
    sent_folder, folder_reason = _folder_kinds(folder) if folder else (False, None)

    occurred_at = (
        parse_mail_date(headers.get("date"))
        or parse_received_date(last_received(raw_headers))
        or (fallback_date() if callable(fallback_date) else fallback_date)
    )
    if occurred_at is None:
        if chat_label:
            return Reject(source, source_file, location, "chat item without date")
        return Reject(source, source_file, location, "no usable date (Date, Received, From_ line)")

    participants = [
        Participant(role, "email", address, name)
        for header, role in _ADDRESS_ROLES
        if header in headers
        for name, address in parse_addresses(headers[header])
    ]
    # a Sender that is the From itself adds nobody: the role is for an assistant writing on the From's behalf
    authors = {p.value for p in participants if p.role == "from"}
    participants = [p for p in participants if not (p.role == "sender" and p.value in authors)]
    participants += [
        Participant(role, "name", name, name)
        for header, role in _NAMED_ONLY_ROLES
        if header in headers
        for name in map(decode_encoded_words, names_without_addresses(headers[header]))
    ]
    if not participants:  # nobody to count as a contact: landing it would be an email with no one on it
        return Reject(source, source_file, location, "no sender or recipient address")
    senders = [p.value for p in participants if p.role in ("from", "sender")]

    message_id = "".join(headers.get("message-id", "").split()) or None
    in_reply_to = _first_message_id(headers.get("in-reply-to"))
    subject = headers.get("subject")
    title = decode_encoded_words(subject) if subject is not None else None
    if direction_hint is None and (sent_label or sent_folder):
        direction_hint = "sent"
    reason = folder_reason or label_reason or automated_reason(headers, senders, title)
    if reason == "mailing-list":
        participants.append(Participant("list", "email", list_post_address(headers), None))
    return Interaction(
        source=source,
        source_file=source_file,
        location=location,
        interaction_key=message_id or _fallback_key(headers, occurred_at),
        channel="email",
        occurred_at=occurred_at,
        participants=participants,
        thread_id=(
            headers.get("x-gm-thrid") or _first_message_id(headers.get("references")) or in_reply_to or message_id
        ),
        title=title,
        automated_reason=reason,
        in_reply_to=in_reply_to,
        labels=list(all_labels),
        direction_hint=direction_hint,
    )
