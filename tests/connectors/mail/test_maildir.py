"""Tests for the Maildir reader: cur/ and new/, folder labels, Sent folders, unreadable input."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.mail.maildir import parse_maildir
from connectors.records import Interaction, Participant, Reject


def _message(sender: str, message_id: str, date: str = "Wed, 4 Mar 2020 10:00:00 +0100") -> bytes:
    return (
        f"Return-Path: <{sender}>\r\nFrom: {sender}\r\nTo: Team <team@example.org>\r\nSubject: hi\r\n"
        f"Date: {date}\r\nMessage-ID: <{message_id}>\r\n\r\nbody\r\nFrom: not a header\r\n"
    ).encode()


def _maildir(root: Path, files: dict[str, bytes]) -> Path:
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    for name, content in files.items():
        (root / name).write_bytes(content)
    return root


def test_sent_folder_messages_with_labels_and_direction(tmp_path):
    folder = _maildir(
        tmp_path / "Maildir" / ".Sent",
        {
            "cur/1583312400.M1P1.host:2,S": _message("me@example.org", "one@example.org"),
            "new/1583316000.M2P1.host": _message("me@example.org", "two@example.org", "Wed, 4 Mar 2020 11:00:00 +0000"),
            "tmp/1583316001.M3P1.host": _message("me@example.org", "partial@example.org"),
        },
    )
    records = list(parse_maildir(folder))
    participants = [
        Participant(role="from", kind="email", value="me@example.org"),
        Participant(role="to", kind="email", value="team@example.org", name="Team"),
    ]
    common = dict(
        source="maildir", source_file=str(folder), channel="email", participants=participants, title="hi",
        labels=["Sent"], direction_hint="sent",
    )
    assert records == [
        Interaction(
            location="cur/1583312400.M1P1.host:2,S", interaction_key="<one@example.org>",
            occurred_at=datetime(2020, 3, 4, 9, 0, tzinfo=UTC), thread_id="<one@example.org>", **common,
        ),
        Interaction(
            location="new/1583316000.M2P1.host", interaction_key="<two@example.org>",
            occurred_at=datetime(2020, 3, 4, 11, 0, tzinfo=UTC), thread_id="<two@example.org>", **common,
        ),
    ]


def test_plain_folder_name_is_a_label_without_direction(tmp_path):
    folder = _maildir(tmp_path / "Archive", {"cur/a:2,": _message("friend@example.org", "a@example.org")})
    [record] = parse_maildir(folder)
    assert (record.labels, record.direction_hint) == (["Archive"], None)


def test_nested_sent_folder_and_localised_name(tmp_path):
    folder = _maildir(tmp_path / ".Work.Envoyés", {"cur/a:2,S": _message("me@example.org", "a@example.org")})
    [record] = parse_maildir(folder)
    assert (record.labels, record.direction_hint) == (["Work.Envoyés"], "sent")


@pytest.mark.parametrize(
    ("name", "reason"), [(".Drafts", "draft"), (".Work.Junk", "spam"), (".Spam", "spam"), (".Trash", None)]
)
def test_the_mail_of_a_drafts_or_spam_folder_counts_for_nobody(tmp_path, name, reason):
    folder = _maildir(tmp_path / name, {"cur/a:2,S": _message("me@example.org", "a@example.org")})
    [record] = parse_maildir(folder)
    assert (record.labels, record.automated_reason) == ([name.lstrip(".")], reason)


def test_a_dateless_file_is_rejected_by_its_key_and_the_rest_still_parses(tmp_path):
    folder = _maildir(
        tmp_path / "INBOX",
        {
            "cur/1:2,": b"From: a@example.org\nSubject: no date\n\nbody\n",
            "cur/2:2,": _message("b@example.org", "b@example.org"),
            "cur/.hidden": b"not mail",
        },
    )
    records = list(parse_maildir(folder))
    assert records[0] == Reject("maildir", str(folder), "cur/1:2,", "no usable date (Date, Received, From_ line)")
    assert [record.interaction_key for record in records[1:]] == ["<b@example.org>"]


def test_a_header_in_a_charset_python_cannot_decode_costs_no_file(tmp_path):
    sale = _message("shop@example.org", "sale@example.org").replace(b"hi", b"=?undefined?B?U2FsZQ==?=")
    folder = _maildir(
        tmp_path / "INBOX",
        {"cur/1:2,S": _message("a@example.org", "a@example.org"), "cur/2:2,S": sale,
         "cur/3:2,S": _message("b@example.org", "b@example.org")},
    )
    records = list(parse_maildir(folder))
    assert [(record.location, record.title) for record in records] == [
        ("cur/1:2,S", "hi"), ("cur/2:2,S", "Sale"), ("cur/3:2,S", "hi")
    ]


def test_a_folder_without_cur_or_new_is_one_reject(tmp_path):
    assert list(parse_maildir(tmp_path)) == [
        Reject("maildir", str(tmp_path), "file", "not a Maildir folder: no cur/ or new/")
    ]
