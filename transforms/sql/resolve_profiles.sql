-- One row per cluster after the shared-identifier stage: what probabilistic matching compares.
-- Names are the cluster's most frequent first and family name keys, family names written in parts first (a display
-- name "Luis Paredes Vega" does not say which words are his family names); arrays keep every variant,
-- first names widened with the canonical names they may stand for (Bob -> robert). `personal_contacts`: the
-- phones and personal addresses (not a work address, which goes with a job) of the owner's address-book cards.

-- A father's and a mother's family name: a card's two ("Herrera Espinosa"), or a display name's last two words
-- ("Ximena Herrera Gomez": which may also be a middle and a family name); null otherwise. Not a married name
-- ("Herrera de Ruiz"): a wife may add her husband's name in one place and her mother's in another.
create or replace macro family_pair_of(family_key, full_key, named_in_parts) as case
    when named_in_parts and len(family_name_units(family_key)) = 2
        and not is_name_particle(split_part(family_name_units(family_key)[2], ' ', 1))
    then family_name_units(family_key)
    when not named_in_parts and family_key not like '% %' and len(string_split(full_key, ' ')) >= 3
        and not is_name_particle(string_split(full_key, ' ')[-2])
    then [string_split(full_key, ' ')[-2], family_key]
end;

create or replace table resolve_profiles as
with card_facts as (
    select c.record_uid,
        nullif(regexp_replace(c.birthday, '[^0-9]', '', 'g'), '') as birthday,
        string_split(r.addresses[1], ', ') as address_parts
    from stg_cards as c
    join raw_contacts as r using (source, source_file, record_key)
    where not coalesce(r.deleted, false)
),

records as (
    select k.cluster_id, k.record_uid, n.given_key, coalesce(n.family_key, e.family_key) as family_key,
        n.named_in_parts, family_pair_of(n.family_key, n.full_key, n.named_in_parts) as family_pair,
        f.birthday, f.address_parts
    from record_clusters as k
    join record_names as n using (record_uid)
    left join email_names as e using (record_uid)
    left join card_facts as f using (record_uid)
),

-- how often each name key occurs in its cluster: the most frequent wins, ties by the key (not by row order)
counted as (
    select *,
        count(*) over (partition by cluster_id, given_key) as given_times,
        count(*) over (partition by cluster_id, family_key) as family_times
    from records
)

select
    r.cluster_id as unique_id,
    arg_max(r.given_key, (r.given_times, r.given_key)) filter (where r.given_key is not null) as given_name,
    arg_max(r.family_key, (r.named_in_parts, r.family_times, r.family_key)) filter (where r.family_key is not null)
        as family_name,
    coalesce((select list(distinct g.name_group order by g.name_group) from record_clusters as c2
        join given_name_groups as g using (record_uid) where c2.cluster_id = r.cluster_id), []) as given_names,
    -- every word of its names: a family name among them is no other family name (Barajas of Alejandro Barajas
    -- Apodaca)
    coalesce((select list(distinct w.word order by w.word) from record_clusters as c2
        join record_names as n2 using (record_uid), unnest(string_split(n2.full_key, ' ')) as w(word)
        where c2.cluster_id = r.cluster_id), []) as name_words,
    -- both family names, as a card gives them or a display name of three words or more may: [herrera, gomez]
    coalesce(list(distinct r.family_pair) filter (where r.family_pair is not null), []) as family_pairs,
    min(r.birthday) as birthday,
    name_key(min(r.address_parts[1])) as street,
    name_key(min(r.address_parts[2]) filter (where len(r.address_parts) >= 5)) as locality,
    min(list_filter(r.address_parts, lambda p: regexp_full_match(p, '[0-9]{3,8}'))[-1]) as postcode,
    any_value(e.companies) as companies,
    any_value(e.email_locals) as email_locals,
    coalesce((select list_sort(list(distinct i.kind || ':' || i.value)) from record_clusters as c2
        join stg_records as s using (record_uid)
        join stg_record_identifiers as i using (record_uid)
        where c2.cluster_id = r.cluster_id and s.record_kind = 'card'
          and s.source in ('vcard', 'google_contacts', 'carddav')
          and (i.kind = 'phone'
            or i.kind = 'email' and is_personal_mail_domain(split_part(i.value, '@', 2)))
        ), []) as personal_contacts
from counted as r
join cluster_evidence as e on e.cluster_id = r.cluster_id
group by r.cluster_id
order by r.cluster_id;
