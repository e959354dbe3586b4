-- Every candidate pair of clusters with both judgements: the name-evidence score and Splink's match
-- probability. resolve.py merges a pair when either clears its bar, and lets two groups join only when
-- no pair between them disagrees. A name alone is never proof for Splink: some other field must agree
-- (company, a user name that is not just the name, birthday, address), since namesakes abound.

create or replace table splink_support as
select s.cluster_a, s.cluster_b
from resolve_splink_pairs as s
join resolve_profiles as a on a.unique_id = s.cluster_a
join resolve_profiles as b on b.unique_id = s.cluster_b
where s.match_probability >= getvariable('merge_probability')
  and (
      len(list_filter(a.companies, lambda x: len(list_filter(b.companies,
          lambda y: starts_with(x, y) or starts_with(y, x))) > 0)) > 0
      or len(list_intersect(a.email_locals, b.email_locals)) > 0
      or levenshtein(a.birthday, b.birthday) <= 2
      or a.postcode = b.postcode
      or jaro_winkler_similarity(a.street, b.street) >= 0.8
      or jaro_winkler_similarity(a.locality, b.locality) >= 0.8
  );

create or replace table resolve_pair_scores as
select
    cluster_a,
    cluster_b,
    n.score,
    n.evidence,
    s.match_probability,
    coalesce(n.score >= getvariable('merge_score'), false)
        or (cluster_a, cluster_b) in (select cluster_a, cluster_b from splink_support) as merge,
    coalesce(n.score >= 0, false) or coalesce(s.match_probability >= 0.5, false) as compatible
from name_pair_candidates as n
full outer join resolve_splink_pairs as s using (cluster_a, cluster_b)
order by cluster_a, cluster_b;

-- Record pairs some blocking rule put side by side (for measuring pair completeness).
create or replace view resolve_candidate_record_pairs as
select a.record_uid as record_uid_a, b.record_uid as record_uid_b
from (
    select cluster_a, cluster_b from resolve_candidate_pairs
    union
    select cluster_a, cluster_b from resolve_splink_pairs
) as p
join record_clusters_stage1 as a on a.cluster_id = p.cluster_a
join record_clusters_stage1 as b on b.cluster_id = p.cluster_b;
