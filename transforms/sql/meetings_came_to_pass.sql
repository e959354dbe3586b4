-- A build a day later with nothing new: upcoming interactions whose time has come take their status again
-- (happened, or owner_only when the owner met nobody), without rebuilding the interaction marts.
-- An upcoming meeting is not one the owner declined (that would be its status already).
update interactions
set status = interaction_status(
    'upcoming', occurred_at, channel,
    (select f.people_met from interaction_facts as f where f.interaction_id = interactions.interaction_id),
    false
)
where status = 'upcoming' and occurred_at <= (select as_of from build_settings);
