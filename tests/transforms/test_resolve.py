"""Identity resolution on a small LinkedIn + vCard inbox: merges, guards, overrides and stable ids."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from tests.transforms.inbox_files import RESOLVE_FIXTURES, card, mbox_message, run_build, write_inbox
from transforms import build
from transforms.overrides import record_decision
from transforms.resolve import assign_person_ids, set_merge_thresholds


def name_pairs_of(con, record_key: str, score: str) -> list[tuple]:
    """(evidence, `score` column) of the name-pair candidates the record's group takes part in."""
    return con.execute(
        f"select n.evidence, n.{score} from name_pair_candidates as n "
        "join record_clusters as c on c.cluster_id in (n.cluster_a, n.cluster_b) "
        "join stg_records as r using (record_uid) where r.record_key = ?",
        [record_key],
    ).fetchall()


def person_of(con, identifier: str) -> int:
    kind, value = identifier.split(":", 1)
    (person,) = {
        row[0]
        for row in con.execute(
            "select person_id from identifiers where kind = ? and value = ?", [kind, value]
        ).fetchall()
    }
    return person


@pytest.fixture
def inbox(tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(RESOLVE_FIXTURES / "base", folder)
    return folder


@pytest.fixture
def built(inbox, tmp_path):
    con = run_build(inbox, tmp_path / "work.duckdb")
    yield con
    con.close()


def test_nickname_and_company_merge_a_linkedin_connection_with_a_card(built):
    assert person_of(built, "linkedin:robert-smith-42") == person_of(built, "email:rsmith@acme.com")
    evidence = built.execute(
        "select distinct match_evidence from source_records where display_name in ('Robert Smith', 'Bob Smith')"
    ).fetchall()
    assert evidence == [("same name, same company, nobody else has the name (score 10)",)]


def test_same_name_with_two_profiles_stays_two_people(built):
    assert person_of(built, "linkedin:daniel-wilson") != person_of(built, "linkedin:daniel-wilson-7f3a2c1")


def test_household_phone_does_not_merge_two_people(built):
    assert person_of(built, "email:annalee@gmail.com") != person_of(built, "email:mark@lee.example")
    assert built.execute("select kind, value, reason from ambiguous_identifiers").fetchall() == [
        ("phone", "+442079460123", "names disagree")
    ]


def test_gmail_dots_tags_and_googlemail_are_one_address(built):
    assert built.execute(
        "select count(distinct person_id), min(value) from identifiers where value like '%doe%'"
    ).fetchall() == [(1, "janedoe@gmail.com")]


def test_the_primary_address_is_as_written_and_its_value_canonical(built):
    assert built.execute(
        "select p.primary_email, i.value, i.written_as from people as p join identifiers as i using (person_id) "
        "where i.value = 'janedoe@gmail.com'"
    ).fetchall() == [("jane.doe@gmail.com", "janedoe@gmail.com", "jane.doe@gmail.com")]


def test_different_first_names_at_different_companies_stay_apart(built):
    assert person_of(built, "email:kate.brown@orchardfoods.example") != person_of(
        built, "email:kbrown@nimbuscloud.example"
    )


def test_overrides_split_and_join_and_show_in_sql(inbox, tmp_path):
    overrides = tmp_path / "home" / "overrides.toml"
    record_decision(overrides, "different", ["email:RSmith@Acme.com", "linkedin:https://www.linkedin.com/in/robert-smith-42/"])
    record_decision(overrides, "same", ["email:kate.brown@orchardfoods.example", "email:kbrown@nimbuscloud.example"])
    con = run_build(inbox, tmp_path / "work.duckdb", overrides)
    try:
        assert person_of(con, "linkedin:robert-smith-42") != person_of(con, "email:rsmith@acme.com")
        assert person_of(con, "email:kate.brown@orchardfoods.example") == person_of(con, "email:kbrown@nimbuscloud.example")
        assert con.execute(
            "select decision_id, decision, kind, value from resolution_overrides order by all"
        ).fetchall() == [
            (1, "same", "email", "kate.brown@orchardfoods.example"),
            (1, "same", "email", "kbrown@nimbuscloud.example"),
            (2, "different", "email", "rsmith@acme.com"),
            (2, "different", "linkedin", "robert-smith-42"),
        ]
        assert con.execute(
            "select distinct match_evidence from source_records where display_name like '%Brown'"
        ).fetchall() == [("user override",)]
    finally:
        con.close()


def test_a_new_source_changes_no_existing_id_unless_merged(inbox, tmp_path):
    work_db = tmp_path / "work.duckdb"
    con = run_build(inbox, work_db)
    before = dict(con.execute("select record_uid, person_id from record_people").fetchall())
    con.close()
    shutil.copy(RESOLVE_FIXTURES / "later" / "phone.vcf", inbox / "contacts" / "phone.vcf")
    con = run_build(inbox, work_db)
    try:
        after = dict(con.execute("select record_uid, person_id from record_people").fetchall())
        assert {uid: after[uid] for uid in before} == before
        new_records = set(after) - set(before)
        # the new "Robert Smith" card joins Bob through rsmith@acme.com; Priya is a new person with a new id
        assert sorted(after[uid] for uid in new_records) == sorted(
            [person_of(con, "email:rsmith@acme.com"), max(after.values())]
        )
        assert max(after.values()) == max(before.values()) + 1
    finally:
        con.close()


def test_tiny_input_resolves_without_candidates(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "one.vcf").write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Solo Person\r\nEND:VCARD\r\n", encoding="utf-8")
    con = run_build(inbox, tmp_path / "work.duckdb")
    try:
        assert con.execute("select person_id, match_evidence from record_people").fetchall() == [(1, "single record")]
    finally:
        con.close()


def clusters(con, assignment: dict[str, str]) -> None:
    table = pa.table({"record_uid": list(assignment), "cluster_id": list(assignment.values()),
                      "match_evidence": ["test"] * len(assignment)})
    con.register("assignment", table)
    con.execute("create or replace table record_clusters as select * from assignment")
    con.unregister("assignment")
    assign_person_ids(con)


def test_a_split_keeps_the_id_on_the_larger_part_and_a_merge_on_the_bigger_side(tmp_path):
    con = duckdb.connect(str(tmp_path / "ids.duckdb"))
    try:
        clusters(con, {"r1": "a", "r2": "a", "r3": "a", "r4": "b"})
        first = dict(con.execute("select record_uid, person_id from record_people").fetchall())
        assert first == {"r1": 1, "r2": 1, "r3": 1, "r4": 2}
        clusters(con, {"r1": "a", "r2": "c", "r3": "c", "r4": "b"})  # r1 splits off the larger r2+r3
        split = dict(con.execute("select record_uid, person_id from record_people").fetchall())
        assert split == {"r1": 3, "r2": 1, "r3": 1, "r4": 2}
        clusters(con, {"r1": "a", "r2": "a", "r3": "a", "r4": "a"})  # merging back: the larger side's id wins
        assert set(dict(con.execute("select record_uid, person_id from record_people").fetchall()).values()) == {1}
    finally:
        con.close()


def fixture_inbox(folder: Path, *extras: str) -> Path:
    """The base inbox with its mailbox and the named fixture folders added."""
    shutil.copytree(RESOLVE_FIXTURES / "base", folder)
    for extra in ("mail", *extras):
        shutil.copytree(RESOLVE_FIXTURES / extra, folder / extra)
    return folder


@pytest.fixture
def mail_inbox(tmp_path):
    return fixture_inbox(tmp_path / "inbox")


def built_once(tmp_path_factory, extra: str):
    """The work DB of the base inbox with the `extra` fixtures, for a module whose tests only read it."""
    folder = tmp_path_factory.mktemp(extra)
    con = run_build(fixture_inbox(folder / "inbox", extra), folder / "work.duckdb")
    yield con
    con.close()


def one_file_inbox(tmp_path: Path, name: str, text: str) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / name).write_text(text, encoding="utf-8")
    return inbox


def people_by_record(con) -> set[frozenset[str]]:
    """The partition as sets of (source, record key): nothing in it depends on the folder."""
    groups: dict[int, set[str]] = {}
    for person_id, source, key in con.execute(
        "select person_id, source, record_key from source_records where person_id is not null"
    ).fetchall():
        groups.setdefault(person_id, set()).add(f"{source}:{key}")
    return {frozenset(g) for g in groups.values()}


def test_a_work_address_that_stopped_when_another_started_is_a_job_change(mail_inbox, tmp_path):
    con = run_build(mail_inbox, tmp_path / "work.duckdb")
    try:
        assert person_of(con, "email:olivia.vanderberg@quill.example") == person_of(
            con, "email:olivia.vanderberg@nimbus.example"
        )
        assert con.execute(
            "select distinct match_evidence from source_records where record_key like 'email:olivia%'"
        ).fetchall() == [("same name, one work address stopped when the other started, nobody else has the name "
                          "(score 10)",)]
        # namesakes writing from two employers all year long are two people
        assert person_of(con, "email:mei.chen@orchard.example") != person_of(con, "email:mei.chen@juniper.example")
    finally:
        con.close()


def test_names_fold_letters_and_keep_family_particles(mail_inbox, tmp_path):
    con = run_build(mail_inbox, tmp_path / "work.duckdb")
    try:
        assert con.execute(
            "select distinct given_key, family_key from record_names join stg_records using (record_uid) "
            "where display_name = 'Søren Ødegaard' or record_key = 'email:olivia.vanderberg@quill.example' "
            "order by all"
        ).fetchall() == [("olivia", "van der berg"), ("soren", "odegaard")]
        assert person_of(con, "email:soren@odegaard.example") == person_of(con, "linkedin:soren-odegaard")
    finally:
        con.close()


def test_an_initial_in_an_address_makes_a_candidate_but_no_merge(mail_inbox, tmp_path):
    con = run_build(mail_inbox, tmp_path / "work.duckdb")
    try:
        assert con.execute(
            "select given_key, family_key, by_initial from email_names join stg_records using (record_uid) "
            "where record_key = 'email:dchen@gmail.com'"
        ).fetchall() == [("daniel", "chen", True)]
        assert con.execute(
            "select evidence from name_pair_candidates where evidence like '%initial%'"
        ).fetchall() == [("same name, name guessed from an email initial",)]
        assert person_of(con, "email:dchen@gmail.com") != person_of(con, "linkedin:daniel-chen-5b")
    finally:
        con.close()


def test_a_full_name_the_nickname_list_files_under_another_is_not_a_nickname(mail_inbox, tmp_path):
    con = run_build(mail_inbox, tmp_path / "work.duckdb")
    try:  # the nicknames package lists Hannah under Susan; same company, still two people
        assert person_of(con, "email:hannahokafor@gmail.com") != person_of(con, "email:susan.okafor@orchard.example")
    finally:
        con.close()


def test_results_do_not_depend_on_the_inbox_folder(mail_inbox, tmp_path):
    moved = tmp_path / "elsewhere" / "deeper" / "inbox"
    shutil.copytree(mail_inbox, moved)
    first, second = run_build(mail_inbox, tmp_path / "a.duckdb"), run_build(moved, tmp_path / "b.duckdb")
    try:
        assert people_by_record(first) == people_by_record(second)
        ids = (
            "select r.source, r.record_key, p.person_id from record_people as p "
            "join stg_records as r using (record_uid)"
        )
        assert sorted(first.execute(ids).fetchall()) == sorted(second.execute(ids).fetchall())
        clusters_sql = "select cluster_id from record_clusters order by 1"
        assert first.execute(clusters_sql).fetchall() == second.execute(clusters_sql).fetchall()
    finally:
        first.close()
        second.close()


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    yield from built_once(tmp_path_factory, "rounds")


def test_a_namesake_who_cannot_be_this_person_is_no_rival(rounds):
    # nora.quinn@ is the first profile's (it lists the address), so nora.quinn2@ can only be the second's
    assert person_of(rounds, "email:nora.quinn@kestrel.example") == person_of(rounds, "linkedin:nora-quinn")
    assert person_of(rounds, "email:nora.quinn2@kestrel.example") == person_of(rounds, "linkedin:nora-quinn-2b")
    assert person_of(rounds, "linkedin:nora-quinn") != person_of(rounds, "linkedin:nora-quinn-2b")


def test_the_second_round_counts_namesakes_among_the_groups_the_first_formed(rounds):
    # three records named Ines Varga, two of them at Orchard: once those are one, nobody else has the name
    assert person_of(rounds, "email:inesvargahome@gmail.com") == person_of(rounds, "linkedin:ines-varga")
    assert person_of(rounds, "email:ines.varga@orchardfoods.example") == person_of(rounds, "linkedin:ines-varga")
    assert rounds.execute(
        "select distinct match_evidence from source_records where record_key = 'email:inesvargahome@gmail.com'"
    ).fetchall() == [("same name, nobody else has the name (score 4)",)]


def test_two_employers_at_once_are_two_people_though_one_address_fell_silent(rounds):
    assert person_of(rounds, "email:paula.reyes@copperleaf.example") != person_of(
        rounds, "email:paula.reyes@saffron.example"
    )
    assert name_pairs_of(rounds, "email:paula.reyes@copperleaf.example", "company_score") == [
        ("same name, other company, nobody else has the name", -2)
    ]


def test_a_short_form_is_as_common_as_the_commonest_name_it_stands_for(rounds):
    # Chris may be a rare Christian or Kristy, but the address book is full of Christophers
    assert person_of(rounds, "email:chrislang@gmail.com") != person_of(rounds, "email:chris.lang@outlook.com")
    assert name_pairs_of(rounds, "email:chrislang@gmail.com", "score") == [("same name", -2)]


@pytest.fixture(scope="module")
def namesakes(tmp_path_factory):
    yield from built_once(tmp_path_factory, "namesakes")


def test_two_address_book_cards_with_their_own_phones_and_addresses_are_two_people(namesakes):
    # one name, one company, but the owner keeps two cards apart: the LinkedIn card could be either
    lenas = {person_of(namesakes, key) for key in ("email:lena.park@fastmail.com", "email:lenapark@outlook.com",
                                                   "linkedin:lena-park")}
    assert len(lenas) == 3
    # a card saved twice, before and after a job change, shares no phone or personal address: still one
    assert person_of(namesakes, "email:omar.haddad@juniper.example") == person_of(
        namesakes, "email:omar.haddad@nimbus.example"
    )


def test_a_job_change_explains_two_employers_not_a_third(namesakes):
    # Tariq's card says he left Quill for Redwood Legal: the Tariq who began at Saffron is someone else
    assert person_of(namesakes, "email:tariq.aziz@quill.example") != person_of(
        namesakes, "email:tariq.aziz@saffron.example"
    )
    assert name_pairs_of(namesakes, "email:tariq.aziz@saffron.example", "score") == [
        ("same name, other company, nobody else has the name", 2)
    ]


def test_namesakes_the_sources_tell_apart_do_not_join_on_a_match_probability(tmp_path):
    with duckdb.connect(str(tmp_path / "pairs.duckdb")) as con:
        profiles = [  # unique_id, birthday, postcode, companies, email user names, personal contacts
            ("a", None, None, ["kestrel"], [], ["email:lena.park@fastmail.com"]),
            ("b", None, None, ["kestrel"], [], ["email:lenapark@outlook.com"]),
            ("c", None, None, ["orchard"], ["meic"], []),
            ("d", None, None, ["juniper"], ["meic"], []),
            ("e", "19800101", "2600", [], [], ["phone:+442079460111"]),
            ("f", "19800101", "2600", [], [], ["phone:+442079460222"]),
            ("g", None, None, ["kestrel"], [], ["email:lena.park@fastmail.com"]),
            ("h", None, None, ["kestrel"], [], []),
        ]
        con.execute(
            "create table resolve_profiles as select unique_id, 'lena' as given_name, 'park' as family_name, "
            "['lena'] as given_names, ['lena', 'park'] as name_words, []::varchar[][] as family_pairs, birthday, "
            "null::varchar as street, null::varchar as locality, postcode, "
            "companies, email_locals, personal_contacts "
            "from (select unnest(?::struct(unique_id varchar, birthday varchar, postcode varchar, companies varchar[], "
            "email_locals varchar[], personal_contacts varchar[])[], recursive := true))",
            [[dict(zip(("unique_id", "birthday", "postcode", "companies", "email_locals", "personal_contacts"), p))
              for p in profiles]],
        )
        con.execute(
            """
            create table name_pair_candidates as
            select * from (values
                ('a', 'b', 6, false, 4, 'same name, same company'),
                ('c', 'd', -2, true, 0, 'same name, other company'),
                ('e', 'f', 0, false, -2, 'same name'),
                ('g', 'h', 6, false, 4, 'same name, same company')
            ) as t(cluster_a, cluster_b, company_score, concurrent_employers, score, evidence);
            create table resolve_splink_pairs as
            select * from (values ('a', 'b', 0.999), ('c', 'd', 0.995), ('e', 'f', 0.6), ('g', 'h', 0.999))
                as t(cluster_a, cluster_b, match_probability);
            create table resolve_first_round_pairs as select * from resolve_splink_pairs;
            create table record_clusters_stage1 (record_uid varchar, cluster_id varchar);
            """
        )
        set_merge_thresholds(con)
        con.execute((build.SQL_DIR / "macros.sql").read_text())
        con.execute((build.SQL_DIR / "resolve_pairs.sql").read_text())
        assert con.execute(
            "select cluster_a, cluster_b, merge, compatible from resolve_pair_scores order by all"
        ).fetchall() == [
            ("a", "b", False, False),  # two cards with their own addresses: two people the owner keeps apart
            ("c", "d", False, False),  # writing from two employers at once
            ("e", "f", True, True),  # a duplicate card: the same birthday and address
            ("g", "h", True, True),
        ]


def test_an_employer_a_linkedin_connection_names_is_no_former_one(mail_inbox, tmp_path):
    """A connection lists the position the person holds now: their work address there fell silent, but they did
    not leave, so a namesake at another employer is someone else."""
    folder = mail_inbox / "current"
    (folder / "linkedin").mkdir(parents=True)
    (folder / "linkedin" / "Connections.csv").write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ravi,Menon,https://www.linkedin.com/in/ravi-menon,ravi.menon@kestrel.example,Kestrel Robotics,Engineer,"
        "14 Jun 2023\n",
        encoding="utf-8",
    )
    (folder / "people.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ravi Menon\r\nN:Menon;Ravi;;;\r\nORG:Lumen Media\r\n"
        "EMAIL:ravi.menon@lumen.example\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    dates = {"kestrel": ("Mon, 06 Jan 2025", "Mon, 03 Feb 2025"), "lumen": ("Mon, 01 Jun 2026", "Mon, 05 Oct 2026")}
    messages = [
        f"From sender@example Mon Jan 01 00:00:00 2025\nFrom: Ravi Menon <ravi.menon@{domain}.example>\n"
        f"To: Sam Carter <sam@northwind.example>\nSubject: Hello\nDate: {date} 09:30:00 +0000\n"
        f"Message-ID: <{domain}{number}@fixture.example>\n\nhello\n"
        for domain, days in dates.items() for number, date in enumerate(days)
    ]
    (folder / "mail.mbox").write_text("\n".join(messages), encoding="utf-8")
    con = run_build(mail_inbox, tmp_path / "work.duckdb")
    try:
        assert person_of(con, "linkedin:ravi-menon") == person_of(con, "email:ravi.menon@kestrel.example")
        assert person_of(con, "email:ravi.menon@kestrel.example") != person_of(con, "email:ravi.menon@lumen.example")
        assert name_pairs_of(con, "email:ravi.menon@lumen.example", "company_score") == [
            ("same name, other company, nobody else has the name", -2)
        ]
    finally:
        con.close()


@pytest.mark.parametrize("names", [("Yael", "Yael Moore"), ("Yael Moore", "Yael")])
def test_a_correspondent_seen_under_two_names_equally_often_takes_the_fuller_one(names, tmp_path):
    """Whatever the order of the messages: the same inbox gives the same warehouse."""
    inbox = one_file_inbox(tmp_path, "mail.mbox", "\n".join(
        f"From sender@example Mon Jan 06 09:30:00 2025\nFrom: {name} <yael@example.org>\n"
        f"To: Sam Carter <sam@northwind.example>\nSubject: Hello\nDate: Mon, 0{day} Jan 2025 09:30:00 +0000\n"
        f"Message-ID: <yael{day}@fixture.example>\n\nhello\n"
        for day, name in enumerate(names, start=6)
    ))
    con = run_build(inbox, tmp_path / "work.duckdb")
    try:
        assert con.execute(
            "select display_name from stg_correspondents where value = 'yael@example.org'"
        ).fetchall() == [("Yael Moore",)]
    finally:
        con.close()


def test_of_two_addresses_seen_equally_often_the_first_in_order_is_primary(tmp_path):
    inbox = one_file_inbox(
        tmp_path, "card.vcf",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zed Adams\r\nN:Adams;Zed;;;\r\nEMAIL:adams@example.org\r\n"
        "EMAIL:zed@example.org\r\nORG:Beta Ltd\r\nEND:VCARD\r\n",
    )
    con = run_build(inbox, tmp_path / "work.duckdb")
    try:
        assert con.execute("select primary_email from people").fetchall() == [("adams@example.org",)]
    finally:
        con.close()


@contextmanager
def built_inbox(tmp_path: Path, files: dict[str, str]) -> Iterator[duckdb.DuckDBPyConnection]:
    """The work DB of a build of an inbox holding `files` (name -> text)."""
    con = run_build(write_inbox(tmp_path, files), tmp_path / "work.duckdb")
    try:
        yield con
    finally:
        con.close()


def test_an_umlaut_written_out_is_the_same_first_name(tmp_path):
    files = {
        "contacts.vcf": card("Jürgen Müller", "Müller;Jürgen;;;", "EMAIL:juergen.mueller@initech.example",
                             "TEL:+49 30 1234567"),
        "mail.mbox": mbox_message(6, "Ana Lima <ana@example.org>", "me@example.com",
                          cc="Juergen Mueller <juergen.mueller@initech.example>"),
    }
    with built_inbox(tmp_path, files) as con:
        assert con.execute("select count(*) from ambiguous_identifiers").fetchone() == (0,)
        assert con.execute(
            "select count(distinct person_id) from source_records where display_name like 'J%rgen M%ller'"
        ).fetchone() == (1,)


def test_a_name_in_one_case_gives_way_to_the_name_as_spelt(tmp_path):
    messages = "".join(mbox_message(day, "elizabeth yamamoto <liz@example.org>", "me@example.com") for day in (6, 7, 8))
    messages += mbox_message(9, "Elizabeth Yamamoto <liz@example.org>", "me@example.com")
    files = {"mail.mbox": messages, "other.mbox": messages.replace("Elizabeth Yamamoto", "ELIZABETH YAMAMOTO")}
    with built_inbox(tmp_path, files) as con:
        assert con.execute("select display_name from people where primary_email = 'liz@example.org'").fetchall() == [
            ("Elizabeth Yamamoto",)]


def test_names_an_e_apart_without_an_umlaut_stay_different_people(tmp_path):
    cards = [("Michael", "Nowak", "Acme"), ("Michał", "Nowak", "Acme"), ("Joey", "Tan", "Initech"),
             ("Joy", "Tan", "Initech")]
    contacts = "".join(card(f"{given} {family}", f"{family};{given};;;", f"ORG:{org}",
                            f"EMAIL:{given.lower()}.{family.lower()}@mail.example") for given, family, org in cards)
    with built_inbox(tmp_path, {"contacts.vcf": contacts}) as con:
        assert con.execute("select count(*) from people").fetchone() == (4,)


def test_a_title_before_a_name_is_no_first_name(tmp_path):
    files = {
        "contacts.vcf": card("Dr. Max Bäumer", "Bäumer;Max;;Dr.;", "EMAIL:m.baeumer@acme-werke.example"),
        "mail.mbox": mbox_message(6, "Katrin <k@example.org>", '"Dr. Max Bäumer" <m.baeumer@acme-werke.example>'),
    }
    with built_inbox(tmp_path, files) as con:
        assert con.execute("select count(*) from ambiguous_identifiers").fetchone() == (0,)
        assert con.execute("select count(distinct person_id) from source_records "
                           "where display_name = 'Dr. Max Bäumer'").fetchone() == (1,)


def test_an_address_s_holders_are_one_person_in_another_order_with_one_of_two_first_names_or_in_cjk(tmp_path):
    contacts = (card("中島 結衣", "中島;結衣;;;", "EMAIL:nakajima.yui@gmail.com")
                + card("Yui Nakajima", "Nakajima;Yui;;;", "EMAIL:y.nakajima@mail.example")
                + card("María Cristina Porcel", "Porcel;María Cristina;;;", "EMAIL:mc.porcel@mail.example")
                + card("小林 康弘", "小林;康弘;;;", "EMAIL:y.kobayashi@initech.example"))
    mail = (mbox_message(6, "中島 結衣 <nakajima.yui@gmail.com>", "me@example.com")
            + mbox_message(7, "Nakajima Yui <y.nakajima@mail.example>", "me@example.com")
            + mbox_message(8, "María Porcel <mc.porcel@mail.example>", "me@example.com")
            + mbox_message(9, "Yasuhiro Kobayashi <y.kobayashi@initech.example>", "me@example.com"))
    with built_inbox(tmp_path, {"contacts.vcf": contacts, "mail.mbox": mail}) as con:
        assert con.execute("select count(*) from ambiguous_identifiers").fetchone() == (0,)
        assert con.execute("select count(*) from people").fetchone() == (4,)
        assert con.execute(
            "select given_key, family_key from record_names as n join stg_records as r using (record_uid) "
            "where n.record_kind = 'correspondent' and r.display_name = '中島 結衣'").fetchall() == [("結衣", "中島")]


def test_a_household_phone_joins_nobody_whatever_the_names_share(tmp_path):
    households = [("Anna Maria Schmidt", "Schmidt;Anna Maria", "Maria Schmidt", "Schmidt;Maria", "+49 30 1234567"),
                  ("Li Wei", "Li;Wei", "Wei Li", "Wei;Li", "+86 10 6552 9988"),
                  ("小林 康弘", "小林;康弘", "Yuki Kobayashi", "Kobayashi;Yuki", "+81 3 1234 5678")]
    contacts = "".join(card(name_a, f"{n_a};;;", f"TEL:{phone}") + card(name_b, f"{n_b};;;", f"TEL:{phone}")
                       for name_a, n_a, name_b, n_b, phone in households)
    with built_inbox(tmp_path, {"contacts.vcf": contacts}) as con:
        assert con.execute("select count(*) from ambiguous_identifiers where kind = 'phone'").fetchone() == (3,)
        assert con.execute("select count(*) from people").fetchone() == (6,)


def test_a_phone_card_under_a_short_form_of_one_of_two_first_names_is_that_person(tmp_path):
    """An Android card names a friend by a short form of one of her first names, and holds her mobile; a household's
    Maria and Ana Maria (test above) stay two."""
    friends = [("José Carlos Lima", "Lima;José Carlos", "Zé", "+55 11 98006-1006"),
               ("Maria Eduarda Santos", "Santos;Maria Eduarda", "Duda", "+55 11 98005-1005"),
               ("Beatriz Batista", "Batista;Beatriz", "Bia", "+55 11 98003-1003")]
    contacts = "".join(card(name, f"{structured};;;", f"TEL:{phone}") + card(short, f";{short};;;", f"TEL:{phone}")
                       for name, structured, short, phone in friends)
    with built_inbox(tmp_path, {"contacts.vcf": contacts}) as con:
        assert con.execute("select count(*) from ambiguous_identifiers").fetchone() == (0,)
        assert con.execute("select count(*) from people").fetchone() == (3,)


def test_a_cyrillic_name_still_disagrees_with_another_latin_one(tmp_path):
    """Her card keeps her husband's address: Ольга is not Ivan, though they work at the same company."""
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Ivan,Petrov,https://www.linkedin.com/in/ivan-petrov-1,,Initech,Engineer,12 Mar 2021\n")
    contacts = card("Ольга Петрова", "Петрова;Ольга;;;", "ORG:Initech", "EMAIL:ivan.petrov@yandex.example")
    with built_inbox(tmp_path, {"Connections.csv": connections, "contacts.vcf": contacts}) as con:
        assert person_of(con, "email:ivan.petrov@yandex.example") != person_of(con, "linkedin:ivan-petrov-1")


def test_upcoming_meetings_of_a_series_make_no_work_address_a_former_one(tmp_path):
    """The build is on 1 November 2026; a weekly run goes on into 2027. Thomas wrote from Initech in October, so
    Initech is his employer now, and the Thomas Müller at Umbrella Health on LinkedIn is someone else."""
    mail = "".join(
        f"From x@y Mon Jan  6 04:49:45 2025\nFrom: Thomas Müller <thomas.mueller@initech.example>\n"
        f"To: me@example.com\nDate: Mon, {day} Oct 2026 09:00:00 +0000\nMessage-ID: <t{day}@initech.example>\n\nhi\n"
        for day in (5, 12, 19))
    run = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:run@example.com\r\n"
           "DTSTART:20260105T180000Z\r\nDTEND:20260105T190000Z\r\nRRULE:FREQ=WEEKLY;UNTIL=20270630T000000Z\r\n"
           "SUMMARY:Run club\r\nORGANIZER:mailto:me@example.com\r\nATTENDEE:mailto:me@example.com\r\n"
           "ATTENDEE;CN=Lea Roth:mailto:lea.roth@mail.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Thomas,Müller,https://www.linkedin.com/in/thomas-mueller-umbrella,,Umbrella Health,Analyst,"
                   "12 Mar 2021\n")
    with built_inbox(tmp_path, {"mail.mbox": mail, "run.ics": run, "Connections.csv": connections}) as con:
        assert person_of(con, "linkedin:thomas-mueller-umbrella") != person_of(
            con, "email:thomas.mueller@initech.example")
        assert name_pairs_of(con, "email:thomas.mueller@initech.example", "company_score") == [
            ("same name, other company", -2)]


def test_two_linkedin_profiles_of_one_name_at_one_company_join_no_namesake_there(tmp_path):
    """Two David Millers work at Globex: a card and an address of that name there may be either, or a third."""
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "David,Miller,https://www.linkedin.com/in/david-miller-1,,Globex,Engineer,12 Mar 2021\n"
                   "David,Miller,https://www.linkedin.com/in/dmiller-globex,,Globex,Sales Lead,3 Apr 2022\n"
                   "Jane,Doe,https://www.linkedin.com/in/jane-doe-1,,Initech,Engineer,3 Apr 2022\n")
    contacts = (card("David Miller", "Miller;David;;;", "ORG:Globex", "EMAIL:davemiller77@gmail.com",
                     "TEL:+1 415 555 0100")
                + card("Jane Doe", "Doe;Jane;;;", "ORG:Initech", "EMAIL:jane.d@gmail.com"))
    mail = mbox_message(6, "David Miller <dmiller@globex.example>", "me@example.com")
    files = {"Connections.csv": connections, "contacts.vcf": contacts, "mail.mbox": mail}
    with built_inbox(tmp_path, files) as con:
        davids = [person_of(con, identifier) for identifier in (
            "email:davemiller77@gmail.com", "email:dmiller@globex.example", "linkedin:david-miller-1",
            "linkedin:dmiller-globex")]
        assert len(set(davids)) == 4
        assert person_of(con, "email:janed@gmail.com") == person_of(con, "linkedin:jane-doe-1")


def test_a_name_in_another_script_meets_its_latin_spelling_through_the_address(tmp_path):
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Yasuhiro,Kobayashi,https://www.linkedin.com/in/yasuhiro-kobayashi-c1,,Initech,Engineer,"
                   "12 Mar 2021\n")
    contacts = card("小林 康弘", "小林;康弘;;;", "ORG:Initech", "EMAIL:yasuhiro.kobayashi@initech.example")
    with built_inbox(tmp_path, {"Connections.csv": connections, "contacts.vcf": contacts}) as con:
        assert person_of(con, "email:yasuhiro.kobayashi@initech.example") == person_of(
            con, "linkedin:yasuhiro-kobayashi-c1")


def test_the_name_a_linkedin_member_goes_by_meets_their_card(tmp_path):
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Lily (Yan),Cui,https://www.linkedin.com/in/lily-cui-1,,Proseware,Analyst,12 Mar 2021\n"
                   "William (Bill),Cooper,https://www.linkedin.com/in/bill-cooper-1,,Proseware,CFO,12 Mar 2021\n")
    contacts = (card("Yan Cui", "Cui;Yan;;;", "ORG:Proseware", "EMAIL:yan.cui@mail.example")
                + card("Bill Cooper", "Cooper;Bill;;;", "ORG:Proseware", "EMAIL:bcooper@mail.example"))
    with built_inbox(tmp_path, {"Connections.csv": connections, "contacts.vcf": contacts}) as con:
        assert person_of(con, "email:yan.cui@mail.example") == person_of(con, "linkedin:lily-cui-1")
        assert person_of(con, "email:bcooper@mail.example") == person_of(con, "linkedin:bill-cooper-1")


def test_the_primary_address_is_the_one_in_use_now(tmp_path):
    contacts = card("Ravi Menon", "Menon;Ravi;;;", "EMAIL:ravi@kestrel.example", "EMAIL:ravi@lumen.example")
    mail = "".join(
        f"From x@y Mon Jan  6 04:49:45 2025\nFrom: Ravi Menon <ravi@{domain}.example>\nTo: me@example.com\n"
        f"Date: {date} 09:00:00 +0000\nMessage-ID: <{domain}{n}@example.org>\n\nhi\n"
        for domain, dates in (("kestrel", ("Mon, 6 Jan 2025", "Mon, 3 Feb 2025", "Mon, 3 Mar 2025")),
                              ("lumen", ("Mon, 1 Sep 2025", "Mon, 6 Oct 2025")))
        for n, date in enumerate(dates))
    stray = mbox_message(20, "me@example.com", "Ravi Menon <ravi.menon@gmail.com>").replace(
        "Jan 2025", "Dec 2025")  # later, one message to an address he does not use
    contacts = contacts.replace("END:VCARD", "EMAIL:ravi.menon@gmail.com\r\nEND:VCARD")
    with built_inbox(tmp_path, {"contacts.vcf": contacts, "mail.mbox": mail + stray}) as con:
        assert con.execute("select primary_email from people").fetchall() == [("ravi@lumen.example",)]


def hundred_correspondents() -> str:
    """Mail from a hundred people of ten common first and ten common family names: a network in which a name
    nobody else has is rare."""
    others = [(given, family) for given in ("Oliver", "Amelia", "Jack", "Isla", "Harry", "Ava", "George", "Mia",
                                            "Noah", "Grace") for family in ("Walker", "Hughes", "Turner", "Parker",
                                                                            "Collins", "Murphy", "Bennett", "Cooper",
                                                                            "Reid", "Fraser")]
    return "".join(mbox_message(n % 28 + 1, f"{given} {family} <{given}.{family}{n}@mail.example>", "me@example.com")
                   .replace("Message-ID: <m", f"Message-ID: <o{n}.m") for n, (given, family) in enumerate(others))


def test_three_records_of_a_name_nobody_else_has_are_one_person(tmp_path):
    """A friend in mail, on LinkedIn and in the phone's address book, among a hundred other people."""
    mail = hundred_correspondents() + mbox_message(3, "Nidra Chana <nidra_chana@gmail.com>", "me@example.com")
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Nidra,Chana,https://www.linkedin.com/in/nidra-chana-3f,,,,12 Mar 2019\n")
    contacts = card("Nidra Chana", "Chana;Nidra;;;", "TEL:+1 650 555 0193")
    with built_inbox(tmp_path, {"mail.mbox": mail, "Connections.csv": connections, "contacts.vcf": contacts}) as con:
        assert person_of(con, "email:nidra_chana@gmail.com") == person_of(con, "linkedin:nidra-chana-3f") == (
            person_of(con, "phone:+16505550193"))
        assert con.execute("select count(*) from people").fetchone() == (101,)


def test_a_card_s_nickname_is_the_owner_s_word_and_joins_nobody(tmp_path):
    contacts = (card("Tomasz Zielinski", "Zielinski;Tomasz;;;", "NICKNAME:Bro", "ORG:Initech")
                + card("Marek Zielinski", "Zielinski;Marek;;;", "NICKNAME:Bro", "ORG:Initech"))
    with built_inbox(tmp_path, {"contacts.vcf": contacts}) as con:
        assert con.execute("select count(*) from people").fetchone() == (2,)


def test_one_of_two_family_names_meets_the_whole_but_is_no_evidence_of_its_own(tmp_path):
    """LinkedIn has both of a Mexican colleague's family names; her work mail and the card only one. A namesake with
    one of them (a mother whose first family name is the daughter's second) joins nobody on the name alone."""
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Nadia,Barajas Apodaca,https://www.linkedin.com/in/nadia-barajas-7a,,Globex,Engineer,2 May 2022\n"
                   "Ben,van Dijk,https://www.linkedin.com/in/ben-van-dijk-2,,Globex,Engineer,2 May 2022\n"
                   "Maria,Garcia Lopez,https://www.linkedin.com/in/maria-garcia-lopez,,Initech,Analyst,2 May 2022\n")
    contacts = (card("Nadia Apodaca", "Apodaca;Nadia;;;", "ORG:Globex", "TEL:+1 650 555 0193")
                + card("Ben Van", "Van;Ben;;;", "ORG:Globex", "EMAIL:ben.van@globex.example"))
    mail = (hundred_correspondents() + mbox_message(3, "Nadia Barajas <nadia.barajas@globex.example>", "me@example.com")
            + mbox_message(4, "Maria Lopez <maria.lopez@gmail.com>", "me@example.com"))
    with built_inbox(tmp_path, {"Connections.csv": connections, "contacts.vcf": contacts, "mail.mbox": mail}) as con:
        assert person_of(con, "email:nadia.barajas@globex.example") == person_of(con, "linkedin:nadia-barajas-7a") == (
            person_of(con, "phone:+16505550193"))
        assert person_of(con, "email:ben.van@globex.example") != person_of(con, "linkedin:ben-van-dijk-2")
        assert person_of(con, "email:marialopez@gmail.com") != person_of(con, "linkedin:maria-garcia-lopez")


def test_three_family_names_or_one_with_a_particle_meet_the_one_mail_gives(tmp_path):
    """Brazilian LinkedIn names give every family name ("Santana Machado Macedo", "Freitas de Oliveira"); work mail
    gives the one a person goes by, with or without its particle. A calendar's display name puts the first family
    name before the one with a particle."""
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Sérgio,Santana Machado Macedo,https://www.linkedin.com/in/sergio-smm,,Nubix,Engineer,2 May 2022\n"
                   "Pedro,Freitas de Oliveira,https://www.linkedin.com/in/pedro-fo,,Nubix,Analyst,2 May 2022\n"
                   "Luiza,Souza,https://www.linkedin.com/in/luiza-souza,,Nubix,Designer,2 May 2022\n"
                   "Renata,Freitas,https://www.linkedin.com/in/renata-freitas,,Nubix,Designer,2 May 2022\n")
    mail = (hundred_correspondents() + mbox_message(3, "Sérgio Macedo <sergio.macedo@nubix.example>", "me@example.com")
            + mbox_message(4, "Pedro Oliveira <pedro.oliveira@nubix.example>", "me@example.com")
            + mbox_message(5, "Luiza de Souza <luiza.souza@nubix.example>", "me@example.com"))
    meetings = calendar((("20250110", "Renata Freitas de Oliveira", "renata.oliveira@nubix.example"),))
    files = {"Connections.csv": connections, "mail.mbox": mail, "calendar.ics": meetings}
    with built_inbox(tmp_path, files) as con:
        assert person_of(con, "email:sergio.macedo@nubix.example") == person_of(con, "linkedin:sergio-smm")
        assert person_of(con, "email:pedro.oliveira@nubix.example") == person_of(con, "linkedin:pedro-fo")
        assert person_of(con, "email:luiza.souza@nubix.example") == person_of(con, "linkedin:luiza-souza")
        assert person_of(con, "email:renata.oliveira@nubix.example") == person_of(con, "linkedin:renata-freitas")


def test_the_same_father_s_family_name_and_another_mother_s_are_two_people(tmp_path):
    """Ximena Herrera Espinosa (a friend) and Ximena Herrera Gomez (a colleague) are both "Ximena Herrera" in mail:
    the name is rare, but their second family names tell them apart."""
    contacts = card("Ximena Herrera Espinosa", "Herrera Espinosa;Ximena;;;", "EMAIL:herrera.ximena@hotmail.com")
    mail = (hundred_correspondents() + mbox_message(3, "Ximena Herrera <herrera.ximena@hotmail.com>", "me@example.com")
            + mbox_message(4, "Ximena Herrera <xherrera@nova.example>", "me@example.com"))
    meetings = calendar((("20250110", "Ximena Herrera Gomez", "xherrera@nova.example"),))
    with built_inbox(tmp_path, {"contacts.vcf": contacts, "mail.mbox": mail, "calendar.ics": meetings}) as con:
        assert person_of(con, "email:herrera.ximena@hotmail.com") != person_of(con, "email:xherrera@nova.example")


def people_of_address(con, address: str) -> list[tuple[str, list[str]]]:
    """The people holding `address`: each one's display name and the files of their records, sorted."""
    return con.execute(
        "select p.display_name, list_sort(list(distinct split_part(r.source_file, '/', -1))) from people as p"
        " join record_people as rp using (person_id) join stg_records as r using (record_uid)"
        " where p.person_id in (select person_id from identifiers where value = ?)"
        " group by p.person_id, p.display_name order by all",
        [address]).fetchall()


def test_an_address_several_people_share_still_joins_its_records_of_one_name(tmp_path):
    """Each mail folder is a record: the owner's mail to Anna at the family's address meets her card, and the
    family's own mail from two folders is one correspondent, not one per folder."""
    address = "familie.schmidt@t-online.de"  # a personal mail provider: no company in common
    files = {
        "contacts.vcf": card("Anna Schmidt", "Schmidt;Anna;;;", f"EMAIL:{address}")
        + card("Klaus Schmidt", "Schmidt;Klaus;;;", f"EMAIL:{address}"),
        "Sent.mbox": mbox_message(6, "Me <me@example.com>", f"Anna Schmidt <{address}>"),
        "INBOX.mbox": mbox_message(7, f"Familie Schmidt <{address}>", "me@example.com"),
        "Archive.mbox": mbox_message(8, f"Familie Schmidt <{address}>", "me@example.com"),
    }
    with built_inbox(tmp_path, files) as con:
        assert people_of_address(con, address) == [
            ("Anna Schmidt", ["Sent.mbox", "contacts.vcf"]),
            ("Familie Schmidt", ["Archive.mbox", "INBOX.mbox"]),
            ("Klaus Schmidt", ["contacts.vcf"]),
        ]


@pytest.mark.parametrize(("card_name", "structured", "mail_name"), [
    ("Hans-Peter Schäfer", "Schäfer;Hans-Peter;;;", "HP Schäfer"),  # initials
    ("Tobias Wolf", "Wolf;Tobias;;;", "Tobi Wolf"),  # a diminutive no nickname list has
    ("Johannes Berg", "Berg;Johannes;;;", "Hannes Berg"),  # the end of the name
    ("Maman", ";Maman;;;", "Claire Dubois"),  # the owner's word for their mother
])
def test_names_of_one_person_are_no_second_holder_of_an_address(tmp_path, card_name, structured, mail_name):
    address = "someone@mail.example"
    files = {"contacts.vcf": card(card_name, structured, f"EMAIL:{address}"),
             "INBOX.mbox": mbox_message(7, f"{mail_name} <{address}>", "me@example.com")}
    with built_inbox(tmp_path, files) as con:
        assert [files for _, files in people_of_address(con, address)] == [["INBOX.mbox", "contacts.vcf"]]


@pytest.mark.parametrize(("one", "other"), [
    ("Paul", "Paula"), ("Mary", "Martin"), ("Lucy", "Lucas"), ("Patty", "Patrick"), ("Hanna", "Johanna"),
    ("Mama", "Papa"),  # the owner's words for two people, as first-name-only cards
    ("Дмитрий", "Natalia"),  # a husband's card in Cyrillic, his wife's in Latin letters
])
def test_two_first_names_alike_but_no_short_form_still_share_an_address(tmp_path, one, other):
    address = "weber.family@mail.example"
    family = "" if one == "Mama" else "Weber"
    files = {"contacts.vcf": card(f"{one} {family}".strip(), f"{family};{one};;;", f"EMAIL:{address}")
             + card(f"{other} {family}".strip(), f"{family};{other};;;", f"EMAIL:{address}")}
    with built_inbox(tmp_path, files) as con:
        assert len(people_of_address(con, address)) == 2


@pytest.mark.parametrize(("one", "other"), [
    ("Manish Rao", "Manisha Rao"), ("Luis Paredes", "Luisa Paredes"),  # a name's beginning: a couple
    ("Robert Miller", "James Robert Miller"),  # a father, and his son with his name as a middle name
    ("Lena Novak", "Elena Novak"),  # a short form that is a name of its own
])
def test_a_couple_writing_from_one_address_stays_two(tmp_path, one, other):
    address = "family@mail.example"
    files = {"one.mbox": mbox_message(7, f"{one} <{address}>", "me@example.com"),
             "other.mbox": mbox_message(8, f"{other} <{address}>", "me@example.com")}
    with built_inbox(tmp_path, files) as con:
        assert len(people_of_address(con, address)) == 2


def test_one_address_under_one_name_is_one_person_whose_linkedin_profile_address_changed(tmp_path):
    contacts = (card("Ann Lee", "Lee;Ann;;;", "EMAIL:ann@example.com", "URL:https://www.linkedin.com/in/annlee")
                + card("Ann Lee", "Lee;Ann;;;", "EMAIL:ann@example.com", "URL:https://www.linkedin.com/in/ann-lee-2"))
    with built_inbox(tmp_path, {"contacts.vcf": contacts}) as con:
        assert con.execute("select person_id, kind, value from identifiers order by all").fetchall() == [
            (1, "email", "ann@example.com"), (1, "linkedin", "ann-lee-2"), (1, "linkedin", "annlee")]


def test_an_identifier_left_on_two_people_is_flagged_shared(tmp_path):
    """Two work addresses at one domain are two people, so the private address both cards give joins neither."""
    contacts = (card("Ann Lee", "Lee;Ann;;;", "EMAIL:ann@initech.example", "EMAIL:lee.family@gmail.com")
                + card("Ann Lee", "Lee;Ann;;;", "EMAIL:a.lee@initech.example", "EMAIL:lee.family@gmail.com"))
    with built_inbox(tmp_path, {"contacts.vcf": contacts}) as con:
        assert con.execute(
            "select count(distinct person_id), bool_and(shared_by_several_people) from identifiers"
            " where value = 'leefamily@gmail.com'").fetchone() == (2, True)


def test_umlauts_spelt_out_meet_the_name_written_with_them(tmp_path):
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Juergen,Weiss,https://www.linkedin.com/in/juergen-weiss-1,,Helioskraft,Engineer,2 May 2022\n"
                   "Anna,Mueller,https://www.linkedin.com/in/anna-mueller-1,,Helioskraft,Engineer,2 May 2022\n")
    mail = (mbox_message(3, "Jürgen Weiß <j.weiss@helioskraft.example>", "me@example.com")
            + mbox_message(4, "Anna Müller <a.mueller@helioskraft.example>", "me@example.com"))
    contacts = card("Michal Novak", "Novak;Michal;;;", "ORG:Helioskraft", "EMAIL:michal@helioskraft.example")
    contacts += card("Michael Novak", "Novak;Michael;;;", "ORG:Helioskraft", "EMAIL:michael@helioskraft.example")
    with built_inbox(tmp_path, {"Connections.csv": connections, "mail.mbox": mail, "contacts.vcf": contacts}) as con:
        assert person_of(con, "email:j.weiss@helioskraft.example") == person_of(con, "linkedin:juergen-weiss-1")
        assert person_of(con, "email:a.mueller@helioskraft.example") == person_of(con, "linkedin:anna-mueller-1")
        assert person_of(con, "email:michal@helioskraft.example") != person_of(con, "email:michael@helioskraft.example")


def test_a_father_and_a_son_at_one_address_with_two_linkedin_connections_stay_two(tmp_path):
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "John,Smith,https://www.linkedin.com/in/john-smith-sr,smith.family@gmail.com,Globex,CFO,2 May 2022\n"
                   "John,Smith,https://www.linkedin.com/in/john-smith-jr,smith.family@gmail.com,Initech,Analyst,"
                   "2 May 2022\n")
    with built_inbox(tmp_path, {"Connections.csv": connections}) as con:
        assert person_of(con, "linkedin:john-smith-sr") != person_of(con, "linkedin:john-smith-jr")
        assert con.execute("select bool_and(shared_by_several_people) from identifiers where kind = 'email'"
                           ).fetchone() == (True,)


@pytest.mark.parametrize(("jasons", "named_is"), [
    (["jason.tan@meridian.example"], "jason.tan@meridian.example"),  # a colleague
    (["jason.tan@falconfreight.example"], "jason.tan@falconfreight.example"),  # a client
    (["jasontan1987@gmail.com"], "jasontan1987@gmail.com"),  # the only Jason Tan the owner writes to
    (["jason.tan@meridian.example", "jason.tan@falconfreight.example"], "jason.tan@meridian.example"),
    (["jason.tan@initech.example", "jason.tan@falconfreight.example"], None),  # either could be the one
])
def test_a_recipient_an_exchange_archive_names_without_an_address_is_the_one_person_of_the_name(
        tmp_path, jasons, named_is):
    """readpst writes Sent Items with Outlook's list of recipient names and no addresses, a client's as well as a
    colleague's: a name-only recipient is the one person of that name with an address, or, of several, the one at
    the owner's employer when the owner wrote from work."""
    sent = "".join(
        dated_message(f"{day} Sep 2023", f'"Menon, Arjun" <{sender}>', "Tan, Jason", f"sent{day}")
        for day, sender in ((4, "arjun.menon@meridian.example"), (11, "MAILER-DAEMON"), (18, "MAILER-DAEMON")))
    received = "".join(  # two employers' addresses in use over the same months: two people
        dated_message(f"5 {month} 2023", f"Jason Tan <{jason}>", "arjun.menon@meridian.example", f"{month}{number}")
        for month in ("Sep", "Oct", "Nov", "Dec") for number, jason in enumerate(jasons))
    files = {"Sent Items.mbox": sent, "mail.mbox": hundred_correspondents() + received}
    with built_inbox(tmp_path, files) as con:
        named_only = person_of_record(con, "name:jason tan")
        assert len({person_of(con, f"email:{jason}") for jason in jasons}) == len(jasons)
        assert [jason for jason in jasons if person_of(con, f"email:{jason}") == named_only] == (
            [named_is] if named_is else [])


def test_bin_and_binti_are_left_out_of_a_malay_family_name(tmp_path):
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Khairul Anuar,bin Jamal,https://www.linkedin.com/in/x-1,,Nexora,Analyst,2 May 2022\n")
    contacts = card("Khairul Anuar Jamal", "Jamal;Khairul Anuar;;;", "ORG:Nexora", "EMAIL:x.y@nexora.example")
    with built_inbox(tmp_path, {"Connections.csv": connections, "contacts.vcf": contacts}) as con:
        assert person_of(con, "email:x.y@nexora.example") == person_of(con, "linkedin:x-1")


@pytest.mark.parametrize(("linkedin_first", "mail_name"), [
    ("Min-jun", "Min-seo Kim"), ("Mary Ann", "Mary Beth Kim"), ("Mary Ann", "Mary Kim"),
])
def test_siblings_whose_first_names_begin_alike_stay_two(tmp_path, linkedin_first, mail_name):
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   f"{linkedin_first},Kim,https://www.linkedin.com/in/x-1,,Nexora,Analyst,2 May 2022\n")
    mail = hundred_correspondents() + mbox_message(3, f"{mail_name} <kim.family@gmail.com>", "me@example.com")
    with built_inbox(tmp_path, {"Connections.csv": connections, "mail.mbox": mail}) as con:
        assert person_of(con, "email:kimfamily@gmail.com") != person_of(con, "linkedin:x-1")


def calendar(meetings) -> str:
    """An .ics of one-hour meetings the owner organised: (day as YYYYMMDD, the attendee's name, address) each."""
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + "".join(
        f"BEGIN:VEVENT\r\nUID:{day}-{address}\r\nDTSTART:{day}T090000Z\r\nDTEND:{day}T100000Z\r\n"
        f"ORGANIZER:mailto:me@example.com\r\nATTENDEE;CN={name}:mailto:{address}\r\nEND:VEVENT\r\n"
        for day, name, address in meetings) + "END:VCALENDAR\r\n")


def dated_message(day: str, sender: str, to: str, message_id: str) -> str:
    """One mbox message of `day` ("4 Sep 2023") whose Message-Id is `message_id`@example.com."""
    return (f"From x@y Mon Sep  4 04:00:00 2023\nFrom: {sender}\nTo: {to}\n"
            f"Date: Mon, {day} 04:00:00 +0000\nMessage-Id: <{message_id}@example.com>\n\nthanks\n")


def monthly_message(month: str, year: int, sender: str) -> str:
    """A message to the owner on the 6th of `month` (Jan, Feb...) of `year`, one per sender's address and month."""
    address = sender.rsplit("<", 1)[-1].rstrip(">")
    return dated_message(f"6 {month} {year}", sender, "me@example.com", f"{month}{year}.{address.replace('@', '.')}")


def person_of_record(con, record_key: str) -> int:
    return con.execute("select any_value(person_id) from record_people join stg_records using (record_uid)"
                       " where record_key = ?", [record_key]).fetchone()[0]


def test_a_calendar_that_shows_todays_address_on_past_meetings_hides_no_job_change(tmp_path):
    """Exchange and Google Workspace keep attendees as accounts, so after a company renamed its domain every past
    meeting shows the new address: mail, not meetings, dates when an address came into use."""
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun")
    mail = "".join(monthly_message(month, 2023, "Claire Dubois <claire.dubois@meridian.example>") for month in months)
    mail += "".join(monthly_message(month, 2024, "Claire Dubois <claire.dubois@nexora.example>") for month in months)
    # namesakes writing from two employers over the same months stay two, meetings or not
    mail += "".join(monthly_message(month, year, f"Tom Baker <tom.baker@{domain}>") for month in months
                    for year in (2023, 2024) for domain in ("orchard.example", "juniper.example"))
    meetings = calendar((f"{year}{month:02d}15", "Claire Dubois", "claire.dubois@nexora.example")
                        for year in (2022, 2023, 2024) for month in (1, 4, 7, 10))
    files = {"mail.mbox": hundred_correspondents() + mail, "calendar.ics": meetings}
    with built_inbox(tmp_path, files) as con:
        assert person_of(con, "email:claire.dubois@meridian.example") == person_of(
            con, "email:claire.dubois@nexora.example")
        assert person_of(con, "email:tom.baker@orchard.example") != person_of(con, "email:tom.baker@juniper.example")


@pytest.mark.parametrize(("in_mail", "in_calendar"), [
    ("Majo Hernández", "María José Hernández"),  # the first syllables of two first names
    ("Majo Hernández", "María José Hernández Ruiz"),  # ...that a display name runs on into two family names
    ("Minseo Park", "Min-seo Park"),  # a two-word first name written as one
])
def test_one_address_under_two_forms_of_a_first_name_is_one_person(tmp_path, in_mail, in_calendar):
    mail = hundred_correspondents() + "".join(
        mbox_message(day, f"{in_mail} <friend@gmail.com>", "me@example.com") for day in (3, 4))
    meetings = calendar((f"202501{day}", in_calendar, "friend@gmail.com") for day in (10, 17))
    with built_inbox(tmp_path, {"mail.mbox": mail, "calendar.ics": meetings}) as con:
        assert len(people_of_address(con, "friend@gmail.com")) == 1


def test_mail_to_a_shared_address_without_a_name_is_one_more_holder_not_one_per_file(tmp_path):
    """Apple Mail keeps one .emlx file per message: the owner's replies to a couple's address, no name on them, are
    one record each, and the address is the couple's, so they join neither of them but each other."""
    def emlx(sender: str, to: str, day: int) -> str:
        message = (f"From: {sender}\nTo: {to}\nDate: Mon, {day} Jan 2025 09:00:00 +0000\n"
                   f"Message-ID: <{day}.{len(sender)}@example.org>\n\nhi\n")
        return f"{len(message.encode())}\n{message}"
    inbox = tmp_path / "inbox"
    for folder, day, sender, to in (("INBOX.mbox", 3, "Carlos Garcia <garcias@gmail.com>", "me@example.com"),
                                    ("INBOX.mbox", 4, "Maria Lopez <garcias@gmail.com>", "me@example.com"),
                                    *(("Sent Messages.mbox", day, "me@example.com", "garcias@gmail.com")
                                      for day in (5, 6, 7))):
        (inbox / folder / "Messages").mkdir(parents=True, exist_ok=True)
        (inbox / folder / "Messages" / f"{day}.emlx").write_text(emlx(sender, to, day))
    with closing(run_build(inbox, tmp_path / "work.duckdb")) as con:
        assert sorted(name for name, _ in people_of_address(con, "garcias@gmail.com")) == [
            "Carlos Garcia", "Maria Lopez", "garcias@gmail.com"]


def test_a_family_name_written_in_parts_speaks_for_the_cluster_over_a_display_name(tmp_path):
    """'Luis Paredes Vega' in mail does not say which words are family names; his card does, so LinkedIn's 'Luis
    Paredes' at his company is no other name."""
    contacts = card("Luis Paredes Vega", "Paredes Vega;Luis;;;", "ORG:Snap", "EMAIL:luis.pv@gmail.com")
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Luis,Paredes,https://www.linkedin.com/in/luis-paredes-1,,Snap,Engineer,2 May 2022\n")
    mail = hundred_correspondents() + mbox_message(3, "Luis Paredes Vega <luis.pv@gmail.com>", "me@example.com")
    with built_inbox(tmp_path, {"contacts.vcf": contacts, "Connections.csv": connections, "mail.mbox": mail}) as con:
        assert person_of(con, "email:luispv@gmail.com") == person_of(con, "linkedin:luis-paredes-1")


def test_short_forms_of_names_in_other_languages_are_the_same_first_name(tmp_path):
    mail = hundred_correspondents() + "".join(
        mbox_message(day, f"{name} <{address}>", "me@example.com")
        for day, name, address in ((3, "Nacho Ruiz", "ruiz.family@gmail.com"), (4, "Paco Soto", "soto@gmail.com")))
    meetings = calendar((("20250110", "Ignacio Ruiz", "ruiz.family@gmail.com"),
                         ("20250111", "Francisco Soto", "soto@gmail.com")))
    with built_inbox(tmp_path, {"mail.mbox": mail, "calendar.ics": meetings}) as con:
        assert len(people_of_address(con, "ruizfamily@gmail.com")) == 1
        assert len(people_of_address(con, "soto@gmail.com")) == 1


def test_a_same_decision_naming_one_address_joins_everyone_holding_it(tmp_path):
    """Two cards under first names Kith takes for two people (a household's address): the user says it is one."""
    contacts = (card("Tupac Quispe", "Quispe;Tupac;;;", "EMAIL:quispe@example.net")
                + card("Yupanqui Quispe", "Quispe;Yupanqui;;;", "EMAIL:quispe@example.net"))
    overrides = tmp_path / "overrides.toml"
    record_decision(overrides, "same", ["email:quispe@example.net"])
    with closing(run_build(write_inbox(tmp_path, {"contacts.vcf": contacts}), tmp_path / "work.duckdb",
                           overrides)) as con:
        assert len(people_of_address(con, "quispe@example.net")) == 1


def test_a_recipient_named_without_an_address_meets_no_namesake_the_owner_never_mailed(tmp_path):
    """Not a LinkedIn connection of the name with no address, nor Christina Lee for "Lee, Chris"."""
    sent = "".join(dated_message(f"{day} Sep 2023", "Arjun Menon <arjun@gmail.com>", to, f"sent{day}")
                   for day, to in ((4, "Smith, John"), (11, "Lee, Chris")))
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "John,Smith,https://www.linkedin.com/in/john-smith-7,,Globex,CFO,2 May 2022\n")
    mail = hundred_correspondents() + mbox_message(5, "Christina Lee <christina.lee@gmail.com>", "arjun@gmail.com")
    files = {"Sent Items.mbox": sent, "mail.mbox": mail, "Connections.csv": connections}
    with built_inbox(tmp_path, files) as con:
        assert person_of_record(con, "name:john smith") != person_of(con, "linkedin:john-smith-7")
        assert person_of_record(con, "name:chris lee") != person_of(con, "email:christinalee@gmail.com")


def test_meetings_date_an_address_once_mail_from_its_domain_had_begun(tmp_path):
    """A colleague mails from orchard.example since 2022, so Tom Baker's orchard address in meetings since 2022 is
    no rewrite: he was there while a namesake mailed from juniper.example."""
    months = ("Jan", "Apr", "Jul", "Oct")
    mail = "".join(monthly_message(month, 2022, "Ann Other <ann.other@orchard.example>") for month in months)
    juniper_months = [(month, 2023) for month in months] + [("Jan", 2024), ("Apr", 2024)]
    mail += "".join(monthly_message(month, year, "Tom Baker <tom.baker@juniper.example>")
                    for month, year in juniper_months)
    mail += "".join(monthly_message(month, 2025, "Tom Baker <tom.baker@orchard.example>") for month in months)
    meetings = calendar((f"{year}{month:02d}15", "Tom Baker", "tom.baker@orchard.example")
                        for year in (2022, 2023, 2024) for month in (2, 5, 8, 11))
    files = {"mail.mbox": hundred_correspondents() + mail, "calendar.ics": meetings}
    with built_inbox(tmp_path, files) as con:
        assert person_of(con, "email:tom.baker@orchard.example") != person_of(con, "email:tom.baker@juniper.example")


def test_a_display_name_with_two_family_names_meets_a_linkedin_connection_under_the_first(tmp_path):
    """A calendar writes "Alejandro Barajas Apodaca"; LinkedIn has "Alejandro Barajas" at his company. A display name
    does not say which words are family names: the one before the last may be his first."""
    connections = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                   "Alejandro,Barajas,https://www.linkedin.com/in/alejandro-barajas-1,,Brightline,PM,2 May 2022\n"
                   "John,Taylor,https://www.linkedin.com/in/john-taylor-1,,Globex,CFO,2 May 2022\n")
    meetings = calendar((("20250110", "Alejandro Barajas Apodaca", "alejandro.barajas@brightline.example"),
                         ("20250111", "John Taylor Smith", "jts@gmail.com")))
    files = {"Connections.csv": connections, "calendar.ics": meetings, "mail.mbox": hundred_correspondents()}
    with built_inbox(tmp_path, files) as con:
        assert person_of(con, "email:alejandro.barajas@brightline.example") == person_of(
            con, "linkedin:alejandro-barajas-1")
        # a middle name is no family name of its own to merge on: John Taylor at Globex is someone else
        assert person_of(con, "email:jts@gmail.com") != person_of(con, "linkedin:john-taylor-1")


def test_a_display_name_of_three_words_is_no_short_form_of_a_two_word_first_name(tmp_path):
    """Mary Grace Garcia may have two first names: her "Mary" is no short form of Ana Marie Garcia's Marie (Zé
    of José Carlos is). In a blind test the name they seemed to share made Ana Marie a namesake, which kept Mary
    Grace's LinkedIn profile apart from her mail."""
    contacts = (card("Ana Marie Garcia", "Garcia;Ana Marie;;;", "EMAIL:anamarie@gmail.com")
                + card("Zé", ";Zé;;;", "TEL:+55 11 91234 5678")
                + card("José Carlos Ferreira", "Ferreira;José Carlos;;;", "EMAIL:jcf@gmail.com"))
    mail = hundred_correspondents() + mbox_message(3, "Mary Grace Garcia <mgg@gmail.com>", "me@example.com")
    shared_groups = """
        select list_sort(list(distinct a.name_group)) from given_name_groups as a
        join given_name_groups as b on a.name_group = b.name_group and a.record_uid <> b.record_uid
        join stg_records as r on r.record_uid = a.record_uid
        where r.display_name = ? and a.name_group like 'short form of %'"""
    with built_inbox(tmp_path, {"contacts.vcf": contacts, "mail.mbox": mail}) as con:
        assert con.execute(shared_groups, ["Mary Grace Garcia"]).fetchone() == (None,)
        assert con.execute(shared_groups, ["Zé"]).fetchone() == (["short form of jose"],)


def test_two_display_names_sharing_only_a_word_before_the_last_are_not_compared_on_it(tmp_path):
    """Ana Marie Aquino and Ana Marie Garcia: "marie" is neither's family name, so it puts them side by side with
    no one (a pair told apart there made a crowd of each one's own records in a blind test)."""
    mail = hundred_correspondents() + "".join(
        mbox_message(day, f"{name} <{address}>", "me@example.com")
        for day, name, address in ((3, "Ana Marie Aquino", "amaquino@gmail.com"),
                                   (4, "Ana Marie Garcia", "amgarcia@gmail.com")))
    with built_inbox(tmp_path, {"mail.mbox": mail}) as con:
        assert con.execute("select count(*) from name_blocked_pairs").fetchone() == (0,)
