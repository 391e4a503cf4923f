-- Console sign-ins: the cookie holds a random token, this table its SHA-256. A session lasts while
-- its key is not revoked and it has not expired; every replica reads the same table.
create table console_sessions (
    token_hash       text primary key,
    organization_id  text        not null references organizations (id),
    key_id           text        not null references api_keys (id),
    csrf_token       text        not null,
    viewer_zone      text        not null,
    created_at       timestamptz not null default now(),
    expires_at       timestamptz not null
);
create index console_sessions_expiry_idx on console_sessions (expires_at);
