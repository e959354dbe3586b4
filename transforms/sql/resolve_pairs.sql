-- Every candidate pair of clusters with both judgements: the name-evidence score and Splink's match
-- probability. resolve.py merges a pair when either clears its bar, and lets two groups join only when
-- no pair between them disagrees. A name alone is never proof for Splink: some other field must agree
-- (company, a user name that is not just the name, birthday, address), since namesakes abound.

-- The same birthday and the same address: a record with a garbled name is still the same person.
create or replace macro facts_agree(a, b) as
    coalesce(levenshtein(a.birthday, b.birthday) <= 1
        and (a.postcode = b.postcode or jaro_winkler_similarity(a.street, b.street) >= 0.9), false);

-- First or family names that clearly disagree (not a nickname, not a typo, not swapped) veto any merge,
-- unless birthday and address agree. Hannah/Ana, Matt/Mateus, Jones/Johnson are other names (Jaro-Winkler
-- below 0.88 and more than one edit apart); Katherine/Kathrine is a typo. A name in a CJK script and a Latin one
-- (小林 and Kobayashi) cannot be compared letter by letter, so they do not disagree; nor do Apodaca and Barajas
-- Apodaca, one of two family names and both, nor bin Jamal and Jamal, one family name spelt two ways, nor a family
-- name that is a word of the other side's names (Barajas, and Apodaca read from "Alejandro Barajas Apodaca"). Two
-- pairs of family names with the same first and another second one disagree (Herrera Espinosa, Herrera Gomez).
create or replace macro names_disagree(a, b) as
    in_cjk_script(concat(a.given_name, a.family_name)) = in_cjk_script(concat(b.given_name, b.family_name))
    and ((len(list_intersect(a.given_names, b.given_names)) = 0
        and jaro_winkler_similarity(a.given_name, b.given_name) < 0.88
        and damerau_levenshtein(a.given_name, b.given_name) > 1
        and coalesce(jaro_winkler_similarity(a.given_name, b.family_name) < 0.8, true))
    or (jaro_winkler_similarity(a.family_name, b.family_name) < 0.88
        and damerau_levenshtein(a.family_name, b.family_name) > 1
        and not list_has(list_concat(family_names_of(a.family_name), family_spellings_of(a.family_name)), b.family_name)
        and not list_has(list_concat(family_names_of(b.family_name), family_spellings_of(b.family_name)), a.family_name)
        and not list_has(a.name_words, b.family_name) and not list_has(b.name_words, a.family_name)
        and coalesce(jaro_winkler_similarity(a.family_name, b.given_name) < 0.8, true))
    -- the same father's family name and another mother's: Ximena Herrera Espinosa and Ximena Herrera Gomez
    or len(list_filter(a.family_pairs, lambda x: len(list_filter(b.family_pairs,
        lambda y: x[1] = y[1] and jaro_winkler_similarity(x[2], y[2]) < 0.88 and damerau_levenshtein(x[2], y[2]) > 1))
        > 0)) > 0);

create or replace table splink_support as
select s.cluster_a, s.cluster_b
from resolve_splink_pairs as s
join resolve_profiles as a on a.unique_id = s.cluster_a
join resolve_profiles as b on b.unique_id = s.cluster_b
where (s.match_probability >= 0.5 and facts_agree(a, b))
   or s.match_probability >= getvariable('merge_probability') and (
      len(list_filter(a.companies, lambda x: len(list_filter(b.companies,
          lambda y: starts_with(x, y) or starts_with(y, x))) > 0)) > 0
      or len(list_intersect(a.email_locals, b.email_locals)) > 0
      or levenshtein(a.birthday, b.birthday) <= 2
      or a.postcode = b.postcode
      or jaro_winkler_similarity(a.street, b.street) >= 0.8
      or jaro_winkler_similarity(a.locality, b.locality) >= 0.8
  );

-- Facts that tell two namesakes apart: both sides know a birthday, or an address, and they differ.
-- They veto the name score; Splink weighs them itself (typos in a birthday are common).
create or replace macro facts_disagree(a, b) as
    coalesce(levenshtein(a.birthday, b.birthday) > 2, false)
    or coalesce(a.postcode <> b.postcode and jaro_winkler_similarity(a.street, b.street) < 0.8, false);

-- The address book is the owner's own list of people: two cards of one name, each with a phone or a personal
-- address and none in common, are two people the owner keeps apart (work addresses change with jobs: a card
-- saved twice may keep the old one). Neither a company nor a match probability joins them; the same birthday
-- and address do (a duplicate card).
create or replace macro cards_apart(a, b) as
    len(a.personal_contacts) > 0 and len(b.personal_contacts) > 0
    and len(list_intersect(a.personal_contacts, b.personal_contacts)) = 0;

-- Two people whatever the scores, unless birthday and address agree: names that clearly disagree, two cards the
-- owner keeps apart, or mail from two employers at the same time.
create or replace macro told_apart(a, b, concurrent_employers) as
    (coalesce(names_disagree(a, b), false) or cards_apart(a, b) or coalesce(concurrent_employers, false))
    and not facts_agree(a, b);

create or replace table resolve_pair_scores as
with judged as (
    select cluster_a, cluster_b, n.score, n.company_score, n.concurrent_employers, n.evidence, s.match_probability
    from name_pair_candidates as n
    full outer join resolve_splink_pairs as s using (cluster_a, cluster_b)
)

select
    j.* exclude (company_score, concurrent_employers),
    not told_apart(a, b, j.concurrent_employers) and (
        (coalesce(j.score >= getvariable('merge_score'), false) and not facts_disagree(a, b))
        or (j.cluster_a, j.cluster_b) in (select cluster_a, cluster_b from splink_support)
    ) as merge,
    not told_apart(a, b, j.concurrent_employers) and (
        (coalesce(j.company_score >= 0, false) and not facts_disagree(a, b))
        or coalesce(j.match_probability >= 0.5, false)
    ) as compatible,
    facts_agree(a, b) as facts_agree
from judged as j
join resolve_profiles as a on a.unique_id = j.cluster_a
join resolve_profiles as b on b.unique_id = j.cluster_b
order by j.cluster_a, j.cluster_b;

-- Record pairs some blocking rule of the first round put side by side (for measuring pair completeness).
create or replace view resolve_candidate_record_pairs as
select a.record_uid as record_uid_a, b.record_uid as record_uid_b
from resolve_first_round_pairs as p
join record_clusters_stage1 as a on a.cluster_id = p.cluster_a
join record_clusters_stage1 as b on b.cluster_id = p.cluster_b;
