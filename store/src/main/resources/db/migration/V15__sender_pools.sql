-- Senders as sending capacity: a daily limit across all of the organization's campaigns, a ramp-up
-- for new mailboxes, a least time between two sends, and a status that auto-pause and people set.
-- Senders registered before (or on first use) keep no limit until someone sets one.
alter table senders add column daily_limit integer;
alter table senders add column ramp_start integer;
alter table senders add column ramp_increase integer;
alter table senders add column ramp_from date;
alter table senders add column min_spacing_seconds integer;
alter table senders add column timezone text not null default 'UTC';
alter table senders add column status text not null default 'ACTIVE'
    check (status in ('ACTIVE', 'PAUSED'));
alter table senders add column pause_reason text;
alter table senders add column paused_by text check (paused_by in ('person', 'auto'));
-- Own SMTP and IMAP accounts and a DKIM key: secrets and keys are stored encrypted (AES-GCM).
alter table senders add column smtp_host text;
alter table senders add column smtp_port integer;
alter table senders add column smtp_username text;
alter table senders add column smtp_password_sealed text;
alter table senders add column smtp_starttls boolean;
alter table senders add column imap_host text;
alter table senders add column imap_port integer;
alter table senders add column imap_username text;
alter table senders add column imap_password_sealed text;
alter table senders add column imap_ssl boolean;
alter table senders add column dkim_domain text;
alter table senders add column dkim_selector text;
alter table senders add column dkim_key_sealed text;
alter table senders add column updated_at timestamptz not null default now();

-- A sender's sends per day of its own zone, handed out as slots like a campaign's daily limit.
create table sender_quota (
    sender_id     text    not null references senders (id) on delete cascade,
    day           date    not null,
    used          integer not null,
    next_slot_at  timestamptz,
    primary key (sender_id, day)
);

-- A campaign's pool (sender ids, space-separated; null: the inline sender alone) and its auto-pause.
alter table campaigns add column sender_pool text;
alter table campaigns add column auto_pause_enabled boolean not null default true;
alter table campaigns add column auto_pause_bounce_rate double precision not null default 0.02;
alter table campaigns add column auto_pause_complaint_rate double precision not null default 0.001;
alter table campaigns add column auto_pause_min_sent integer not null default 20;
alter table campaigns add column pause_reason text;

-- Each lead's sender, chosen once at enrolment: all of its steps come from the same mailbox.
alter table leads add column sender_id text references senders (id) on delete set null;
create index leads_campaign_sender_idx on leads (campaign_id, sender_id) where sender_id is not null;
alter table messages add column sender_id text;
alter table messages add column sender_day date;
alter table send_reservations add column sender_id text;
alter table send_reservations add column sender_day date;
alter table send_reservations alter column day drop not null;

-- Sends, bounces and complaints per campaign and per sender, counted as they happen, so that
-- auto-pause decides on the event that crosses a threshold without counting messages.
create table send_health (
    subject     text primary key,
    sent        integer not null default 0,
    bounced     integer not null default 0,
    complained  integer not null default 0
);
insert into send_health (subject, sent, bounced)
select m.campaign_id, count(*) filter (where m.sent_at is not null),
       (select count(*) from lead_events e where e.campaign_id = m.campaign_id and e.event = 'bounced')
from messages m group by m.campaign_id;

-- Each message counts once as bounced and once as complained, however many reports say so.
create table send_health_events (
    message_id  text not null,
    kind        text not null,
    primary key (message_id, kind)
);
