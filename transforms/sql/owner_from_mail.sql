-- Run only when nothing else names an address of the owner (no --me or [owner] emails, no LinkedIn email file,
-- no mail marked sent, no account's own address): the address in the most mail is taken for theirs, since every
-- message of a mailbox is from or to its owner (list mail and Bcc aside). Taken only when it is in at least a
-- third of the mail and in half as much again as any other address; otherwise the owner stays unknown.
insert into owner_identifiers
with mail as (
    select list_distinct(list_transform(participants,
        lambda p: case when p.kind = 'email' then email_canonical(p.value) end)) as addresses
    from raw_interactions
    where channel = 'email'
),

per_address as (
    select address, count(*) as messages
    from (select unnest(addresses) as address from mail)
    where address is not null
    group by all
),

ranked as (
    select address, messages, row_number() over (order by messages desc, address) as place
    from per_address
)

select 'email' as kind, busiest.address as value, ['in most mail'] as evidence
from ranked as busiest
left join ranked as runner_up on runner_up.place = 2
where busiest.place = 1
  and busiest.messages * 3 >= (select count(*) from mail)
  and busiest.messages * 2 >= 3 * coalesce(runner_up.messages, 0);
