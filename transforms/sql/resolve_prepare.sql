-- Inputs of identity resolution: the name parts of every record, and the identifiers that may
-- join records. An identifier shared by records whose first names clearly disagree (a household
-- phone, a team@ inbox) joins nobody; automated senders join nobody either.

create or replace table record_names as
with parts as (
    select
        record_uid,
        record_kind,
        name_key(coalesce(given_name, nickname, case
            when strpos(name_in_reading_order(display_name), ' ') > 0
            then split_part(name_in_reading_order(display_name), ' ', 1)
        end)) as given_key,
        name_key(coalesce(family_name, case
            when strpos(name_in_reading_order(display_name), ' ') > 0
            then regexp_extract(name_in_reading_order(display_name), '\S+$')
        end)) as family_key,
        name_key(display_name) as full_key
    from stg_records
)
select * from parts;

-- Each first name with the canonical names it may stand for (Bob -> Robert).
create or replace table given_name_groups as
select distinct record_uid, given_key as name_group
from record_names where given_key is not null
union
select distinct r.record_uid, n.canonical
from record_names as r
join nicknames as n on n.nickname = r.given_key;

create or replace table ambiguous_identifiers as
with named_holders as (
    select i.kind, i.value, n.record_uid, n.given_key
    from stg_record_identifiers as i
    join record_names as n using (record_uid)
    where n.given_key is not null and length(n.given_key) > 1
      and (n.record_kind = 'card' or n.family_key is not null)
),

clashing_pairs as (
    select a.kind, a.value
    from named_holders as a
    join named_holders as b
        on a.kind = b.kind and a.value = b.value and a.record_uid < b.record_uid
        and a.given_key <> b.given_key
    where not exists (
        select 1
        from given_name_groups as ga
        join given_name_groups as gb on ga.name_group = gb.name_group
        where ga.record_uid = a.record_uid and gb.record_uid = b.record_uid
    )
)

select distinct kind, value, 'names disagree' as reason from clashing_pairs;

create or replace table identity_links as
select record_uid, kind || ':' || value as identifier
from stg_record_identifiers
where (kind, value) not in (select kind, value from ambiguous_identifiers)
  and (kind, value) not in (select kind, value from automated_identifiers)
order by record_uid, identifier;

-- Correspondents that are machines or role accounts: they become no person.
create or replace table automated_records as
select c.record_uid, a.automated_reason
from stg_correspondents as c
join automated_identifiers as a using (kind, value);

-- A record without a name but with an address like robert.smith@ or smith.robert@ takes the name the
-- address spells, when that name is a first and a family name seen elsewhere: evidence, not proof.
create or replace table email_names as
with locals as (
    select distinct i.record_uid, regexp_replace(split_part(i.value, '@', 1), '[0-9]+$', '') as local
    from stg_record_identifiers as i
    join record_names as n using (record_uid)
    where i.kind = 'email' and n.family_key is null and n.given_key is null
),

known as (
    select distinct given_key, family_key, replace(family_key, ' ', '') as family_compact
    from record_names
    where given_key is not null and family_key is not null and length(given_key) > 1
)

select distinct l.record_uid, k.given_key, k.family_key
from locals as l
join known as k
    on l.local in (
        k.given_key || '.' || k.family_compact, k.given_key || k.family_compact,
        k.family_compact || '.' || k.given_key, k.given_key || '_' || k.family_compact
    );

insert into given_name_groups
select distinct e.record_uid, e.given_key from email_names as e
union
select distinct e.record_uid, n.canonical from email_names as e join nicknames as n on n.nickname = e.given_key;

create or replace table freemail_domains as
select unnest([
    'gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'icloud.com', 'me.com', 'mac.com',
    'aol.com', 'gmx.de', 'gmx.net', 'web.de', 'proton.me', 'protonmail.com', 'pm.me', 'yahoo.co.uk',
    'fastmail.com', 'fastmail.fm', 'mail.com', 'hey.com'
]) as domain;

-- The companies a record names: its organisation and the label of its work email domain, squashed
-- ("Harbour & Vale, Ltd." -> harbourvale, jo@bluebirdhealth.example -> bluebirdhealth).
create or replace table record_companies as
select distinct record_uid, company_key
from (
    select record_uid,
        replace(regexp_replace(name_key(organization),
            '( (inc|ltd|llc|gmbh|corp|corporation|co|company|plc|sa|ag|bv|limited|group))+$', ''), ' ', '')
            as company_key
    from stg_records
    where organization is not null
    union all
    select record_uid, regexp_replace(split_part(split_part(value, '@', 2), '.', 1), '[^a-z0-9]', '', 'g')
    from stg_record_identifiers
    where kind = 'email' and split_part(value, '@', 2) not in (select domain from freemail_domains)
)
where length(company_key) > 1;
