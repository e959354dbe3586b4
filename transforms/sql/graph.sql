-- The network around the owner: strength over time, who knows whom, and who can introduce whom.

-- Monthly strength history: the decayed mass at each month end, computed with one running sum per
-- person (mass(T) = 2^(-T/h) * sum of weight * 2^(t/h), times measured from a fixed origin).
create or replace table relationship_history as
with settings as (select * from build_settings),

origin as (select min(occurred_at) as t0 from relationship_events),

monthly as (
    select
        e.person_id,
        date_trunc('month', e.occurred_at) as month,
        sum(e.weight * pow(2, date_diff('second', o.t0, e.occurred_at) / 86400.0 / s.half_life_days)) as lifted_mass
    from relationship_events as e, origin as o, settings as s
    group by all
),

months as (
    select r.person_id, m.month
    from relationships as r, settings as s,
        unnest(generate_series(
            date_trunc('month', r.first_interaction_at),
            date_trunc('month', s.as_of),
            interval 1 month
        )) as m(month)
    where r.strength_at_last_contact > 0
),

running as (
    select
        months.person_id,
        months.month,
        sum(coalesce(monthly.lifted_mass, 0)) over (
            partition by months.person_id order by months.month
        ) as lifted_total
    from months
    left join monthly using (person_id, month)
)

select
    r.person_id,
    r.month::date as month,
    round(100 * (1 - exp(-r.lifted_total * pow(2, -date_diff('second', o.t0,
        least(r.month + interval 1 month, s.as_of)) / 86400.0 / s.half_life_days) / s.scale)), 2) as strength
from running as r, origin as o, settings as s
order by r.person_id, r.month;

-- Two contacts who appear in the same small threads or meetings know each other.
create or replace table connections_between_contacts as
with settings as (select * from build_settings),

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
)

select
    person_a,
    person_b,
    count(*) as shared_interactions,
    count(*) filter (where channel = 'meeting') as shared_meetings,
    min(occurred_at) as first_together_at,
    max(occurred_at) as last_together_at,
    round(100 * (1 - exp(-sum(
        case when channel = 'meeting' then 2.0 else 1.0 end / greatest(participant_count - 2, 1)
        * pow(2, -date_diff('second', occurred_at, s.as_of) / 86400.0 / s.half_life_days)
    ) / s.scale)), 2) as strength
from shared, settings as s
group by person_a, person_b, s.scale
order by person_a, person_b;
