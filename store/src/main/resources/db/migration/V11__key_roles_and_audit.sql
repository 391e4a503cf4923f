-- Keys carry a role; the platform admin key is configuration, not a row.
alter table api_keys
    add column role text not null default 'ADMIN'
        check (role in ('ADMIN', 'OPERATOR', 'READ_ONLY'));
alter table api_keys alter column role drop default;

-- One entry per mutating API call: who (key), what (method, path, target) and how it ended.
create table audit_log (
    id              bigserial primary key,
    organization_id text        not null references organizations (id),
    at              timestamptz not null default now(),
    key_id          text        not null,
    method          text        not null,
    path            text        not null,
    status          integer     not null,
    target          text
);
create index audit_log_organization_idx on audit_log (organization_id, id desc);
