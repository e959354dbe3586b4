-- A build a day later with nothing new: upcoming interactions whose time has come take their status again
-- (happened, or owner_only when the owner met nobody), without rebuilding the interaction marts.
update interactions
set status = interaction_status(
    'upcoming', occurred_at, channel,
    (select f.people_met from interaction_facts as f where f.interaction_id = interactions.interaction_id)
)
where status = 'upcoming' and occurred_at <= (select as_of from build_settings);
