-- The copy a language model wrote for a lead's step, what it was asked, what it cost, and what the
-- quality gate and a reviewer made of it. The send path reads it: accepted, approved or edited text
-- goes out; rejected or failed falls back to the step's template; awaiting_review waits.
create table lead_generations (
    lead_pk            bigint      not null references leads (id) on delete cascade,
    step               text        not null,
    status             text        not null check (status in ('accepted', 'rejected', 'failed',
                                   'awaiting_review', 'approved', 'edited')),
    subject            text,
    body               text,
    rejections         text,
    failure            text,
    attempts           integer     not null,
    model              text,
    prompt             text,
    prompt_tokens      bigint      not null default 0,
    completion_tokens  bigint      not null default 0,
    created_at         timestamptz not null default now(),
    reviewed_at        timestamptz,
    reviewed_by        text,
    primary key (lead_pk, step)
);
