"""Reads message headers from an IMAP account, incrementally by UIDVALIDITY and last UID per folder."""

from __future__ import annotations

import ipaddress
import ssl as ssl_module
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import imapclient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError
from imapclient.imap_utf7 import decode as decode_modified_utf7

from connectors.mail.headers import (
    DRAFTS_LABELS,
    SPAM_LABELS,
    TRASH_LABELS,
    interaction_from_headers,
    is_sent_label,
    unreadable_message,
)
from connectors.records import Interaction, Reject

SOURCE = "imap"
FETCH_BATCH_SIZE = 500
GMAIL_CAPABILITY = b"X-GM-EXT-1"
GMAIL_ALL_MAIL = "[Gmail]/All Mail"
UNSELECTABLE_FLAGS = {b"\\noselect", b"\\nonexistent"}
# RFC 6154 special-use flags of folders whose mail never happened: spam, deleted mail, unsent drafts.
NOT_INTERACTION_FLAGS = {b"\\junk", b"\\trash", b"\\drafts"}
# The same folders by name, for servers without SPECIAL-USE (and folders an old client created beside them).
NOT_INTERACTION_NAMES = DRAFTS_LABELS | SPAM_LABELS | TRASH_LABELS
# Gmail's system labels (X-GM-LABELS) of messages that are no interaction, as the Gmail API path skips them.
NOT_INTERACTION_GMAIL_LABELS = {"\\draft", "\\spam", "\\trash"}
HEADER_ITEM = b"BODY.PEEK[HEADER]"
HEADER_RESPONSE_KEY = b"BODY[HEADER]"


@dataclass(frozen=True, slots=True)
class Folder:
    """A mailbox as LIST describes it."""

    name: str
    flags: frozenset[bytes]  # lower-cased
    delimiter: str | None

    @property
    def selectable(self) -> bool:
        return not self.flags & UNSELECTABLE_FLAGS

    @property
    def leaf(self) -> str:
        """The last part of the name: "Sent Items" of "INBOX.Sent Items"."""
        return self.name.rsplit(self.delimiter, 1)[-1] if self.delimiter else self.name

    @property
    def is_sent(self) -> bool:
        return b"\\sent" in self.flags or is_sent_label(self.name) or is_sent_label(self.leaf)

    @property
    def holds_no_interactions(self) -> bool:
        """Spam, trash or drafts, by special-use flag or by name."""
        return bool(self.flags & NOT_INTERACTION_FLAGS) or self.leaf.casefold() in NOT_INTERACTION_NAMES

    @property
    def is_all_mail(self) -> bool:
        return b"\\all" in self.flags or self.name == GMAIL_ALL_MAIL


def connect_imap(
    host: str,
    port: int,
    username: str,
    password: str,
    *,
    ssl: bool = True,
    ssl_context: ssl_module.SSLContext | None = None,
) -> imapclient.IMAPClient:
    """Log in over TLS with certificate verification; plaintext is allowed only to a loopback host."""
    if not ssl and not is_loopback(host):
        raise ValueError(f"refusing an unencrypted IMAP connection to non-loopback host {host!r}")
    context = (ssl_context or ssl_module.create_default_context()) if ssl else None
    client = imapclient.IMAPClient(host, port=port, ssl=ssl, ssl_context=context)
    try:
        client.login(username, password)
    except BaseException:
        client.shutdown()
        raise
    return client


def is_loopback(host: str) -> bool:
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def fetch_imap(
    client: imapclient.IMAPClient,
    state: dict,
    *,
    source_file: str,
    folders: list[str] | None = None,
) -> Iterator[Interaction | Reject]:
    """Yield one record per message header not seen before; `state` is updated as records are taken.

    `state["folders"][name]` holds `{"uidvalidity", "last_uid"}`; a changed UIDVALIDITY re-reads the
    folder. Folders are opened read-only and only headers are fetched, so no message becomes \\Seen.

    Spam, trash and drafts are never read, as the Gmail API connector skips them: folders flagged \\Junk,
    \\Trash or \\Drafts (RFC 6154) or named so (`NOT_INTERACTION_NAMES`), and Gmail messages labelled \\Draft,
    \\Spam or \\Trash. Such a folder named in `folders` is a Reject, so the config does not fail silently.
    """
    is_gmail = GMAIL_CAPABILITY in client.capabilities()
    folder_states = state.setdefault("folders", {})
    for folder in folders_to_read(client, folders, is_gmail):
        if folder.holds_no_interactions:  # only a folder named in `folders` gets here
            yield Reject(SOURCE, source_file, folder.name, "not read: spam, trash and drafts hold no interactions")
            continue
        try:
            yield from read_new_messages(client, folder, folder_states, source_file=source_file, is_gmail=is_gmail)
        except IMAPClientAbortError:
            raise  # the connection is gone: no other folder can be read either
        except IMAPClientError as error:
            yield Reject(SOURCE, source_file, folder.name, f"cannot read folder: {error}")


def folders_to_read(client: imapclient.IMAPClient, chosen: list[str] | None, is_gmail: bool) -> list[Folder]:
    listed = {
        name: Folder(name, frozenset(flag.lower() for flag in flags), decode_delimiter(delimiter))
        for flags, delimiter, name in client.list_folders()
    }
    if chosen is not None:
        # A chosen folder missing from LIST still gets a SELECT, so its failure becomes a Reject.
        return [listed.get(name, Folder(name, frozenset(), None)) for name in chosen]
    # INBOX first, then by name, so runs read folders in the same order whatever LIST returns.
    selectable = sorted(
        (folder for folder in listed.values() if folder.selectable and not folder.holds_no_interactions),
        key=lambda folder: (folder.name.upper() != "INBOX", folder.name),
    )
    if is_gmail:
        # Every Gmail message is in All Mail, and its labels say which other folders show it.
        all_mail = [folder for folder in selectable if folder.is_all_mail]
        if all_mail:
            return all_mail[:1]
    return selectable


def decode_delimiter(delimiter: bytes | str | None) -> str | None:
    return delimiter.decode() if isinstance(delimiter, bytes) else delimiter


def read_new_messages(
    client: imapclient.IMAPClient,
    folder: Folder,
    folder_states: dict,
    *,
    source_file: str,
    is_gmail: bool,
) -> Iterator[Interaction | Reject]:
    uidvalidity = client.select_folder(folder.name, readonly=True).get(b"UIDVALIDITY")
    folder_state = folder_states.get(folder.name)
    if folder_state is None or folder_state.get("uidvalidity") != uidvalidity:
        folder_state = folder_states[folder.name] = {"uidvalidity": uidvalidity, "last_uid": 0}
    last_uid = folder_state["last_uid"]
    # "UID n:*" always matches the newest message, even when its UID is below n.
    new_uids = sorted(uid for uid in client.search(["UID", f"{last_uid + 1}:*"]) if uid > last_uid)
    items = [HEADER_ITEM, b"INTERNALDATE"] + ([b"X-GM-THRID", b"X-GM-LABELS"] if is_gmail else [])
    for start in range(0, len(new_uids), FETCH_BATCH_SIZE):
        batch = new_uids[start : start + FETCH_BATCH_SIZE]
        fetched = client.fetch(batch, items)
        for uid in batch:
            # Counted before the yield: a record handed out is done, even if the caller stops here.
            folder_state["last_uid"] = uid
            # A message expunged since SEARCH has nothing to report.
            record = guarded_record(folder, uid, fetched[uid], source_file=source_file) if uid in fetched else None
            if record is not None:
                yield record


def guarded_record(folder: Folder, uid: int, data: dict, *, source_file: str) -> Interaction | Reject | None:
    """`record_from_fetch`, with a failure on this message (a Gmail label that is not modified UTF-7, say) a Reject
    for its UID: its UID is taken as read, so raising would lose it silently and stop the folder."""
    try:
        return record_from_fetch(folder, uid, data, source_file=source_file)
    except Exception as error:  # noqa: BLE001  a message no code path expected costs its UID, not the folder
        location = f"{folder.name} UID {uid}"
        raw_headers = data.get(HEADER_RESPONSE_KEY) or b""
        return unreadable_message(raw_headers, error, source=SOURCE, source_file=source_file, location=location)


def record_from_fetch(folder: Folder, uid: int, data: dict, *, source_file: str) -> Interaction | Reject | None:
    """The message as an Interaction (or a Reject); None for a Gmail draft, spam or trashed message."""
    if is_gmail_non_interaction(data.get(b"X-GM-LABELS", ())):
        return None
    location = f"{folder.name} UID {uid}"
    raw_headers = data.get(HEADER_RESPONSE_KEY)
    if raw_headers is None:
        return Reject(SOURCE, source_file, location, "server returned no headers")
    # Gmail's `\Sent` label becomes "Sent", which interaction_from_headers reads as sent too.
    gmail_labels = [display_gmail_label(label) for label in data.get(b"X-GM-LABELS", ())]
    record = interaction_from_headers(
        raw_headers,
        source=SOURCE,
        source_file=source_file,
        location=location,
        labels=[folder.name, *gmail_labels],
        direction_hint="sent" if folder.is_sent else None,
        fallback_date=as_utc(data.get(b"INTERNALDATE")),
    )
    thread_id = data.get(b"X-GM-THRID")
    if isinstance(record, Interaction) and thread_id is not None:
        record.thread_id = str(thread_id)
    return record


def is_gmail_non_interaction(labels) -> bool:
    # The backslash tells a system label from a user label of the same name.
    return any(str(decode_modified_utf7(label)).casefold() in NOT_INTERACTION_GMAIL_LABELS for label in labels)


def display_gmail_label(label: bytes | str | int) -> str:
    """Gmail system labels come as `\\Inbox`, `\\Sent`; user labels in modified UTF-7, or as numbers."""
    return str(decode_modified_utf7(label)).removeprefix("\\")


def as_utc(moment: datetime | None) -> datetime | None:
    # imapclient gives naive local time unless normalise_times is off; astimezone reads naive as local.
    return moment.astimezone(timezone.utc) if moment is not None else None
