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
