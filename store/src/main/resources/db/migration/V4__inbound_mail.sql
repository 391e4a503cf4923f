-- Where the IMAP poller stopped in each mailbox: a UID cursor, valid while UIDVALIDITY is unchanged.
create table imap_cursors (
    mailbox       text primary key,
    uid_validity  bigint not null,
    last_uid      bigint not null,
    updated_at    timestamptz not null default now()
);

-- Every inbound message the service processed, once: what it was and what it matched.
create table inbound_messages (
    id               bigserial primary key,
    source           text        not null,
    source_key       text        not null,
    organization_id  text,
    from_address     text,
    subject          text,
    classification   text,
    matched_leads    integer     not null default 0,
    received_at      timestamptz not null,
    unique (source, source_key)
);
