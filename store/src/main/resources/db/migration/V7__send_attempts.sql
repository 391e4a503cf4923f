-- A send attempt is committed before the message is handed to the provider: a retry after a crash
-- finds it and resolves it (same Message-ID and content) instead of sending a second message.
alter table messages add column attempts integer not null default 1;
-- While an attempt hands the message over, no other attempt of the step may: the lease ends then.
alter table messages add column handover_until timestamptz;
-- The limits' units this message holds, given back if it is never sent.
alter table messages add column quota_day date;
alter table messages add column quota_minute timestamptz;
-- Which revision of the campaign's copy the message was rendered from.
alter table messages add column campaign_revision integer;

-- Messages whose hand-over outcome is not confirmed yet, looked at by retries and by support.
create index messages_sending_idx on messages (lead_pk) where status = 'SENDING';

-- Limits as a calendar of slots: each day's capacity hands out instants at least the spacing apart,
-- and a step that must wait holds its slot until it is sent, stopped or planned anew.
alter table daily_quota add column next_slot_at timestamptz;

create table send_reservations (
    idempotency_key  text primary key,
    campaign_id      text        not null references campaigns (id) on delete cascade,
    lead_pk          bigint      not null references leads (id) on delete cascade,
    day              date        not null,
    slot_at          timestamptz not null,
    created_at       timestamptz not null default now()
);
create index send_reservations_lead_idx on send_reservations (lead_pk);

alter table campaigns add column min_spacing_seconds integer;
