"""The overrides file: appending decisions, reading them back, rejecting unusable ones."""

from __future__ import annotations

import pytest

from transforms.overrides import OverridesError, read_decisions, record_decision


def test_record_decision_appends_toml_that_reads_back(tmp_path):
    path = tmp_path / "kith" / "overrides.toml"
    record_decision(path, "same", ["email:bob@x.com", "linkedin:robert-smith"])
    record_decision(path, "different", ["email:a@x.com", 'email:quote"d@x.com'])
    assert path.read_text(encoding="utf-8") == (
        '[[same]]\nidentifiers = ["email:bob@x.com", "linkedin:robert-smith"]\n'
        '\n[[different]]\nidentifiers = ["email:a@x.com", "email:quote\\"d@x.com"]\n'
    )
    assert read_decisions(path) == [
        ("same", [("email", "bob@x.com"), ("linkedin", "robert-smith")]),
        ("different", [("email", "a@x.com"), ("email", 'quote"d@x.com')]),
    ]


def test_a_missing_file_means_no_decisions(tmp_path):
    assert read_decisions(tmp_path / "none.toml") == []
    assert read_decisions(None) == []


@pytest.mark.parametrize(
    ("kind", "identifiers", "message"),
    [
        ("maybe", ["email:a@x.com", "email:b@x.com"], "decision must be one of"),
        ("different", ["email:a@x.com"], "at least two"),
        ("same", [], "at least one"),
        ("same", ["email:a@x.com", "fax:123"], "is not kind:value"),
    ],
)
def test_unusable_decisions_are_refused(tmp_path, kind, identifiers, message):
    with pytest.raises(OverridesError, match=message):
        record_decision(tmp_path / "overrides.toml", kind, identifiers)
    assert not (tmp_path / "overrides.toml").exists()


def test_a_broken_file_names_itself(tmp_path):
    path = tmp_path / "overrides.toml"
    path.write_text("[[same]]\nidentifiers = [\"email:a@x.com\"\n", encoding="utf-8")
    with pytest.raises(OverridesError, match="not valid TOML"):
        read_decisions(path)
    path.write_text('[[different]]\nidentifiers = ["email:a@x.com"]\n', encoding="utf-8")
    with pytest.raises(OverridesError, match=r"\[\[different\]\] number 1: needs identifiers"):
        read_decisions(path)


def test_a_decision_that_contradicts_an_earlier_one_is_appended_and_names_it(tmp_path):
    path = tmp_path / "overrides.toml"
    path.write_text("# Ann's two addresses\n")
    record_decision(path, "same", ["email:ann@x.com", "email:bo@x.com"])
    record_decision(path, "different", ["email:cy@x.com", "email:di@x.com"])
    assert record_decision(path, "same", ["email:Cy@x.com", "email:di@x.com", "email:ed@x.com"]) == [
        ["email:cy@x.com", "email:di@x.com"]]
    assert record_decision(path, "different", ["email:ann@x.com", "email:ed@x.com"]) == []  # no pair of one decision
    assert path.read_text().startswith("# Ann's two addresses\n")  # nothing the user wrote is lost
    assert [decision for decision, _ in read_decisions(path)] == ["same", "same", "different", "different"]


def test_a_same_about_one_identifier_warns_of_an_earlier_different_naming_it(tmp_path):
    path = tmp_path / "overrides.toml"
    record_decision(path, "different", ["email:a@x.com", "email:b@x.com"])
    assert record_decision(path, "same", ["email:A@x.com"]) == [["email:a@x.com", "email:b@x.com"]]
