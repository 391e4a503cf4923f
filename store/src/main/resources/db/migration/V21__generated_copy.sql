-- Steps whose copy a language model writes per lead (the step's own copy stays the fallback), and
-- the campaign's rules for it.
alter table campaign_steps
    add column generate_instructions text,
    add column generate_tone text,
    add column generate_max_words integer;
alter table campaigns
    add column generation_review boolean not null default false,
    add column generation_denied_phrases text,
    add column generation_max_similarity double precision;
