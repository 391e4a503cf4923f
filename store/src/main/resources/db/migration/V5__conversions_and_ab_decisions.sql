-- Conversions reported through POST /api/v1/conversions. Whether one counts for the campaign is
-- decided when it arrives and kept: within window_days (the campaign's attribution_window_days)
-- after the last message sent to the lead before it, or, for a holdout lead, after its enrolment.
create table conversions (
    id               text primary key,
    organization_id  text        not null references organizations (id),
    campaign_id      text        not null references campaigns (id) on delete cascade,
    lead_pk          bigint      not null references leads (id) on delete cascade,
    event            text        not null,
    value            numeric,
    occurred_at      timestamptz not null,
    attributed       boolean     not null,
    basis            text check (basis in ('message', 'holdout')),
    step             text,
    basis_at         timestamptz,
    window_days      integer     not null,
    created_at       timestamptz not null,
    -- A retried report (same lead, event and occurred_at) is the same conversion.
    unique (lead_pk, event, occurred_at)
);
create index conversions_campaign_idx on conversions (campaign_id, lead_pk);

-- The A/B test's winner, decided once per campaign and never overwritten.
create table ab_decisions (
    campaign_id  text primary key references campaigns (id) on delete cascade,
    winner       text             not null,
    metric       text             not null,
    statistic    double precision not null,
    p_value      double precision not null,
    decided_at   timestamptz      not null
);

create function metrics_step_bit(step text) returns integer
    language sql immutable parallel safe
    as $$ select case step when 'hook' then 1 when 'proof' then 2 when 'fomo' then 4 else 8 end $$;

-- The classification a replied event's detail starts with ("interested: sounds good").
create function metrics_reply_class(detail text) returns text
    language sql immutable parallel safe
    as $$ select split_part(detail, ':', 1) $$;

-- Metrics: what each lead's messages, outcome events and conversions amount to, one row per lead
-- that was sent a message, had an outcome event or converted, kept current by the statement
-- triggers below as rows are written to messages, lead_events and conversions. The metrics
-- endpoint reads one row per lead (joined to the campaign's leads for variant and status; both
-- have a covering index on (campaign_id, lead)) instead of aggregating every message and event of
-- the campaign. lead_metrics_rebuild (below) recomputes a campaign's rows from scratch.
-- Step sets are bit masks: hook 1, proof 2, fomo 4, any other step (or none) 8.
create table lead_metrics (
    lead_pk           bigint      primary key references leads (id) on delete cascade,
    campaign_id       text        not null,
    sent              integer     not null default 0,      -- messages handed over (sent_at set)
    delivered         integer     not null default 0,      -- messages reported DELIVERED
    sent_steps        integer     not null default 0,
    delivered_steps   integer     not null default 0,
    opened_steps      integer     not null default 0,
    clicked_steps     integer     not null default 0,
    replied_at        timestamptz,                         -- first human reply after a message
    replied_step      text,                                -- the last step sent before it
    positive          boolean     not null default false,  -- an 'interested' reply after a message
    opted_out         boolean     not null default false,  -- opted_out event or unsubscribe reply
    bounced           boolean     not null default false,
    failed            boolean     not null default false,
    converted         boolean     not null default false,  -- an attributed conversion
    conversion_value  numeric     not null default 0,      -- the sum of their values
    -- Everything the metrics group by, in one integer (decoded by LeadProfile in the analysis
    -- module): bits 0-3 sent steps, 4-7 delivered, 8-11 opened, 12-15 clicked, 16-19 the replied
    -- step, 20 positive, 21 opted out, 22 bounced, 23 failed, 24 converted.
    profile           integer     generated always as (
                          sent_steps | (delivered_steps << 4) | (opened_steps << 8)
                          | (clicked_steps << 12)
                          | (case when replied_step is null then 0
                                  else metrics_step_bit(replied_step) end << 16)
                          | (positive::integer << 20) | (opted_out::integer << 21)
                          | (bounced::integer << 22) | (failed::integer << 23)
                          | (converted::integer << 24)) stored
);
create index lead_metrics_campaign_idx on lead_metrics (campaign_id, lead_pk)
    include (profile, sent, delivered, conversion_value);
-- The campaign's leads with variant and status, read from the index alone.
create index leads_campaign_variant_idx on leads (campaign_id, id) include (variant, status);

-- A trigger holds the lead_metrics rows it changes until the writing transaction ends; it takes
-- them in lead order, so two statements that write rows of several leads take them in one order.

-- Messages written with a sent_at (or already delivered).
create function lead_metrics_messages_inserted() returns trigger
    language plpgsql as $$
begin
    insert into lead_metrics as lm (lead_pk, campaign_id, sent, delivered, sent_steps,
                                    delivered_steps)
    select lead_pk, min(campaign_id),
           count(*) filter (where sent_at is not null),
           count(*) filter (where status = 'DELIVERED'),
           coalesce(bit_or(metrics_step_bit(step_type)) filter (where sent_at is not null), 0),
           coalesce(bit_or(metrics_step_bit(step_type)) filter (where status = 'DELIVERED'), 0)
    from inserted
    where sent_at is not null or status = 'DELIVERED'
    group by lead_pk
    order by lead_pk
    on conflict (lead_pk) do update
        set sent = lm.sent + excluded.sent,
            delivered = lm.delivered + excluded.delivered,
            sent_steps = lm.sent_steps | excluded.sent_steps,
            delivered_steps = lm.delivered_steps | excluded.delivered_steps;
    return null;
end $$;
create trigger lead_metrics_messages_inserted after insert on messages
    referencing new table as inserted
    for each statement execute function lead_metrics_messages_inserted();

-- A message handed over (sent_at set) or reported delivered: each counts once, on the change.
create function lead_metrics_messages_updated() returns trigger
    language plpgsql as $$
begin
    insert into lead_metrics as lm (lead_pk, campaign_id, sent, delivered, sent_steps,
                                    delivered_steps)
    select n.lead_pk, min(n.campaign_id),
           count(*) filter (where n.sent_at is not null and o.sent_at is null),
           count(*) filter (where n.status = 'DELIVERED' and o.status <> 'DELIVERED'),
           coalesce(bit_or(metrics_step_bit(n.step_type))
                        filter (where n.sent_at is not null and o.sent_at is null), 0),
           coalesce(bit_or(metrics_step_bit(n.step_type))
                        filter (where n.status = 'DELIVERED' and o.status <> 'DELIVERED'), 0)
    from new_rows n
    join old_rows o on o.id = n.id
    where (n.sent_at is not null and o.sent_at is null)
       or (n.status = 'DELIVERED' and o.status <> 'DELIVERED')
    group by n.lead_pk
    order by n.lead_pk
    on conflict (lead_pk) do update
        set sent = lm.sent + excluded.sent,
            delivered = lm.delivered + excluded.delivered,
            sent_steps = lm.sent_steps | excluded.sent_steps,
            delivered_steps = lm.delivered_steps | excluded.delivered_steps;
    return null;
end $$;
create trigger lead_metrics_messages_updated after update on messages
    referencing old table as old_rows new table as new_rows
    for each statement execute function lead_metrics_messages_updated();

-- Outcome events: opens and clicks by step, opt-outs, bounces, failures; and human replies, each
-- attributed to the last step sent before it, the lead's first one deciding its replied step.
create function lead_metrics_events_inserted() returns trigger
    language plpgsql as $$
begin
    insert into lead_metrics as lm (lead_pk, campaign_id, opened_steps, clicked_steps, opted_out,
                                    bounced, failed)
    select lead_pk, min(campaign_id),
           coalesce(bit_or(metrics_step_bit(step_type)) filter (where event = 'opened'), 0),
           coalesce(bit_or(metrics_step_bit(step_type)) filter (where event = 'clicked'), 0),
           bool_or(event = 'opted_out'
                   or (event = 'replied' and metrics_reply_class(detail) = 'unsubscribe')),
           bool_or(event = 'bounced'),
           bool_or(event = 'failed')
    from inserted
    where event in ('opened', 'clicked', 'replied', 'opted_out', 'bounced', 'failed')
    group by lead_pk
    order by lead_pk
    on conflict (lead_pk) do update
        set opened_steps = lm.opened_steps | excluded.opened_steps,
            clicked_steps = lm.clicked_steps | excluded.clicked_steps,
            opted_out = lm.opted_out or excluded.opted_out,
            bounced = lm.bounced or excluded.bounced,
            failed = lm.failed or excluded.failed;

    with replies as (
        select i.lead_pk, i.at, metrics_reply_class(i.detail) = 'interested' as positive,
               (select m.step_type from messages m
                where m.lead_pk = i.lead_pk and m.sent_at < i.at
                order by m.sent_at desc limit 1) as step
        from inserted i
        where i.event = 'replied'
          and metrics_reply_class(i.detail)
              in ('interested', 'not_interested', 'neutral', 'unsubscribe')
    ), first_replies as (
        select distinct on (lead_pk) lead_pk, at, step,
               bool_or(positive) over (partition by lead_pk) as positive
        from replies
        where step is not null
        order by lead_pk, at
    )
    update lead_metrics lm
    set replied_step = case when lm.replied_at is null or f.at < lm.replied_at
                            then f.step else lm.replied_step end,
        replied_at = case when lm.replied_at is null or f.at < lm.replied_at
                          then f.at else lm.replied_at end,
        positive = lm.positive or f.positive
    from first_replies f
    where lm.lead_pk = f.lead_pk;
    return null;
end $$;
create trigger lead_metrics_events_inserted after insert on lead_events
    referencing new table as inserted
    for each statement execute function lead_metrics_events_inserted();

-- Attributed conversions.
create function lead_metrics_conversions_inserted() returns trigger
    language plpgsql as $$
begin
    insert into lead_metrics as lm (lead_pk, campaign_id, converted, conversion_value)
    select lead_pk, min(campaign_id), true, sum(coalesce(value, 0))
    from inserted
    where attributed
    group by lead_pk
    order by lead_pk
    on conflict (lead_pk) do update
        set converted = true,
            conversion_value = lm.conversion_value + excluded.conversion_value;
    return null;
end $$;
create trigger lead_metrics_conversions_inserted after insert on conversions
    referencing new table as inserted
    for each statement execute function lead_metrics_conversions_inserted();

-- Computes a campaign's lead_metrics afresh from its messages and events: the same rules as the
-- triggers, applied to everything at once. Used below for rows written before this migration,
-- and by tests to prove the triggers and the rules agree.
create function lead_metrics_rebuild(campaign text) returns void
    language plpgsql as $$
begin
    delete from lead_metrics where campaign_id = campaign;
    insert into lead_metrics (lead_pk, campaign_id, sent, delivered, sent_steps, delivered_steps,
                              opened_steps, clicked_steps, opted_out, bounced, failed, converted,
                              conversion_value)
    select l.id, campaign,
           coalesce(m.sent, 0), coalesce(m.delivered, 0),
           coalesce(m.sent_steps, 0), coalesce(m.delivered_steps, 0),
           coalesce(e.opened_steps, 0), coalesce(e.clicked_steps, 0),
           coalesce(e.opted_out, false), coalesce(e.bounced, false), coalesce(e.failed, false),
           c.lead_pk is not null, coalesce(c.value, 0)
    from leads l
    left join (
        select lead_pk,
               count(*) filter (where sent_at is not null) as sent,
               count(*) filter (where status = 'DELIVERED') as delivered,
               coalesce(bit_or(metrics_step_bit(step_type))
                            filter (where sent_at is not null), 0) as sent_steps,
               coalesce(bit_or(metrics_step_bit(step_type))
                            filter (where status = 'DELIVERED'), 0) as delivered_steps
        from messages
        where campaign_id = campaign and (sent_at is not null or status = 'DELIVERED')
        group by lead_pk) m on m.lead_pk = l.id
    left join (
        select lead_pk,
               coalesce(bit_or(metrics_step_bit(step_type))
                            filter (where event = 'opened'), 0) as opened_steps,
               coalesce(bit_or(metrics_step_bit(step_type))
                            filter (where event = 'clicked'), 0) as clicked_steps,
               bool_or(event = 'opted_out'
                       or (event = 'replied' and metrics_reply_class(detail) = 'unsubscribe'))
                   as opted_out,
               bool_or(event = 'bounced') as bounced,
               bool_or(event = 'failed') as failed
        from lead_events
        where campaign_id = campaign
          and event in ('opened', 'clicked', 'replied', 'opted_out', 'bounced', 'failed')
        group by lead_pk) e on e.lead_pk = l.id
    left join (
        select lead_pk, sum(coalesce(value, 0)) as value
        from conversions
        where campaign_id = campaign and attributed
        group by lead_pk) c on c.lead_pk = l.id
    where l.campaign_id = campaign
      and (m.lead_pk is not null or e.lead_pk is not null or c.lead_pk is not null);

    with replies as (
        select e.lead_pk, e.at, metrics_reply_class(e.detail) = 'interested' as positive,
               (select m.step_type from messages m
                where m.lead_pk = e.lead_pk and m.sent_at < e.at
                order by m.sent_at desc limit 1) as step
        from lead_events e
        where e.campaign_id = campaign
          and e.event = 'replied'
          and metrics_reply_class(e.detail)
              in ('interested', 'not_interested', 'neutral', 'unsubscribe')
    ), first_replies as (
        select distinct on (lead_pk) lead_pk, at, step,
               bool_or(positive) over (partition by lead_pk) as positive
        from replies
        where step is not null
        order by lead_pk, at
    )
    update lead_metrics lm
    set replied_at = f.at, replied_step = f.step, positive = f.positive
    from first_replies f
    where lm.lead_pk = f.lead_pk;
end $$;

select lead_metrics_rebuild(id) from campaigns;
