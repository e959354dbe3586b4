-- An interaction's status from its source's status, its time, whom the owner met and whether the owner declined
-- it (a calendar keeps the meetings its owner declined). The interactions mart uses it, and so does the daily
-- update of meetings that have come to pass since the last build.
create or replace macro interaction_status(source_status, occurred_at, channel, people_met, owner_declined) as
    case
        when source_status in ('cancelled', 'draft') then source_status
        when channel = 'meeting' and owner_declined then 'declined'
        when occurred_at > (select as_of from build_settings) then 'upcoming'
        when channel = 'meeting' and coalesce(people_met, 0) = 0 then 'owner_only'
        else 'happened'
    end;
