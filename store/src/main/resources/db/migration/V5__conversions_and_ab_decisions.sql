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
-- The metrics read only attributed conversions, per lead.
create index conversions_campaign_attributed_idx on conversions (campaign_id, lead_pk)
    include (value) where attributed;

-- The A/B test's winner, decided once per campaign and never overwritten.
create table ab_decisions (
    campaign_id  text primary key references campaigns (id) on delete cascade,
    winner       text             not null,
    metric       text             not null,
    statistic    double precision not null,
    p_value      double precision not null,
    decided_at   timestamptz      not null
);

-- Metrics: one pass per table over a campaign's rows, read from the index alone.
-- Sent messages per lead, with what the funnel needs (step, status, sent_at).
create index messages_campaign_sent_idx on messages (campaign_id, lead_pk)
    include (step_type, status, sent_at) where sent_at is not null;
-- Outcome events per lead; the frequent 'sent', 'enrolled', 'completed' ... events are not in it.
create index lead_events_campaign_outcome_idx on lead_events (campaign_id, lead_pk)
    include (event, step_type, at)
    where event in ('opened', 'clicked', 'replied', 'opted_out', 'bounced', 'failed');
-- Leads of a campaign by id, with variant and status.
create index leads_campaign_variant_idx on leads (campaign_id, id) include (variant, status);
