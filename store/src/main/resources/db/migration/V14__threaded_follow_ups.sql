-- A follow-up sent as a reply in the hook's thread: the hook's Message-ID, kept with the attempt so
-- that a hand-over repeated after a crash carries the same In-Reply-To and References.
alter table messages add column in_reply_to text;
