"""Bad input for the .eml connector: one message per file, so every bad file is one Reject at "file"."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.mail import eml as eml_module
from connectors.mail.eml import parse_eml
from tests.badinput.contract import ODD_NAMES, kept, parse_all, random_bytes, rejects
from tests.badinput.mail_samples import key, message

NO_HEADERS = ("file", "no message headers (From, To, Date, Subject, Message-ID)")


def write(tmp_path: Path, data: str | bytes, name: str = "message.eml") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize("data", [random_bytes(), b"", b"\x00" * 5000, b"\n\n\n"], ids=["random", "empty", "nul", "blank"])
def test_unusable_files_are_one_reject(tmp_path, data):
    assert rejects(parse_all(parse_eml, write(tmp_path, data))) == [NO_HEADERS]


def test_truncated_inside_the_headers(tmp_path):
    assert rejects(parse_all(parse_eml, write(tmp_path, message("a")[:40]))) == [("file", "no usable date (Date, Received, From_ line)")]


def test_headers_in_unknown_charsets_and_raw_8bit(tmp_path):
    odd = message("a").replace("Subject: ", "Subject: =?x-klingon?Q?caf=E9?= ").replace("From: Ana Good", "From: =?x-unknown?B?////?=")
    records = parse_all(parse_eml, write(tmp_path, odd.encode().replace(b"To: Bob Good", b"To: B\xf6b \xff")))
    assert [(r.interaction_key, [p.value for p in r.participants]) for r in kept(records)] == [
        (key("a"), ["ana@good.example", "bob@good.example"])
    ]


def test_enormous_header_line_after_the_addresses(tmp_path):
    huge = message("a").replace("Subject:", "X-Huge: " + "h" * 5_000_000 + "\nSubject:")
    assert [r.interaction_key for r in kept(parse_all(parse_eml, write(tmp_path, huge)))] == [key("a")]


def test_enormous_first_header_line_is_a_reject_not_a_crash(tmp_path):
    huge = "X-Huge: " + "h" * 5_000_000 + "\n" + message("a")
    assert rejects(parse_all(parse_eml, write(tmp_path, huge))) == [NO_HEADERS]


def test_missing_file_and_directory_named_like_an_eml(tmp_path):
    folder = tmp_path / "x.eml"
    folder.mkdir()
    for path in (tmp_path / "gone.eml", folder):
        assert [location for location, _ in rejects(parse_all(parse_eml, path))] == ["file"]


def test_permission_denied_is_one_reject_simulated(tmp_path, monkeypatch):
    path = write(tmp_path, message("a"))

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(eml_module, "open", denied, raising=False)
    assert rejects(parse_all(parse_eml, path)) == [
        ("file", f"cannot open the file: [Errno 13] Permission denied: '{path}'")
    ]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_file_names(tmp_path, name):
    assert [r.interaction_key for r in kept(parse_all(parse_eml, write(tmp_path, message("a"), f"{name}.eml")))] == [key("a")]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_any_bytes_are_one_record_or_one_reject(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.eml"
        path.write_bytes(data)
        assert len(parse_all(parse_eml, path)) == 1


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=400))
def test_any_header_value_keeps_the_message(value):
    text = message("a").replace("Subject: ", "Subject: " + " ".join(value.splitlines()) + " ")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.eml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        assert [r.interaction_key for r in kept(parse_all(parse_eml, path))] == [key("a")]
