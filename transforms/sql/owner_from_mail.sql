-- Run only when nothing else names an address of the owner (no --me or [owner] emails, no LinkedIn email file,
-- no mail marked sent, no account's own address): the address in the most mail is taken for theirs, since every
-- message of a mailbox is from or to its owner (Bcc aside). List and automated mail is left out (its To is the
-- list). Taken only when it is in at least a third of the mail and in half as much again as any other address;
-- otherwise the owner stays unknown.
insert into owner_identifiers
with mail as (
    select
        row_number() over () as message,
        list_distinct(list_transform(
            list_filter(participants, lambda p: p.kind = 'email' and p.role in ('from', 'sender', 'to', 'cc')),
            lambda p: lower(trim(p.value))
        )) as addresses
    from raw_interactions
    where channel = 'email' and automated_reason is null
),

appearances as (select message, unnest(addresses) as address from mail),

-- canonicalised once per distinct address, not once per message
canonical as (
    select address, email_canonical(address) as value
    from (select distinct address from appearances)
),

per_address as (
    select c.value as address, count(distinct a.message) as messages
    from appearances as a
    join canonical as c using (address)
    where c.value is not null
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
