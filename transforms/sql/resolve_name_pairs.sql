-- Second stage: clusters that share no identifier but carry the same person's name.
-- A pair merges on the same surname and compatible first names (Bob ~ Robert) plus evidence:
-- the company of one matches the other's company or email domain, or nobody else has that name.
-- Clusters with two different LinkedIn profiles are never merged.

create or replace table cluster_names as
select distinct c.cluster_id, n.family_key, g.name_group
from record_clusters as c
join record_names as n using (record_uid)
join given_name_groups as g using (record_uid)
where n.family_key is not null and length(n.family_key) > 1;

create or replace table cluster_evidence as
with orgs as (
    select c.cluster_id,
        regexp_replace(name_key(r.organization),
            ' (inc|ltd|llc|gmbh|corp|corporation|co|company|plc|sa|ag|bv|limited|group)$', '') as org_key
    from record_clusters as c
    join stg_records as r using (record_uid)
    where r.organization is not null
),

domains as (
    select c.cluster_id, split_part(split_part(i.value, '@', 2), '.', 1) as domain_label,
        split_part(i.value, '@', 2) in (
            'gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'icloud.com', 'me.com',
            'aol.com', 'gmx.de', 'gmx.net', 'web.de', 'proton.me', 'protonmail.com', 'yahoo.co.uk',
            'fastmail.com', 'mail.com', 'hey.com'
        ) as freemail
    from record_clusters as c
    join stg_record_identifiers as i using (record_uid)
    where i.kind = 'email'
)

select
    c.cluster_id,
    list(distinct o.org_key) filter (where o.org_key is not null) as org_keys,
    list(distinct d.domain_label) filter (where not d.freemail) as work_domains,
    (select list(distinct i.value) from record_clusters as c2
        join stg_record_identifiers as i using (record_uid)
        where c2.cluster_id = c.cluster_id and i.kind = 'linkedin') as linkedin_slugs
from (select distinct cluster_id from record_clusters) as c
left join orgs as o using (cluster_id)
left join domains as d using (cluster_id)
group by c.cluster_id;

create or replace table name_pair_candidates as
with pairs as (
    select distinct a.cluster_id as cluster_a, b.cluster_id as cluster_b, a.family_key
    from cluster_names as a
    join cluster_names as b
        on a.family_key = b.family_key and a.name_group = b.name_group and a.cluster_id < b.cluster_id
),

scored as (
    select
        p.*,
        -- same company, or one side's company is the other's work email domain
        len(list_intersect(ea.org_keys, eb.org_keys)) > 0
            or len(list_intersect(list_transform(ea.org_keys, lambda k: replace(k, ' ', '')), eb.work_domains)) > 0
            or len(list_intersect(list_transform(eb.org_keys, lambda k: replace(k, ' ', '')), ea.work_domains)) > 0
            as company_agrees,
        len(ea.linkedin_slugs) > 0 and len(eb.linkedin_slugs) > 0
            and len(list_intersect(ea.linkedin_slugs, eb.linkedin_slugs)) = 0 as profiles_differ,
        -- a company on one side that matches none of the other side's work domains or companies
        (len(ea.org_keys) > 0 and len(eb.work_domains) > 0)
            or (len(eb.org_keys) > 0 and len(ea.work_domains) > 0) as company_comparable
    from pairs as p
    join cluster_evidence as ea on ea.cluster_id = p.cluster_a
    join cluster_evidence as eb on eb.cluster_id = p.cluster_b
),

name_frequency as (
    select family_key, name_group, count(distinct cluster_id) as clusters
    from cluster_names
    group by all
),

unique_names as (
    select p.cluster_a, p.cluster_b
    from pairs as p
    join cluster_names as a on a.cluster_id = p.cluster_a and a.family_key = p.family_key
    join cluster_names as b on b.cluster_id = p.cluster_b and b.family_key = p.family_key
        and b.name_group = a.name_group
    join name_frequency as f on f.family_key = a.family_key and f.name_group = a.name_group
    group by all
    having max(f.clusters) = 2
)

select
    s.cluster_a,
    s.cluster_b,
    case when s.company_agrees then 'same name and company' else 'same name, nobody else has it' end as evidence
from scored as s
where not s.profiles_differ
  and (
      s.company_agrees
      or ((s.cluster_a, s.cluster_b) in (select cluster_a, cluster_b from unique_names) and not s.company_comparable)
  );
