-- The network around the owner: strength over time, who knows whom, and who can introduce whom.

-- Monthly strength history: the score's rate at each month end, computed with two running sums per
-- person, one per half-life (mass(T) = 2^(-T/h) * sum of weight * 2^(t/h), times measured from a fixed
-- origin), blended as in relationships.sql, with the same gate and context bonus as the score today, so
-- the last month equals relationships.strength.
create or replace table relationship_history as
with settings as (from scoring_settings()),

origin as (select min(occurred_at) as t0 from relationship_events),

bonus as (
    select person_id, first_interaction_at, context_bonus as bonus
    from relationships
    where strength_at_last_contact > 0
),

monthly as (
    select
        e.person_id,
        date_trunc('month', e.occurred_at) as month,
        sum(e.weight * pow(2, date_diff('second', o.t0, e.occurred_at) / 86400.0 / s.half_life_days)) as lifted_mass,
        sum(e.weight * pow(2, date_diff('second', o.t0, e.occurred_at) / 86400.0 / s.long_half_life_days))
            as lifted_long_mass
    from relationship_events as e, origin as o, settings as s
    group by all
),

months as (
    select b.person_id, b.bonus, m.month
    from bonus as b, settings as s,
        unnest(generate_series(
            date_trunc('month', b.first_interaction_at),
            date_trunc('month', s.as_of),
            interval 1 month
        )) as m(month)
),

running as (
    select
        months.person_id,
        months.month,
        months.bonus,
        sum(coalesce(monthly.lifted_mass, 0)) over running_total as lifted_total,
        sum(coalesce(monthly.lifted_long_mass, 0)) over running_total as lifted_long_total
    from months
    left join monthly using (person_id, month)
    window running_total as (partition by months.person_id order by months.month)
),

ages as (
    -- days from the origin to the month end (or to the build time for the current month)
    select r.*, date_diff('second', o.t0, least(r.month + interval 1 month, s.as_of)) / 86400.0 as days
    from running as r, origin as o, settings as s
),

rates as (
    select
        a.person_id,
        a.month,
        a.bonus * blended_rate(
            a.lifted_total * pow(2, -a.days / s.half_life_days),
            a.lifted_long_total * pow(2, -a.days / s.long_half_life_days),
            s.per_week, s.per_week_long, s.prior_interactions
        ) as rate
    from ages as a, settings as s
)

select r.person_id, r.month::date as month, strength_of(r.rate, s.scale) as strength
from rates as r, settings as s
order by r.person_id, r.month;

-- Two contacts who appear in the same small threads or meetings know each other.
create or replace table connections_between_contacts as
with settings as (from scoring_settings()),

shared as (
    select
        a.person_id as person_a,
        b.person_id as person_b,
        i.channel,
        i.occurred_at,
        i.participant_count
    from interaction_participants as a
    join interaction_participants as b
        on a.interaction_id = b.interaction_id and a.person_id < b.person_id
    join interactions as i on i.interaction_id = a.interaction_id
    where i.status = 'happened'
      and i.automated_reason is null
      and i.participant_count <= 20
      and coalesce(a.response, '') <> 'declined'
      and coalesce(b.response, '') <> 'declined'
    group by all
),

pairs as (
    -- the same model as the owner's ties: a shared interaction weighs (k - 2)^-exponent for the two of
    -- them, meetings by their channel weight, decayed and read as a weekly rate. With the long half-life:
    -- contacts seen together are seen rarely, so this is the faint-tie estimate of the owner's model
    select
        person_a,
        person_b,
        count(*) as shared_interactions,
        count(*) filter (where channel = 'meeting') as shared_meetings,
        min(occurred_at) as first_together_at,
        max(occurred_at) as last_together_at,
        sum(case when channel = 'meeting' then s.meeting_weight else s.email_weight end
            * pow(greatest(participant_count - 2, 1), -s.group_size_exponent)
            * pow(2, -date_diff('second', occurred_at, s.as_of) / 86400.0 / s.long_half_life_days)
        ) * any_value(s.per_week_long) as rate
    from shared, settings as s
    group by person_a, person_b
)

select
    p.person_a,
    p.person_b,
    p.shared_interactions,
    p.shared_meetings,
    p.first_together_at,
    p.last_together_at,
    strength_of(p.rate, s.scale) as strength
from pairs as p, settings as s
order by p.person_a, p.person_b;
