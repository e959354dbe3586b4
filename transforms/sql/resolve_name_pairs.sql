-- Second stage: clusters that share no identifier but may be the same person.
-- Blocking: same family name and compatible first names (Bob ~ Robert), or the same email local part.
-- Each candidate pair gets its evidence and a score (log2 odds, Fellegi-Sunter style); resolve.py merges
-- the pairs that clear the bar. Clusters with two different LinkedIn profiles are never candidates.

-- `one_of_two`: the group carries the family name only as one of its two (Lopez of Garcia Lopez) or spelt another
-- way (Jamal of bin Jamal), or a display name of three words or more may give it before the last (Barajas of
-- "Alejandro Barajas Apodaca", Freitas of "Pedro Freitas de Oliveira": a display name does not say which words are
-- family names). Such a match blocks a pair but is no evidence from the name's rarity: a daughter's second family
-- name is her mother's first, and brothers share their father's name.
create or replace table cluster_names as
select c.cluster_id, n.family_key, g.name_group, bool_and(n.one_of_two) as one_of_two,
    bool_and(n.before_last) as before_last_only
from record_clusters as c
join (
    select record_uid, family_key, false as one_of_two, false as before_last
    from record_names where family_key is not null
    union
    select record_uid, unnest(family_names_of(family_key)[2:]), true, false
    from record_names where family_key is not null
    union
    select record_uid, umlauts_folded(family_key, 'aou'), false, false from record_names where family_key is not null
    union
    -- de Souza is Souza: the same family name, as rare as it is
    select record_uid, without_iberian_particle(family_key), false, false from record_names where family_key is not null
    union
    select record_uid, unnest(family_spellings_of(family_key)), true, false
    from record_names where family_key like '% %'
    union
    select record_uid, word_before_family_name, true, true
    from (
        select record_uid,
            string_split(full_key, ' ')[-len(string_split(family_key, ' ')) - 1] as word_before_family_name
        from record_names
        where not named_in_parts and ends_with(full_key, ' ' || family_key)
          and len(string_split(full_key, ' ')) >= len(string_split(family_key, ' ')) + 2
    )
    where not is_name_particle(word_before_family_name)
    union
    select record_uid, family_key, false, false from email_names
) as n using (record_uid)
join given_name_groups as g using (record_uid)
where length(n.family_key) > 1
group by all;

-- Records that are only a name in mail: recipients an Exchange archive names without an address (readpst writes
-- Outlook's list of display names for sent mail, a client's as well as a colleague's).
create or replace table named_only_records as
select record_uid
from stg_records
where record_key like 'name:%' and source in ('mbox', 'maildir', 'eml', 'imap', 'gmail');

create or replace table named_only_clusters as
select cluster_id
from record_clusters
group by all
having bool_and(record_uid in (select record_uid from named_only_records));

-- Clusters whose only name is one guessed from an initial (dchen@ -> Daniel Chen), or only a name in mail: a
-- candidate, but the name's rarity is no evidence for them.
create or replace table guessed_name_clusters as
select c.cluster_id
from record_clusters as c
left join email_names as e using (record_uid)
join record_names as n using (record_uid)
group by all
having bool_and((n.family_key is null and coalesce(e.by_initial, true))
    or c.record_uid in (select record_uid from named_only_records));

create or replace table cluster_evidence as
select
    c.cluster_id,
    coalesce((select list(distinct k.company_key order by k.company_key) from record_clusters as c2
        join record_companies as k using (record_uid) where c2.cluster_id = c.cluster_id), []) as companies,
    coalesce((select list(distinct k.company_key order by k.company_key) from record_clusters as c2
        join record_assumed_companies as k using (record_uid) where c2.cluster_id = c.cluster_id), [])
        as assumed_companies,
    coalesce((select list(distinct i.value order by i.value) from record_clusters as c2
        join stg_record_identifiers as i using (record_uid)
        where c2.cluster_id = c.cluster_id and i.kind = 'linkedin'), []) as linkedin_slugs,
    -- user names that only spell the person's name (robert.smith, r.smith) say nothing a name does not
    coalesce((select list(distinct split_part(i.value, '@', 1) order by split_part(i.value, '@', 1))
        from record_clusters as c2
        join stg_record_identifiers as i using (record_uid)
        where c2.cluster_id = c.cluster_id and i.kind = 'email'
          and regexp_replace(split_part(i.value, '@', 1), '[^a-z]', '', 'g') not in (
              select replace(unnest([g.name_group || f.family_key, f.family_key || g.name_group,
                      left(g.name_group, 1) || f.family_key, f.family_key || left(g.name_group, 1)]), ' ', '')
              from cluster_names as f
              join cluster_names as g using (cluster_id)
              where f.cluster_id = c.cluster_id
          )), []) as email_locals,
    coalesce((select list(distinct n.given_key order by n.given_key) from record_clusters as c2
        join record_names as n using (record_uid)
        where c2.cluster_id = c.cluster_id and n.given_key is not null), []) as given_keys
from (select distinct cluster_id from record_clusters) as c;

-- How many clusters carry each (family name, first-name group): a name nobody else has is evidence.
-- and how many other people would carry it by chance: clusters x P(first name) x P(family name).
create or replace table name_frequency as
with given_share as (
    select name_group, count(distinct cluster_id) as clusters from cluster_names group by all
),

family_share as (
    select family_key, count(distinct cluster_id) as clusters from cluster_names group by all
)

select n.family_key, n.name_group, count(distinct n.cluster_id) as clusters,
    any_value(g.clusters) * any_value(f.clusters) / (select count(distinct cluster_id) from cluster_names)
        as expected_namesakes
from cluster_names as n
join given_share as g using (name_group)
join family_share as f using (family_key)
group by all;

-- One company however it is written: an organisation and the label of its work domain (northwindlabs, northwind).
create or replace macro same_company(x, y) as
    x = y or (least(length(x), length(y)) >= 4 and (starts_with(x, y) or starts_with(y, x)))
    -- a domain of the first word's initial and the rest: fsantaclara of Farmacias Santa Clara
    or (least(length(x), length(y)) >= 7 and left(x, 1) = left(y, 1)
        and (ends_with(x, substr(y, 2)) or ends_with(y, substr(x, 2))));

-- One work address fell silent when another began: at most a month of overlap, at most a year of gap.
create or replace macro hands_over(last_old, first_new) as
    last_old <= first_new + interval 30 day and first_new <= last_old + interval 365 day;

-- When each work address of a cluster was in use: a job change shows as one address that stops where the
-- other starts. Calendars show an attendee's address of today on past meetings too (Exchange and Google Workspace
-- keep attendees as accounts, so a domain that changed is rewritten everywhere): a meeting dates an address only
-- once mail from its domain had begun (`work_domain_mail_start`), or when the address has no mail.
create or replace table cluster_work_addresses as
select c.cluster_id, p.value as address, split_part(p.value, '@', 2) as domain,
    address_company(p.value) as company_key,
    coalesce(min(i.occurred_at) filter (where i.channel = 'email' or i.occurred_at >= d.first_mail_at),
        min(i.occurred_at)) as first_seen,
    max(i.occurred_at) as last_seen, count(distinct i.interaction_key) as interactions
from stg_participations as p
join raw_interactions as i using (source, source_file, interaction_key)
join stg_correspondents as r using (source, source_file, kind, value)
join record_clusters as c using (record_uid)
left join work_domain_mail_start as d on d.domain = split_part(p.value, '@', 2)
where p.kind = 'email' and i.occurred_at is not null
  and not is_personal_mail_domain(split_part(p.value, '@', 2))
group by all;

-- Blocking: a family name and a first-name group in common. The name is as common as the commonest group the
-- two share (Chris is read as Christopher, not as the rarer Christian). A table of its own: inlined in the
-- query below, it leaves DuckDB to join work addresses first and costs seconds.
create or replace table name_blocked_pairs as
select a.cluster_id as cluster_a, b.cluster_id as cluster_b,
    max(f.clusters) as name_clusters,
    -- as common as can be when only one of two family names is shared
    case when bool_and(a.one_of_two or b.one_of_two) then 'infinity'::double else max(f.expected_namesakes) end
        as expected_namesakes
from cluster_names as a
join cluster_names as b
    on a.family_key = b.family_key and a.name_group = b.name_group and a.cluster_id < b.cluster_id
    -- a word before the last meets a family name, not another such word (Ana Marie Aquino, Ana Marie Garcia)
    and not (a.before_last_only and b.before_last_only)
join name_frequency as f on f.family_key = a.family_key and f.name_group = a.name_group
group by all;

create or replace table resolve_candidate_pairs as
with companies_agree as (
    select ea.cluster_id as cluster_a, eb.cluster_id as cluster_b
    from name_blocked_pairs as p
    join cluster_evidence as ea on ea.cluster_id = p.cluster_a
    join cluster_evidence as eb on eb.cluster_id = p.cluster_b,
        unnest(list_concat(ea.companies, ea.assumed_companies)) as ta(company_a),
        unnest(list_concat(eb.companies, eb.assumed_companies)) as tb(company_b)
    where same_company(company_a, company_b)
    group by all
),

-- A name in mail and the one group of that name whose name is not a guess: the recipient the owner named is that
-- person (two such groups leave it open), when it is someone the owner deals with by mail, under the very first name
-- the owner wrote (not the LinkedIn connection of a namesake who has no address; not Christina for "Lee, Chris").
named_partners as (
    select *
    from (
        select n.cluster_id as named, p.cluster_a, p.cluster_b,
            if(n.cluster_id = p.cluster_a, p.cluster_b, p.cluster_a) as partner
        from name_blocked_pairs as p
        join named_only_clusters as n on n.cluster_id in (p.cluster_a, p.cluster_b)
    )
    where partner not in (select cluster_id from guessed_name_clusters)
),

sole_named_matches as (
    select s.cluster_a, s.cluster_b
    from (select *, count(*) over (partition by named) as partners from named_partners) as s
    join cluster_evidence as en on en.cluster_id = s.named
    join cluster_evidence as ep on ep.cluster_id = s.partner
    where s.partners = 1
      and len(list_intersect(en.given_keys, ep.given_keys)) > 0
      and s.partner in (
          select c.cluster_id
          from record_clusters as c
          join stg_record_identifiers as i using (record_uid)
          where i.kind = 'email'
      )
),

-- A work address of each side, at two domains, each seen on two or more messages: what a job change or two
-- employers at once are read from.
address_pairs as (
    select p.cluster_a, p.cluster_b,
        a.company_key as company_a, a.first_seen as first_a, a.last_seen as last_a,
        b.company_key as company_b, b.first_seen as first_b, b.last_seen as last_b
    from name_blocked_pairs as p
    join cluster_work_addresses as a on a.cluster_id = p.cluster_a
    join cluster_work_addresses as b on b.cluster_id = p.cluster_b and b.domain <> a.domain
    where least(a.interactions, b.interactions) >= 2
),

-- One work address fell silent when another began: namesakes at two employers overlap in time. A change explains
-- two employers, not a third: when either side also names another company (a card at a third employer), they are
-- two people.
job_changes as (
    select distinct w.cluster_a, w.cluster_b
    from address_pairs as w
    join cluster_evidence as ea on ea.cluster_id = w.cluster_a
    join cluster_evidence as eb on eb.cluster_id = w.cluster_b
    where (hands_over(w.last_a, w.first_b) or hands_over(w.last_b, w.first_a))
      and len(list_filter(list_concat(ea.companies, eb.companies),
          lambda c: not (same_company(c, w.company_a) or same_company(c, w.company_b)))) = 0
),

-- Work addresses at two employers in use at the same time (more than a month of overlap): two people, even
-- when one of the addresses fell silent since.
concurrent_employers as (
    select distinct cluster_a, cluster_b
    from address_pairs
    where least(last_a, last_b) > greatest(first_a, first_b) + interval 30 day
),

-- Clusters whose work addresses all fell silent half a year before the latest interaction of the build's day:
-- their company is a former employer, so another company elsewhere is no disagreement. Not when the cluster's
-- LinkedIn connection names that company: a connection lists the position held now (quiet mail is not a
-- departure). A series' upcoming meetings are not the latest interaction: they would make every address look old.
latest_interaction as (
    select max(occurred_at) as occurred_at
    from raw_interactions
    where occurred_at <= (select as_of from build_settings)
),

-- So are clusters whose work address handed over to another of the same name's (a job change), however recently.
former_employees as (
    (
        select cluster_id
        from cluster_work_addresses
        group by all
        having max(last_seen) < (select occurred_at from latest_interaction) - interval 180 day
        union
        select w.cluster_a
        from address_pairs as w
        join job_changes using (cluster_a, cluster_b)
        where hands_over(w.last_a, w.first_b)
        union
        select w.cluster_b
        from address_pairs as w
        join job_changes using (cluster_a, cluster_b)
        where hands_over(w.last_b, w.first_a)
    )
    except
    select w.cluster_id
    from cluster_work_addresses as w
    join record_clusters as c using (cluster_id)
    join stg_records as r using (record_uid)
    where r.source = 'linkedin' and r.record_kind = 'card'
      and same_company(organization_key(r.organization), w.company_key)
)

select
    p.cluster_a,
    p.cluster_b,
    p.name_clusters,
    p.expected_namesakes,
    (p.cluster_a, p.cluster_b) in (select cluster_a, cluster_b from companies_agree) as company_agrees,
    (p.cluster_a, p.cluster_b) in (select cluster_a, cluster_b from job_changes) as job_change,
    len(ea.companies) > 0 and len(eb.companies) > 0 as company_comparable,
    (p.cluster_a, p.cluster_b) in (select cluster_a, cluster_b from concurrent_employers) as concurrent_employers,
    (p.cluster_a in (select cluster_id from former_employees)
        or p.cluster_b in (select cluster_id from former_employees))
        and (p.cluster_a, p.cluster_b) not in (select cluster_a, cluster_b from concurrent_employers)
        as former_employer,
    len(list_intersect(ea.email_locals, eb.email_locals)) > 0 as email_local_agrees,
    p.cluster_a in (select cluster_id from guessed_name_clusters)
        or p.cluster_b in (select cluster_id from guessed_name_clusters) as name_guessed,
    p.cluster_a in (select cluster_id from named_only_clusters)
        or p.cluster_b in (select cluster_id from named_only_clusters) as named_only,
    (p.cluster_a, p.cluster_b) in (select cluster_a, cluster_b from sole_named_matches) as sole_named_match,
    len(ea.linkedin_slugs) > 0 and len(eb.linkedin_slugs) > 0
        and len(list_intersect(ea.linkedin_slugs, eb.linkedin_slugs)) = 0 as profiles_differ
from name_blocked_pairs as p
join cluster_evidence as ea on ea.cluster_id = p.cluster_a
join cluster_evidence as eb on eb.cluster_id = p.cluster_b;

-- The score: the name agrees (blocking), plus company, rarity, email user name; minus disagreement.
-- A negative company score is evidence of two people; a common name is only no evidence for one.
create or replace table name_pair_candidates as
with scored as (
    select *,
        case
            when company_agrees or job_change then 6
            when company_comparable and not former_employer then -2
            else 0
        end as company_score
    from resolve_candidate_pairs
    where not profiles_differ
)

select
    cluster_a,
    cluster_b,
    company_score,
    concurrent_employers,
    company_score
        + (case when sole_named_match then 4
                when name_guessed then 0
                when name_clusters = 2 and expected_namesakes < 0.5 then 4
                -- a name so rare that chance gives it to nobody else: three records of it (a card, a LinkedIn
                -- connection, a correspondent) are one person's, as two are
                when name_clusters = 3 and expected_namesakes < 0.1 then 4
                when name_clusters <= 3 and expected_namesakes < 0.5 then 1 else -2 end)
        + (case when email_local_agrees then 2 else 0 end) as score,
    concat_ws(', ', 'same name',
        case when company_agrees then 'same company'
             when job_change then 'one work address stopped when the other started'
             when company_comparable and former_employer then 'a former employer'
             when company_comparable then 'other company' end,
        case when sole_named_match then 'named without an address, the only one of the name with one'
             when named_only then 'named without an address'
             when name_guessed then 'name guessed from an email initial'
             when name_clusters = 2 and expected_namesakes < 0.5 or name_clusters = 3 and expected_namesakes < 0.1
             then 'nobody else has the name' end,
        case when email_local_agrees then 'same email user name' end) as evidence
from scored;
