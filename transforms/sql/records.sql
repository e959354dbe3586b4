-- Staging: every contact card and every correspondent becomes one record with normalised
-- identifiers. A correspondent is one identifier seen on interactions of one source file.

create or replace table stg_cards as
select
    record_uid(source, source_file, record_key) as record_uid,
    source,
    source_file,
    record_key,
    location,
    'card' as record_kind,
    coalesce(
        usable_name(full_name),
        usable_name(concat_ws(' ', given_name, middle_name, family_name))
    ) as display_name,
    usable_name(given_name) as given_name,
    usable_name(family_name) as family_name,
    usable_name(nickname) as nickname,
    organization,
    title,
    birthday,
    categories,
    connected_at,
    coalesce(observed_at, connected_at) as observed_at
from raw_contacts
where not coalesce(deleted, false)
-- The same key twice in one file (a card exported twice) is one record: the newest copy speaks,
-- and the identifiers of every copy stay with it (stg_card_identifiers).
qualify row_number() over (
    partition by source, source_file, record_key
    order by coalesce(observed_at, connected_at) desc nulls last, location
) = 1;

create or replace table stg_card_identifiers as
with unnested as (
    select
        record_uid(r.source, r.source_file, r.record_key) as record_uid,
        ident.kind,
        ident.value as raw_value,
        ident.label
    from raw_contacts as r, unnest(r.identifiers) as t(ident)
    where not coalesce(r.deleted, false)
)
select distinct
    record_uid,
    kind,
    case kind
        when 'email' then email_canonical(raw_value)
        when 'phone' then phone_e164(raw_value)
        when 'linkedin' then linkedin_slug(raw_value)
    end as value,
    lower(raw_value) as raw_value,
    label
from unnested
where kind in ('email', 'phone', 'linkedin');

-- Correspondents: one record per (source file, identifier), with the display name seen most often.
-- Identifiers and names are normalised once per distinct value and joined back: a mailbox repeats
-- the same few thousand addresses across a million participations. A select-list unnest avoids a lateral join.
create or replace table stg_participations as
with participations as (
    select
        source,
        source_file,
        interaction_key,
        channel,
        occurred_at,
        automated_reason,
        direction_hint,
        p.role,
        p.kind as given_kind,
        p.value as given_value,
        p.name as given_name,
        p.response
    from (
        select source, source_file, interaction_key, channel, occurred_at, automated_reason, direction_hint,
            unnest(participants) as p
        from raw_interactions
    )
),

identifiers as (
    select
        given_kind,
        given_value,
        case given_kind
            when 'email' then 'email'
            when 'linkedin' then 'linkedin'
            else 'name'
        end as kind,
        case given_kind
            when 'email' then email_canonical(given_value)
            when 'linkedin' then linkedin_slug(given_value)
            else name_key(given_value)
        end as value,
        lower(trim(given_value)) as raw_value
    from (select distinct given_kind, given_value from participations)
),

names as (
    select given_name, usable_name(name_in_reading_order(given_name)) as display_name
    from (select distinct given_name from participations)
)

select
    p.source,
    p.source_file,
    p.interaction_key,
    p.channel,
    p.occurred_at,
    p.automated_reason,
    p.direction_hint,
    p.role,
    ident.kind,
    ident.value,
    ident.raw_value,
    n.display_name,
    p.response
from participations as p
join identifiers as ident
    on ident.given_kind is not distinct from p.given_kind and ident.given_value is not distinct from p.given_value
join names as n on n.given_name is not distinct from p.given_name;

-- People the owner asked Kith to forget (`kith forget`; loaded by transforms/forget.py): their
-- identifiers never become records or participants, and a card holding any of them is dropped whole.
create table if not exists forgotten_identifiers (kind varchar, value varchar);

delete from stg_cards where record_uid in (
    select record_uid from stg_card_identifiers
    where (kind, value) in (select kind, value from forgotten_identifiers)
       -- a number forgotten before Kith kept extensions (+12125550100) is still that card's +12125550100;ext=5555
       or (kind = 'phone' and (kind, split_part(value, ';ext=', 1)) in (select kind, value from forgotten_identifiers))
);

-- The owner's own card (an address book holds one, "me"): a card with an address or profile the owner named
-- themselves (--me, [owner] emails, their LinkedIn export, their accounts), or with any of the owner's identifiers
-- and the owner's name. An address only found in the mail (the sender of sent mail, a guess) may be a family's or
-- a boss's an assistant writes for, and a phone alone a household's: their cards stay. The card's other addresses
-- are the owner's too.
create or replace temp table owner_cards as
select distinct i.record_uid
from stg_card_identifiers as i
join owner_identifiers as o on o.kind = i.kind and o.value = i.value
join stg_cards as c using (record_uid)
where i.kind in ('email', 'linkedin')
    and len(list_filter(o.evidence, lambda e: e not in ('sender of sent mail', 'in most mail'))) > 0
   or name_key(c.display_name) in (select value from owner_identifiers where kind = 'name');

insert into owner_identifiers
select distinct i.kind, i.value, ['own card']
from stg_card_identifiers as i
where i.record_uid in (select record_uid from owner_cards) and i.kind in ('email', 'linkedin') and i.value is not null
  and (i.kind, i.value) not in (select kind, value from owner_identifiers);

delete from stg_cards where record_uid in (select record_uid from owner_cards);

delete from stg_card_identifiers where record_uid not in (select record_uid from stg_cards);

delete from stg_participations where (kind, value) in (select kind, value from forgotten_identifiers);

create or replace table stg_correspondents as
with named as (
    select source, source_file, kind, value, display_name, count(*) as times
    from stg_participations
    where value is not null
      and (kind, value) not in (select kind, value from owner_identifiers)
    group by all
),

spellings as (
    select *, sum(times) over (partition by source, source_file, kind, value, lower(display_name)) as name_times
    from named
),

best_name as (
    select source, source_file, kind, value,
        -- the name seen most often whatever its case, as spelt if it ever was; equally often: the fuller name,
        -- then the greater by sort order (not whichever row came first)
        arg_max(display_name, (name_times, well_cased(display_name), times, length(display_name), display_name))
            filter (where display_name is not null) as display_name,
        sum(times) as times
    from spellings
    group by all
)

select
    record_uid(source, source_file, kind || ':' || value) as record_uid,
    source,
    source_file,
    kind || ':' || value as record_key,
    null::varchar as location,
    'correspondent' as record_kind,
    case when kind = 'name' then coalesce(display_name, value) else display_name end as display_name,
    kind,
    value,
    times
from best_name;

-- Senders that are machines or role accounts, with the reason users see on the identifier.
create or replace table automated_identifiers as
with sent_by as (
    select kind, value, automated_reason, interaction_key
    from stg_participations
    where role in ('from', 'sender') and kind = 'email' and value is not null
),

owner_wrote_to as (
    select distinct kind, value
    from stg_participations as p
    where p.role in ('to', 'cc', 'bcc')
      and p.interaction_key in (
          select interaction_key from stg_participations as s
          where s.role in ('from', 'sender') and (s.kind, s.value) in (select kind, value from owner_identifiers)
      )
),

-- a post to a discussion list says nothing of its sender: a friend who only writes to the club's list is a person
per_sender as (
    select kind, value,
        count(*) filter (where own_mail) as messages,
        count(automated_reason) filter (where own_mail) as automated_messages,
        mode(automated_reason) filter (where own_mail) as usual_reason,
        bool_or(automated_reason in ('no-reply', 'mailer-daemon', 'calendar-notification')) as machine_sender
    from (select *, coalesce(automated_reason <> 'mailing-list', true) as own_mail from sent_by)
    group by all
),

-- a discussion list's own address, where its List-Post says to write
list_addresses as (
    select distinct kind, value, 'mailing-list' as reason
    from stg_participations
    where role = 'list' and value is not null
),

role_addresses as (
    select distinct kind, value, 'role-address' as reason
    from stg_participations
    where kind = 'email'
      and regexp_full_match(split_part(value, '@', 1),
          '(info|team|sales|support|hello|contact|admin|office|jobs|careers|hr|billing|help|press|marketing|enquiries|inquiries|service|accounts|all|everyone|staff)'
          -- and in German, French, Spanish, Portuguese, Italian (connectors/mail/automated.py flags their messages
          -- alike)
          || '|(kontakt|contacto|contato|contatto|vertrieb|ventes|ventas|vendas|rechnung|facturation|hallo|bonjour'
          || '|hola|buero|kundenservice|kundendienst|presse|karriere|emplois|empleo|atendimento|sac|faleconosco'
          || '|suporte|soporte|rh|facturacion|cobranza|atencion.*|administracion.*)'
          || '|.+[-_.](support|service|helpdesk)'
          -- distribution lists: eng-all@, allhands@ (Staff and Team are family names: ken.staff@ is a person)
          || '|.+[-_.](all|everyone)|all[-_.]?(hands|staff|company|employees)')
)

select kind, value, usual_reason as automated_reason
from per_sender
where (machine_sender or (messages > 0 and automated_messages = messages))
  and (kind, value) not in (select kind, value from owner_wrote_to)
union
select kind, value, reason from role_addresses
union
select kind, value, reason from list_addresses;

-- Cards with no name whose every identifier normalised to nothing (a card of one mistyped number): nobody to keep.
create or replace table empty_cards as
select c.record_uid, c.source, c.source_file, c.location
from stg_cards as c
where c.display_name is null and c.organization is null
  and not exists (select 1 from stg_card_identifiers as i where i.record_uid = c.record_uid and i.value is not null);

create or replace table stg_records as
select record_uid, source, source_file, record_key, location, record_kind, display_name,
    given_name, family_name, nickname, organization, title, observed_at
from stg_cards
where record_uid not in (select record_uid from empty_cards)
union all by name
select record_uid, source, source_file, record_key, location, record_kind, display_name,
    null as given_name, null as family_name, null as nickname, null as organization, null as title,
    null::timestamptz as observed_at
from stg_correspondents;

create or replace table stg_record_identifiers as
select record_uid, kind, value, raw_value, label from stg_card_identifiers where value is not null
union all
select record_uid, kind, value, null as raw_value, null as label from stg_correspondents where kind <> 'name';

-- What could not be read: the connectors' rejects, and the identifiers of cards that normalise to nothing (a phone
-- number without its country code outside [owner] default_region, an address that is no address); the card lands.
create or replace table rejected as
select source, source_file, location, 'record' as scope, reason
from raw_rejected
union all
select c.source, c.source_file, c.location, 'identifier',
    format('{} "{}" left out: {}', i.kind, i.raw_value, case i.kind
        when 'phone' then 'not a phone number (one without a country code is read in '
            || (select region from phone_settings) || ': set [owner] default_region)'
        when 'email' then 'not an email address'
        else 'not a LinkedIn profile URL'
    end) as reason
from stg_card_identifiers as i
join stg_cards as c using (record_uid)
where i.value is null
union all
select source, source_file, location, 'record', 'card left out: it has no name, and none of its identifiers is usable'
from empty_cards
order by source_file, location;
