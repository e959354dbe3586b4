-- The interaction marts. The same message seen in two sources (an mbox and IMAP) is one interaction;
-- `interaction_sources` keeps every raw input row, so counts reconcile.

create or replace table interaction_sources as
select
    interaction_id(channel, interaction_key) as interaction_id,
    source,
    source_file,
    location,
    interaction_key
from raw_interactions
order by interaction_id, source, source_file, location;

-- An address several people hold (a couple's, a family's) is the mail of whichever of them a message names:
-- "Ursula Brandt <familie.brandt@...>" is Ursula's, "Papa <...>" the card named Papa's and "Gérard et Martine
-- Lefèvre <...>" both Gérard's and Martine's, when no two holders go by a name or first name it gives. A household's
-- name ("Familie Brandt", "The Smiths") names none of them: answering a message written to one of them by name, it
-- is that one's reply; otherwise it stays with the person of the records under that name, as does a name no holder
-- goes by.
create or replace temp table shared_identifier_holders as
select distinct i.kind, i.value, p.person_id, n.given_key, n.full_key
from stg_record_identifiers as i
join record_people as p using (record_uid)
join record_names as n using (record_uid)
qualify count(distinct p.person_id) over (partition by i.kind, i.value) > 1;

create or replace temp table shared_identifier_names as
with written as (
    select distinct kind, value, display_name, reading_key_of(display_name) as full_key
    from stg_participations
    where display_name is not null and (kind, value) in (select kind, value from shared_identifier_holders)
),

-- the first names a name gives: its words before the family name; a name of one word ("Papa", "Dieter") is taken
-- for a first name, as the holders share the family name
written_first_names as (
    select *, case
        when is_family_first(full_key) then [split_part(full_key, ' ', 2)]
        when strpos(full_key, ' ') = 0 then [full_key]
        else string_split(full_key, ' ')[1:-2]
    end as first_names
    from written
    where not is_household_name(full_key)
),

matches as (
    select w.kind, w.value, w.display_name, h.person_id,
        if(h.full_key = w.full_key, w.full_key, h.given_key) as matched_by
    from written_first_names as w
    join shared_identifier_holders as h
        on h.kind = w.kind and h.value = w.value
       and (h.full_key = w.full_key or list_contains(w.first_names, h.given_key))
),

-- a name or first name two holders go by names neither
ambiguous as (
    select distinct kind, value, display_name
    from matches
    group by kind, value, display_name, matched_by
    having count(distinct person_id) > 1
)

select distinct kind, value, display_name, person_id
from matches
where (kind, value, display_name) not in (select kind, value, display_name from ambiguous);

create or replace temp table shared_identifier_replies as
with senders as (
    select source, source_file, channel, interaction_key, kind, value, display_name
    from stg_participations
    where role = 'from' and (kind, value) in (select kind, value from shared_identifier_holders)
),

unnamed_replies as (
    select distinct s.channel, s.interaction_key, r.in_reply_to, s.kind, s.value
    from senders as s
    join raw_interactions as r using (source, source_file, channel, interaction_key)
    left join shared_identifier_names as n using (kind, value, display_name)
    where r.in_reply_to is not null and n.person_id is null
)

select u.channel, u.interaction_key, u.kind, u.value, any_value(n.person_id) as person_id
from unnamed_replies as u
join stg_participations as answered
    on answered.channel = u.channel and answered.interaction_key = u.in_reply_to
   and answered.kind = u.kind and answered.value = u.value and answered.role in ('to', 'cc', 'bcc', 'recipient')
join shared_identifier_names as n
    on n.kind = answered.kind and n.value = answered.value and n.display_name = answered.display_name
group by all
having count(distinct n.person_id) = 1;

create or replace table participations_resolved as
with participations as (
    select
        interaction_id(s.channel, s.interaction_key) as interaction_id,
        s.*,
        (s.kind, s.value) in (select kind, value from owner_identifiers) as is_owner
    from stg_participations as s
)

-- a person a message names at a shared address, else the holder a household's reply answers, else the person of
-- the identifier's records in that source file
select p.*, coalesce(named.person_id, reply.person_id, rp.person_id) as person_id
from participations as p
left join record_people as rp
    on rp.record_uid = record_uid(p.source, p.source_file, p.kind || ':' || p.value)
left join shared_identifier_names as named
    on named.kind = p.kind and named.value = p.value and named.display_name = p.display_name
left join shared_identifier_replies as reply
    on p.role = 'from' and reply.channel = p.channel and reply.interaction_key = p.interaction_key
   and reply.kind = p.kind and reply.value = p.value;

create or replace table interaction_facts as
with roles as (
    select
        interaction_id,
        bool_or(is_owner and role in ('from', 'sender', 'organizer')) as owner_sent,
        bool_or(is_owner and role in ('to', 'recipient', 'attendee', 'bcc')) as owner_addressed,
        bool_or(is_owner and role = 'cc') as owner_copied,
        -- declined at every owner address that answered (a copy or an alias that accepted means they went)
        coalesce(bool_or(is_owner and response = 'declined'), false)
            and not coalesce(bool_or(is_owner and response in ('accepted', 'tentative')), false) as owner_declined,
        -- people, not addresses: the owner once however many of the owner's addresses it went to, a person once
        -- under two addresses; an address that is nobody's (a role address) counts as one
        count(distinct case
            when is_owner then 'owner'
            when person_id is not null then 'person:' || person_id
            else kind || ':' || value
        end) filter (
            where role not in ('reply_to', 'sender', 'list') and coalesce(response, '') <> 'declined'
        ) as attendees,
        count(distinct person_id) filter (where coalesce(response, '') <> 'declined') as people_met
    from participations_resolved
    group by all
)

select * from roles;

create or replace table interactions as
with ranked as (
    select
        interaction_id(channel, interaction_key) as interaction_id,
        *,
        row_number() over (
            partition by channel, interaction_key
            -- a copy in Drafts or Junk is kept only when there is no other: the same message sent is sent mail
            order by coalesce(automated_reason in ('draft', 'spam'), false), len(participants) desc, source,
                source_file, location
        ) as copy_number,
        list(distinct source) over (partition by channel, interaction_key) as seen_in
    from raw_interactions
),

chosen as (
    select * from ranked where copy_number = 1
)

select
    c.interaction_id,
    c.source,
    c.channel,
    c.occurred_at,
    case
        when c.channel = 'meeting' and coalesce(f.owner_sent, false) then 'organized'
        when c.channel = 'meeting' then 'invited'
        when coalesce(f.owner_sent, false) or c.direction_hint = 'sent' then 'sent'
        when coalesce(f.owner_copied, false) and not coalesce(f.owner_addressed, false) then 'cc'
        else 'received'
    end as direction,
    -- a message kept only in a drafts folder was never sent
    interaction_status(if(c.automated_reason = 'draft', 'draft', c.status), c.occurred_at, c.channel, f.people_met,
        f.owner_declined) as status,
    coalesce(f.attendees, 0) as participant_count,
    c.duration_minutes,
    c.thread_id,
    case when (select store_titles from build_settings) then c.title end as title,
    c.automated_reason,
    c.in_reply_to,
    c.labels,
    list_sort(c.seen_in) as sources,
    c.source_file,
    c.location
from chosen as c
left join interaction_facts as f using (interaction_id)
order by c.occurred_at, c.interaction_id;

create or replace table interaction_participants as
select
    interaction_id,
    person_id,
    case role when 'recipient' then 'to' else role end as role,
    any_value(response) as response
from participations_resolved
where person_id is not null and not is_owner
group by all
order by interaction_id, person_id, role;
