-- Outbound webhooks. Every campaign, message and lead transition that an organization's endpoints
-- subscribe to becomes a webhook event in the same transaction as the change itself, written by the
-- triggers below: no code path that changes a campaign, message or lead can forget its event, and a
-- crash after the commit cannot lose it. Each endpoint's workflow then delivers its deliveries.

create table webhook_endpoints (
    id               text primary key,
    organization_id  text        not null references organizations (id),
    url              text        not null,
    -- Event types, or '{*}' for all of them.
    events           text[]      not null,
    -- "whsec_" and the base64 of the key. Kept (not hashed): every delivery is signed with it.
    secret           text        not null,
    status           text        not null default 'active'
                                 check (status in ('active', 'disabled', 'deleted')),
    -- Since when every attempt failed; null after a success. 24 hours of it disables the endpoint.
    failing_since    timestamptz,
    disabled_at      timestamptz,
    disabled_reason  text,
    created_at       timestamptz not null default now(),
    deleted_at       timestamptz
);
create index webhook_endpoints_org_idx on webhook_endpoints (organization_id, created_at)
    where status <> 'deleted';

create table webhook_events (
    -- The Standard Webhooks message id: the same in every attempt and to every endpoint.
    id               text primary key,
    organization_id  text        not null,
    type             text        not null,
    campaign_id      text,
    -- The body, as sent: {"type", "timestamp", "data"}.
    payload          jsonb       not null,
    created_at       timestamptz not null
);
-- The retention sweep's order.
create index webhook_events_created_idx on webhook_events (created_at);

create table webhook_deliveries (
    id                bigserial   primary key,
    endpoint_id       text        not null references webhook_endpoints (id) on delete cascade,
    event_id          text        not null references webhook_events (id) on delete cascade,
    -- Deliveries of one key (a lead, or a campaign) go out one at a time, in id order.
    ordering_key      text        not null,
    status            text        not null default 'pending'
                                  check (status in ('pending', 'succeeded', 'failed')),
    attempts          integer     not null default 0,
    next_attempt_at   timestamptz not null default now(),
    first_attempt_at  timestamptz,
    last_attempt_at   timestamptz,
    response_status   integer,
    last_error        text,
    created_at        timestamptz not null default now()
);
-- The head of each key's queue, for an endpoint's next round.
create index webhook_deliveries_pending_idx on webhook_deliveries (endpoint_id, ordering_key, id)
    where status = 'pending';
-- New deliveries since the last look, for the wake-ups of sleeping endpoint workflows.
create index webhook_deliveries_new_idx on webhook_deliveries (id) where status = 'pending';
-- The delivery log, newest first.
create index webhook_deliveries_log_idx on webhook_deliveries (endpoint_id, id desc);
-- An event's deliveries (the retention sweep), and a lead's (erasure).
create index webhook_deliveries_event_idx on webhook_deliveries (event_id);
create index webhook_deliveries_key_idx on webhook_deliveries (ordering_key);

-- Whether any active endpoint of the organization wants this type: checked before a payload is
-- built, so organizations without webhooks pay one index probe per transition.
create function webhook_wanted(p_org text, p_type text) returns boolean
language sql stable as $$
    select exists (select 1 from webhook_endpoints e
                    where e.organization_id = p_org and e.status = 'active'
                      and (p_type = any (e.events) or '*' = any (e.events)))
$$;

create function webhook_publish(p_org text, p_type text, p_campaign text, p_key text,
                                p_data jsonb, p_at timestamptz) returns void
language plpgsql as $$
declare
    v_id text := 'msg_' || replace(gen_random_uuid()::text, '-', '');
begin
    insert into webhook_events (id, organization_id, type, campaign_id, payload, created_at)
    values (v_id, p_org, p_type, p_campaign,
            jsonb_build_object(
                'type', p_type,
                'timestamp', to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                'data', jsonb_strip_nulls(p_data)),
            p_at);
    insert into webhook_deliveries (endpoint_id, event_id, ordering_key)
    select e.id, v_id, p_key from webhook_endpoints e
     where e.organization_id = p_org and e.status = 'active'
       and (p_type = any (e.events) or '*' = any (e.events))
     order by e.id;
end
$$;

-- The fields of a message event: the message itself, or the lead's latest message sent when the
-- cause names none (an opt-out through the API, a conversion).
create function webhook_message_data(p_lead_pk bigint, p_message_id text, p_before timestamptz)
returns jsonb
language sql stable as $$
    select jsonb_build_object(
               'campaign_id', l.campaign_id,
               'lead_id', l.lead_id,
               'step', lower(m.step_type),
               'message_id', m.id,
               'channel', lower(coalesce(m.channel, c.channel)),
               'variant', coalesce(m.variant, l.variant))
      from leads l
      join campaigns c on c.id = l.campaign_id
      left join lateral (
               select * from messages m
                where m.lead_pk = l.id
                  and (m.id = p_message_id
                       or (p_message_id is null and m.sent_at is not null
                           and m.sent_at <= p_before))
                order by m.sent_at desc nulls last
                limit 1) m on true
     where l.id = p_lead_pk
$$;

create function campaigns_webhook() returns trigger
language plpgsql as $$
declare
    v_type text;
begin
    if tg_op = 'INSERT' then
        v_type := 'campaign.created';
    elsif new.status is distinct from old.status then
        v_type := case new.status
            when 'RUNNING' then
                case when old.status = 'PAUSED' then 'campaign.resumed' else 'campaign.started' end
            when 'SCHEDULED' then
                case when old.status = 'PAUSED' then 'campaign.resumed' end
            when 'PAUSED' then
                case when new.pause_reason like 'auto-paused%' then 'campaign.auto_paused'
                     else 'campaign.paused' end
            when 'COMPLETED' then 'campaign.completed'
            when 'CANCELLED' then 'campaign.cancelled'
        end;
    elsif new.status = 'PAUSED' and new.pause_reason like 'auto-paused%'
          and old.pause_reason is distinct from new.pause_reason then
        v_type := 'campaign.auto_paused';
    end if;
    if v_type is null or not webhook_wanted(new.organization_id, v_type) then
        return null;
    end if;
    perform webhook_publish(
        new.organization_id, v_type, new.id, 'campaign:' || new.id,
        jsonb_build_object(
            'campaign_id', new.id,
            'name', new.name,
            'status', lower(new.status),
            'reason', case when new.status = 'PAUSED' then new.pause_reason
                           when new.status = 'CANCELLED' then new.cancel_reason end),
        clock_timestamp());
    return null;
end
$$;
create trigger campaigns_webhook after insert or update of status, pause_reason on campaigns
    for each row execute function campaigns_webhook();

create function messages_webhook() returns trigger
language plpgsql as $$
declare
    v_type text;
begin
    if tg_op = 'UPDATE' and new.status is not distinct from old.status then
        return null;
    end if;
    v_type := case new.status
        when 'SENT' then 'message.sent'
        when 'DELIVERED' then 'message.delivered'
        when 'FAILED' then 'message.failed'
        when 'UNDELIVERED' then 'message.failed'
    end;
    if v_type is null or not webhook_wanted(new.organization_id, v_type) then
        return null;
    end if;
    perform webhook_publish(
        new.organization_id, v_type, new.campaign_id, 'lead:' || new.lead_pk,
        webhook_message_data(new.lead_pk, new.id, null)
            || jsonb_build_object(
                   'status', lower(new.status),
                   'sender_id', new.sender_id,
                   'sent_at', new.sent_at,
                   'error_code', new.error_code,
                   'error_message', new.error_message,
                   'dry_run', case when new.dry_run then true end),
        clock_timestamp());
    return null;
end
$$;
create trigger messages_webhook after insert or update of status on messages
    for each row
    when (new.status in ('SENT', 'DELIVERED', 'FAILED', 'UNDELIVERED'))
    execute function messages_webhook();

create function lead_events_webhook() returns trigger
language plpgsql as $$
declare
    v_type text := case new.event
        when 'opened' then 'message.opened'
        when 'clicked' then 'message.clicked'
        when 'replied' then 'message.replied'
        when 'out_of_office' then 'message.replied'
        when 'auto_reply' then 'message.replied'
        when 'bounced' then 'message.bounced'
        when 'opted_out' then 'message.unsubscribed'
    end;
    v_own jsonb;
begin
    if not webhook_wanted(new.organization_id, v_type) then
        return null;
    end if;
    v_own := case
        when v_type = 'message.clicked' then jsonb_build_object('url', new.detail)
        when v_type = 'message.replied' then jsonb_build_object(
            'classification', split_part(new.detail, ':', 1),
            'summary', nullif(btrim(substr(new.detail, position(':' in new.detail) + 1)), ''))
        else jsonb_build_object('detail', new.detail)
    end;
    perform webhook_publish(
        new.organization_id, v_type, new.campaign_id, 'lead:' || new.lead_pk,
        webhook_message_data(new.lead_pk, new.message_id, new.at) || v_own,
        new.at);
    return null;
end
$$;
create trigger lead_events_webhook after insert on lead_events
    for each row
    when (new.event in ('opened', 'clicked', 'replied', 'out_of_office', 'auto_reply', 'bounced',
                        'opted_out'))
    execute function lead_events_webhook();

create function conversions_webhook() returns trigger
language plpgsql as $$
begin
    if not webhook_wanted(new.organization_id, 'message.converted') then
        return null;
    end if;
    perform webhook_publish(
        new.organization_id, 'message.converted', new.campaign_id, 'lead:' || new.lead_pk,
        webhook_message_data(new.lead_pk, null, new.occurred_at)
            || jsonb_build_object(
                   'conversion_id', new.id,
                   'event', new.event,
                   'value', new.value,
                   'occurred_at', new.occurred_at,
                   'attributed', new.attributed),
        clock_timestamp());
    return null;
end
$$;
create trigger conversions_webhook after insert on conversions
    for each row execute function conversions_webhook();

create function leads_webhook() returns trigger
language plpgsql as $$
begin
    if not webhook_wanted(new.organization_id, 'lead.completed') then
        return null;
    end if;
    perform webhook_publish(
        new.organization_id, 'lead.completed', new.campaign_id, 'lead:' || new.id,
        jsonb_build_object('campaign_id', new.campaign_id, 'lead_id', new.lead_id,
                           'variant', new.variant),
        clock_timestamp());
    return null;
end
$$;
create trigger leads_webhook after update of status on leads
    for each row
    when (new.status = 'COMPLETED' and old.status is distinct from 'COMPLETED')
    execute function leads_webhook();
