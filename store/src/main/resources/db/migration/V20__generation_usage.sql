-- What each organization has used of its language-model budget: requests per minute and tokens per
-- day (UTC), reserved atomically before each call so that replicas share one budget.
create table generation_usage (
    organization_id  text    not null,
    period           text    not null,
    used             bigint  not null,
    primary key (organization_id, period)
);
