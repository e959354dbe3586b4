"""Bad input for the vCard connector: every bad card is a located Reject and the good cards beside it survive."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.records import ContactCard
from connectors.vcard import parse_vcard
from connectors.vcard import parser as vcard_parser
from connectors.vcard.parser import cards_from_text
from tests.badinput.contract import ODD_NAMES, enormous_line, kept, parse_all, random_bytes, rejects

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:Person {uid}\r\nEMAIL:{uid}@good.example\r\nEND:VCARD\r\n"


def card(uid: str) -> str:
    return CARD.format(uid=uid)


def good_keys(records) -> list[str]:
    return [r.record_key for r in kept(records)]


def write(tmp_path: Path, data: str | bytes, name: str = "contacts.vcf") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_random_bytes_are_one_located_reject(tmp_path):
    records = parse_all(parse_vcard, write(tmp_path, random_bytes()))
    assert good_keys(records) == []
    assert [location for location, _ in rejects(records)] == ["line 1"]


def test_garbage_between_cards_keeps_both_cards(tmp_path):
    data = card("a").encode() + b"garbage\x00\xff line\r\nmore\r\n" + card("b").encode()
    records = parse_all(parse_vcard, write(tmp_path, data))
    assert good_keys(records) == ["a", "b"]
    assert rejects(records) == [("line 7", "text outside any card (2 lines): 'garbage\\x00\\udcff line'")]


def test_card_cut_at_every_byte_keeps_the_cards_before_it(tmp_path):
    whole = card("a") + card("b")
    first_end = len(card("a"))
    for cut in range(first_end + 1, len(whole) - len("END:VCARD\r\n")):
        records = parse_all(parse_vcard, write(tmp_path, whole[:cut]))
        assert good_keys(records) == ["a"], cut
        expected = "card 2 (line 7)" if cut >= first_end + len("BEGIN:VCARD") else "line 7"  # a cut marker is stray text
        assert [location for location, _ in rejects(records)] == [expected], cut


def test_card_without_end_before_the_next_card(tmp_path):
    data = card("a") + "BEGIN:VCARD\r\nFN:Lost\r\n" + card("b")
    records = parse_all(parse_vcard, write(tmp_path, data))
    assert good_keys(records) == ["a", "b"]
    assert rejects(records) == [("card 2 (line 7)", "no END:VCARD before the next BEGIN:VCARD at line 9")]


def test_enormous_line_inside_a_card(tmp_path):
    data = card("a").replace("FN:", f"NOTE:{enormous_line(4)}\r\nFN:") + card("b")
    records = parse_all(parse_vcard, write(tmp_path, data))
    assert good_keys(records) == ["a", "b"]


def test_unknown_charset_drops_that_property_only(tmp_path):
    bad = card("a").replace("FN:Person a", "FN;CHARSET=x-klingon;ENCODING=QUOTED-PRINTABLE:Caf=C3=A9")
    records = parse_all(parse_vcard, write(tmp_path, bad + card("b")))
    assert good_keys(records) == ["a", "b"]
    assert kept(records)[0].full_name is None
    assert rejects(records) == [
        ("card 1 (line 1), line 4", "undecodable quoted-printable FN (unknown charset 'x-klingon'): property dropped")
    ]


def test_every_undecodable_property_is_a_reject_even_when_the_card_is_lost(tmp_path):
    # The card reject alone ("no name") would hide why the name went.
    bad = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE:=ZZ\r\n"
        "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3\r\nEND:VCARD\r\n"
    )
    records = parse_all(parse_vcard, write(tmp_path, bad + card("b")))
    assert good_keys(records) == ["b"]
    broken = "broken quoted-printable escape"
    assert rejects(records) == [
        ("card 1 (line 1)", "card has no name and no identifier"),
        ("card 1 (line 1), line 3", f"undecodable quoted-printable FN ({broken}): property dropped"),
        ("card 1 (line 1), line 4", "undecodable quoted-printable NOTE (bytes are not valid UTF-8): property dropped"),
    ]


def test_agent_card_cut_off_loses_the_card_around_it_too(tmp_path):
    data = card("a") + "BEGIN:VCARD\r\nFN:Boss\r\nAGENT:\r\nBEGIN:VCARD\r\nFN:Assistant\r\n"
    records = parse_all(parse_vcard, write(tmp_path, data))
    assert good_keys(records) == ["a"]
    assert rejects(records) == [
        ("card 2 (line 7)", "card cut off: the file ends before END:VCARD"),
        ("card 3 (line 10)", "card cut off: the file ends before END:VCARD"),
    ]


def test_begin_after_a_filled_agent_is_no_nesting(tmp_path):
    # Only an empty AGENT value announces a nested card; 3.0 writes the agent inline, escaped.
    data = "BEGIN:VCARD\r\nFN:Boss\r\nAGENT:BEGIN:VCARD\\nFN:Inline\\nEND:VCARD\r\n" + card("b")
    records = parse_all(parse_vcard, write(tmp_path, data))
    assert good_keys(records) == ["b"]
    assert rejects(records) == [("card 1 (line 1)", "no END:VCARD before the next BEGIN:VCARD at line 4")]


def test_nonsense_properties_and_empty_cards(tmp_path):
    nonsense = b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c\r\nFN:\xe9\xff\xfe\x00\r\nBDAY:0000-99-99\r\nEMAIL;TYPE=:::\r\nTEL:\r\n;;;;\r\n:\r\nEND:VCARD\r\n"
    empty = b"BEGIN:VCARD\r\nEND:VCARD\r\n"
    records = parse_all(parse_vcard, write(tmp_path, card("a").encode() + nonsense + empty + card("b").encode()))
    assert good_keys(records) == ["a", "c", "b"]  # the lines that are no property are dropped, the card lands
    assert rejects(records) == [
        ("card 2 (line 7), line 14", "not a vCard property: ';;;;'; the line is dropped"),
        ("card 2 (line 7), line 15", "not a vCard property: ':'; the line is dropped"),
        ("card 3 (line 17)", "card has no name and no identifier"),
    ]
    [landed] = [r for r in kept(records) if r.record_key == "c"]
    assert landed.full_name == "éÿþ"  # windows-1252, without the NUL


def test_empty_file_yields_nothing(tmp_path):
    # The inbox turns an empty file into a Reject (tests/badinput/test_inbox.py); the parser itself reads no cards.
    assert parse_all(parse_vcard, write(tmp_path, b"")) == []


def test_missing_file_and_directory_named_like_a_vcf(tmp_path):
    folder = tmp_path / "x.vcf"
    folder.mkdir()
    for path in (tmp_path / "gone.vcf", folder):
        records = parse_all(parse_vcard, path)
        assert [location for location, _ in rejects(records)] == ["file"]
        assert rejects(records)[0][1].startswith("cannot open the file: [Errno")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway; see the simulated variant")
def test_chmod_000_file_is_one_reject(tmp_path):
    path = write(tmp_path, card("a"))
    path.chmod(0)
    assert [location for location, _ in rejects(parse_all(parse_vcard, path))] == ["file"]


def test_permission_denied_is_one_reject_simulated(tmp_path, monkeypatch):
    path = write(tmp_path, card("a"))

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(vcard_parser, "open", denied, raising=False)
    assert rejects(parse_all(parse_vcard, path)) == [("file", f"cannot open the file: [Errno 13] Permission denied: '{path}'")]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_file_names(tmp_path, name):
    records = parse_all(parse_vcard, write(tmp_path, card("a") + card("b"), f"{name}.vcf"))
    assert good_keys(records) == ["a", "b"]


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_any_text_never_raises(text):
    for record in cards_from_text(text, "vcard", "any.vcf"):
        assert record.source_file == "any.vcf"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_any_bytes_never_raise(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.vcf"
        path.write_bytes(data)
        parse_all(parse_vcard, path)


_JUNK_LINE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=60)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 10**6), st.lists(_JUNK_LINE, min_size=1, max_size=5)), max_size=8))
def test_every_good_card_survives_any_junk_beside_it(pieces):
    text = ""
    expected = []
    for number, piece in enumerate(pieces):
        if isinstance(piece, int):
            uid = f"u{number}-{piece}"
            expected.append(uid)
            text += card(uid)
        else:
            text += "\r\n".join(piece) + "\r\n"
    records = list(cards_from_text(text, "vcard", "mixed.vcf"))
    assert [r.record_key for r in records if isinstance(r, ContactCard)] == expected or _junk_opened_a_card(pieces)


def _junk_opened_a_card(pieces) -> bool:
    # Junk that itself says BEGIN:VCARD ... END:VCARD is a card; only then may the counts differ.
    return any(isinstance(p, list) and any(line.strip().upper() in ("BEGIN:VCARD", "END:VCARD") for line in p) for p in pieces)
