-- Relationship strength: each tie's current weekly interaction rate, estimated from its whole history with
-- a Bayesian change-point model over monthly counts (the rate is steady, or it changed at the start of some
-- month), gated on two-way contact (or on one-way contact with someone in the address book or LinkedIn
-- connections) and mapped to [0, 100]. Reads only tables built before it (interactions, interaction_participants,
-- people, identifiers, build_settings), so new [scoring] settings re-score without re-parsing. See docs/scoring.md.

-- "1 message", "2 messages"
create or replace macro counted(n, noun) as format('{} {}{}', n, noun, case when n = 1 then '' else 's' end);

-- The weight left to something that happened at `occurred_at`, halved every `half_life_days` up to `as_of`.
create or replace macro half_life_decay(occurred_at, as_of, half_life_days) as
    pow(2, -greatest(date_diff('second', occurred_at, as_of), 0) / 86400.0 / half_life_days);

-- The map from a weekly rate to [0, 100]: 50 at `scale`, approaching 100 without reaching it.
create or replace macro strength_of(rate, scale) as round(100 * rate / (rate + scale), 2);

-- Calendar days from `earlier` to `later` where the owner lives: the midnights of their time zone in between.
create or replace macro owner_days_between(earlier, later, zone) as
    date_diff('day', timezone(zone, earlier)::date, timezone(zone, later)::date);

-- The settings every scoring query needs. per_week_long turns a sum decayed with long_half_life_days into a
-- weekly rate (connections_between_contacts); prior_weeks is the exposure the Gamma prior of a rate is worth.
create or replace macro scoring_settings() as table
    select
        *,
        ln(2) / long_half_life_days * 7 as per_week_long,
        prior_interactions / prior_weekly_rate as prior_weeks
    from build_settings;

-- A steady Poisson rate with a Gamma(prior_interactions, prior_weeks) prior, seen for `weeks` with `mass`
-- interactions: the log marginal likelihood (how well "one steady rate" explains the count) and the
-- posterior mean rate.
create or replace macro log_evidence(mass, weeks, shape, prior_weeks) as
    shape * ln(prior_weeks) - lgamma(shape) + lgamma(mass + shape) - (mass + shape) * ln(weeks + prior_weeks);

create or replace macro posterior_rate(mass, weeks, shape, prior_weeks) as (mass + shape) / (weeks + prior_weeks);

-- One row per (person, interaction) that counts, with its weight:
-- weight = channel weight * direction weight * (group size - 1)^-group_size_exponent * meeting-length factor.
create or replace table relationship_events as
with settings as (select * from build_settings),

-- the size of the group an interaction was addressed to: who took part, and who was invited and declined
declined as (
    select interaction_id, count(distinct person_id) as declined
    from interaction_participants
    where response = 'declined'
    group by all
),

touches as (
    select
        p.person_id,
        i.interaction_id,
        i.channel,
        i.occurred_at,
        i.direction,
        i.participant_count,
        i.participant_count + coalesce(d.declined, 0) as group_size,
        i.duration_minutes,
        i.title,
        -- a LinkedIn invitation or endorsement is a click, not a conversation: it weighs little and does not
        -- break a silence (a dormant tie that endorses a skill is still one to write to)
        coalesce(i.channel not in ('email', 'meeting', 'linkedin_message', 'linkedin_recommendation'), true) as click,
        -- a work or a personal label or calendar ("Family calendar"), in the languages of the mail clients' own
        -- folder names; whole words ("Personalabteilung" is HR), and not Gmail's inbox tabs ("Category Personal",
        -- CATEGORY_PERSONAL: most mail from people, work mail too)
        coalesce(list_bool_or([regexp_matches(label, '(?i)^(work|arbeit|büro|travail|trabajo|lavoro|werk|trabalho)$')
            for label in i.labels]), false) as on_work_label,
        coalesce(list_bool_or([regexp_matches(label, '(?i)\b(personal|persönlich|private?|privé|privado|privato|home'
            || '|family|familie|famille|familia|famiglia|friends|freunde|amis|amigos|amici|vrienden)\b')
            and not regexp_matches(label, '(?i)^category[ _]') for label in i.labels]), false) as on_personal_label,
        bool_or(p.role in ('from', 'organizer')) as they_initiated
    from interaction_participants as p
    join interactions as i using (interaction_id)
    left join declined as d using (interaction_id)
    where i.status = 'happened'
      and i.automated_reason is null
      and coalesce(p.response, '') <> 'declined'
      -- an assistant who sends mail on behalf of the From is not in touch with its readers
      and p.role <> 'sender'
    group by all
)

select
    t.*,
    -- a conversation: a message or a meeting of at most three people (participant_count counts people, not their
    -- addresses), the owner among them; a thread of seven friends does not end the silence of a tie that was
    -- strong one to one
    not t.click and t.participant_count <= 3 as conversation,
    case
        when t.direction in ('sent', 'organized') then 'outbound'
        when t.they_initiated then 'inbound'
        else 'alongside'
    end as flow,
    case
        when t.click then s.linkedin_weight * 0.3
        when t.channel = 'meeting' then s.meeting_weight
        when t.channel = 'email' then s.email_weight
        else s.linkedin_weight
    end
    * case
        -- direction is effort toward this person: a group message or meeting is addressed to the group
        when t.group_size > 2 then 0.5
        when t.direction in ('sent', 'organized') then s.outbound_weight
        when t.they_initiated then 1.0
        else 0.5  -- both were addressed by someone else
    end
    -- a meeting planned for three is a group meeting even if one guest declines
    * pow(greatest(t.group_size - 1, 1), -s.group_size_exponent)
    -- hours together, up to two, to the power meeting_length_exponent (0: a meeting is one interaction)
    * case
        when t.channel = 'meeting'
            then pow(least(coalesce(t.duration_minutes, 30), 120) / 60.0, s.meeting_length_exponent)
        else 1.0
    end
    as weight
from touches as t, settings as s;

-- The evidence of a tie's pace: its days of contact (calendar days in the owner's time zone, [owner] timezone),
-- each at the time of the day's first interaction and weighing its `interactions_per_day` strongest interactions
-- (default 1), so a burst (ten messages settling one thing in an afternoon) is one piece of evidence, not ten. Mail
-- comes in bursts, and the rate model below counts pieces of evidence as the events of a Poisson process: counted
-- message by message, one busy afternoon would read as a new close tie, and its silence after as a dormant one.
create or replace table relationship_evidence as
with local_days as (
    select e.person_id, e.occurred_at, e.weight, e.conversation, timezone(s.owner_timezone, e.occurred_at)::date as day
    from relationship_events as e, build_settings as s
),

days as (
    select
        person_id,
        day,
        min(occurred_at) over same_day as began_at,
        bool_or(conversation) over same_day as conversation,
        weight,
        row_number() over (same_day order by weight desc, occurred_at) as strength_order
    from local_days
    window same_day as (partition by person_id, day)
)
select d.person_id, any_value(d.began_at) as occurred_at, sum(d.weight) as weight,
    any_value(d.conversation) as conversation
from days as d, build_settings as s
where d.strength_order <= s.interactions_per_day
group by d.person_id, d.day;

-- Each tie's weekly rate at the points the score needs: every month end since its first interaction (the
-- current month ends at the build time), 90 days ago, and its last conversation. The history starts at the
-- first interaction of anyone (the reach of the owner's data). At each point, the rate is the posterior mean
-- of a change-point model given the interactions up to then: one steady rate over the whole history (prior
-- 1 - change_probability); or a change at the start of one of the months (change_probability, spread evenly),
-- after which the current rate is the rate since the change; or, for a tie that began after the origin, its
-- beginning and one later change. Each segment's rate has a Gamma prior; the evidence weighs the hypotheses.
-- Masses before each month start are running sums of monthly masses, so the cost grows with people x months^2
-- only in the cheap arithmetic of the hypotheses, never in joins with the interactions.
-- Month ends before the current month depend only on a tie's interactions, the origin and the model's
-- settings, not on the build time: a later build reuses them while that fingerprint holds, so a daily
-- build computes each tie's current month only.
create table if not exists relationship_rates_cache
    (person_id bigint, fingerprint ubigint, month date, evaluated_at timestamptz, rate double);

create or replace table relationship_fingerprints as
select
    e.person_id,
    hash(
        'change-point model 2',  -- the rate model's version: a new one recomputes every month
        list((e.occurred_at, e.weight) order by e.occurred_at, e.weight),
        any_value(o.t0), any_value(x.prior_interactions), any_value(x.prior_weekly_rate),
        any_value(x.change_probability), any_value(x.owner_timezone)  -- whose months
    ) as fingerprint
from relationship_evidence as e,
    (select min(occurred_at) as t0 from relationship_evidence) as o,
    build_settings as x
group by e.person_id;

create or replace table relationship_rates as
with settings as (from scoring_settings()),

origin as (
    select min(occurred_at) as t0, date_trunc('month', min(occurred_at)) as first_month
    from relationship_evidence
),

seen as (
    select
        e.person_id,
        min(e.occurred_at) as first_at,
        max(e.occurred_at) filter (where e.conversation) as last_conversation_at,
        sum(e.weight) as mass,
        -- the month the tie began, counted in month starts after the origin's month (0: it began with the data)
        date_diff('month', any_value(o.first_month), date_trunc('month', min(e.occurred_at))) as began_at_change
    from relationship_evidence as e, origin as o
    group by e.person_id
),

-- the start of every month after the origin: where a change can happen, with each tie's mass before it
months as (
    select s.person_id, m.changed_at
    from seen as s, origin as o, settings as x,
        unnest(generate_series(o.first_month + interval 1 month, x.as_of, interval 1 month)) as m(changed_at)
),

monthly as (
    select person_id, date_trunc('month', occurred_at) + interval 1 month as changed_at, sum(weight) as mass
    from relationship_evidence
    group by all
),

change_points as (
    select
        m.person_id,
        m.changed_at,
        date_diff('second', o.t0, m.changed_at) / 604800.0 as weeks_before,
        sum(coalesce(n.mass, 0)) over (partition by m.person_id order by m.changed_at) as mass_before
    from months as m
    left join monthly as n using (person_id, changed_at), origin as o
),

-- complete months kept from an earlier build, for ties whose fingerprint still holds
reused as (
    select c.*
    from relationship_rates_cache as c
    join relationship_fingerprints as f using (person_id, fingerprint), settings as x
    where c.month < date_trunc('month', x.as_of)
),

reused_through as (select person_id, max(month) as through_month from reused group by all),

-- month ends: the mass before the next month starts, or everything for the current month
month_ends as (
    select s.person_id, 'month end' as point, m.month::date as month,
        least(m.month + interval 1 month, x.as_of) as evaluated_at,
        coalesce(c.mass_before, s.mass) as mass
    from seen as s, settings as x,
        unnest(generate_series(date_trunc('month', s.first_at), date_trunc('month', x.as_of), interval 1 month))
            as m(month)
    left join change_points as c
        on c.person_id = s.person_id and c.changed_at = m.month + interval 1 month and c.changed_at < x.as_of
    left join reused_through as r on r.person_id = s.person_id
    where r.through_month is null or m.month > r.through_month
),

other_points as (
    select s.person_id, '90 days ago' as point, null::date as month, x.as_of - interval 90 day as evaluated_at
    from seen as s, settings as x
    where s.first_at <= x.as_of - interval 90 day
    union all
    select person_id, 'last conversation', null, last_conversation_at
    from seen
    where last_conversation_at is not null
),

other_masses as (
    select v.person_id, v.point, v.month, v.evaluated_at, sum(e.weight) as mass
    from other_points as v
    join relationship_evidence as e on e.person_id = v.person_id and e.occurred_at <= v.evaluated_at
    group by all
),

evaluated as (
    select
        row_number() over () as evaluation,
        v.*,
        date_diff('second', o.t0, v.evaluated_at) / 604800.0 as weeks,
        -- how many change points lie before it: month starts after the origin's month, before evaluated_at
        date_diff('month', o.first_month, v.evaluated_at)
            - (date_trunc('month', v.evaluated_at) = v.evaluated_at)::int as changes_before
    from (from month_ends union all by name from other_masses) as v, origin as o
),

steady as (
    select
        v.evaluation,
        ln(1 - x.change_probability) + log_evidence(v.mass, v.weeks, x.prior_interactions, x.prior_weeks)
            as log_weight,
        posterior_rate(v.mass, v.weeks, x.prior_interactions, x.prior_weeks) as rate
    from evaluated as v, settings as x
    where x.change_probability < 1
),

changed as (
    select
        v.evaluation,
        ln(x.change_probability) - ln(v.changes_before)
            + log_evidence(c.mass_before, c.weeks_before, x.prior_interactions, x.prior_weeks)
            + log_evidence(v.mass - c.mass_before, v.weeks - c.weeks_before, x.prior_interactions, x.prior_weeks)
            as log_weight,
        posterior_rate(v.mass - c.mass_before, v.weeks - c.weeks_before, x.prior_interactions, x.prior_weeks)
            as rate
    from evaluated as v
    join change_points as c on c.person_id = v.person_id and c.changed_at < v.evaluated_at, settings as x
    where x.change_probability > 0
),

-- a tie that began after the origin may have changed since: its beginning (the start of the month of its first
-- interaction) is one change, a later month start another, so two changes: prior change_probability squared
began_and_changed as (
    select
        v.evaluation,
        2 * ln(x.change_probability) - ln(v.changes_before - s.began_at_change)
            + log_evidence(0, b.weeks_before, x.prior_interactions, x.prior_weeks)
            + log_evidence(c.mass_before, c.weeks_before - b.weeks_before, x.prior_interactions, x.prior_weeks)
            + log_evidence(v.mass - c.mass_before, v.weeks - c.weeks_before, x.prior_interactions, x.prior_weeks)
            as log_weight,
        posterior_rate(v.mass - c.mass_before, v.weeks - c.weeks_before, x.prior_interactions, x.prior_weeks)
            as rate
    from evaluated as v
    join seen as s using (person_id)
    join change_points as b on b.person_id = v.person_id and b.changed_at = date_trunc('month', s.first_at)
    join change_points as c
        on c.person_id = v.person_id and c.changed_at > b.changed_at and c.changed_at < v.evaluated_at,
        settings as x
    where x.change_probability > 0
),

hypotheses as materialized (from steady union all from changed union all from began_and_changed),

best as (select evaluation, max(log_weight) as best from hypotheses group by evaluation),

-- the posterior mean over the hypotheses, weighted by prior times evidence
posterior as (
    select h.evaluation, sum(exp(h.log_weight - b.best) * h.rate) / sum(exp(h.log_weight - b.best)) as rate
    from hypotheses as h
    join best as b using (evaluation)
    group by h.evaluation
)

select v.person_id, v.point, v.month, v.evaluated_at, p.rate
from evaluated as v
join posterior as p using (evaluation)
union all
select person_id, 'month end', month, evaluated_at, rate
from reused;

create or replace table relationship_rates_cache as
select r.person_id, f.fingerprint, r.month, r.evaluated_at, r.rate
from relationship_rates as r
join relationship_fingerprints as f using (person_id), build_settings as x
where r.point = 'month end' and r.month < date_trunc('month', x.as_of);

create or replace table relationships as
with settings as (from scoring_settings()),

-- the pace of the last 90 days, in the rate model's evidence: what the trend compares with the rate 90 days ago;
-- and every day of contact, halved every half_life_days (a feature for users: the score does not read it)
paces as (
    select
        e.person_id,
        coalesce(sum(e.weight) filter (where e.occurred_at > s.as_of - interval 90 day), 0) / (90 / 7.0)
            as recent_rate,
        sum(e.weight * half_life_decay(e.occurred_at, s.as_of, s.half_life_days)) as decayed_days_of_contact
    from relationship_evidence as e, settings as s
    group by all
),

-- their messages in a thread the owner had written in before: answers to the owner
owner_threads as (
    select thread_id, min(occurred_at) as first_sent_at
    from interactions
    where direction = 'sent' and status = 'happened' and thread_id is not null
    group by all
),

replies as (
    select p.person_id, count(distinct i.interaction_id) as replies_to_owner
    from interactions as i
    join owner_threads as o using (thread_id)
    join interaction_participants as p using (interaction_id)
    where i.direction in ('received', 'cc') and i.status = 'happened' and i.automated_reason is null
      and p.role = 'from' and i.occurred_at > o.first_sent_at
    group by all
),

per_person as (
    select
        e.person_id,
        min(e.occurred_at) as first_interaction_at,
        max(e.occurred_at) as last_interaction_at,
        max(e.occurred_at) filter (where e.conversation) as last_conversation_at,
        count(*) filter (where e.flow = 'outbound' and e.channel <> 'meeting' and not e.click) as messages_sent,
        count(*) filter (where e.flow = 'inbound' and e.channel <> 'meeting' and not e.click) as messages_received,
        count(*) filter (where e.flow = 'alongside' and e.channel <> 'meeting' and not e.click) as messages_alongside,
        count(*) filter (where e.click) as clicks,
        count(*) filter (where e.channel = 'meeting') as meetings,
        count(*) filter (where e.channel = 'meeting' and e.participant_count <= 3) as small_meetings,
        coalesce(sum(e.duration_minutes) filter (where e.channel = 'meeting'), 0) as meeting_minutes,
        count(distinct e.channel) as channels,
        count(*) filter (where e.on_work_label) as work_interactions,
        count(*) filter (where e.on_personal_label) as personal_interactions,
        -- a recurring personal event shared with them ("Run club"); titles exist only with store_titles
        mode(e.title) filter (where e.channel = 'meeting' and e.on_personal_label and e.title is not null)
            as shared_activity,
        bool_or(e.flow = 'inbound') as they_wrote,  -- they sent or organised something the owner got
        bool_or(e.flow = 'outbound' and e.group_size <= 2) as owner_wrote,  -- to them alone, or invited them alone
        bool_or(e.flow = 'outbound') and bool_or(e.flow = 'inbound')
            or bool_or(e.channel = 'meeting' and e.participant_count <= 5) as two_way
    from relationship_events as e
    group by all
),

rates as (
    select
        person_id,
        any_value(rate) filter (where point = 'month end' and evaluated_at = s.as_of) as rate_now,
        any_value(rate) filter (where point = '90 days ago') as rate_90_days_ago,
        any_value(rate) filter (where point = 'last conversation') as rate_at_last_conversation
    from relationship_rates, settings as s
    group by all
),

-- people who send the owner list or automated mail: the owner writing to them (a reply to a newsletter)
-- does not make them a tie, only mail of their own would
bulk_senders as (
    select distinct p.person_id
    from interaction_participants as p
    join interactions as i using (interaction_id)
    where i.automated_reason is not null and p.role in ('from', 'organizer')
),

addresses as (
    select
        i.person_id,
        -- any domain but a personal mail provider's is taken for an employer's
        bool_or(i.kind = 'email' and not is_personal_mail_domain(split_part(i.value, '@', 2))) as has_work_address,
        bool_or(i.kind = 'email' and is_personal_mail_domain(split_part(i.value, '@', 2))) as has_personal_address
    from identifiers as i
    where i.person_id is not null and i.times_seen > 0
    group by all
),

features as (
    select
        p.person_id,
        coalesce(r.two_way, false) as two_way,
        coalesce(r.they_wrote, false) as they_wrote,
        coalesce(r.owner_wrote, false) as owner_wrote,
        b.person_id is not null as sends_bulk_mail,
        t.rate_now,
        t.rate_90_days_ago,
        t.rate_at_last_conversation,
        coalesce(n.recent_rate, 0) as recent_rate,
        coalesce(n.decayed_days_of_contact, 0) as decayed_days_of_contact,
        coalesce(y.replies_to_owner, 0) as replies_to_owner,
        r.first_interaction_at,
        r.last_interaction_at,
        owner_days_between(r.last_interaction_at, s.as_of, s.owner_timezone) as days_since_last_interaction,
        r.last_conversation_at,
        owner_days_between(r.last_conversation_at, s.as_of, s.owner_timezone) as days_since_last_conversation,
        coalesce(r.messages_sent, 0) as messages_sent,
        coalesce(r.messages_received, 0) as messages_received,
        coalesce(r.messages_alongside, 0) as messages_alongside,
        coalesce(r.clicks, 0) as clicks,
        coalesce(r.meetings, 0) as meetings,
        coalesce(r.small_meetings, 0) as small_meetings,
        coalesce(r.meeting_minutes, 0) as meeting_minutes,
        coalesce(r.channels, 0) as channels,
        coalesce(r.work_interactions, 0) as work_interactions,
        coalesce(r.personal_interactions, 0) as personal_interactions,
        r.shared_activity,
        coalesce(date_diff('day', r.first_interaction_at, s.as_of) / 365.25, 0) as years_known,
        -- a connection (not just someone met in messages) made by the build's time: a build as of an earlier
        -- date sees the network as it was then
        coalesce(p.linkedin_connected_at <= s.as_of, false) as linkedin_connection,
        list_has_any(p.sources, ['vcard', 'google_contacts', 'carddav']) as in_address_book,
        coalesce(p.categories, []) as categories,
        coalesce(c.has_work_address, false) as has_work_address,
        coalesce(c.has_personal_address, false) as has_personal_address
    from people as p
    left join per_person as r using (person_id)
    left join rates as t using (person_id)
    left join paces as n using (person_id)
    left join replies as y using (person_id)
    left join addresses as c using (person_id)
    left join bulk_senders as b using (person_id),
        settings as s
),

-- The context bonus: what else says the tie is real (address book, LinkedIn, several channels, years).
boosted as (
    select
        f.*,
        1 + s.address_book_bonus * f.in_address_book::int
          + s.linkedin_bonus * f.linkedin_connection::int
          + s.channel_diversity_bonus * greatest(f.channels - 1, 0)
          + s.tenure_bonus_per_year * least(f.years_known, 5) as bonus
    from features as f, settings as s
),

-- The gate: two-way contact, or one-way contact with someone the owner keeps (address book, LinkedIn
-- connection): their mail not answered yet, or the owner's one-to-one mail not answered yet. Keeping them
-- is the owner's side of the tie. One-way mail from strangers (newsletters, recruiters, cold email) and
-- to strangers (the owner's cold outreach) stays at 0, and so do replies to a newsletter.
gated as (
    select
        *,
        two_way
            or (they_wrote or owner_wrote and not sends_bulk_mail) and (in_address_book or linkedin_connection)
            as counts
    from boosted
),

scored as (
    select
        b.*,
        case when b.counts then coalesce(b.rate_now, 0) * b.bonus else 0 end as score_rate,
        case when b.counts then strength_of(coalesce(b.rate_now, 0) * b.bonus, s.scale) else 0 end as strength,
        case when b.counts then strength_of(coalesce(b.rate_90_days_ago, 0) * b.bonus, s.scale) else 0 end
            as strength_90_days_ago,
        case when b.counts then strength_of(coalesce(b.rate_at_last_conversation, 0) * b.bonus, s.scale) else 0 end
            as strength_at_last_contact,
        -- how many days of contact the silence replaced, at the pace the tie had when it went quiet
        coalesce(b.rate_at_last_conversation * b.days_since_last_conversation / 7.0, 0) as missed_days_of_contact,
        s.dormant_after_days,
        s.dormant_min_strength
    from gated as b, settings as s
),

ranked as (
    select
        *,
        -- rounded: parallel sums differ in the last bits from run to run, and equal ties must keep their order
        case when strength > 0 then row_number() over (order by round(score_rate, 9) desc, person_id) end
            as strength_rank
    from scored
)

select
    person_id,
    strength,
    score_rate as weighted_weekly_rate,
    bonus as context_bonus,
    strength_rank,
    case
        when strength_rank is null then 'none'
        when strength_rank <= 5 then 'support clique (5)'
        when strength_rank <= 15 then 'sympathy group (15)'
        when strength_rank <= 50 then 'close network (50)'
        when strength_rank <= 150 then 'active network (150)'
        when strength_rank <= 500 then 'acquaintances (500)'
        else 'outer circle'
    end as tier,
    -- the pace of the last 90 days against the rate the model gave 90 days ago (what it expected of them);
    -- a change counts only when either would bring at least 3 weighted days of contact in 90 days (else a
    -- quiet quarter of a faint tie is normal)
    case
        when strength = 0 then 'none'
        when greatest(recent_rate, coalesce(rate_90_days_ago, 0)) * 90 / 7.0 < 3 then 'stable'
        when recent_rate >= 1.5 * coalesce(rate_90_days_ago, 0) then 'warming'
        when recent_rate <= 0.5 * rate_90_days_ago then 'cooling'
        else 'stable'
    end as trend,
    round(recent_rate * bonus, 4) as recent_weekly_rate,
    round(decayed_days_of_contact, 4) as decayed_days_of_contact,
    -- a tie the owner never answered (a recruiter's InMails to a LinkedIn connection) was never one to lose
    strength_at_last_contact >= dormant_min_strength
        and days_since_last_conversation >= dormant_after_days
        and missed_days_of_contact >= 3 and two_way as dormant,
    strength_90_days_ago,
    strength_at_last_contact,
    first_interaction_at,
    last_interaction_at,
    days_since_last_interaction,
    last_conversation_at,
    days_since_last_conversation,
    messages_sent,
    messages_received,
    messages_alongside,
    replies_to_owner,
    meetings,
    small_meetings,
    meeting_minutes,
    channels,
    linkedin_connection,
    in_address_book,
    shared_activity,
    case
        when (has_work_address or linkedin_connection or work_interactions > 0)
            and (has_personal_address or len(categories) > 0 or personal_interactions > 0) then 'both'
        when has_work_address or linkedin_connection or work_interactions > 0 then 'work'
        when has_personal_address or len(categories) > 0 or personal_interactions > 0 or in_address_book
            then 'personal'
        else 'unknown'
    end as context,
    concat_ws('; ',
        case when messages_sent + messages_received > 0 then format('{} ({} sent, {} received)',
            counted(messages_sent + messages_received, 'message'), messages_sent, messages_received) end,
        case when messages_alongside > 0 then format('{} together', counted(messages_alongside, 'group message')) end,
        case when meetings > 0 then format('{} ({} of 2-3 people)', counted(meetings, 'meeting'), small_meetings) end,
        case when clicks = 1 then '1 LinkedIn invitation or endorsement'
            when clicks > 1 then clicks || ' LinkedIn invitations or endorsements' end,
        case when shared_activity is not null then format('shared "{}"', shared_activity) end,
        case when days_since_last_interaction = 0 then 'last contact today'
            when last_interaction_at is not null
            then 'last contact ' || counted(days_since_last_interaction, 'day') || ' ago' end,
        case when days_since_last_conversation > days_since_last_interaction
            then 'last conversation ' || counted(days_since_last_conversation, 'day') || ' ago'
            when last_conversation_at is null and last_interaction_at is not null then 'no conversation yet' end,
        case when years_known >= 1 then 'known ' || counted(floor(years_known)::int, 'year') end,
        case when not two_way and last_interaction_at is not null then
            case when counts and they_wrote then 'one-way contact only (from a known contact)'
                when counts then 'one-way contact only (to a known contact)'
                else 'one-way contact only, so strength 0' end end,
        case when linkedin_connection then 'LinkedIn connection' end,
        case when in_address_book then 'in address book' || case when len(categories) > 0
            then ' (' || array_to_string(categories, ', ') || ')' else '' end end
    ) as explanation
from ranked
order by strength desc, strength_rank, person_id;
