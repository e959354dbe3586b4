-- An interaction's status from its source's status, its time and whom the owner met. The interactions mart
-- uses it, and so does the daily update of meetings that have come to pass since the last build.
create or replace macro interaction_status(source_status, occurred_at, channel, people_met) as
    case
        when source_status in ('cancelled', 'draft') then source_status
        when occurred_at > (select as_of from build_settings) then 'upcoming'
        when channel = 'meeting' and coalesce(people_met, 0) = 0 then 'owner_only'
        else 'happened'
    end;
