-- Workflow signals committed with the store change they announce and delivered to Temporal after
-- the commit: a call answers once its change is committed, and a crash between the commit and the
-- signal delays the signal instead of losing it. Delivered rows are deleted.
create table signal_outbox (
    id             bigserial   primary key,
    workflow_id    text        not null,
    signal         text        not null,
    -- The signal's arguments as Temporal's data converter encodes them (a Payloads message).
    arguments      bytea,
    created_at     timestamptz not null default now(),
    attempts       integer     not null default 0,
    not_before     timestamptz not null default now(),
    claimed_until  timestamptz
);

-- A workflow's signals go out one at a time, in the order they were committed.
create index signal_outbox_workflow on signal_outbox (workflow_id, id);
