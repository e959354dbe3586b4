-- Views for the product's everyday questions, created in the published warehouse.

-- Whether an organisation's name spells a label of a mail domain (Acme Analytics at acme.example, Acme Robotics at
-- acme-robotics.io), or a label is the name and a legal suffix (Litware at litwareinc.com; Meta is not at metabase).
create or replace macro organization_letters(organization) as regexp_replace(lower(organization), '[^a-z0-9]', '', 'g');

create or replace macro organization_spells_domain(organization, domain) as
    len(list_filter(string_split(regexp_replace(domain, '[^a-z0-9.]', '', 'g'), '.')[:-2],
        lambda label: length(label) >= 3
        and (contains(organization_letters(organization), label)
            or (starts_with(label, organization_letters(organization))
                and regexp_full_match(substr(label, length(organization_letters(organization)) + 1),
                    legal_form_pattern()))))) > 0;

-- The organisation a contact is at: the card's organisation, else the one the people of their work domain name,
-- else that domain. Their work domain is the one of the work address they used last. Mail there in the last half
-- year beats a card naming another organisation than the one the domain's people name: address books are seldom
-- updated when people change jobs.
create or replace view contact_organizations as
with last_work_addresses as (
    -- personal mail providers are no organisation (personal_mail.sql)
    select person_id, arg_max(split_part(value, '@', 2), (last_seen_at, value)) as work_domain,
        max(last_seen_at) as work_mail_at
    from identifiers
    where kind = 'email' and person_id is not null and last_seen_at is not null
      and not is_personal_mail_domain(split_part(value, '@', 2))
    group by person_id
),

domains as (
    select
        p.person_id,
        p.organization,
        coalesce(w.work_domain, case when not is_personal_mail_domain(split_part(p.primary_email, '@', 2))
            then split_part(p.primary_email, '@', 2) end) as work_domain,
        w.work_mail_at
    from people as p
    left join last_work_addresses as w using (person_id)
),

-- the name most of a domain's people give their organisation, when it spells a label of the domain: an ISP's
-- domain (comcast.net) names nobody's employer
domain_names as (
    select work_domain, organization, count(*) as people
    from domains
    where work_domain is not null and organization is not null and organization_spells_domain(organization, work_domain)
    group by all
),

named_domains as (
    select work_domain, arg_max(organization, (people, organization)) as domain_organization
    from domain_names
    group by all
)

select
    d.person_id,
    case
        when d.organization is not null and n.domain_organization is not null
            and not organization_spells_domain(d.organization, d.work_domain)
            and d.work_mail_at >= (select max(last_seen_at) from identifiers) - interval 180 day
        then n.domain_organization
        else coalesce(d.organization, n.domain_organization, d.work_domain)
    end as organization,
    d.work_domain
from domains as d
left join named_domains as n using (work_domain);

create or replace view people_overview as
select
    p.person_id,
    p.display_name,
    o.organization,
    p.title,
    p.primary_email,
    p.primary_phone,
    p.linkedin_url,
    r.strength,
    r.strength_rank,
    r.tier,
    r.trend,
    r.dormant,
    r.context,
    r.last_interaction_at,
    r.days_since_last_interaction,
    r.explanation
from people as p
left join contact_organizations as o using (person_id)
left join relationships as r using (person_id)
order by r.strength desc nulls last, p.person_id;

create or replace view reconnect as
select
    p.person_id,
    p.display_name,
    o.organization,
    p.primary_email,
    r.strength_at_last_contact,
    r.strength,
    r.last_interaction_at,
    r.days_since_last_interaction,
    r.last_conversation_at,
    r.days_since_last_conversation,
    r.context,
    r.explanation
from relationships as r
join people as p using (person_id)
left join contact_organizations as o using (person_id)
where r.dormant
order by r.strength_at_last_contact desc, p.person_id;

-- Who can introduce the owner to whom: every contact (the target) and each person the owner knows who
-- knows them (the go-between), ranked by the geometric mean of both tie strengths, so a strong link on
-- one side cannot hide a weak one on the other. Filter with `where target_organization ilike '%acme%'`.
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
    o.organization as target_organization,
    coalesce(rt.strength, 0) as owner_to_target_strength,
    v.person_id as via_person_id,
    v.display_name as via_name,
    rv.strength as owner_to_via_strength,
    pairs.connection_strength as via_to_target_strength,
    round(sqrt(rv.strength * pairs.connection_strength), 2) as introduction_score
from pairs
join people as t on t.person_id = pairs.target_person_id
join contact_organizations as o on o.person_id = t.person_id
join people as v on v.person_id = pairs.via_person_id
join relationships as rv on rv.person_id = v.person_id
left join relationships as rt on rt.person_id = t.person_id
where rv.strength > 0 and pairs.connection_strength > 0
order by introduction_score desc, target_person_id, via_person_id;

-- Organisations in the network with the warm ties there: where to ask first when looking for a job.
-- is_owner_employer marks the organisation each of the owner's own work domains names: the one most of its
-- people give that spells the domain, else the one most of them give. A colleague who moved on keeps the old
-- work address but names their new employer, which is not the owner's.
create or replace view organizations as
with owner_domain_organizations as (
    select o.work_domain, o.organization, count(*) as people
    from contact_organizations as o
    where o.organization is not null and o.work_domain in (
        select split_part(value, '@', 2) from owner_identifiers where kind = 'email'
    )
    group by all
),

owner_employers as (
    select arg_max(organization, (organization_spells_domain(organization, work_domain), people, organization))
        as organization
    from owner_domain_organizations
    group by work_domain
)

select
    o.organization,
    o.organization in (select organization from owner_employers) as is_owner_employer,
    count(*) as people,
    count(*) filter (where r.strength > 0) as people_with_a_tie,
    max(r.strength) as strongest_tie,
    arg_max(p.display_name, coalesce(r.strength, -1)) as closest_person,
    arg_max(p.person_id, coalesce(r.strength, -1)) as closest_person_id,
    list(p.display_name order by coalesce(r.strength, 0) desc, p.person_id) as people_by_strength
from contact_organizations as o
join people as p using (person_id)
left join relationships as r using (person_id)
where o.organization is not null
group by o.organization
order by strongest_tie desc nulls last, people desc, o.organization;

create or replace view upcoming_meetings as
select interaction_id, occurred_at as starts_at, duration_minutes, title, participant_count, source
from interactions
where channel = 'meeting' and status = 'upcoming'
order by occurred_at;
