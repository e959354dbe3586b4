"""The network around the owner (transforms/sql/graph.sql and the warehouse views) on hand-made interactions."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from tests.transforms.scoring_network import PARAMETERS, Network, conversation
from transforms.normalise import LEGAL_FORMS_SQL

VIEWS = Path(__file__).resolve().parents[2] / "warehouse" / "sql" / "views.sql"
PER_WEEK = math.log(2) / PARAMETERS.long_half_life_days * 7  # pairs are faint ties: the long memory


@pytest.fixture
def network(tmp_path) -> Network:
    network = Network(tmp_path / "work.duckdb")
    network.person(1, "Ann Lee", "ann@gmail.com")
    network.person(2, "Bo Ng", "bo@acme.example", organization="Acme Analytics")
    network.person(3, "Cy Park", "cy@acme.example")
    network.person(4, "Di Roe", "di@example.com")
    yield network
    network.con.close()


def create_views(network: Network) -> None:
    """The published views over the network's tables, with the macros publishing loads before them."""
    network.con.execute(LEGAL_FORMS_SQL.read_text())
    network.con.execute(VIEWS.read_text())


def pairs(network: Network) -> dict[tuple[int, int], tuple]:
    rows = network.con.execute(
        "select person_a, person_b, shared_interactions, shared_meetings, strength from connections_between_contacts"
    ).fetchall()
    return {(a, b): tuple(rest) for a, b, *rest in rows}


def test_two_contacts_met_together_know_each_other_by_the_same_model(network):
    network.meeting(0, True, {1: "accepted", 2: "accepted"})  # three people with the owner
    network.score()
    rate = PARAMETERS.meeting_weight * PER_WEEK  # (k - 2)^-2 = 1 for the two of them
    assert pairs(network) == {(1, 2): (1, 1, round(100 * rate / (rate + PARAMETERS.scale), 2))}


def test_big_threads_and_declined_meetings_connect_nobody(network):
    for person_id in range(10, 40):
        network.person(person_id, f"P{person_id}", f"p{person_id}@example.com")
    network.message(1, False, {1: "from"} | {p: "to" for p in range(10, 40)})  # 31 people: too big to tell
    network.meeting(2, True, {3: "accepted", 4: "declined"})
    network.score()
    assert pairs(network) == {}


def test_contacts_met_when_the_owner_declined_and_the_owner_met_nobody(network):
    declined = network.meeting(0, False, {1: "accepted", 2: "accepted"})
    network.con.execute("update interactions set status = 'declined', participant_count = 2 where interaction_id = ?",
                        [declined])  # as the interactions mart has it: the owner is no participant
    scored = network.score()
    rate = PARAMETERS.meeting_weight * PER_WEEK  # two who met without the owner: weighed as a meeting of three
    assert pairs(network) == {(1, 2): (1, 1, round(100 * rate / (rate + PARAMETERS.scale), 2))}
    assert scored[1]["strength"] == scored[2]["strength"] == 0


def test_a_small_thread_counts_less_than_a_meeting_of_two(network):
    network.message(0, False, {1: "from", 2: "to", 3: "to"})  # a 4-person thread: (4 - 2)^-2 each pair
    network.meeting(0, True, {1: "accepted", 4: "accepted"})
    network.score()
    found = pairs(network)
    assert set(found) == {(1, 2), (1, 3), (2, 3), (1, 4)}
    assert found[(1, 2)][2] < found[(1, 4)][2]


def test_contacts_seen_together_have_their_own_group_size_exponent(network):
    network.message(0, False, {1: "from", 2: "to", 3: "to"})  # a 4-person thread: (4 - 2)^-exponent each pair
    network.score()
    usual = pairs(network)[(1, 2)]
    network.score(replace(PARAMETERS, group_size_exponent=2))
    assert pairs(network)[(1, 2)] == usual  # the owner's exponent leaves the graph alone
    network.score(replace(PARAMETERS, connection_group_size_exponent=1))
    rate = PARAMETERS.email_weight * 2 ** -1 * PER_WEEK
    assert pairs(network)[(1, 2)][2] == round(100 * rate / (rate + PARAMETERS.scale), 2) > usual[2]


def test_two_contacts_the_owner_only_wrote_to_together_know_each_other_less_than_one_who_wrote_to_the_other(network):
    network.message(0, True, {1: "to", 2: "to"})  # the owner writes to Ann and Bo together
    network.message(0, False, {3: "from", 4: "cc"})  # Cy writes to the owner and copies Di in
    network.score()
    found = network.con.execute(
        "select person_a, person_b, shared_interactions, direct_interactions, strength"
        " from connections_between_contacts order by all").fetchall()
    rate = PARAMETERS.email_weight * PER_WEEK  # three people: (k - 2)^-exponent = 1
    co_recipients = rate * PARAMETERS.connection_co_recipient_weight
    assert found == [
        (1, 2, 1, 0, round(100 * co_recipients / (co_recipients + PARAMETERS.scale), 2)),
        (3, 4, 1, 1, round(100 * rate / (rate + PARAMETERS.scale), 2)),
    ]


def test_introductions_rank_by_both_ties(network):
    conversation(network, 1, 20, 7)  # the owner knows Ann well
    conversation(network, 4, 2, 7)  # and Di a little
    for week in range(10):  # Ann and Di both meet Bo at Acme
        network.meeting(week * 7 + 3, False, {1: "accepted", 2: "accepted"})
        network.meeting(week * 7 + 4, False, {4: "accepted", 2: "accepted"})
    network.score()
    create_views(network)
    rows = network.con.execute(
        "select target_name, target_organization, via_name, owner_to_via_strength, via_to_target_strength,"
        " introduction_score from introductions where target_organization ilike '%acme%'"
    ).fetchall()
    assert [(target, via) for target, _, via, *_ in rows] == [("Bo Ng", "Ann Lee"), ("Bo Ng", "Di Roe")]
    for _, organization, _, owner_to_via, via_to_target, score in rows:
        assert organization == "Acme Analytics"
        assert owner_to_via > 0 and via_to_target > 0
        assert score == round(math.sqrt(owner_to_via * via_to_target), 2)
    organizations = network.con.execute(
        "select organization, is_owner_employer, people_with_a_tie, closest_person from organizations").fetchall()
    # Ann's gmail.com is no organisation; Cy at acme.example names none, so Bo's name for it is his; Di writes
    # from the owner's domain
    assert sorted(organizations) == [
        ("Acme Analytics", False, 1, "Bo Ng"),
        ("example.com", True, 1, "Di Roe"),
    ]
    people_at_acme = "select people from organizations where organization = 'Acme Analytics'"
    assert network.con.execute(people_at_acme).fetchone() == (2,)


def test_colleagues_who_moved_on_do_not_make_their_new_employer_the_owners(network):
    network.con.execute("insert into owner_identifiers values ('email', 'me@contoso.example', 'settings')")
    network.person(5, "Ed Fox", "ed@contoso.example", organization="Contoso")
    network.person(6, "Flo Gray", "flo@contoso.example")
    for person_id, name in ((7, "Gus Hale"), (8, "Hal Ito")):  # their cards are newer than their last work mail
        network.person(person_id, name, f"{name.split()[0].lower()}@contoso.example", organization="Globex",
                       email_seen_days_ago=400)
    network.score()
    create_views(network)
    found = dict(network.con.execute("select organization, is_owner_employer from organizations").fetchall())
    assert found == {"Acme Analytics": False, "example.com": True, "Contoso": True, "Globex": False}


@pytest.mark.parametrize(("domain", "given", "organization"), [
    ("kabelnet.example", "Acme Analytics", "kabelnet.example"),  # an internet provider's domain names no employer
    ("acme-robotics.example", "Acme Robotics", "Acme Robotics"),  # a hyphenated domain is named by its organisation
    ("litwareinc.example", "Litware", "Litware"),  # a domain whose label starts with the name
])
def test_a_domain_names_the_organisation_its_people_give_when_it_spells_it(network, domain, given, organization):
    network.person(5, "Ed Fox", f"ed@{domain}", organization=given)
    network.person(6, "Flo Gray", f"flo@{domain}")
    conversation(network, 5, 3, 7)
    network.score()
    create_views(network)
    assert network.con.execute(
        "select organization from contact_organizations where person_id in (3, 6) order by person_id").fetchall() == [
        ("Acme Analytics",), (organization,)]


@pytest.mark.parametrize(("last_work_mail_days_ago", "organization"), [
    (20, "Acme Analytics"),  # writes from Acme now: the card is from an old job
    (400, "Bluth Company"),  # Acme was long ago: the card may be newer than the mail
])
def test_recent_mail_from_a_work_domain_beats_a_card_naming_another_organisation(
        network, last_work_mail_days_ago, organization):
    network.person(5, "Nath Roy", "nath@gmail.com", organization="Bluth Company", email_seen_days_ago=10)
    network.address(5, "nath.roy@acme.example", last_work_mail_days_ago)
    network.address(5, "nath@bluth.example", 900)
    network.score()
    create_views(network)
    assert network.con.execute(
        "select organization, work_domain from contact_organizations where person_id = 5").fetchall() == [
        (organization, "acme.example")]
    assert network.con.execute("select organization from people_overview where person_id = 5").fetchall() == [
        (organization,)]


def test_history_grows_and_fades_and_ends_at_todays_strength(network):
    conversation(network, 1, 20, 7, start_days_ago=400)  # five months of weekly mail, then a year of silence
    strength = network.score()[1]["strength"]
    history = network.con.execute(
        "select month, strength from relationship_history where person_id = 1 order by month").fetchall()
    values = [value for _, value in history]
    assert history[-1] == (PARAMETERS.as_of.date().replace(day=1), strength)
    peak = values.index(max(values))
    assert values[:peak + 1] == sorted(values[:peak + 1])
    assert values[peak:] == sorted(values[peak:], reverse=True)
    assert len(history) == 19  # June 2025 to November 2026
