-- The raw layer of the private work database: records exactly as the connectors yielded them.
-- Every row carries its source_file so a changed or vanished file can be replaced as a unit.

create table if not exists source_files (
    path varchar primary key,
    kind varchar not null,
    size_bytes bigint,
    fingerprint varchar,
    parsed_bytes bigint,
    records bigint,
    rejected bigint,
    parsed_at timestamptz
);

create table if not exists raw_contacts (
    source varchar,
    source_file varchar,
    location varchar,
    record_key varchar,
    full_name varchar,
    given_name varchar,
    family_name varchar,
    middle_name varchar,
    nickname varchar,
    phonetic_name varchar,
    organization varchar,
    title varchar,
    birthday varchar,
    connected_at timestamptz,
    identifiers struct(kind varchar, value varchar, label varchar)[],
    categories varchar[],
    addresses varchar[],
    urls varchar[],
    note varchar,
    observed_at timestamptz,
    deleted boolean
);

create table if not exists raw_interactions (
    source varchar,
    source_file varchar,
    location varchar,
    interaction_key varchar,
    channel varchar,
    occurred_at timestamptz,
    thread_id varchar,
    title varchar,
    duration_minutes double,
    status varchar,
    automated_reason varchar,
    in_reply_to varchar,
    labels varchar[],
    direction_hint varchar,
    participants struct(role varchar, kind varchar, value varchar, name varchar, response varchar)[]
);

create table if not exists raw_owner_identities (
    source varchar,
    source_file varchar,
    kind varchar,
    value varchar,
    organization varchar,
    started_on date,
    finished_on date
);

create table if not exists raw_rejected (
    source varchar,
    source_file varchar,
    location varchar,
    reason varchar
);

-- Where each account's last sync ended (sync tokens, UIDVALIDITY/UID, historyId), as JSON.
create table if not exists account_sync_state (
    account varchar primary key,
    state json
);
