-- One contact book per organization: the lead fields, tags and attributes, unique by the caller's
-- contact_id. Leads made from a contact (an audience's member, a triggered enrolment) point back.
create table contacts (
    id                 bigserial primary key,
    organization_id    text        not null references organizations (id),
    contact_id         text        not null,
    email              text,
    phone              text,
    first_name         text,
    last_name          text,
    company            text,
    title              text,
    timezone           text,
    tags               text[]      not null default '{}',
    attributes         jsonb       not null default '{}',
    -- The last time any campaign sent to the contact: "not contacted within N days".
    last_contacted_at  timestamptz,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    unique (organization_id, contact_id)
);
create index contacts_org_email_idx on contacts (organization_id, email) where email is not null;
create index contacts_org_phone_idx on contacts (organization_id, phone) where phone is not null;
create index contacts_org_created_idx on contacts (organization_id, created_at, id);
create index contacts_tags_idx on contacts using gin (tags);
create index contacts_attributes_idx on contacts using gin (attributes jsonb_path_ops);

alter table leads add column contact_pk bigint references contacts (id) on delete set null;
create index leads_contact_idx on leads (contact_pk) where contact_pk is not null;

-- Saved audiences: a filter over tags and attributes, static members, excluded tags and "not
-- contacted within N days", kept as the caller defined them and compiled to SQL when used.
create table audiences (
    id               text        primary key,
    organization_id  text        not null references organizations (id),
    name             text        not null,
    definition       jsonb       not null,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);
create index audiences_org_idx on audiences (organization_id, created_at);

-- A campaign that enrols an audience's members when it starts (and at each recurring run).
create table campaign_audiences (
    campaign_id  text primary key references campaigns (id) on delete cascade,
    audience_id  text not null references audiences (id)
);
create index campaign_audiences_audience_idx on campaign_audiences (audience_id);

-- A campaign started by events instead of by a start.
create table campaign_triggers (
    campaign_id      text        primary key references campaigns (id) on delete cascade,
    organization_id  text        not null references organizations (id),
    event_type       text        not null,
    definition       jsonb       not null,
    activated_at     timestamptz
);
create index campaign_triggers_org_event_idx on campaign_triggers (organization_id, event_type)
    where activated_at is not null;

-- Events recorded for contacts; the caller's event_id makes a repeat answer as the first did.
create table contact_events (
    id               bigserial   primary key,
    organization_id  text        not null references organizations (id),
    event_id         text        not null,
    contact_pk       bigint      references contacts (id) on delete cascade,
    type             text        not null,
    properties       jsonb       not null default '{}',
    occurred_at      timestamptz not null,
    received_at      timestamptz not null,
    answer           jsonb,
    unique (organization_id, event_id)
);
create index contact_events_contact_idx on contact_events (contact_pk, occurred_at);

-- Every enrolment of a contact by a trigger: the frequency limit counts these.
create table trigger_enrolments (
    id           bigserial   primary key,
    campaign_id  text        not null references campaigns (id) on delete cascade,
    contact_pk   bigint      not null references contacts (id) on delete cascade,
    lead_pk      bigint      references leads (id) on delete set null,
    event_pk     bigint      references contact_events (id) on delete set null,
    enrolled_at  timestamptz not null,
    start_at     timestamptz not null
);
create index trigger_enrolments_contact_idx on trigger_enrolments (campaign_id, contact_pk, enrolled_at);
