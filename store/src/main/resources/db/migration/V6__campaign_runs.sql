-- The runs of a recurring campaign: one per occurrence of its cron, enrolling the leads added
-- since the previous run.
create table campaign_runs (
    campaign_id  text        not null references campaigns (id) on delete cascade,
    run_number   integer     not null,
    started_at   timestamptz not null,
    enrolled     bigint      not null,
    primary key (campaign_id, run_number)
);
