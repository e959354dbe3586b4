"""Likely duplicates that were not merged, read from the people tables of a built work DB."""

from __future__ import annotations

import shutil

import duckdb

from tests.transforms.inbox_files import RESOLVE_FIXTURES, run_build
from transforms.overrides import record_decision
from transforms.review import DuplicateCandidate, duplicate_candidates


def test_review_lists_unmerged_namesakes_and_skips_two_profiles(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(RESOLVE_FIXTURES / "base", inbox)
    work_db = tmp_path / "work.duckdb"
    run_build(inbox, work_db).close()
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        candidates = duplicate_candidates(con, limit=10)
        brown = [c for c in candidates if c.name_a.endswith("Brown")]
        assert [(c.score, c.reason) for c in brown] == [(1, "same family name, compatible first names")]
        # person ids (and so which side is a) follow record ids, which hash the source file path
        assert {(brown[0].name_a, brown[0].identifiers_a), (brown[0].name_b, brown[0].identifiers_b)} == {
            ("Kate Brown", ("email:kate.brown@orchardfoods.example",)),
            ("Katherine Brown", ("email:kbrown@nimbuscloud.example",)),
        }
        assert not [c for c in candidates if "Wilson" in c.name_a]
        assert all(isinstance(c, DuplicateCandidate) for c in candidates)
        decided = tmp_path / "overrides.toml"
        record_decision(decided, "different", ["email:kbrown@nimbuscloud.example", "email:kate.brown@orchardfoods.example"])
        assert not [c for c in duplicate_candidates(con, 10, decided) if c.name_a.endswith("Brown")]
    finally:
        con.close()


def test_review_lists_two_people_of_one_family_name_holding_one_address(tmp_path):
    """A household, or one person under two forms of a first name Kith does not know: the user decides."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "contacts.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Tupac Quispe\r\nN:Quispe;Tupac;;;\r\nEMAIL:quispe@example.net\r\n"
        "END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Yupanqui Quispe\r\nN:Quispe;Yupanqui;;;\r\n"
        "EMAIL:quispe@example.net\r\nEND:VCARD\r\n")
    work_db = tmp_path / "work.duckdb"
    run_build(inbox, work_db).close()
    with duckdb.connect(str(work_db), read_only=True) as con:
        [candidate] = duplicate_candidates(con, limit=10)
    assert {candidate.name_a, candidate.name_b} == {"Tupac Quispe", "Yupanqui Quispe"}
    assert candidate.reason == "same family name, other first names, one email address"


def test_the_decisions_a_candidate_suggests_name_what_settles_it():
    sharing = DuplicateCandidate(1, 2, "Venkat Iyer", "Venkata Iyer", 4, "", ("email:v@x.org", "phone:+4930123"),
                                 ("email:v@x.org",))
    assert sharing.same_decision() == ["email:v@x.org"]  # everyone holding it is one person
    assert sharing.different_decision() == []  # the second holds nothing of its own to tell them apart by
    apart = DuplicateCandidate(1, 2, "Kate Brown", "Katherine Brown", 1, "", ("email:k@a.org",), ("email:kb@b.org",))
    assert apart.same_decision() == ["email:k@a.org", "email:kb@b.org"]
    assert apart.different_decision() == ["email:k@a.org", "email:kb@b.org"]
    named_only = DuplicateCandidate(1, 2, "Jason Tan", "Jason Tan", 2, "", (), ("email:jt@x.org",))
    assert named_only.same_decision() == named_only.different_decision() == []
