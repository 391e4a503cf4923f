-- When a one-time campaign made its audience's members leads: it does so once, at its start, and a
-- later enrolment (leads imported, the run continued as new) must not add members who joined since.
-- A recurring campaign adds them at each run and records the last.
alter table campaign_audiences add column enrolled_at timestamptz;
