"""Bad input for the mbox connector: garbage, truncation, odd charsets and huge headers never cost the good messages."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.mail import mbox as mbox_module
from connectors.mail.mbox import parse_mbox
from connectors.records import Interaction
from tests.badinput.contract import ODD_NAMES, kept, parse_all, random_bytes, rejects
from tests.badinput.mail_samples import FROM_LINE, key, mbox_message


def write(tmp_path: Path, data: str | bytes, name: str = "mail.mbox") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def keys(records) -> list[str]:
    return [r.interaction_key for r in kept(records)]


def test_random_bytes_are_one_reject_at_byte_0(tmp_path):
    records = parse_all(parse_mbox, write(tmp_path, random_bytes()))
    assert rejects(records) == [("byte 0", "not a message: bytes before the first From_ line")]


def test_garbage_before_and_between_messages(tmp_path):
    data = b"garbage\x00\xff\n" + mbox_message("a").encode() + random_bytes(3000) + b"\n" + mbox_message("b").encode()
    records = parse_all(parse_mbox, write(tmp_path, data))
    # Bytes between messages belong to the body before them, which is never read.
    assert keys(records) == [key("a"), key("b")]
    assert rejects(records) == [("byte 0", "not a message: bytes before the first From_ line")]


def test_truncated_last_message_keeps_the_first(tmp_path):
    whole = mbox_message("a") + mbox_message("b")
    first_end = len(mbox_message("a"))
    for cut in range(first_end, len(whole), 7):
        records = parse_all(parse_mbox, write(tmp_path, whole[:cut]))
        assert keys(records)[:1] == [key("a")], cut


def test_unknown_charsets_and_broken_encoded_words(tmp_path):
    odd = (
        mbox_message("a")
        .replace("Subject: ", "Subject: =?x-klingon?Q?caf=E9?= ")
        .replace("From: Ana Good", "From: =?x-unknown?B?////?=")
        .replace("To: Bob Good", "To: =?utf-8?B?====?=")
    )
    records = parse_all(parse_mbox, write(tmp_path, odd.encode() + b"X-Raw: caf\xe9\n" + mbox_message("b").encode()))
    assert keys(records) == [key("a"), key("b")]
    assert [p.value for p in kept(records)[0].participants] == ["ana@good.example", "bob@good.example"]


def test_impossible_date_falls_back_to_the_from_line(tmp_path):
    odd = mbox_message("a").replace("Date: Mon, 06 Jan 2020 04:49:45 +0000", "Date: Mon, 99 Foo 20202 25:61:61 +9999")
    records = parse_all(parse_mbox, write(tmp_path, odd + mbox_message("b")))
    assert [r.occurred_at.isoformat() for r in kept(records)] == ["2020-01-06T04:49:45+00:00"] * 2


def test_a_message_without_any_address_is_a_located_reject(tmp_path):
    addresses = "From: Ana Good <ana@good.example>\nTo: Bob Good <bob@good.example>\n"
    nobody = mbox_message("n").replace(addresses, "From: \x00garbage\n")
    records = parse_all(parse_mbox, write(tmp_path, mbox_message("a") + nobody + mbox_message("b")))
    assert keys(records) == [key("a"), key("b")]
    assert rejects(records) == [(f"byte {len(mbox_message('a'))}", "no sender or recipient address")]


def test_enormous_header_line_after_the_addresses_keeps_the_message(tmp_path):
    huge = mbox_message("a").replace("Subject:", "X-Huge: " + "h" * 5_000_000 + "\nSubject:")
    records = parse_all(parse_mbox, write(tmp_path, huge + mbox_message("b")))
    assert keys(records) == [key("a"), key("b")]


def test_enormous_first_header_line_costs_that_message_only(tmp_path):
    # Header blocks are capped at 1 MiB to keep memory flat: the headers after a 5 MB first line are not seen.
    huge = mbox_message("a").replace("Message-ID:", "References: " + "<r@x> " * 800_000 + "\nMessage-ID:")
    records = parse_all(parse_mbox, write(tmp_path, huge + mbox_message("b")))
    assert keys(records) == [key("b")]
    assert rejects(records) == [("byte 0", "no message headers (From, To, Date, Subject, Message-ID)")]


def test_small_chunks_do_not_split_messages(tmp_path, monkeypatch):
    monkeypatch.setattr(mbox_module, "CHUNK_SIZE", 64)
    data = "".join(mbox_message(str(n)) for n in range(20))
    assert keys(parse_all(parse_mbox, write(tmp_path, data))) == [key(str(n)) for n in range(20)]


def test_missing_file_and_directory_named_like_an_mbox(tmp_path):
    folder = tmp_path / "x.mbox"
    folder.mkdir()
    for path in (tmp_path / "gone.mbox", folder):
        assert [location for location, _ in rejects(parse_all(parse_mbox, path))] == ["file"]


def test_permission_denied_is_one_reject_simulated(tmp_path, monkeypatch):
    # Tests run as root, where chmod 000 does not stop reads; a refused open is simulated instead.
    path = write(tmp_path, mbox_message("a"))

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(mbox_module, "open", denied, raising=False)
    assert rejects(parse_all(parse_mbox, path)) == [
        ("file", f"cannot open the file: [Errno 13] Permission denied: '{path}'")
    ]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_file_names(tmp_path, name):
    records = parse_all(parse_mbox, write(tmp_path, mbox_message("a") + mbox_message("b"), f"{name}.mbox"))
    assert keys(records) == [key("a"), key("b")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.binary(max_size=300))
def test_any_bytes_between_messages_never_raise_or_lose_the_next_message(junk, header_junk):
    # Junk that ends a line before the next From_ line cannot hide it.
    data = mbox_message("a").encode() + junk + b"\n\n" + mbox_message("b").encode().replace(b"Subject", header_junk.replace(b"\n", b" ") + b"\nSubject", 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.mbox"
        path.write_bytes(data)
        records = parse_all(parse_mbox, path)
    interactions = [r for r in records if isinstance(r, Interaction)]
    assert interactions[0].interaction_key == key("a")
    assert key("b") in [r.interaction_key for r in interactions]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_any_bytes_after_a_from_line_never_raise(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.mbox"
        path.write_bytes(FROM_LINE.encode() + data)
        parse_all(parse_mbox, path)
