-- The people marts: one row a person, their identifiers, and every source record with the person it became.

create or replace table source_records as
select
    r.record_uid,
    p.person_id,
    r.source,
    r.source_file,
    r.record_key,
    r.location,
    r.record_kind,
    r.display_name,
    coalesce(p.match_evidence, 'automated sender: ' || a.automated_reason) as match_evidence
from stg_records as r
left join record_people as p using (record_uid)
left join automated_records as a using (record_uid)
order by r.source, r.source_file, r.record_key;

create or replace table identifier_usage as
select kind, value, count(*) as uses,
    max(occurred_at) filter (where occurred_at <= (select as_of from build_settings)) as last_seen_at
from stg_participations
where value is not null
group by all;

create or replace table identifiers as
-- An address as people write it: the canonical form (tomoneill@gmail.com, dots dropped) reaches the same inbox,
-- but is not what anyone wrote (tom.oneill@gmail.com).
with email_spellings as (
    select value, raw_value, count(*) as times
    from (
        select value, raw_value from stg_participations where kind = 'email' and value is not null
        union all
        select value, raw_value from stg_card_identifiers where kind = 'email' and value is not null
    )
    group by all
),

-- a spelling without a +tag (a newsletter's sign-up) on the canonical domain (gmail.com, not googlemail.com) first
written_emails as (
    select value,
        arg_max(raw_value, (
            not contains(split_part(raw_value, '@', 1), '+'),
            split_part(raw_value, '@', 2) = split_part(value, '@', 2),
            times,
            raw_value
        )) as written
    from email_spellings
    group by value
),

person_identifiers as (
    select p.person_id, i.kind, i.value, any_value(i.label) as label,
        list(distinct r.source order by r.source) as sources
    from stg_record_identifiers as i
    join record_people as p using (record_uid)
    join stg_records as r using (record_uid)
    group by all
),

automated as (
    select null::bigint as person_id, kind, value, null as label,
        list(distinct c.source order by c.source) as sources
    from automated_identifiers as a
    join stg_correspondents as c using (kind, value)
    group by all
)

select
    x.person_id,
    x.kind,
    x.value,
    coalesce(w.written, x.value) as written_as,
    x.label,
    x.sources,
    coalesce(u.uses, 0) as times_seen,
    u.last_seen_at,
    a.automated_reason,
    -- names that disagree, or records that could not join (two work addresses at one domain, a "different")
    amb.reason is not null or x.kind || ':' || x.value in (select identifier from resolve_kept_apart)
        as shared_by_several_people
from (select * from person_identifiers union all select * from automated) as x
left join identifier_usage as u using (kind, value)
left join automated_identifiers as a using (kind, value)
left join ambiguous_identifiers as amb using (kind, value)
left join written_emails as w on x.kind = 'email' and w.value = x.value
order by x.person_id nulls last, x.kind, x.value;

create or replace table people as
with records as (
    select p.person_id, r.*, n.given_key, n.family_key,
        case
            when r.record_kind = 'card' and r.given_name is not null and r.family_name is not null then 3
            when r.record_kind = 'card' and r.display_name is not null then 2
            when r.display_name is not null and strpos(r.display_name, ' ') > 0 then 1
            else 0
        end as name_quality,
        -- the name in the owner's own address book is how they know the person ("Bob", not "Robert")
        r.source in ('vcard', 'google_contacts', 'carddav') as from_address_book,
        coalesce(c.times, 0) as times
    from record_people as p
    join stg_records as r using (record_uid)
    join record_names as n using (record_uid)
    left join stg_correspondents as c using (record_uid)
),

ranked_records as (
    select *, (name_quality, from_address_book, well_cased(display_name), times, record_uid) as name_rank
    from records
),

cards as (
    select p.person_id, c.*
    from record_people as p
    join stg_cards as c using (record_uid)
),

-- the address used most among those still in use (twice or more, one of them in the month before the person's last
-- mail): a job changer's new work address, not the old one they wrote from for years; not a stray cc
best_email as (
    select person_id, arg_min(written_as, (not in_use, -times_seen, value)) as primary_email
    from (
        select *,
            times_seen >= 2 and coalesce(
                last_seen_at >= max(last_seen_at) filter (where times_seen >= 2) over (partition by person_id)
                    - interval 30 day, false) as in_use
        from identifiers
        where kind = 'email' and person_id is not null
    )
    group by all
),

best_phone as (
    select person_id, min(value) as primary_phone
    from identifiers where kind = 'phone' and person_id is not null
    group by all
),

linkedin as (
    select person_id, min(value) as linkedin_slug
    from identifiers where kind = 'linkedin' and person_id is not null
    group by all
),

card_facts as (
    select
        person_id,
        arg_max(organization, (coalesce(observed_at, '1900-01-01'::timestamptz), organization))
            filter (where organization is not null) as organization,
        arg_max(title, (coalesce(observed_at, '1900-01-01'::timestamptz), title))
            filter (where title is not null) as title,
        max(birthday) as birthday,
        list_sort(list_distinct(flatten(list(categories)))) as categories,
        min(connected_at) as linkedin_connected_at
    from cards
    group by all
),

names as (
    select
        person_id,
        arg_max(display_name, name_rank) as display_name,
        arg_max(given_name, name_rank) filter (where given_name is not null) as given_name,
        arg_max(family_name, name_rank) filter (where family_name is not null) as family_name,
        arg_max(nickname, name_rank) filter (where nickname is not null) as nickname,
        list(distinct source order by source) as sources,
        count(*) as source_record_count
    from ranked_records
    group by all
)

select
    n.person_id,
    coalesce(n.display_name, e.primary_email, 'linkedin.com/in/' || l.linkedin_slug, ph.primary_phone) as display_name,
    n.given_name,
    n.family_name,
    n.nickname,
    f.organization,
    f.title,
    e.primary_email,
    ph.primary_phone,
    case when l.linkedin_slug is not null then 'https://www.linkedin.com/in/' || l.linkedin_slug end as linkedin_url,
    f.birthday,
    coalesce(f.categories, []) as categories,
    n.sources,
    n.source_record_count,
    f.linkedin_connected_at
from names as n
left join card_facts as f using (person_id)
left join best_email as e using (person_id)
left join best_phone as ph using (person_id)
left join linkedin as l using (person_id)
order by n.person_id;
