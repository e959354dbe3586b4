-- Relationship strength: a decayed, direction-weighted interaction mass per person, in the spirit of
-- Gmail's Interactions Rank (Roth et al. 2010), gated on two-way contact and mapped to [0, 100].
-- Parameters come from build_settings (half-life, weights, scale); see docs/scoring.md.

create or replace table relationship_events as
with settings as (select * from build_settings),

touches as (
    select
        p.person_id,
        i.interaction_id,
        i.channel,
        i.occurred_at,
        i.direction,
        i.participant_count,
        i.duration_minutes,
        i.source_file,
        bool_or(p.role in ('from', 'organizer')) as they_initiated
    from interaction_participants as p
    join interactions as i using (interaction_id)
    where i.status = 'happened'
      and i.automated_reason is null
      and coalesce(p.response, '') <> 'declined'
    group by all
)

select
    t.*,
    case
        when t.direction in ('sent', 'organized') then 'outbound'
        when t.they_initiated then 'inbound'
        else 'alongside'
    end as flow,
    date_diff('second', t.occurred_at, s.as_of) / 86400.0 as age_days,
    case t.channel
        when 'meeting' then s.meeting_weight
        when 'email' then s.email_weight
        when 'linkedin_message' then s.linkedin_weight
        when 'linkedin_recommendation' then s.linkedin_weight
        else s.linkedin_weight * 0.3
    end
    * case
        when t.direction in ('sent', 'organized') then s.outbound_weight
        when t.they_initiated then 1.0
        else 0.5
    end
    / greatest(t.participant_count - 1, 1)
    * case when t.channel = 'meeting' then least(coalesce(t.duration_minutes, 30), 120) / 30.0 else 1.0 end
    as weight
from touches as t, settings as s;

create or replace table relationships as
with settings as (select * from build_settings),

per_person as (
    select
        e.person_id,
        sum(e.weight * pow(2, -greatest(e.age_days, 0) / s.half_life_days)) as mass_now,
        sum(e.weight * pow(2, -(e.age_days - 90) / s.half_life_days)) filter (where e.age_days >= 90) as mass_90_days_ago,
        min(e.occurred_at) as first_interaction_at,
        max(e.occurred_at) as last_interaction_at,
        count(*) filter (where e.flow = 'outbound' and e.channel <> 'meeting') as messages_sent,
        count(*) filter (where e.flow = 'inbound' and e.channel <> 'meeting') as messages_received,
        count(*) filter (where e.flow = 'alongside' and e.channel <> 'meeting') as messages_alongside,
        count(*) filter (where e.channel = 'meeting') as meetings,
        count(*) filter (where e.channel = 'meeting' and e.participant_count <= 3) as small_meetings,
        count(distinct e.channel) as channels,
        bool_or(e.flow = 'outbound') and bool_or(e.flow = 'inbound')
            or bool_or(e.channel = 'meeting' and e.participant_count <= 5) as two_way
    from relationship_events as e, settings as s
    group by all
),

at_last_contact as (
    select
        e.person_id,
        sum(e.weight * pow(2, -(e.age_days - l.age_at_last) / s.half_life_days)) as mass_at_last_contact
    from relationship_events as e
    join (select person_id, min(age_days) as age_at_last from relationship_events group by all) as l using (person_id),
        settings as s
    group by all
),

context as (
    select
        i.person_id,
        bool_or(i.kind = 'email' and not regexp_matches(split_part(i.value, '@', 2),
            '^(gmail|googlemail|yahoo|hotmail|outlook|live|icloud|me|mac|aol|gmx|web|proton|protonmail|fastmail|mail|hey)\.'))
            as has_work_address,
        bool_or(i.kind = 'email' and regexp_matches(split_part(i.value, '@', 2),
            '^(gmail|googlemail|yahoo|hotmail|outlook|live|icloud|me|mac|aol|gmx|web|proton|protonmail|fastmail|mail|hey)\.'))
            as has_personal_address
    from identifiers as i
    where i.person_id is not null and i.times_seen > 0
    group by all
),

scored as (
    select
        p.person_id,
        coalesce(r.two_way, false) as two_way,
        case when coalesce(r.two_way, false)
            then round(100 * (1 - exp(-r.mass_now / s.scale)), 2) else 0 end as strength,
        case when coalesce(r.two_way, false)
            then round(100 * (1 - exp(-coalesce(r.mass_90_days_ago, 0) / s.scale)), 2) else 0 end as strength_90_days_ago,
        case when coalesce(r.two_way, false)
            then round(100 * (1 - exp(-a.mass_at_last_contact / s.scale)), 2) else 0 end as strength_at_last_contact,
        r.first_interaction_at,
        r.last_interaction_at,
        date_diff('day', r.last_interaction_at, s.as_of) as days_since_last_interaction,
        coalesce(r.messages_sent, 0) as messages_sent,
        coalesce(r.messages_received, 0) as messages_received,
        coalesce(r.messages_alongside, 0) as messages_alongside,
        coalesce(r.meetings, 0) as meetings,
        coalesce(r.small_meetings, 0) as small_meetings,
        coalesce(r.channels, 0) as channels,
        list_contains(p.sources, 'linkedin') as linkedin_connection,
        list_has_any(p.sources, ['vcard', 'google_contacts', 'carddav']) as in_address_book,
        p.categories,
        c.has_work_address,
        c.has_personal_address,
        s.dormant_after_days
    from people as p
    left join per_person as r using (person_id)
    left join at_last_contact as a using (person_id)
    left join context as c using (person_id),
        settings as s
),

ranked as (
    select
        *,
        case when strength > 0 then row_number() over (order by strength desc, person_id) end as strength_rank
    from scored
)

select
    person_id,
    strength,
    strength_rank,
    case
        when strength_rank is null then 'none'
        when strength_rank <= 5 then 'support clique (5)'
        when strength_rank <= 15 then 'sympathy group (15)'
        when strength_rank <= 50 then 'close network (50)'
        when strength_rank <= 150 then 'active network (150)'
        when strength_rank <= 500 then 'acquaintances (500)'
        else 'outer circle'
    end as tier,
    case
        when strength = 0 then 'none'
        when strength >= strength_90_days_ago * 1.25 + 1 then 'warming'
        when strength <= strength_90_days_ago * 0.8 - 1 then 'cooling'
        else 'stable'
    end as trend,
    strength_at_last_contact >= 30 and days_since_last_interaction >= dormant_after_days as dormant,
    strength_at_last_contact,
    first_interaction_at,
    last_interaction_at,
    days_since_last_interaction,
    messages_sent,
    messages_received,
    messages_alongside,
    meetings,
    small_meetings,
    channels,
    linkedin_connection,
    in_address_book,
    case
        when (coalesce(has_work_address, false) or linkedin_connection)
            and (coalesce(has_personal_address, false) or len(categories) > 0) then 'both'
        when coalesce(has_work_address, false) or linkedin_connection then 'work'
        when coalesce(has_personal_address, false) or len(categories) > 0 or in_address_book then 'personal'
        else 'unknown'
    end as context,
    concat_ws('; ',
        case when messages_sent + messages_received > 0 then
            format('{} messages ({} sent, {} received)', messages_sent + messages_received, messages_sent, messages_received) end,
        case when messages_alongside > 0 then format('{} group messages together', messages_alongside) end,
        case when meetings > 0 then format('{} meetings ({} of 2-3 people)', meetings, small_meetings) end,
        case when last_interaction_at is not null then format('last contact {} days ago', days_since_last_interaction) end,
        case when not two_way and last_interaction_at is not null then 'one-way contact only, so strength 0' end,
        case when linkedin_connection then 'LinkedIn connection' end,
        case when in_address_book then 'in address book' || case when len(categories) > 0
            then ' (' || array_to_string(categories, ', ') || ')' else '' end end
    ) as explanation
from ranked
order by strength desc, person_id;
