-- Relationship strength: a decayed, direction-, channel- and group-size-weighted interaction rate per
-- person, in the spirit of Gmail's Interactions Rank (Roth et al. 2010), gated on two-way contact (or on mail
-- from someone in the address book or LinkedIn connections) and mapped to [0, 100]. Reads only tables built
-- before it (interactions, interaction_participants, people, identifiers, build_settings), so new [scoring]
-- settings re-score without re-parsing. See docs/scoring.md.

-- The map from a weekly rate to [0, 100]: 50 at `scale`, approaching 100 without reaching it.
create or replace macro strength_of(rate, scale) as round(100 * rate / (rate + scale), 2);

-- The current weekly rate from two decayed sums of weights (recent: half_life_days, long-run:
-- long_half_life_days): the recent rate shrunk toward the long-run one by `prior` pseudo-interactions
-- (a Gamma-Poisson posterior mean). A tie with many recent interactions follows them (drift); a faint one,
-- with few, keeps its long-run rate instead of the noise of its last few months. prior = 0: the recent rate.
create or replace macro blended_rate(recent_mass, long_mass, per_week, per_week_long, prior) as
    case
        when prior > 0 and long_mass > 0
            then (recent_mass + prior) / (1 / per_week + prior / (long_mass * per_week_long))
        else recent_mass * per_week
    end;

-- The decay columns every scoring query needs: per_week (per_week_long) turns a decayed sum with
-- half_life_days (long_half_life_days) into a weekly rate; a steady 1 a week sums to 1 / per_week.
create or replace macro scoring_settings() as table
    select *, ln(2) / half_life_days * 7 as per_week, ln(2) / long_half_life_days * 7 as per_week_long
    from build_settings;

-- One row per (person, interaction) that counts, with its weight before decay:
-- weight = channel weight * direction weight * (k - 1)^-group_size_exponent * meeting-length factor.
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
        i.title,
        coalesce(list_bool_or([regexp_matches(label, '(?i)^work$') for label in i.labels]), false) as on_work_label,
        coalesce(list_bool_or([regexp_matches(label, '(?i)personal|private|home|family|friends')
            for label in i.labels]), false) as on_personal_label,
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
    greatest(date_diff('second', t.occurred_at, s.as_of) / 86400.0, 0) as age_days,
    case t.channel
        when 'meeting' then s.meeting_weight
        when 'email' then s.email_weight
        when 'linkedin_message' then s.linkedin_weight
        when 'linkedin_recommendation' then s.linkedin_weight
        else s.linkedin_weight * 0.3  -- invitations and endorsements: a click, not a conversation
    end
    * case
        -- direction is effort toward this person: a group message or meeting is addressed to the group
        when t.participant_count > 2 then 0.5
        when t.direction in ('sent', 'organized') then s.outbound_weight
        when t.they_initiated then 1.0
        else 0.5  -- both were addressed by someone else
    end
    * pow(greatest(t.participant_count - 1, 1), -s.group_size_exponent)
    -- an hour together is one unit; longer meetings count more, up to two hours
    * case when t.channel = 'meeting' then least(coalesce(t.duration_minutes, 30), 120) / 60.0 else 1.0 end
    as weight
from touches as t, settings as s;

create or replace table relationships as
with settings as (from scoring_settings()),

per_person as (
    select
        e.person_id,
        blended_rate(
            sum(e.weight * pow(2, -e.age_days / s.half_life_days)),
            sum(e.weight * pow(2, -e.age_days / s.long_half_life_days)),
            any_value(s.per_week), any_value(s.per_week_long), any_value(s.prior_interactions)
        ) as rate_now,
        coalesce(blended_rate(
            sum(e.weight * pow(2, -(e.age_days - 90) / s.half_life_days)) filter (where e.age_days >= 90),
            sum(e.weight * pow(2, -(e.age_days - 90) / s.long_half_life_days)) filter (where e.age_days >= 90),
            any_value(s.per_week), any_value(s.per_week_long), any_value(s.prior_interactions)
        ), 0) as rate_90_days_ago,
        -- the pace of the last 90 days, undecayed: what the trend compares with the long-run rate
        coalesce(sum(e.weight) filter (where e.age_days < 90), 0) / (90 / 7.0) as recent_rate,
        min(e.occurred_at) as first_interaction_at,
        max(e.occurred_at) as last_interaction_at,
        min(e.age_days) as age_of_last,
        count(*) filter (where e.flow = 'outbound' and e.channel <> 'meeting') as messages_sent,
        count(*) filter (where e.flow = 'inbound' and e.channel <> 'meeting') as messages_received,
        count(*) filter (where e.flow = 'alongside' and e.channel <> 'meeting') as messages_alongside,
        count(*) filter (where e.channel = 'meeting') as meetings,
        count(*) filter (where e.channel = 'meeting' and e.participant_count <= 3) as small_meetings,
        coalesce(sum(e.duration_minutes) filter (where e.channel = 'meeting'), 0) as meeting_minutes,
        count(distinct e.channel) as channels,
        count(*) filter (where e.on_work_label) as work_interactions,
        count(*) filter (where e.on_personal_label) as personal_interactions,
        -- a recurring personal event shared with them ("Run club"); titles exist only with store_titles
        mode(e.title) filter (where e.channel = 'meeting' and e.on_personal_label and e.title is not null)
            as shared_activity,
        bool_or(e.flow = 'inbound') as they_wrote,  -- they sent or organised something the owner got
        bool_or(e.flow = 'outbound') and bool_or(e.flow = 'inbound')
            or bool_or(e.channel = 'meeting' and e.participant_count <= 5) as two_way
    from relationship_events as e, settings as s
    group by all
),

at_last_contact as (
    select
        e.person_id,
        blended_rate(
            sum(e.weight * pow(2, -(e.age_days - p.age_of_last) / s.half_life_days)),
            sum(e.weight * pow(2, -(e.age_days - p.age_of_last) / s.long_half_life_days)),
            any_value(s.per_week), any_value(s.per_week_long), any_value(s.prior_interactions)
        ) as rate_at_last_contact
    from relationship_events as e
    join per_person as p using (person_id), settings as s
    group by all
),

addresses as (
    select
        i.person_id,
        bool_or(i.kind = 'email' and not regexp_matches(split_part(i.value, '@', 2), m.pattern)) as has_work_address,
        bool_or(i.kind = 'email' and regexp_matches(split_part(i.value, '@', 2), m.pattern)) as has_personal_address
    from identifiers as i,
        -- personal mail providers; any other domain is taken for an employer's (the same list is in views.sql)
        (select '^(gmail|googlemail|yahoo|ymail|hotmail|outlook|live|msn|icloud|me|mac|aol|gmx|web|proton'
            || '|protonmail|pm|fastmail|mail|hey|zoho)\.' as pattern) as m
    where i.person_id is not null and i.times_seen > 0
    group by all
),

features as (
    select
        p.person_id,
        coalesce(r.two_way, false) as two_way,
        coalesce(r.they_wrote, false) as they_wrote,
        r.rate_now,
        r.rate_90_days_ago,
        a.rate_at_last_contact,
        coalesce(r.recent_rate, 0) as recent_rate,
        r.first_interaction_at,
        r.last_interaction_at,
        date_diff('day', r.last_interaction_at, s.as_of) as days_since_last_interaction,
        coalesce(r.messages_sent, 0) as messages_sent,
        coalesce(r.messages_received, 0) as messages_received,
        coalesce(r.messages_alongside, 0) as messages_alongside,
        coalesce(r.meetings, 0) as meetings,
        coalesce(r.small_meetings, 0) as small_meetings,
        coalesce(r.meeting_minutes, 0) as meeting_minutes,
        coalesce(r.channels, 0) as channels,
        coalesce(r.work_interactions, 0) as work_interactions,
        coalesce(r.personal_interactions, 0) as personal_interactions,
        r.shared_activity,
        coalesce(date_diff('day', r.first_interaction_at, s.as_of) / 365.25, 0) as years_known,
        p.linkedin_connected_at is not null as linkedin_connection,  -- a connection, not just someone met in messages
        list_has_any(p.sources, ['vcard', 'google_contacts', 'carddav']) as in_address_book,
        coalesce(p.categories, []) as categories,
        coalesce(c.has_work_address, false) as has_work_address,
        coalesce(c.has_personal_address, false) as has_personal_address
    from people as p
    left join per_person as r using (person_id)
    left join at_last_contact as a using (person_id)
    left join addresses as c using (person_id),
        settings as s
),

-- The context bonus: what else says the tie is real (address book, LinkedIn, several channels, years).
boosted as (
    select
        f.*,
        1 + s.address_book_bonus * f.in_address_book::int
          + s.linkedin_bonus * f.linkedin_connection::int
          + s.channel_diversity_bonus * greatest(f.channels - 1, 0)
          + s.tenure_bonus_per_year * least(f.years_known, 5) as bonus
    from features as f, settings as s
),

-- The gate: two-way contact, or a message from someone the owner keeps (address book, LinkedIn
-- connection) that is not answered yet. One-way mail from strangers (newsletters, recruiters, cold
-- email) and the owner's unanswered mail stay at 0.
gated as (
    select *, two_way or they_wrote and (in_address_book or linkedin_connection) as counts
    from boosted
),

scored as (
    select
        b.*,
        case when b.counts then coalesce(b.rate_now, 0) * b.bonus else 0 end as score_rate,
        case when b.counts then strength_of(coalesce(b.rate_now, 0) * b.bonus, s.scale) else 0 end as strength,
        case when b.counts then strength_of(coalesce(b.rate_90_days_ago, 0) * b.bonus, s.scale) else 0 end
            as strength_90_days_ago,
        case when b.counts then strength_of(coalesce(b.rate_at_last_contact, 0) * b.bonus, s.scale) else 0 end
            as strength_at_last_contact,
        -- how many interactions the silence replaced, at the pace the tie had when it went quiet
        coalesce(b.rate_at_last_contact * b.days_since_last_interaction / 7.0, 0) as missed_interactions,
        s.dormant_after_days,
        s.dormant_min_strength
    from gated as b, settings as s
),

ranked as (
    select
        *,
        case when strength > 0 then row_number() over (order by score_rate desc, person_id) end as strength_rank
    from scored
)

select
    person_id,
    strength,
    score_rate as weighted_weekly_rate,
    bonus as context_bonus,
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
    -- the last 90 days against the long-run pace; a change counts only when the long-run pace would
    -- have brought at least 3 weighted interactions in 90 days (else a quiet quarter is normal)
    case
        when strength = 0 then 'none'
        when greatest(recent_rate, rate_now) * 90 / 7.0 < 3 then 'stable'
        when recent_rate >= 1.5 * rate_now then 'warming'
        when recent_rate <= 0.5 * rate_now then 'cooling'
        else 'stable'
    end as trend,
    round(recent_rate * bonus, 4) as recent_weekly_rate,
    strength_at_last_contact >= dormant_min_strength
        and days_since_last_interaction >= dormant_after_days
        and missed_interactions >= 3 as dormant,
    strength_90_days_ago,
    strength_at_last_contact,
    first_interaction_at,
    last_interaction_at,
    days_since_last_interaction,
    messages_sent,
    messages_received,
    messages_alongside,
    meetings,
    small_meetings,
    meeting_minutes,
    channels,
    linkedin_connection,
    in_address_book,
    shared_activity,
    case
        when (has_work_address or linkedin_connection or work_interactions > 0)
            and (has_personal_address or len(categories) > 0 or personal_interactions > 0) then 'both'
        when has_work_address or linkedin_connection or work_interactions > 0 then 'work'
        when has_personal_address or len(categories) > 0 or personal_interactions > 0 or in_address_book
            then 'personal'
        else 'unknown'
    end as context,
    concat_ws('; ',
        case when messages_sent + messages_received > 0 then format('{} messages ({} sent, {} received)',
            messages_sent + messages_received, messages_sent, messages_received) end,
        case when messages_alongside > 0 then format('{} group messages together', messages_alongside) end,
        case when meetings > 0 then format('{} meetings ({} of 2-3 people)', meetings, small_meetings) end,
        case when shared_activity is not null then format('shared "{}"', shared_activity) end,
        case when last_interaction_at is not null
            then format('last contact {} days ago', days_since_last_interaction) end,
        case when years_known >= 1 then format('known {} years', floor(years_known)::int) end,
        case when not two_way and last_interaction_at is not null then
            case when counts then 'one-way contact only (from a known contact)'
                else 'one-way contact only, so strength 0' end end,
        case when linkedin_connection then 'LinkedIn connection' end,
        case when in_address_book then 'in address book' || case when len(categories) > 0
            then ' (' || array_to_string(categories, ', ') || ')' else '' end end
    ) as explanation
from ranked
order by strength desc, strength_rank, person_id;
