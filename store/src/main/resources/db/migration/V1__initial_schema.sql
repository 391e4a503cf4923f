-- Organizations own campaigns, leads and their suppression list; API keys are stored as SHA-256 hashes.
create table organizations (
    id          text primary key,
    name        text        not null,
    created_at  timestamptz not null default now()
);

create table api_keys (
    id              text primary key,
    organization_id text        not null references organizations (id),
    key_hash        text        not null unique,
    label           text        not null,
    created_at      timestamptz not null default now(),
    revoked_at      timestamptz
);
create index api_keys_organization_idx on api_keys (organization_id);

create table campaigns (
    id                       text primary key,
    organization_id          text        not null references organizations (id),
    name                     text        not null,
    channel                  text        not null check (channel in ('EMAIL', 'SMS')),
    status                   text        not null,
    sender_email             text,
    sender_name              text,
    sender_phone             text,
    sender_reply_to          text,
    holdout_percentage       integer     not null default 0,
    timezone                 text        not null,
    window_start             time,
    window_end               time,
    business_days            text        not null,
    holiday_calendar         text,
    blackout_dates           text        not null default '',
    recurrence               text,
    daily_limit              integer,
    per_minute               integer,
    frequency_cap_days       integer,
    attribution_window_days  integer     not null default 7,
    stop_on_reply            boolean     not null default true,
    stop_scope               text        not null default 'lead',
    track_links              boolean     not null default true,
    auto_winner_enabled      boolean     not null default false,
    auto_winner_metric       text        not null default 'reply_rate',
    auto_winner_confidence   double precision not null default 0.95,
    auto_winner_min_sample   integer     not null default 100,
    template_attributes      text        not null default '',
    start_at                 timestamptz,
    workflow_id              text,
    cancel_reason            text,
    created_at               timestamptz not null,
    updated_at               timestamptz not null,
    version                  bigint      not null
);
create index campaigns_org_status_idx on campaigns (organization_id, status, created_at desc);
create index campaigns_org_created_idx on campaigns (organization_id, created_at desc);

-- Steps of every variant; variant 'A' holds the base steps, other variants override by type.
create table campaign_steps (
    campaign_id text    not null references campaigns (id) on delete cascade,
    position    integer not null,
    variant     text    not null,
    type        text    not null,
    day         integer not null,
    subject     text,
    body        text    not null,
    primary key (campaign_id, position)
);

create table campaign_variants (
    campaign_id            text    not null references campaigns (id) on delete cascade,
    position               integer not null,
    name                   text    not null,
    allocation_percentage  integer not null,
    primary key (campaign_id, position),
    unique (campaign_id, name)
);

create table leads (
    id               bigserial primary key,
    organization_id  text        not null references organizations (id),
    campaign_id      text        not null references campaigns (id) on delete cascade,
    lead_id          text        not null,
    email            text,
    phone            text,
    first_name       text,
    last_name        text,
    company          text,
    title            text,
    timezone         text        not null,
    attributes       text        not null default '{}',
    status           text        not null,
    variant          text,
    workflow_id      text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    unique (campaign_id, lead_id)
);
create index leads_campaign_status_idx on leads (campaign_id, status, id);
create index leads_org_email_idx on leads (organization_id, email) where email is not null;
create index leads_org_phone_idx on leads (organization_id, phone) where phone is not null;

-- The plan and outcome of every step of a lead's sequence, written by the workflow's activities.
create table lead_steps (
    lead_pk       bigint      not null references leads (id) on delete cascade,
    position      integer     not null,
    type          text        not null,
    status        text        not null,
    scheduled_at  timestamptz,
    sent_at       timestamptz,
    reason        text,
    message_id    text,
    updated_at    timestamptz not null default now(),
    primary key (lead_pk, position)
);

create table messages (
    id                   text primary key,
    organization_id      text        not null references organizations (id),
    campaign_id          text        not null references campaigns (id) on delete cascade,
    lead_pk              bigint      not null references leads (id) on delete cascade,
    step_type            text        not null,
    variant              text,
    channel              text        not null,
    -- (workflow id, step): a retried or re-run send activity finds its earlier attempt here.
    idempotency_key      text        not null unique,
    recipient            text        not null,
    subject              text,
    body_text            text        not null,
    body_html            text,
    provider_message_id  text,
    status               text        not null,
    dry_run              boolean     not null default false,
    segments             integer,
    error_code           text,
    error_message        text,
    created_at           timestamptz not null,
    sent_at              timestamptz,
    updated_at           timestamptz not null
);
create index messages_lead_idx on messages (lead_pk, created_at);
create index messages_campaign_idx on messages (campaign_id, step_type, status);
create index messages_provider_id_idx on messages (provider_message_id) where provider_message_id is not null;
create index messages_org_recipient_idx on messages (organization_id, recipient, sent_at desc);

-- Everything that happened to a lead: its timeline, and the raw events of metrics.
create table lead_events (
    id               bigserial primary key,
    organization_id  text        not null,
    campaign_id      text        not null references campaigns (id) on delete cascade,
    lead_pk          bigint      not null references leads (id) on delete cascade,
    message_id       text references messages (id) on delete set null,
    step_type        text,
    event            text        not null,
    detail           text,
    at               timestamptz not null
);
create index lead_events_lead_idx on lead_events (lead_pk, at, id);
create index lead_events_campaign_event_idx on lead_events (campaign_id, event);

create table suppressions (
    organization_id  text        not null references organizations (id),
    channel          text        not null check (channel in ('EMAIL', 'SMS')),
    address          text        not null,
    source           text        not null,
    created_at       timestamptz not null,
    primary key (organization_id, channel, address)
);

create table suppression_audit (
    id               bigserial primary key,
    organization_id  text        not null references organizations (id),
    channel          text        not null,
    address          text        not null,
    action           text        not null check (action in ('opt_out', 'resubscribe')),
    source           text        not null,
    detail           text,
    at               timestamptz not null
);
create index suppression_audit_address_idx on suppression_audit (organization_id, channel, address, at);

-- Sends per campaign and calendar day of the campaign's time zone; reserved atomically.
create table daily_quota (
    campaign_id  text    not null references campaigns (id) on delete cascade,
    day          date    not null,
    used         integer not null,
    primary key (campaign_id, day)
);
