-- Sends per campaign and wall-clock minute (limits.per_minute), reserved atomically like the
-- daily quota. A row is a few bytes per campaign and minute of sending.
create table minute_quota (
    campaign_id  text        not null references campaigns (id) on delete cascade,
    minute       timestamptz not null,
    used         integer     not null,
    primary key (campaign_id, minute)
);
