-- Everything that identifies the owner of the data: addresses from --me and the config, the sources' own-identity
-- records (LinkedIn's own files; the address Google marks as the primary calendar's own on its events; a CalDAV
-- principal's calendar addresses), the senders of mail the source files as sent, and the owner's LinkedIn
-- profile (the sender in LinkedIn messages who carries the owner's name and is no connection).
create or replace table owner_identifiers as
with declared as (
    select 'email' as kind, email_canonical(address) as value, 'settings' as evidence
    from owner_email_settings
),

exported as (
    select
        kind,
        case kind
            when 'email' then email_canonical(value)
            when 'phone' then phone_e164(value)
            when 'linkedin' then linkedin_slug(value)
        end as value,
        source as evidence
    from raw_owner_identities
    where kind in ('email', 'phone', 'linkedin')
),

-- Canonicalised once per distinct address, not once per message; a select-list unnest avoids a lateral join.
-- The Sender when there is one (an assistant sending for the boss writes From: boss, Sender: the owner), else From.
sent_mail_senders as (
    select 'email' as kind, email_canonical(address) as value, 'sender of sent mail' as evidence
    from (
        select distinct p.value as address
        from (
            select unnest(list_filter(participants, lambda p: p.role = case
                when list_contains(list_transform(participants, lambda q: q.role), 'sender') then 'sender'
                else 'from'
            end)) as p
            from raw_interactions
            where direction_hint = 'sent' and channel = 'email'
        )
    )
),

owner_names as (
    select distinct name_key(value) as name from raw_owner_identities where kind = 'name'
),

connection_slugs as (
    select distinct linkedin_slug(ident.value) as slug
    from raw_contacts as c, unnest(c.identifiers) as t(ident)
    where ident.kind = 'linkedin'
),

-- the profiles LinkedIn names on its messages and invitations, none of them a connection's: the owner's among them
unconnected_linkedin_profiles as (
    select interaction_key, channel, p.name, linkedin_slug(p.value) as slug
    from (select interaction_key, channel, unnest(participants) as p from raw_interactions where source = 'linkedin')
    where p.kind = 'linkedin'
      and linkedin_slug(p.value) not in (select slug from connection_slugs where slug is not null)
),

linkedin_self as (
    select 'linkedin' as kind, slug as value, 'linkedin messages' as evidence
    from unconnected_linkedin_profiles
    where name_key(name) in (select name from owner_names)
),

-- The owner is in every LinkedIn message they have: the one profile in all of them (of five or more) that is no
-- connection's is theirs, whatever name the messages give it (Profile.csv's "Almeida Ferreira" writes as "Rodrigo
-- Ferreira"); two such (every message with one recruiter) say nothing
linkedin_self_in_every_message as (
    select 'linkedin' as kind, slug as value, 'linkedin messages' as evidence
    from unconnected_linkedin_profiles
    where channel = 'linkedin_message'
    group by slug
    having count(distinct interaction_key) >= 5
       and count(distinct interaction_key) = (
           select count(distinct interaction_key) from raw_interactions
           where source = 'linkedin' and channel = 'linkedin_message')
    qualify count(*) over () = 1
),

linkedin_self_by_name as (
    select 'name' as kind, name as value, 'linkedin profile' as evidence from owner_names
),

all_identifiers as (
    select * from declared
    union all select * from exported
    union all select * from sent_mail_senders
    union all select * from linkedin_self
    union all select * from linkedin_self_in_every_message
    union all select * from linkedin_self_by_name
)

select kind, value, list(distinct evidence order by evidence) as evidence
from all_identifiers
where value is not null
group by kind, value
order by kind, value;
