"""The Splink stage on an address book big enough to train on: typo'd duplicates merge, namesakes do not."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from tests.transforms.inbox_files import run_build
from tests.transforms.splink_inboxes import FAMILY, GIVEN, STREETS, card, unlearnable_inbox
from transforms import splink_match


def typo(word: str, rng: random.Random) -> str:
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1] + word[at] + word[at + 2:]


@pytest.fixture(scope="module")
def address_book(tmp_path_factory):
    rng = random.Random(5)
    cards, people = [], []
    for n in range(240):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        birthday = f"19{rng.randint(40, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        address = f"{rng.randint(1, 400)} {rng.choice(STREETS)};{rng.choice(('kingston', 'orange', 'corio'))};nsw;{rng.randint(2000, 7999)};AU"
        people.append((f"p{n}", given, family, birthday, address))
        cards.append(card(f"p{n}-org", given, family, birthday, address))
    for uid, given, family, birthday, address in people[:30]:
        cards.append(card(f"{uid}-dup", typo(given, rng), family, birthday, address))
    folder = tmp_path_factory.mktemp("splink")
    inbox = folder / "inbox"
    inbox.mkdir()
    (inbox / "book.vcf").write_text("".join(cards), encoding="utf-8")
    return inbox, folder


def clusters(con) -> dict[str, int]:
    return dict(con.execute("select record_key, person_id from stg_cards join record_people using (record_uid)").fetchall())


def test_typos_merge_by_match_probability_and_no_two_people_merge(address_book):
    inbox, folder = address_book
    con = run_build(inbox, folder / "first.duckdb")
    try:
        person = clusters(con)
        merged_duplicates = [n for n in range(30) if person[f"p{n}-dup"] == person[f"p{n}-org"]]
        assert merged_duplicates == list(range(30))
        originals = [person[f"p{n}-org"] for n in range(240)]
        assert len(set(originals)) == 240
        evidence = con.execute(
            "select count(*) from source_records where match_evidence like 'match probability%'"
        ).fetchall()[0][0]
        assert evidence > 0
        assert con.execute("select count(*) from duckdb_schemas() where schema_name = 'splink_work'").fetchall() == [(0,)]
    finally:
        con.close()


def test_two_builds_of_the_same_inbox_give_the_same_people(address_book):
    inbox, folder = address_book
    first, second = run_build(inbox, folder / "a.duckdb"), run_build(inbox, folder / "b.duckdb")
    try:
        assert clusters(first) == clusters(second)
        assert first.execute("select * from record_people order by all").fetchall() == second.execute(
            "select * from record_people order by all"
        ).fetchall()
    finally:
        first.close()
        second.close()


def home_address(n: int, rng: random.Random) -> str:
    """Every tenth card gets a home address of its own."""
    place = f"{rng.randint(1, 400)} {rng.choice(STREETS)};kingston;nsw;{rng.randint(2000, 7999)};AU"
    return f"ADR;TYPE=HOME:;;{place}\r\n" if n % 10 == 0 else ""


def own_birthday(n: int, rng: random.Random) -> str:
    """A birthday no other card has: the birthday training block has no pairs."""
    return f"BDAY:{date(1950, 1, 1) + timedelta(days=97 * n):%Y-%m-%d}\r\n"


def names_book(folder, extra=lambda n, rng: "", cards: int = 260):
    """`cards` cards of names from small lists (many namesakes), each with its own email address and `extra`
    lines."""
    rng = random.Random(9)
    book = []
    for n in range(cards):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        book.append(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:c{n}\r\nFN:{given} {family}\r\nN:{family};{given};;;\r\n"
            f"EMAIL:{given}.{family}.{n}@example.org\r\n{extra(n, rng)}END:VCARD\r\n"
        )
    inbox = folder / "inbox"
    inbox.mkdir(parents=True)
    (inbox / "book.vcf").write_text("".join(book), encoding="utf-8")
    return inbox


@pytest.mark.parametrize("extra", [home_address, own_birthday])
def test_a_training_block_without_pairs_leaves_a_shared_common_name_no_confident_match(extra, tmp_path):
    """No two cards share a birthday (none has one, or each its own): the model must stay sane without that block."""
    con = run_build(names_book(tmp_path, extra), tmp_path / "work.duckdb")
    try:
        namesakes, confident = con.execute(
            "select count(*), count(*) filter (where match_probability >= 0.99) from resolve_splink_pairs "
            "join resolve_profiles as a on a.unique_id = cluster_a join resolve_profiles as b on b.unique_id = cluster_b "
            "where a.given_name = b.given_name and a.family_name = b.family_name"
        ).fetchall()[0]
        assert namesakes > 0
        assert confident == 0
    finally:
        con.close()


def test_profiles_without_birthdays_or_addresses_are_left_to_the_name_judge(tmp_path):
    con = run_build(names_book(tmp_path), tmp_path / "work.duckdb")
    try:
        assert con.execute("select count(*) from resolve_profiles").fetchall()[0][0] >= 200
        assert con.execute("select count(*) from resolve_splink_pairs").fetchall() == [(0,)]
        assert con.execute("select outcome from resolve_splink_outcome").fetchone() == ("no address-book fields",)
    finally:
        con.close()


def test_records_splink_cannot_learn_from_leave_the_name_evidence_to_decide(tmp_path):
    con = run_build(unlearnable_inbox(tmp_path / "inbox"), tmp_path / "work.duckdb")
    try:
        assert con.execute("select count(*) from resolve_splink_pairs").fetchone() == (0,)
        assert con.execute("select count(distinct person_id) from record_people").fetchone() == (231,)
        outcome, detail = con.execute("select outcome, detail from resolve_splink_outcome").fetchone()
        assert outcome == "training failed"
        assert "math domain error" in detail
    finally:
        con.close()


def test_the_outcome_says_whether_splink_was_trained_or_why_not(address_book, tmp_path):
    inbox, _ = address_book
    trained = run_build(inbox, tmp_path / "trained.duckdb")
    too_few = run_build(names_book(tmp_path / "small", home_address, cards=150), tmp_path / "small.duckdb")
    try:
        assert trained.execute("select outcome from resolve_splink_outcome").fetchone() == ("trained",)
        assert too_few.execute("select outcome from resolve_splink_outcome").fetchone() == ("too few profiles",)
    finally:
        trained.close()
        too_few.close()


def test_a_training_session_that_meets_a_level_no_match_shows_is_left_out(address_book, tmp_path, monkeypatch):
    """EM blocked on one field can leave a level with m = 0, which Splink 5 refuses ("m_probability value 0.0 is
    below the minimum"): the other sessions estimate what it would have, and the model still decides."""
    train_session = splink_match._train_session

    def failing_on_family_names(linker, field):
        if field == "family_name":
            raise ValueError("m_probability value 0.0 is below the minimum allowed value of 1e-300.")
        train_session(linker, field)

    monkeypatch.setattr(splink_match, "_train_session", failing_on_family_names)
    inbox, _ = address_book
    con = run_build(inbox, tmp_path / "work.duckdb")
    try:
        assert con.execute("select outcome from resolve_splink_outcome").fetchone() == ("trained",)
        person = clusters(con)
        assert sum(person[f"p{n}-dup"] == person[f"p{n}-org"] for n in range(30)) == 30
    finally:
        con.close()
