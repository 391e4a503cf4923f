-- Every PATCH that changes a campaign counts up its revision; each message records the revision of
-- the copy it was rendered from.
alter table campaigns add column revision integer not null default 1;

-- Who paused a lead: 'lead' when support paused it on its own. A campaign resume must not resume
-- such a lead; only its own resume does.
alter table leads add column paused_by text;

-- Short leases that serialise the changes of one campaign (or lead) across requests and processes,
-- from the store change until its workflow signal is out, without a connection held meanwhile. A
-- lease of a process that died ends by itself at expires_at.
create table change_leases (
    key         text primary key,
    holder      text        not null,
    expires_at  timestamptz not null
);
