-- The network around the owner: strength over time, who knows whom, and who can introduce whom.
-- Runs after relationships.sql, whose tables and macros (strength_of, scoring_settings, half_life_decay) it reads.

-- Monthly strength history: the score's rate at each month end (relationship_rates: the same model fed the
-- interactions up to then), with the same gate and context bonus as the score today, so the last month equals
-- relationships.strength. A tie that counts has a strength now or had one at its last conversation (a strength
-- rounds to 0.00 for a tie long quiet; a tie of LinkedIn clicks alone has had no conversation).
create or replace table relationship_history as
select r.person_id, r.month, strength_of(r.rate * g.context_bonus, s.scale) as strength
from relationship_rates as r
join relationships as g using (person_id), scoring_settings() as s
where r.point = 'month end' and (g.strength > 0 or g.strength_at_last_contact > 0)
order by r.person_id, r.month;

-- Two contacts who appear in the same small threads or meetings know each other: best when one wrote to the other
-- or they met; two people the owner (or a third) merely wrote to together may never have spoken.
create or replace table connections_between_contacts as
with settings as (from scoring_settings()),

shared as (
    select
        a.person_id as person_a,
        b.person_id as person_b,
        i.channel,
        i.occurred_at,
        i.participant_count,
        bool_or(i.channel = 'meeting' or a.role in ('from', 'organizer') or b.role in ('from', 'organizer'))
            as between_them
    from interaction_participants as a
    join interaction_participants as b
        on a.interaction_id = b.interaction_id and a.person_id < b.person_id
    join interactions as i on i.interaction_id = a.interaction_id
    -- a meeting the owner declined that has taken place: the others still met
    where (i.status = 'happened' or i.status = 'declined' and i.occurred_at <= (select as_of from build_settings))
      and i.automated_reason is null
      and i.participant_count <= 20
      and coalesce(a.response, '') <> 'declined'
      and coalesce(b.response, '') <> 'declined'
    group by all
),

pairs as (
    -- a shared interaction weighs (k - 2)^-exponent for the two of them, meetings by their channel weight,
    -- decayed and read as a weekly rate. Its own exponent: being seen together in groups is all there is to
    -- know of two contacts, where the owner's own ties have one-to-one contact. With the long half-life:
    -- contacts seen together are seen rarely, so this is the faint-tie estimate of the owner's model
    select
        person_a,
        person_b,
        count(*) as shared_interactions,
        count(*) filter (where channel = 'meeting') as shared_meetings,
        count(*) filter (where between_them) as direct_interactions,
        min(occurred_at) as first_together_at,
        max(occurred_at) as last_together_at,
        sum(case when channel = 'meeting' then s.meeting_weight else s.email_weight end
            * case when between_them then 1 else s.connection_co_recipient_weight end
            * pow(greatest(participant_count - 2, 1), -s.connection_group_size_exponent)
            * half_life_decay(occurred_at, s.as_of, s.long_half_life_days)
        ) * any_value(s.per_week_long) as rate
    from shared, settings as s
    group by person_a, person_b
)

select
    p.person_a,
    p.person_b,
    p.shared_interactions,
    p.shared_meetings,
    p.direct_interactions,
    p.first_together_at,
    p.last_together_at,
    strength_of(p.rate, s.scale) as strength
from pairs as p, settings as s
order by p.person_a, p.person_b;
