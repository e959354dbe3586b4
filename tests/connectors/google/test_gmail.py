"""Tests for the Gmail API connector: listing, batched metadata, history, backoff; offline HTTP answers."""

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

from connectors.google.gmail import METADATA_HEADERS, fetch_gmail
from connectors.records import Interaction, Participant, Reject

from .conftest import batch_reply, error, fixture, ok

SOURCE_FILE = "account:personal-gmail"
MESSAGES = json.loads(fixture("gmail_messages.json"))
LABELS = ok(fixture("gmail_labels.json"))
THREAD = "1797114040482588150"  # 0x18f0a1b2c3d4e5f6, as IMAP and Takeout write X-GM-THRID


def batch(*ids):
    return batch_reply({message_id: (200, MESSAGES[message_id]) for message_id in ids})


FULL_SYNC = [
    ok(fixture("gmail_list_page1.json")),
    batch("18f0a1b2c3d4e5f6", "18f0a1b2c3d4e600", "18f0a1b2c3d4e611"),
    ok(fixture("gmail_list_page2.json")),
    batch("18e9ffeeddccbbaa"),
]


def fetch(google, answers, state, sleeps, labels=None):
    service, http = google("gmail", "v1", answers)
    records = list(fetch_gmail(service, state, source_file=SOURCE_FILE, labels=labels, sleep=sleeps.append))
    return records, http


def batched_gets(http, index):
    """The message ids and query of each part of the batch request sent as request `index`."""
    _, method, body, _ = http.request_sequence[index]
    assert method == "POST"
    paths = [line.split(" ")[1] for line in body.splitlines() if line.startswith("GET ")]
    return [(urlparse(path).path.rsplit("/", 1)[1], parse_qs(urlparse(path).query)) for path in paths]


def test_full_sync_lists_both_pages_and_fetches_headers_in_batches(google, sleeps):
    state: dict = {}
    records, http = fetch(google, [LABELS, *FULL_SYNC], state, sleeps)

    assert [record.location for record in records] == [
        "message 18f0a1b2c3d4e5f6",
        "message 18f0a1b2c3d4e600",
        "message 18e9ffeeddccbbaa",
    ]  # the draft is not an interaction
    assert state == {"full_resync": True, "history_id": "91300"}
    assert http.queries()[1] == {"maxResults": ["500"], "alt": ["json"]}
    assert http.queries()[3] == {"maxResults": ["500"], "pageToken": ["09876543210987654321"], "alt": ["json"]}
    gets = batched_gets(http, 2)
    assert [message_id for message_id, _ in gets] == ["18f0a1b2c3d4e5f6", "18f0a1b2c3d4e600", "18f0a1b2c3d4e611"]
    assert gets[0][1] == {"format": ["metadata"], "metadataHeaders": METADATA_HEADERS, "alt": ["json"]}


def test_a_message_becomes_an_interaction_with_label_names_and_the_imap_thread_id(google, sleeps):
    records, _ = fetch(google, [LABELS, *FULL_SYNC], {}, sleeps)

    assert records[0] == Interaction(
        source="gmail",
        source_file=SOURCE_FILE,
        location="message 18f0a1b2c3d4e5f6",
        interaction_key="<CAB1x2y3z@mail.example.com>",
        channel="email",
        occurred_at=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        participants=[
            Participant("from", "email", "bea.lin@example.com", "Bea Lín"),
            Participant("to", "email", "ada.ortega@example.org", "Ada Ortega"),
            Participant("to", "email", "c.okafor@example.net", None),
            Participant("cc", "email", "dan@example.com", "Dan, the reviewer"),
        ],
        thread_id=THREAD,
        title="Quarterly numbers",
        labels=["IMPORTANT", "Clients/Acme", "INBOX"],
    )
    reply, digest = records[1], records[2]
    assert (reply.direction_hint, reply.in_reply_to) == ("sent", "<CAB1x2y3z@mail.example.com>")
    assert reply.thread_id == THREAD
    # No Date header: Gmail's internalDate stands in.
    assert (digest.occurred_at, digest.automated_reason) == (datetime(2024, 4, 24, 23, 6, 40, tzinfo=UTC), "list-id")


def test_incremental_sync_fetches_only_added_messages(google, sleeps):
    state = {"history_id": "91300"}
    answers = [LABELS, ok(fixture("gmail_history.json")), batch("18f1000000000001")]
    records, http = fetch(google, answers, state, sleeps)

    assert http.queries()[1] == {
        "startHistoryId": ["91300"],
        "historyTypes": ["messageAdded"],
        "alt": ["json"],
    }
    assert [message_id for message_id, _ in batched_gets(http, 2)] == ["18f1000000000001"]
    assert [(record.interaction_key, record.in_reply_to) for record in records] == [
        ("<CAB9@mail.example.com>", "<a1b2c3@example.org>")
    ]
    assert state == {"history_id": "95000", "full_resync": False}


def test_forgotten_history_id_falls_back_to_a_full_sync(google, sleeps):
    state = {"history_id": "12"}
    gone = error(404, "Requested entity was not found.", reason="notFound")
    records, http = fetch(google, [LABELS, gone, *FULL_SYNC], state, sleeps)

    assert len(records) == 3
    assert urlparse(http.request_sequence[2][0]).path == "/gmail/v1/users/me/messages"
    assert state == {"history_id": "91300", "full_resync": True}


def test_rate_limited_and_failed_batch_parts_are_sent_again(google, sleeps):
    too_many = {"code": 429, "message": "Too many concurrent requests for user", "status": "RESOURCE_EXHAUSTED"}
    rate_limited = (429, {"error": too_many})
    first = batch_reply(
        {
            "18f0a1b2c3d4e5f6": rate_limited,
            "18f0a1b2c3d4e600": (200, MESSAGES["18f0a1b2c3d4e600"]),
            "18f0a1b2c3d4e611": (404, {"error": {"code": 404, "message": "Requested entity was not found."}}),
        }
    )
    answers = [LABELS, ok(fixture("gmail_list_page1.json")), first, batch("18f0a1b2c3d4e5f6")]
    answers += [ok(fixture("gmail_list_page2.json")), error(503, "Backend Error"), batch("18e9ffeeddccbbaa")]
    records, http = fetch(google, answers, {}, sleeps)

    assert [record.location for record in records] == [
        "message 18f0a1b2c3d4e600",
        "message 18f0a1b2c3d4e5f6",
        "message 18e9ffeeddccbbaa",
    ]  # the message deleted since listing (404) is skipped
    assert [message_id for message_id, _ in batched_gets(http, 3)] == ["18f0a1b2c3d4e5f6"]
    assert sleeps == [1.0, 1.0]


def test_a_refused_message_is_a_reject_and_the_rest_still_read(google, sleeps):
    answers = [
        LABELS,
        ok(fixture("gmail_list_page1.json")),
        batch_reply(
            {
                "18f0a1b2c3d4e5f6": (400, {"error": {"code": 400, "message": "Invalid id value"}}),
                "18f0a1b2c3d4e600": (200, MESSAGES["18f0a1b2c3d4e600"]),
                "18f0a1b2c3d4e611": (200, MESSAGES["18f0a1b2c3d4e611"]),
            }
        ),
        ok(fixture("gmail_list_page2.json")),
        batch("18e9ffeeddccbbaa"),
    ]
    records, _ = fetch(google, answers, {}, sleeps)

    assert records[0] == Reject("gmail", SOURCE_FILE, "message 18f0a1b2c3d4e5f6", "HTTP 400: Invalid id value")
    assert len(records) == 3


def test_labels_restrict_the_listing_and_unknown_labels_are_rejected(google, sleeps):
    answers = [LABELS, ok(fixture("gmail_list_page2.json")), batch("18e9ffeeddccbbaa")]
    records, http = fetch(google, answers, {}, sleeps, labels=["Clients/Acme", "Holidays"])

    assert records[0] == Reject("gmail", SOURCE_FILE, "label Holidays", "no such label in this mailbox")
    assert http.queries()[1]["labelIds"] == ["Label_7"]
    assert len(records) == 2


def test_a_failing_listing_ends_the_run_with_one_reject_and_keeps_the_history_id(google, sleeps):
    state = {"history_id": "91300"}
    records, _ = fetch(google, [LABELS, error(401, "Invalid Credentials", reason="authError")], state, sleeps)

    assert records == [
        Reject("gmail", SOURCE_FILE, "request /gmail/v1/users/me/history", "HTTP 401: Invalid Credentials")
    ]
    assert state == {"history_id": "91300", "full_resync": False}


def test_a_message_rate_limited_on_every_retry_is_fetched_again_on_the_next_run(google, sleeps):
    rate_limited = (429, {"error": {"code": 429, "message": "Too many concurrent requests for user"}})
    still_limited = batch_reply({"18f0a1b2c3d4e5f6": rate_limited})
    first = batch_reply(
        {
            "18f0a1b2c3d4e5f6": rate_limited,
            "18f0a1b2c3d4e600": (200, MESSAGES["18f0a1b2c3d4e600"]),
            "18f0a1b2c3d4e611": (200, MESSAGES["18f0a1b2c3d4e611"]),
        }
    )
    answers = [LABELS, ok(fixture("gmail_list_page1.json")), first, *[still_limited] * 5, *FULL_SYNC[2:]]
    state: dict = {}
    records, _ = fetch(google, answers, state, sleeps)

    reason = "HTTP 429: Too many concurrent requests for user (fetched again on the next run)"
    assert Reject("gmail", SOURCE_FILE, "message 18f0a1b2c3d4e5f6", reason) in records
    assert state == {"full_resync": True, "history_id": "91300", "retry_ids": ["18f0a1b2c3d4e5f6"]}

    answers = [LABELS, batch("18f0a1b2c3d4e5f6"), ok(fixture("gmail_history.json")), batch("18f1000000000001")]
    records, http = fetch(google, answers, state, sleeps)

    assert [record.location for record in records] == ["message 18f0a1b2c3d4e5f6", "message 18f1000000000001"]
    assert http.queries()[2]["startHistoryId"] == ["91300"]
    assert state == {"full_resync": False, "history_id": "95000"}
