"""Fetches Gmail message headers through the Gmail API (full sync, then history) as email Interactions."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from itertools import chain
from urllib.parse import urlparse

from googleapiclient.errors import HttpError

from connectors.google.calls import ATTEMPTS, Sleep, backoff_seconds, describe, execute, is_retryable
from connectors.google.timestamps import from_epoch_millis
from connectors.mail.headers import interaction_from_headers
from connectors.records import Interaction, Reject

SOURCE = "gmail"
METADATA_HEADERS = [
    "From", "To", "Cc", "Bcc", "Reply-To", "Sender", "Date", "Message-ID", "In-Reply-To", "References",
    "List-Id", "List-Unsubscribe", "List-Post", "Precedence", "Auto-Submitted", "X-Autoreply", "X-Autorespond",
    "Subject",
]
BATCH_SIZE = 50  # Google advises batches of at most 50 Gmail calls to stay under the rate limits
_NOT_INTERACTIONS = {"DRAFT", "SPAM", "TRASH"}


def fetch_gmail(
    service, state: dict, *, source_file: str, labels: list[str] | None = None, sleep: Sleep = time.sleep
) -> Iterator[Interaction | Reject]:
    """Every message of the mailbox (or of `labels`: names or ids), or those added since `state["history_id"]`.

    Reads headers only (format=metadata), 50 messages per batch request. Updates `state` in place:
    `history_id` (after the last message), `full_resync` (True when this run listed the whole mailbox,
    because there was no history id or Gmail no longer knew it) and `retry_ids`: the messages that still
    failed with a rate limit or server error after every retry. The history id moves past them, so they
    are fetched first on the next run instead of being lost. Drafts, spam and trash are skipped.
    An API failure ends the run with one Reject naming the call.
    """
    try:
        label_names = _label_names(service, sleep)
        wanted = None
        if labels:
            wanted, unknown = _label_ids(labels, label_names)
            for label in unknown:
                yield Reject(SOURCE, source_file, f"label {label}", "no such label in this mailbox")
        seen: set[str] = set()
        failed: list[str] = []
        highest = int(state.get("history_id") or 0)
        retried = [{"id": message_id} for message_id in state.get("retry_ids", [])]
        added = _added_messages(service, state.get("history_id"), wanted, sleep, state)
        for page, page_history_id in chain([(retried, None)], added):
            highest = max(highest, int(page_history_id or 0))
            fresh = [message["id"] for message in page if message["id"] not in seen]
            seen.update(fresh)
            for message_id, answer in _fetch_metadata(service, fresh, sleep):
                if isinstance(answer, HttpError):
                    yield from _failed_message(message_id, answer, failed, source_file)
                    continue
                highest = max(highest, int(answer.get("historyId") or 0))
                record = message_to_record(answer, label_names, source_file=source_file)
                if record is not None:
                    yield record
    except HttpError as error:
        # The state stays as it was: the same messages (and the old retry_ids) are fetched on the next run.
        yield Reject(SOURCE, source_file, f"request {urlparse(error.uri or '').path}", describe(error))
        return
    if highest:
        state["history_id"] = str(highest)
    if failed:
        state["retry_ids"] = failed
    else:
        state.pop("retry_ids", None)


def _failed_message(message_id: str, error: HttpError, failed: list[str], source_file: str) -> Iterator[Reject]:
    """A Reject for a message that could not be read; one that may be read later is added to `failed`."""
    if error.status_code == 404:  # deleted since it was listed
        return
    reason = describe(error)
    if is_retryable(error):
        failed.append(message_id)
        reason += " (fetched again on the next run)"
    yield Reject(SOURCE, source_file, f"message {message_id}", reason)


def _added_messages(service, history_id: str | None, wanted: set[str] | None, sleep: Sleep, state: dict):
    """Pages of (`[{id, labelIds}]`, mailbox historyId): the messages added since `history_id`, or every
    message when there is none or Gmail has forgotten it (HTTP 404)."""
    if history_id:
        state["full_resync"] = False
        try:
            yield from _history_pages(service, history_id, wanted, sleep)
            return
        except HttpError as error:
            if error.status_code != 404:
                raise
    state["full_resync"] = True
    for label_id in sorted(wanted) if wanted is not None else [None]:
        yield from _listed_pages(service, label_id, sleep)


def _history_pages(service, history_id: str, wanted: set[str] | None, sleep: Sleep):
    page_token = None
    while True:
        request = service.users().history().list(
            userId="me", startHistoryId=history_id, historyTypes=["messageAdded"], pageToken=page_token
        )
        response = execute(request, sleep)
        added = [item["message"] for entry in response.get("history", []) for item in entry.get("messagesAdded", [])]
        yield [
            message for message in added if wanted is None or wanted & set(message.get("labelIds", []))
        ], response.get("historyId")
        page_token = response.get("nextPageToken")
        if not page_token:
            return


def _listed_pages(service, label_id: str | None, sleep: Sleep):
    page_token = None
    while True:
        request = service.users().messages().list(
            userId="me", maxResults=500, labelIds=[label_id] if label_id else None, pageToken=page_token
        )
        response = execute(request, sleep)
        yield response.get("messages", []), None
        page_token = response.get("nextPageToken")
        if not page_token:
            return


def _fetch_metadata(service, message_ids: list[str], sleep: Sleep) -> Iterator[tuple[str, dict | HttpError]]:
    """(id, message or HttpError) for every id, in batches; parts hit by rate limits or 5xx are sent again."""
    pending = message_ids
    for attempt in range(ATTEMPTS):
        retry = []
        for start in range(0, len(pending), BATCH_SIZE):
            for message_id, answer in _one_batch(service, pending[start : start + BATCH_SIZE], sleep):
                if isinstance(answer, HttpError) and is_retryable(answer) and attempt < ATTEMPTS - 1:
                    retry.append(message_id)
                else:
                    yield message_id, answer
        if not retry:
            return
        sleep(backoff_seconds(attempt))
        pending = retry


def _one_batch(service, message_ids: Iterable[str], sleep: Sleep) -> list[tuple[str, dict | HttpError]]:
    answers: dict[str, dict | HttpError] = {}

    def remember(request_id, response, exception):
        answers[request_id] = exception if exception is not None else response

    batch = service.new_batch_http_request(callback=remember)
    for message_id in message_ids:
        request = service.users().messages().get(
            userId="me", id=message_id, format="metadata", metadataHeaders=METADATA_HEADERS
        )
        batch.add(request, request_id=message_id)
    execute(batch, sleep)
    return list(answers.items())


def message_to_record(message: dict, label_names: dict[str, str], *, source_file: str) -> Interaction | Reject | None:
    """One `format=metadata` Message as an Interaction (or Reject); None for drafts, spam and trash."""
    location = f"message {message.get('id')}"
    label_ids = message.get("labelIds", [])
    if _NOT_INTERACTIONS & set(label_ids):
        return None
    try:
        fallback_date = from_epoch_millis(message["internalDate"]) if message.get("internalDate") else None
        raw_headers = _header_block(message)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return Reject(SOURCE, source_file, location, f"unreadable message: {type(error).__name__}: {error}")
    return interaction_from_headers(
        raw_headers,
        source=SOURCE,
        source_file=source_file,
        location=location,
        labels=[label_names.get(label_id, label_id) for label_id in label_ids],
        direction_hint="sent" if "SENT" in label_ids else None,
        fallback_date=fallback_date,
    )


def _header_block(message: dict) -> bytes:
    """The payload headers as a raw `Name: value` block, plus the thread as X-GM-THRID.

    The API's ids are the hex form of IMAP's and Takeout's decimal X-GM-THRID, so one thread gets one id
    whichever way the mailbox was read.
    """
    lines = [
        f"{header['name']}: {' '.join(header['value'].splitlines())}"
        for header in message.get("payload", {}).get("headers", [])
    ]
    thread_id = message.get("threadId")
    if thread_id:
        lines.append(f"X-GM-THRID: {int(thread_id, 16)}")
    return "".join(f"{line}\r\n" for line in lines).encode("utf-8", "surrogatepass")


def _label_names(service, sleep: Sleep) -> dict[str, str]:
    """Label id -> name ("Label_7" -> "Clients/Acme"; system labels are their own names)."""
    response = execute(service.users().labels().list(userId="me"), sleep)
    return {label["id"]: label.get("name", label["id"]) for label in response.get("labels", [])}


def _label_ids(labels: list[str], label_names: dict[str, str]) -> tuple[set[str], list[str]]:
    """The ids of the wanted labels, given by name or id, and the ones the mailbox does not have."""
    by_name = {name: label_id for label_id, name in label_names.items()}
    wanted, unknown = set(), []
    for label in labels:
        if label in label_names:
            wanted.add(label)
        elif label in by_name:
            wanted.add(by_name[label])
        else:
            unknown.append(label)
    return wanted, unknown
