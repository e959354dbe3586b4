-- Inputs of identity resolution: the name parts of every record, and the identifiers that may
-- join records. An identifier shared by records whose first names clearly disagree (a household
-- phone, a team@ inbox) joins nobody; automated senders join nobody either.

-- A name for comparison: letters a keyboard without accents types (Søren -> soren, O'Brien -> obrien).
create or replace macro person_key(name) as
    name_key(replace(replace(replace(replace(translate(name, 'øØłŁđĐ', 'oOlLdD'), 'ß', 'ss'), 'æ', 'ae'),
        '''', ''), '’', ''));

-- Chinese, Japanese and Korean names written in their own script put the family name first: 中島 結衣, 김 민준.
create or replace macro is_family_first(key) as
    regexp_matches(key, '^[\p{Han}\p{Hangul}\p{Hiragana}\p{Katakana}]+ [\p{Han}\p{Hangul}\p{Hiragana}\p{Katakana}]+$');

-- A display name as a key to read its first and family names from: in reading order, titles and suffixes off.
create or replace macro reading_key_of(display_name) as
    person_key(without_titles(without_name_suffix(name_in_reading_order(display_name))));

-- The first and the family name of a reading key of two words or more (a name of one word may be either).
create or replace macro given_of_reading_key(key) as case
    when is_family_first(key) then split_part(key, ' ', 2)
    when strpos(key, ' ') > 0 and key <> family_of(key) then split_part(key, ' ', 1)
end;

create or replace macro family_of_reading_key(key) as case
    when is_family_first(key) then split_part(key, ' ', 1)
    when strpos(key, ' ') > 0 and key <> family_of(key) then family_of(key)
end;

-- A name a household signs with: "Familie Brandt", "Famille Lefèvre", "The Smiths", "Santos Family".
create or replace macro is_household_name(key) as
    regexp_matches(key, '(^| )(family|familie|famille|familia|famiglia|familien|familjen|gezin|rodzina)( |$)')
    or regexp_matches(key, '^the \S+s$');

create or replace table record_names as
with parts as (
    select record_uid, record_kind, given_name, family_name, nickname, display_name,
        reading_key_of(display_name) as reading_key
    from stg_records
)

select
    record_uid,
    record_kind,
    person_key(coalesce(given_name, nickname, given_of_reading_key(reading_key))) as given_key,
    coalesce(person_key(without_name_suffix(family_name)), family_of_reading_key(reading_key)) as family_key,
    reading_key as full_key,
    regexp_matches(concat(given_name, ' ', display_name), '[äöüÄÖÜ]') as has_umlaut,
    -- written in parts (a card's N, LinkedIn's First and Last Name), not read from a display name
    family_name is not null as named_in_parts
from parts;

-- Each first name with the canonical names it may stand for (Bob -> Robert). A short form is no longer than
-- its name: the package also lists full names under other names (Hannah under Susan), which would match two
-- different first names.
create or replace view short_forms as
select nickname, canonical from nicknames where length(nickname) <= length(canonical);

create or replace table given_name_groups as
select distinct record_uid, given_key as name_group
from record_names where given_key is not null
union
select distinct r.record_uid, n.canonical
from record_names as r
join short_forms as n on n.nickname = r.given_key
union
select distinct record_uid, umlauts_folded(given_key, 'ou')
from record_names where given_key is not null
union
-- a first name of two words written as one (Min-jun / Minjun, Hyun-woo / Hyunwoo)
select distinct record_uid, replace(given_key, ' ', '')
from record_names where given_key like '% %'
union
-- the first two words of a display name of three or more, which may be two first names (Luis Fernando of "Luis
-- Fernando Contreras Velázquez"); a card or LinkedIn gives them apart
select distinct record_uid, string_split(full_key, ' ')[1] || ' ' || string_split(full_key, ' ')[2]
from record_names
where not named_in_parts and len(string_split(full_key, ' ')) >= 3
  and not is_name_particle(string_split(full_key, ' ')[2])
union
-- a short form of one name of a first name of two is that person's (Zé of José Carlos, Duda of Maria Eduarda); not
-- the name itself (Maria and Ana Maria may be mother and daughter). Only a first name known to be the whole of it: a
-- display name of three words may give two first names (Mary Grace Garcia is no Mary of Ana Marie Garcia).
select distinct r.record_uid, 'short form of ' || n.canonical
from record_names as r
join short_forms as n on n.nickname = r.given_key
where r.named_in_parts or len(string_split(r.full_key, ' ')) <= 2
union
select distinct record_uid, 'short form of ' || unnest(string_split(given_key, ' '))
from record_names where given_key like '% %'
union
-- the name members of LinkedIn say they go by ("Lily (Yan)"); not a card's NICKNAME, which is the owner's word for
-- them ("Bro", "Mom") and may be a sister's name
select distinct record_uid, person_key(nickname)
from stg_records
where source = 'linkedin' and nickname is not null and length(person_key(nickname)) > 1;

-- `short` is a form of the first name `long` that no nickname list needs: its initials (HP for Hans Peter) or the
-- first syllables of its names (Majo for María José), or, when the nickname list does not know `short`
-- (`short_is_listed`: Mary, Lucy and Patty are names or forms of other names), a diminutive of its first letters
-- (Tobi for Tobias, Susi for Susanne) or its end (Bastian for Sebastian; not Hanna of Johanna, a name of its own).
-- Not its beginning: Manish and Manisha, Luis and Luisa are a couple's names.
create or replace macro is_short_form_of(short, long, short_is_listed) as
    length(short) < length(long) and (
        (length(short) <= 3 and short = list_aggr(list_transform(string_split(long, ' '), lambda w: left(w, 1)),
                                                  'string_agg', ''))
        -- of the first two names: a display name's first names may run on into a family name (María José Hernández)
        or (long like '% %' and short = list_aggr(list_transform(string_split(long, ' ')[1:2], lambda w: left(w, 2)),
                                                  'string_agg', ''))
        or not short_is_listed and length(short) >= 4 and (
            (regexp_matches(short, '(i|y|ie)$') and left(short, 3) = left(long, 3))
            or (length(short) >= 6 and ends_with(long, short))));

-- Every first name the nickname list knows, as a name or as a form of one.
create or replace view listed_first_names as
select nickname as name from nicknames union select canonical from nicknames;

create or replace table ambiguous_identifiers as
with named_holders as (
    select i.kind, i.value, n.record_uid, n.given_key, n.has_umlaut,
        list_sort(string_split(n.full_key, ' ')) as full_words, string_split(n.given_key, ' ') as given_words,
        -- every first name a display name gives (Hans Peter of Hans Peter Schäfer), where given_key has the first
        case when ends_with(n.full_key, ' ' || n.family_key)
            then left(n.full_key, length(n.full_key) - length(n.family_key) - 1) else n.given_key end as given_part,
        n.given_key in (select name from listed_first_names) as given_is_listed,
        -- a card with a first name only is the owner's word for someone (Mom, Maman, Papa)
        n.family_key is null as first_name_only
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
        -- An address or a profile is one person's: one of two first names (María Cristina / María), the whole name
        -- in another order (Nakajima Yui) or in a script letters cannot compare (康弘 / Yasuhiro) is no other
        -- holder. A phone is a household's: Anna Maria and Maria, Li Wei and Wei Li are two people there.
        -- Nor, for an address, is a short form of the other's first name, the same first name written as one word
        -- (Minseo / Min-seo), or the owner's word for someone beside their name (Maman on the card, Claire Dubois in
        -- her mail); Mama and Papa cards are two holders.
        and (a.kind = 'phone' or (
            len(list_intersect(a.given_words, b.given_words)) = 0
            and replace(a.given_part, ' ', '') <> replace(b.given_part, ' ', '')
            and coalesce(a.full_words <> b.full_words, true)
            and in_cjk_script(a.given_key) = in_cjk_script(b.given_key)
            and not is_short_form_of(a.given_key, b.given_part, a.given_is_listed)
            and not is_short_form_of(b.given_key, a.given_part, b.given_is_listed)
            and a.first_name_only = b.first_name_only))
        -- Jürgen as an address or an ASCII-only system writes him (Juergen) is the same first name
        and not ((a.has_umlaut or b.has_umlaut)
            and umlauts_folded(a.given_key, 'aou') = umlauts_folded(b.given_key, 'aou'))
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
union all
-- An identifier several people share still joins its records of one name, and its records of no name: each mail
-- folder or message file is a record, and one person's sent and received mail must meet, as must a household's.
select i.record_uid, i.kind || ':' || i.value || ' named ' || coalesce(n.full_key, '')
from stg_record_identifiers as i
join ambiguous_identifiers as a using (kind, value)
join record_names as n using (record_uid)
where (i.kind, i.value) not in (select kind, value from automated_identifiers)
order by record_uid, identifier;

-- Correspondents that are machines or role accounts: they become no person.
create or replace table automated_records as
select c.record_uid, a.automated_reason
from stg_correspondents as c
join automated_identifiers as a using (kind, value);

-- A record without a name, or with a name in a CJK script (小林 康弘), but with an address that spells one
-- takes that name, when it is a first and a family name seen elsewhere: robert.smith@, smith.robert@,
-- robertsmith@; rsmith@, r.smith@, smithr@ only when one known name has that initial. Candidate generation: the
-- scores still decide.
create or replace table email_names as
with locals as (
    select distinct i.record_uid, regexp_replace(split_part(i.value, '@', 1), '[0-9]+$', '') as local
    from stg_record_identifiers as i
    join record_names as n using (record_uid)
    where i.kind = 'email'
      and ((n.family_key is null and n.given_key is null) or in_cjk_script(concat(n.given_key, n.family_key)))
),

known as (
    select distinct given_key, family_key, replace(family_key, ' ', '') as family_compact
    from record_names
    where given_key is not null and family_key is not null and length(given_key) > 1
),

spelled as (
    select l.record_uid, k.given_key, k.family_key, false as by_initial
    from locals as l
    join known as k
        on l.local in (
            k.given_key || '.' || k.family_compact, k.given_key || k.family_compact,
            k.family_compact || '.' || k.given_key, k.given_key || '_' || k.family_compact,
            k.family_compact || k.given_key
        )
    union all
    select l.record_uid, k.given_key, k.family_key, true
    from locals as l
    join known as k
        on l.local in (
            left(k.given_key, 1) || '.' || k.family_compact, left(k.given_key, 1) || k.family_compact,
            k.family_compact || '.' || left(k.given_key, 1), k.family_compact || left(k.given_key, 1)
        )
    where length(k.family_compact) >= 4
)

select distinct record_uid, given_key, family_key, by_initial
from spelled
qualify not by_initial or count(distinct given_key) over (partition by record_uid) = 1;

insert into given_name_groups
select distinct e.record_uid, e.given_key from email_names as e
union
select distinct e.record_uid, n.canonical from email_names as e join short_forms as n on n.nickname = e.given_key;

-- The company a work address names: the label of its domain (jo@bluebirdhealth.example -> bluebirdhealth).
create or replace macro address_company(address) as
    regexp_replace(split_part(split_part(address, '@', 2), '.', 1), '[^a-z0-9]', '', 'g');

-- An organisation squashed, legal suffixes dropped: "Harbour & Vale, Ltd." -> harbourvale.
create or replace macro organization_key(organization) as
    replace(regexp_replace(name_key(organization), '( (' || legal_form_pattern() || '))+$', ''), ' ', '');

-- The companies a record names: its organisation and the label of its work email domain
-- (jo@bluebirdhealth.example -> bluebirdhealth).
create or replace table record_companies as
select distinct record_uid, company_key
from (
    select record_uid, organization_key(organization) as company_key
    from stg_records
    where organization is not null
    union all
    select record_uid, address_company(value)
    from stg_record_identifiers
    where kind = 'email' and not is_personal_mail_domain(split_part(value, '@', 2))
)
where length(company_key) > 1;

-- The owner's employer for a recipient named without an address in mail the owner sent from work (readpst writes
-- Outlook's list of display names for sent Exchange mail): likely a colleague's, so it prefers a colleague of the
-- name to a namesake elsewhere, but the recipient may as well be a client's, so it tells nobody apart.
create or replace table record_assumed_companies as
select distinct c.record_uid, address_company(o.value) as company_key
from stg_correspondents as c
join stg_participations as p using (source, source_file, kind, value)
join stg_participations as o using (source, source_file, interaction_key)
where c.kind = 'name' and p.channel = 'email' and p.role in ('to', 'cc')
  and o.role = 'from' and o.kind = 'email' and (o.kind, o.value) in (select kind, value from owner_identifiers)
  and not is_personal_mail_domain(split_part(o.value, '@', 2));

-- When mail from each domain began: calendars show an attendee's address of today on past meetings too, so before
-- then a meeting does not date an address at that domain (resolve_name_pairs.sql, cluster_work_addresses).
create or replace table work_domain_mail_start as
select split_part(p.value, '@', 2) as domain, min(i.occurred_at) as first_mail_at
from stg_participations as p
join raw_interactions as i using (source, source_file, interaction_key)
where p.kind = 'email' and i.channel = 'email' and i.occurred_at is not null
group by all;

-- Each record's place in every tie-break: a hash of what it says (never of the folder it was read from),
-- so moving the inbox changes no merge. Identical records in one source are numbered by file name, then path.
create or replace table record_order as
with content as (
    select r.record_uid, md5(concat_ws('|', r.source, r.record_kind, r.record_key, r.display_name, r.given_name,
            r.family_name, r.organization,
            (select string_agg(i.kind || ':' || i.value, ',' order by i.kind, i.value)
             from stg_record_identifiers as i where i.record_uid = r.record_uid))) as content_hash,
        regexp_extract(r.source_file, '[^/\\]*$') as file_name
    from stg_records as r
)

select record_uid,
    content_hash || '-' || row_number() over (partition by content_hash order by file_name, record_uid) as order_key
from content
order by order_key;
