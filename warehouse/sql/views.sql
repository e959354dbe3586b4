-- Views for the product's everyday questions, created in the published warehouse.

create or replace view people_overview as
select
    p.person_id,
    p.display_name,
    p.organization,
    p.title,
    p.primary_email,
    p.primary_phone,
    p.linkedin_url,
    r.strength,
    r.tier,
    r.trend,
    r.context,
    r.last_interaction_at,
    r.days_since_last_interaction,
    r.explanation
from people as p
left join relationships as r using (person_id)
order by r.strength desc nulls last, p.person_id;

create or replace view reconnect as
select
    p.person_id,
    p.display_name,
    p.organization,
    p.primary_email,
    r.strength_at_last_contact,
    r.strength,
    r.last_interaction_at,
    r.days_since_last_interaction,
    r.context,
    r.explanation
from relationships as r
join people as p using (person_id)
where r.dormant
order by r.strength_at_last_contact desc, p.person_id;

-- For every contact at some organisation, the people the owner knows who know them, best first:
-- filter with `where target_organization ilike '%acme%'`.
create or replace view introductions as
with pairs as (
    select person_a as via_person_id, person_b as target_person_id, strength as connection_strength
    from connections_between_contacts
    union all
    select person_b, person_a, strength from connections_between_contacts
)

select
    t.person_id as target_person_id,
    t.display_name as target_name,
    coalesce(t.organization, split_part(t.primary_email, '@', 2)) as target_organization,
    v.person_id as via_person_id,
    v.display_name as via_name,
    rv.strength as owner_to_via_strength,
    pairs.connection_strength as via_to_target_strength,
    round(sqrt(rv.strength * pairs.connection_strength), 2) as introduction_score
from pairs
join people as t on t.person_id = pairs.target_person_id
join people as v on v.person_id = pairs.via_person_id
join relationships as rv on rv.person_id = v.person_id
where rv.strength > 0
order by introduction_score desc, target_person_id, via_person_id;

create or replace view upcoming_meetings as
select interaction_id, occurred_at as starts_at, duration_minutes, title, participant_count, source
from interactions
where channel = 'meeting' and status = 'upcoming'
order by occurred_at;
