-- The links of each tracked message, in order: a click token names a message and a position, so
-- it can only ever lead to a link that was in that message.
create table message_links (
    message_id  text    not null references messages (id) on delete cascade,
    position    integer not null,
    url         text    not null,
    primary key (message_id, position)
);

create index lead_events_message_event_idx on lead_events (message_id, event) where message_id is not null;
