"""The tie-strength scorer (transforms/sql/relationships.sql) on hand-made interactions in a tmp DuckDB file."""

from __future__ import annotations

import math
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from tests.transforms.scoring_network import AS_OF, PARAMETERS, Network, conversation
from transforms.build import BuildParameters, ScoringWeights

WITHOUT_BONUS = replace(PARAMETERS, address_book_bonus=0, linkedin_bonus=0, channel_diversity_bonus=0,
                        tenure_bonus_per_year=0)
STEADY_ONLY = replace(WITHOUT_BONUS, change_probability=0)  # one rate over the whole history


def month_starts(origin: datetime, at: datetime) -> list[datetime]:
    """The first of every month after the origin's month and before `at`: where a rate may change."""
    found, year, month = [], origin.year, origin.month
    while True:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        start = datetime(year, month, 1, tzinfo=UTC)
        if start >= at:
            return found
        found.append(start)


def change_point_rate(times: list[datetime], origin: datetime, at: datetime = AS_OF,
                      parameters: BuildParameters = PARAMETERS) -> float:
    """The weekly rate of relationships.sql for interactions of weight 1 (docs/scoring.md), written again here.

    `times` are the tie's interactions in order, `origin` the first interaction of anyone."""
    shape, p = parameters.prior_interactions, parameters.change_probability
    prior_weeks = shape / parameters.prior_weekly_rate

    def weeks(start: datetime, end: datetime) -> float:
        return (end - start).total_seconds() / 604800

    def evidence(count: float, exposure: float) -> float:
        return (shape * math.log(prior_weeks) - math.lgamma(shape) + math.lgamma(count + shape)
                - (count + shape) * math.log(exposure + prior_weeks))

    def mean(count: float, exposure: float) -> float:
        return (count + shape) / (exposure + prior_weeks)

    total = sum(t <= at for t in times)
    hypotheses = []
    if p < 1:
        hypotheses.append((math.log(1 - p) + evidence(total, weeks(origin, at)), mean(total, weeks(origin, at))))
    changes = month_starts(origin, at) if p > 0 else []
    for change in changes:
        before = sum(t < change for t in times)
        log_weight = (math.log(p / len(changes)) + evidence(before, weeks(origin, change))
                      + evidence(total - before, weeks(change, at)))
        hypotheses.append((log_weight, mean(total - before, weeks(change, at))))
    began = datetime(times[0].year, times[0].month, 1, tzinfo=UTC)
    later = [change for change in changes if change > began] if began in changes else []
    for change in later:  # the tie began in the month of its first interaction, and changed once since
        before = sum(t < change for t in times)
        log_weight = (2 * math.log(p) - math.log(len(later)) + evidence(0, weeks(origin, began))
                      + evidence(before, weeks(began, change)) + evidence(total - before, weeks(change, at)))
        hypotheses.append((log_weight, mean(total - before, weeks(change, at))))
    best = max(log_weight for log_weight, _ in hypotheses)
    weights = [math.exp(log_weight - best) for log_weight, _ in hypotheses]
    return sum(w * rate for w, (_, rate) in zip(weights, hypotheses)) / sum(weights)


@pytest.fixture
def network(tmp_path) -> Network:
    network = Network(tmp_path / "work.duckdb")
    yield network
    network.con.close()


@pytest.mark.parametrize("days_ago", [0, 3, 30, 400, 1500])
def test_an_outbound_one_to_one_message_never_lowers_a_score(network, days_ago):
    network.person(1, "Ann Lee", "ann@example.com")
    network.person(2, "Bo Ng", "bo@example.com")
    conversation(network, 1, 6, 20, start_days_ago=10)
    network.message(200, False, {2: "from"})  # Bo has written once; a reply makes the tie two-way
    before = network.score()
    network.message(days_ago, True, {1: "to"})
    network.message(days_ago, True, {2: "to"})
    after = network.score()
    assert after[1]["strength"] >= before[1]["strength"]
    assert after[1]["strength_at_last_contact"] >= before[1]["strength_at_last_contact"]
    assert before[2]["strength"] == 0 and after[2]["strength"] > 0


def test_newsletters_and_one_way_senders_score_zero(network):
    network.person(1, "Recruiter", "jo@talbot.example")
    network.person(2, "Weekly Brief", "news@brief.example")
    network.person(3, "Cold Caller", "cold@example.com")
    network.person(4, "Saved Newsletter", "digest@markets.example", sources=("vcard", "mbox"))
    for week in range(30):
        network.message(week * 7, False, {1: "from"})
        network.message(week * 7 + 1, False, {2: "from"}, automated="list-id")
        network.message(week * 7 + 2, False, {4: "from"}, automated="list-id")
    network.message(5, True, {3: "to"})
    network.message(9, True, {3: "to"})
    network.message(3, True, {2: "to"})  # a reply to a newsletter: its mail still never counts
    network.message(3, True, {4: "to"})  # even when its address is in the address book
    scored = network.score()
    for person_id in (1, 2, 3, 4):
        assert scored[person_id]["strength"] == 0
        assert scored[person_id]["strength_rank"] is None or math.isnan(scored[person_id]["strength_rank"])
        assert scored[person_id]["tier"] == "none"
    assert "one-way contact only, so strength 0" in scored[1]["explanation"]
    assert scored[2]["messages_received"] == 0


def test_one_way_contact_with_people_in_the_address_book_or_linkedin_counts_before_it_is_answered(network):
    network.person(1, "Old Friend", "old@example.com", sources=("vcard", "mbox"))
    network.person(2, "Former Colleague", "former@acme.example", sources=("linkedin", "mbox"))
    network.person(3, "Stranger", "stranger@example.com")
    network.person(4, "Unanswered", "unanswered@example.com", sources=("vcard", "mbox"))
    network.person(5, "Silent Card", "card@example.com", sources=("vcard",))
    network.person(6, "Cold Outreach", "hiring@acme.example")
    network.person(7, "Team Announcement", "teammate@example.com", sources=("vcard", "mbox"))
    network.person(8, "Teammate", "other@example.com")
    network.message(400, True, {1: "to"})  # the origin: the owner's data starts 400 days ago
    network.message(400, False, {1: "from"})
    for person_id in (1, 2, 3):
        network.message(30, False, {person_id: "from"})  # they wrote; no answer yet
    network.message(30, True, {4: "to"})  # the owner wrote to someone they keep; no answer yet
    network.message(30, True, {6: "to"})  # the owner wrote to a stranger; no answer yet
    network.message(30, True, {7: "to", 8: "to"})  # a group message is addressed to the group, not to them
    scored = network.score(WITHOUT_BONUS)
    assert scored[2]["strength"] > 0
    assert scored[1]["explanation"].startswith("3 messages (1 sent, 2 received)")
    assert "one-way contact only (from a known contact)" in scored[2]["explanation"]
    times, origin = network.history(4)
    assert scored[4]["weighted_weekly_rate"] == pytest.approx(change_point_rate(times, origin))
    assert scored[4]["explanation"].startswith("1 message (1 sent, 0 received)")
    assert "one-way contact only (to a known contact)" in scored[4]["explanation"]
    for person_id in (3, 6, 7, 8):
        assert scored[person_id]["strength"] == 0
        assert "one-way contact only, so strength 0" in scored[person_id]["explanation"]
    assert scored[5]["strength"] == 0 and scored[5]["tier"] == "none"  # no interaction, nothing to rate


def test_a_linkedin_connection_made_after_the_build_time_is_not_one_yet(network):
    network.person(1, "Connected long ago", "long@example.com", sources=("linkedin", "mbox"))
    network.person(2, "Connected next month", "next@example.com", sources=("linkedin", "mbox"))
    network.con.execute("update people set linkedin_connected_at = ? where person_id = 2", [AS_OF + timedelta(days=30)])
    for person_id in (1, 2):
        network.message(30, False, {person_id: "from"})  # they wrote; no answer yet
    scored = network.score(WITHOUT_BONUS)
    assert scored[1]["linkedin_connection"] and scored[1]["strength"] > 0
    assert not scored[2]["linkedin_connection"] and scored[2]["strength"] == 0  # a stranger's one-way mail then


def test_replies_count_their_answers_in_threads_the_owner_wrote_in(network):
    network.person(1, "Ann Lee", "ann@example.com")
    network.person(2, "Bo Ng", "bo@example.com")
    network.message(10, True, {1: "to"}, thread="t1")
    network.message(9, False, {1: "from"}, thread="t1")  # an answer to the owner
    network.message(5, False, {1: "from"}, thread="t2")  # a new thread of theirs
    network.message(8, False, {2: "from"}, thread="t3")  # they began the thread
    network.message(7, True, {2: "to"}, thread="t3")
    network.message(6, False, {2: "from"}, thread="t3")  # an answer to the owner's answer
    network.message(11, True, {1: "to", 2: "to"}, thread="t4")
    reply_all = network.message(3, False, {2: "from", 1: "to"}, thread="t4")  # the owner in Cc of a reply-all
    network.con.execute("update interactions set direction = 'cc' where interaction_id = ?", [reply_all])
    scored = network.score()
    assert {p: scored[p]["replies_to_owner"] for p in (1, 2)} == {1: 1, 2: 2}
    assert {p: scored[p]["messages_received"] for p in (1, 2)} == {1: 2, 2: 3}


def test_decayed_days_of_contact_halve_every_half_life(network):
    network.person(1, "Today", "today@example.com")
    network.person(2, "Half a year ago", "then@example.com")
    network.message(0, False, {1: "from"})
    network.message(179.5, False, {2: "from"})
    network.message(179.49, False, {2: "from"})  # the same (UTC) day: one day of contact
    scored = network.score()
    assert scored[1]["decayed_days_of_contact"] == pytest.approx(1.0)
    assert scored[2]["decayed_days_of_contact"] == pytest.approx(2 ** (-179.5 / 180), abs=1e-4)  # about a half
    faster = network.score(replace(PARAMETERS, half_life_days=90))
    assert faster[2]["decayed_days_of_contact"] == pytest.approx(2 ** (-179.5 / 90), abs=1e-4)
    assert faster[2]["weighted_weekly_rate"] == scored[2]["weighted_weekly_rate"]  # the score does not read it


def test_a_forty_person_thread_weighs_less_per_person_than_a_one_to_one(network):
    for person_id in range(1, 41):
        network.person(person_id, f"P{person_id}", f"p{person_id}@example.com")
    one_to_one = network.message(0, False, {1: "from"})
    thread = network.message(0, False, {1: "from"} | {p: "to" for p in range(2, 41)})
    network.score()
    assert network.weights(one_to_one) == {1: pytest.approx(1.0)}
    weights = network.weights(thread)
    # 41 participants with the owner: (k - 1)^-8, and 0.5 for everyone, the sender too, since a group
    # message is addressed to the group and says nothing of effort toward one member
    assert PARAMETERS.group_size_exponent == 8
    assert weights == {p: pytest.approx(0.5 * 40 ** -8, rel=1e-6, abs=0) for p in range(1, 41)}
    assert max(weights.values()) < network.weights(one_to_one)[1]


def test_a_three_person_thread_is_a_whisper_beside_one_day_of_one_to_one_contact(network):
    network.person(1, "Ann Lee", "ann@example.com")
    network.person(2, "Bo Ng", "bo@example.com")
    network.person(3, "Cy Park", "cy@example.com")
    network.message(400, False, {1: "from"})
    network.message(399.99, True, {1: "to"})  # the same day: one day of contact, both ways
    for week in range(52):  # a weekly three-person thread for a year, both ways
        network.message(7 * week + 1, week % 2 == 0, {2: "from" if week % 2 else "to", 3: "to"})
    scored = network.score()
    assert len(network.history(1)[0]) == 1
    assert 0 < scored[2]["weighted_weekly_rate"] < scored[1]["weighted_weekly_rate"]
    louder = network.score(replace(PARAMETERS, group_size_exponent=4))  # the default before session 5
    assert louder[2]["weighted_weekly_rate"] > louder[1]["weighted_weekly_rate"]


def test_a_declined_meeting_counts_nothing(network):
    network.person(1, "Ann Lee", "ann@example.com")
    conversation(network, 1, 3, 30)
    before = network.score()[1]
    meeting = network.meeting(2, True, {1: "declined"}, minutes=120)
    after = network.score()[1]
    assert network.weights(meeting) == {}
    assert after["strength"] == before["strength"]
    assert after["meetings"] == 0


def test_a_meeting_weighs_channel_direction_and_length(network):
    network.person(1, "Ann Lee", "ann@example.com")
    network.person(2, "Bo Ng", "bo@example.com")
    organized = network.meeting(0, True, {1: "accepted"}, minutes=60)
    long_invite = network.meeting(0, False, {2: "accepted"}, minutes=240)
    scored = network.score()
    # by default a one-to-one interaction is one interaction, whatever its channel, direction or length;
    # Bo is only a guest of a meeting the owner did not organise: 0.5
    assert network.weights(organized) == {1: pytest.approx(1.0)}
    assert network.weights(long_invite) == {2: pytest.approx(0.5)}
    # a two-person meeting is two-way contact on its own; one interaction today, and a history that starts
    # today: the prior's (1 + prior_interactions) / prior_weeks, with no month for a change
    rate = (1 + PARAMETERS.prior_interactions) / (PARAMETERS.prior_interactions / PARAMETERS.prior_weekly_rate)
    assert scored[1]["weighted_weekly_rate"] == pytest.approx(rate * scored[1]["context_bonus"])
    network.score(replace(PARAMETERS, meeting_weight=1.5, outbound_weight=2.0, meeting_length_exponent=1.0))
    assert network.weights(organized) == {1: pytest.approx(1.5 * 2.0)}  # meeting weight * outbound * one hour
    assert network.weights(long_invite) == {2: pytest.approx(1.5 * 0.5 * 2.0)}  # capped at two hours


def test_a_group_meeting_the_owner_organised_is_not_effort_toward_each_guest(network):
    network.person(1, "Ann Lee", "ann@example.com")
    network.person(2, "Bo Ng", "bo@example.com")
    meeting = network.meeting(0, True, {1: "accepted", 2: "accepted"}, minutes=60)
    network.score()
    three = pytest.approx(0.5 / 2 ** PARAMETERS.group_size_exponent)  # k = 3: (k - 1)^-exponent, 0.5 each
    assert network.weights(meeting) == {1: three, 2: three}


def test_a_meeting_planned_for_three_stays_a_group_meeting_when_one_declines(network):
    network.person(1, "Ann Lee", "ann@example.com")
    network.person(2, "Bo Ng", "bo@example.com")
    meeting = network.meeting(0, True, {1: "accepted", 2: "declined"}, minutes=60)
    scored = network.score()
    assert network.weights(meeting) == {1: pytest.approx(0.5 / 2 ** PARAMETERS.group_size_exponent)}
    assert scored[1]["small_meetings"] == 1 and scored[1]["strength"] > 0  # still a small meeting, two-way


def test_the_rate_is_the_posterior_mean_of_a_single_change_point_model(network):
    network.person(1, "Steady", "steady@example.com")
    network.person(2, "Gone quiet", "quiet@example.com")
    network.person(3, "New", "new@example.com")
    conversation(network, 1, 80, 14)  # a message each way every two weeks for three years
    conversation(network, 2, 100, 4, start_days_ago=240)  # twice a week for a year, quiet for eight months
    conversation(network, 3, 12, 7)  # weekly, for the last three months only
    scored = network.score(WITHOUT_BONUS)
    for person_id in (1, 2, 3):
        times, origin = network.history(person_id)
        assert scored[person_id]["weighted_weekly_rate"] == pytest.approx(change_point_rate(times, origin))
        ninety_days_ago = AS_OF - timedelta(days=90)
        before = change_point_rate(times, origin, at=ninety_days_ago) if times[0] <= ninety_days_ago else 0
        assert scored[person_id]["strength_90_days_ago"] == round(100 * before / (before + PARAMETERS.scale), 2)
        last = change_point_rate(times, origin, at=times[-1])
        assert scored[person_id]["strength_at_last_contact"] == round(100 * last / (last + PARAMETERS.scale), 2)
    rate = {person_id: scored[person_id]["weighted_weekly_rate"] for person_id in (1, 2, 3)}
    weeks = (AS_OF - network.history(1)[1]).days / 7
    # a steady tie keeps its long-run pace (1 a week); the others follow their change, not their average
    # over the three years: the tie that began and then went quiet is near 0, the new one far above 24 / weeks
    assert rate[1] == pytest.approx(1.0, rel=0.05)
    assert rate[2] < 0.1 < 200 / weeks
    assert rate[3] > 5 * 24 / weeks


def test_one_recent_exchange_does_not_outrank_a_steady_faint_tie(network):
    network.person(1, "Faint but steady", "faint@example.com")
    network.person(2, "Once, last week", "once@example.com")
    conversation(network, 1, 8, 182, start_days_ago=30)  # a message each way every six months for four years
    conversation(network, 2, 1, 1, start_days_ago=7)
    scored = network.score(WITHOUT_BONUS)
    assert scored[1]["weighted_weekly_rate"] > scored[2]["weighted_weekly_rate"] > 0


def burst(network: Network, person_id: int, messages: int, days_ago: float) -> None:
    """An afternoon's back-and-forth: `messages` one-to-one messages, alternating, ten minutes apart."""
    for n in range(messages):
        network.message(days_ago - n / 144, n % 2 == 0, {person_id: "to" if n % 2 == 0 else "from"})


def test_a_burst_of_messages_on_one_day_is_one_day_of_contact(network):
    network.person(1, "Faint but steady", "faint@example.com")
    network.person(2, "Twelve messages one afternoon", "burst@example.com")
    network.person(3, "Two messages one afternoon", "pair@example.com")
    conversation(network, 1, 12, 91, start_days_ago=30)  # an exchange every three months for three years
    burst(network, 2, 12, days_ago=7.5)
    burst(network, 3, 2, days_ago=7.5)
    scored = network.score(WITHOUT_BONUS)
    assert scored[2]["weighted_weekly_rate"] == pytest.approx(scored[3]["weighted_weekly_rate"])
    assert scored[1]["weighted_weekly_rate"] > scored[2]["weighted_weekly_rate"] > 0
    assert (scored[2]["messages_sent"], scored[2]["messages_received"]) == (6, 6)  # the explanation counts messages
    assert scored[2]["trend"] == "stable"  # one day of contact in the quarter is no warming
    each_message = network.score(replace(WITHOUT_BONUS, interactions_per_day=100))
    assert each_message[2]["weighted_weekly_rate"] > 2 * each_message[3]["weighted_weekly_rate"]
    assert each_message[2]["weighted_weekly_rate"] > each_message[1]["weighted_weekly_rate"]


def test_days_of_contact_are_the_owner_s_calendar_days(network):
    network.person(1, "Ann Lee", "ann@example.com")
    network.message(10.05, False, {1: "from"})  # 22:48 UTC, 18:48 in New York
    network.message(9.95, True, {1: "to"})  # 01:12 UTC the next day, 21:12 the same evening in New York
    in_utc = network.score()[1]
    assert len(network.history(1)[0]) == 2
    in_new_york = network.score(replace(PARAMETERS, owner_timezone="America/New_York"))[1]
    assert len(network.history(1)[0]) == 1
    assert in_new_york["weighted_weekly_rate"] < in_utc["weighted_weekly_rate"]
    assert in_new_york["messages_sent"] == in_utc["messages_sent"] == 1  # the explanation still counts messages


def test_days_since_the_last_contact_count_the_owner_s_midnights(network):
    network.person(1, "Ann Lee", "ann@example.com")
    conversation(network, 1, 4, 30, start_days_ago=120)
    network.message(1 / 24, False, {1: "from"})  # 23:00 UTC the evening before the build, 19:00 in New York
    assert network.score()[1]["days_since_last_interaction"] == 1
    in_new_york = network.score(replace(PARAMETERS, owner_timezone="America/New_York"))[1]
    assert in_new_york["days_since_last_interaction"] == 0  # the build, at 20:00 there, is the same evening
    assert "last contact today" in in_new_york["explanation"]


def test_a_day_of_contact_begins_at_its_first_interaction_and_weighs_its_strongest(network):
    network.person(1, "Ann Lee", "ann@example.com")
    network.person(2, "Bo Ng", "bo@example.com")
    network.person(3, "Cy Li", "cy@example.com")
    network.message(10.6, False, {1: "from", 2: "to", 3: "to"})  # a group message in the afternoon
    network.message(10.4, False, {1: "from"})  # and a one-to-one in the evening (the same UTC day)
    network.score()
    evidence = network.con.execute("select occurred_at, weight from relationship_evidence where person_id = 1")
    assert evidence.fetchall() == [(AS_OF - timedelta(days=10.6), 1.0)]


def test_a_burst_long_ago_is_no_dormant_tie(network):
    network.person(1, "Steady", "steady@example.com")
    network.person(2, "One busy afternoon", "burst@example.com")
    conversation(network, 1, 150, 7)  # weekly for three years: the history's reach
    burst(network, 2, 20, days_ago=300)
    scored = network.score()
    assert not scored[2]["dormant"]
    assert scored[2]["strength_at_last_contact"] < PARAMETERS.dormant_min_strength


def test_without_a_change_the_rate_is_the_count_over_the_history_with_the_prior(network):
    network.person(1, "Ann Lee", "ann@example.com")
    network.person(2, "Bo Ng", "bo@example.com")
    conversation(network, 1, 30, 20)
    network.message(700, True, {2: "to"})
    network.message(100, False, {2: "from"})
    scored = network.score(STEADY_ONLY)
    weeks = 700 / 7
    prior_weeks = PARAMETERS.prior_interactions / PARAMETERS.prior_weekly_rate
    for person_id, count in ((1, 60), (2, 2)):
        assert scored[person_id]["weighted_weekly_rate"] == pytest.approx(
            (count + PARAMETERS.prior_interactions) / (weeks + prior_weeks))


def test_strong_ties_gone_quiet_are_dormant_and_weak_ones_are_not(network):
    network.person(1, "Close Friend", "close@example.com")
    network.person(2, "Faint Contact", "faint@example.com")
    network.person(3, "Current Friend", "now@example.com")
    conversation(network, 1, 60, 4, start_days_ago=250)  # twice a week for eight months, then silence
    conversation(network, 2, 2, 200, start_days_ago=250)
    conversation(network, 3, 60, 4, start_days_ago=2)
    scored = network.score()
    assert scored[1]["dormant"] and scored[1]["days_since_last_interaction"] == 250
    assert not scored[2]["dormant"]
    assert not scored[3]["dormant"]
    # the score is the pace now: eight months of silence after twice a week is a change, so the close
    # friend's strength has fallen below a faint steady contact's; what they were is kept beside it
    assert scored[3]["strength"] > scored[2]["strength"] > scored[1]["strength"] > 0
    assert scored[1]["strength_at_last_contact"] > scored[2]["strength_at_last_contact"]


def test_a_connection_who_wrote_often_and_was_never_answered_is_no_dormant_tie(network):
    """A recruiter among the owner's LinkedIn connections wrote twice a month, then stopped: the gate counts the
    tie (the owner keeps them), but there was never a conversation to lose."""
    network.person(1, "Recruiter", "recruiter@example.com", sources=("mbox", "linkedin"))
    network.person(2, "Close Friend", "close@example.com", sources=("mbox", "linkedin"))
    for n in range(16):
        network.message(250 + 15 * n, False, {1: "from"})
    conversation(network, 2, 60, 4, start_days_ago=250)
    scored = network.score()
    assert scored[1]["strength_at_last_contact"] > 0 and not scored[1]["dormant"]
    assert scored[2]["dormant"]


@pytest.mark.parametrize("click", ["linkedin_invitation", "linkedin_endorsement"])
def test_a_click_on_linkedin_does_not_break_a_dormant_silence(network, click):
    network.person(1, "Close Friend", "close@example.com")
    network.person(2, "Former Colleague", "former@example.com")
    conversation(network, 1, 60, 4, start_days_ago=250)
    conversation(network, 2, 60, 4, start_days_ago=250)
    network.message(19, False, {2: "from"}, channel=click)  # after eight months of silence
    scored = network.score(WITHOUT_BONUS)  # a second channel would lift the bonus
    assert scored[2]["days_since_last_interaction"] == 19
    assert scored[2]["days_since_last_conversation"] == scored[1]["days_since_last_conversation"] == 250
    assert scored[2]["dormant"]
    assert scored[2]["strength_at_last_contact"] == scored[1]["strength_at_last_contact"]
    assert "last contact 19 days ago; last conversation 250 days ago" in scored[2]["explanation"]
    assert "last conversation" not in scored[1]["explanation"]


@pytest.mark.parametrize("channel", ["linkedin_message", "linkedin_recommendation"])
def test_a_message_or_recommendation_on_linkedin_breaks_it(network, channel):
    network.person(1, "Former Colleague", "former@example.com")
    conversation(network, 1, 60, 4, start_days_ago=250)
    network.message(19, False, {1: "from"}, channel=channel)
    scored = network.score()
    assert scored[1]["days_since_last_conversation"] == 19 and not scored[1]["dormant"]


def test_a_day_with_a_click_and_a_message_is_a_day_of_conversation(network):
    network.person(1, "Former Colleague", "former@example.com")
    conversation(network, 1, 60, 4, start_days_ago=250)
    network.message(18.9, False, {1: "from"}, channel="linkedin_invitation")  # the click first, then mail
    network.message(18.8, False, {1: "from"})
    scored = network.score()
    assert scored[1]["days_since_last_conversation"] == 19 and not scored[1]["dormant"]


def test_a_tie_of_clicks_alone_has_no_conversation_but_a_history(network):
    network.person(1, "Endorser", "endorser@example.com", sources=("linkedin",))  # a LinkedIn connection
    network.person(2, "Friend", "friend@example.com")
    conversation(network, 2, 60, 4, start_days_ago=250)
    for days_ago in (400, 200, 20):
        network.message(days_ago, False, {1: "from"}, channel="linkedin_endorsement")
    scored = network.score()
    endorser = scored[1]
    assert endorser["strength"] > 0 and pd.isna(endorser["last_conversation_at"]) and not endorser["dormant"]
    assert (endorser["messages_sent"], endorser["messages_received"]) == (0, 0)
    assert endorser["explanation"].startswith("3 LinkedIn invitations or endorsements; last contact 20 days ago; "
                                              "no conversation yet")
    history = network.con.execute(
        "select max(month), arg_max(strength, month) from relationship_history where person_id = 1").fetchone()
    assert history == (AS_OF.date().replace(day=1), endorser["strength"])


def test_tiers_follow_rank_and_the_context_reads_the_channels(network):
    network.person(1, "Ann Lee", "ann@gmail.com", sources=("vcard", "mbox"), categories=("Run club",))
    network.person(2, "Bo Ng", "bo@acme.example", sources=("linkedin", "mbox"))
    for person_id in range(3, 10):
        network.person(person_id, f"P{person_id}", f"p{person_id}@example.com")
        conversation(network, person_id, 1, 1, start_days_ago=30 + person_id)
    conversation(network, 1, 20, 10)
    network.meeting(14, False, {1: "accepted"}, labels=("Personal",))
    conversation(network, 2, 10, 10)
    scored = network.score()
    assert [scored[p]["strength_rank"] for p in (1, 2)] == [1, 2]
    assert scored[1]["tier"] == "support clique (5)"
    assert {scored[p]["tier"] for p in range(3, 10)} >= {"support clique (5)", "sympathy group (15)"}
    assert scored[1]["context"] == "personal"
    assert scored[2]["context"] == "work"
    assert scored[1]["explanation"].startswith("40 messages (20 sent, 20 received); 1 meeting (1 of 2-3 people)")
    assert "in address book (Run club)" in scored[1]["explanation"]
    assert "LinkedIn connection" in scored[2]["explanation"]


def test_changing_the_settings_rescores_the_same_tables(network):
    network.person(1, "Ann Lee", "ann@example.com")
    conversation(network, 1, 5, 60)
    network.message(400, True, {1: "to"})
    usual = network.score(STEADY_ONLY)[1]
    faint_prior = network.score(replace(STEADY_ONLY, prior_weekly_rate=0.01, prior_interactions=2))[1]
    assert faint_prior["strength"] != usual["strength"]
    assert faint_prior["weighted_weekly_rate"] == pytest.approx((11 + 2) / (400 / 7 + 2 / 0.01))


def test_a_later_build_reuses_complete_months_and_scores_as_a_fresh_one(network):
    for person_id, name in enumerate(("Ann Lee", "Bo Kim"), 1):
        network.person(person_id, name, f"{name.split()[0].lower()}@example.com")
    conversation(network, 1, 60, 7, start_days_ago=30)
    conversation(network, 2, 20, 30)
    network.score()  # keeps the months before AS_OF's for the next build
    two_months_later = replace(PARAMETERS, as_of=PARAMETERS.as_of + timedelta(days=61))
    network.message(100, True, {2: "to"})  # and Bo's past changes: his months are computed again
    history = "select person_id, month, strength from relationship_history order by all"
    reused, reused_history = network.score(two_months_later), network.con.execute(history).fetchall()
    cached = network.con.execute("select distinct person_id from relationship_rates_cache order by 1").fetchall()
    network.con.execute("drop table relationship_rates_cache")
    fresh, fresh_history = network.score(two_months_later), network.con.execute(history).fetchall()
    assert cached == [(1,), (2,)]
    assert reused_history == fresh_history
    for person_id in (1, 2):
        assert reused[person_id]["weighted_weekly_rate"] == pytest.approx(fresh[person_id]["weighted_weekly_rate"])
        assert {k: v for k, v in reused[person_id].items() if k != "weighted_weekly_rate"} == {
            k: v for k, v in fresh[person_id].items() if k != "weighted_weekly_rate"
        }


def test_trend_compares_the_last_ninety_days_with_the_rate_ninety_days_ago(network):
    for person_id, name in enumerate(("Steady", "Gone quiet", "New", "Faint"), 1):
        network.person(person_id, name, f"{name.split()[0].lower()}@example.com")
    conversation(network, 1, 100, 7)  # weekly for two years, still going
    conversation(network, 2, 100, 7, start_days_ago=120)  # weekly for two years, quiet for four months
    conversation(network, 3, 12, 7)  # weekly, for three months only
    conversation(network, 4, 3, 200, start_days_ago=100)  # a faint tie, quiet lately as usual
    scored = network.score()
    assert [scored[p]["trend"] for p in (1, 2, 3, 4)] == ["stable", "cooling", "warming", "stable"]
    assert scored[2]["recent_weekly_rate"] == 0


@pytest.mark.parametrize("calendar", ["Personal", "Privat", "Familie", "Amis", "Family calendar"])
def test_a_shared_personal_event_is_named_when_titles_are_stored(network, calendar):
    network.person(1, "Ann Lee", "ann@gmail.com")
    for week in range(4):
        meeting = network.meeting(week * 7, False, {1: "accepted", 2: "accepted"}, labels=(calendar,))
        network.con.execute("update interactions set title = 'Run club' where interaction_id = ?", [meeting])
    network.person(2, "Bo Ng", "bo@gmail.com")
    scored = network.score()
    assert scored[1]["shared_activity"] == "Run club"
    assert 'shared "Run club"' in scored[1]["explanation"]
    assert scored[1]["context"] == "personal"


@pytest.mark.parametrize("label", ["Category Personal", "CATEGORY_PERSONAL", "Personalabteilung", "Privatkunden"])
def test_inbox_tabs_and_words_that_contain_personal_are_no_personal_label(network, label):
    network.person(1, "Ann Lee", "ann@acme.example")
    for week in range(4):
        network.message(week * 7, True, {1: "to"}, labels=(label,))
        network.message(week * 7 + 1, False, {1: "from"}, labels=(label,))
    scored = network.score()
    assert scored[1]["context"] == "work"  # a personal label would make it "both"


def test_every_scoring_setting_is_a_build_parameter_with_the_same_default():
    scoring = asdict(ScoringWeights())
    assert {name: getattr(PARAMETERS, name) for name in scoring} == scoring


def test_the_history_s_months_are_the_owner_s(network):
    network.person(1, "Ann Lee", "ann@example.com")
    network.message(60.875, True, {1: "to"})  # 2026-09-01 03:00 UTC: the evening of 31 August in California
    network.message(50, False, {1: "from"})
    history = "select month from relationship_history where person_id = 1 order by month"
    network.con.execute("set TimeZone = 'Asia/Tokyo'")  # the session's own zone: the owner's months win
    network.score()
    in_utc = network.con.execute(history).fetchall()
    network.score(replace(PARAMETERS, owner_timezone="America/Los_Angeles"))  # the months cached in UTC are not
    in_california = network.con.execute(history).fetchall()
    # the build, at midnight UTC on 1 November, falls on 31 October in California
    assert [month.isoformat() for (month,) in in_utc] == ["2026-09-01", "2026-10-01", "2026-11-01"]
    assert [month.isoformat() for (month,) in in_california] == ["2026-08-01", "2026-09-01", "2026-10-01"]
    assert network.con.execute("select current_setting('TimeZone')").fetchone() == ("Asia/Tokyo",)


@pytest.mark.parametrize(("others", "dormant"), [(6, True), (1, False)])
def test_a_thread_of_many_does_not_break_a_dormant_silence_but_one_of_three_does(network, others, dormant):
    network.person(1, "Close Friend", "close@example.com")
    for number in range(others):
        network.person(10 + number, f"Friend {number}", f"friend{number}@example.com")
    conversation(network, 1, 60, 4, start_days_ago=250)
    network.message(19, False, {1: "from", **{10 + number: "to" for number in range(others)}})
    scored = network.score()
    assert scored[1]["days_since_last_interaction"] == 19
    assert scored[1]["dormant"] == dormant
