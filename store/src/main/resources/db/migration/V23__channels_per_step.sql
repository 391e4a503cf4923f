-- Each step may go out on a channel of its own, with a fallback order; leads may carry a WhatsApp
-- number; in-app messages land in a per-contact inbox.
alter table campaigns drop constraint campaigns_channel_check;
alter table campaigns add constraint campaigns_channel_check
    check (channel in ('EMAIL', 'SMS', 'WHATSAPP', 'WEBHOOK', 'IN_APP'));

alter table suppressions drop constraint suppressions_channel_check;
alter table suppressions add constraint suppressions_channel_check
    check (channel in ('EMAIL', 'SMS', 'WHATSAPP'));

-- channel null: the campaign's. fallback: channel names, space-separated, tried in order.
-- WhatsApp steps name an approved template (content_sid, its variables as a JSON object of
-- templates); webhook steps a URL (their JSON payload template is the body); in-app steps keep
-- their title as the subject.
alter table campaign_steps
    add column channel text check (channel in ('EMAIL', 'SMS', 'WHATSAPP', 'WEBHOOK', 'IN_APP')),
    add column fallback text,
    add column content_sid text,
    add column content_variables text,
    add column url text;

alter table leads add column whatsapp text;
alter table contacts add column whatsapp text;
create index leads_org_whatsapp_idx on leads (organization_id, whatsapp) where whatsapp is not null;

-- What an app shows a contact: one row per in-app message, fetched (delivered) and read (opened).
create table inbox_messages (
    message_id       text primary key references messages (id) on delete cascade,
    organization_id  text        not null references organizations (id),
    contact_id       text        not null,
    title            text,
    body             text        not null,
    created_at       timestamptz not null,
    fetched_at       timestamptz,
    read_at          timestamptz
);
create index inbox_messages_contact_idx
    on inbox_messages (organization_id, contact_id, created_at desc);

-- The last message each WhatsApp number sent to each of the organization's business numbers: free
-- text may answer it from that number for 24 hours; outside that window only approved templates
-- may open a conversation.
create table whatsapp_sessions (
    organization_id  text        not null references organizations (id),
    business         text        not null,
    address          text        not null,
    last_inbound_at  timestamptz not null,
    primary key (organization_id, business, address)
);

-- A webhook step's JSON payload template and an in-app step's title have columns of their own, so a
-- step that falls back from one channel to another keeps the copy of each; a step that only posts
-- to a webhook has no text body.
alter table campaign_steps
    add column payload text,
    add column title text,
    alter column body drop not null;

-- A WhatsApp message sent as an approved template: its Content SID (its text holds the variables).
alter table messages add column content_sid text;

-- Limits per channel: a campaign whose steps mix channels keeps its units under one key per channel
-- ("cmp_…/sms"), so the quota tables key by that instead of referencing the campaign; a campaign's
-- rows still go with it.
alter table daily_quota drop constraint daily_quota_campaign_id_fkey;
alter table daily_quota rename column campaign_id to quota_key;
alter table minute_quota drop constraint minute_quota_campaign_id_fkey;
alter table minute_quota rename column campaign_id to quota_key;
alter table send_reservations add column quota_key text;

create function delete_campaign_quotas() returns trigger language plpgsql as $$
begin
    delete from daily_quota where quota_key = old.id or starts_with(quota_key, old.id || '/');
    delete from minute_quota where quota_key = old.id or starts_with(quota_key, old.id || '/');
    return old;
end $$;
create trigger campaigns_delete_quotas after delete on campaigns
    for each row execute function delete_campaign_quotas();
