-- Replies and opt-outs find leads by address, with or without knowing the organization (a shared
-- reply mailbox does not tell it): an index on the address alone serves both.
create index leads_email_idx on leads (email) where email is not null;
create index leads_phone_idx on leads (phone) where phone is not null;
