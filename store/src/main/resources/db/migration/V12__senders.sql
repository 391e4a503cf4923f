-- The addresses and numbers an organization sends from. An address or number belongs to one
-- organization only: inbound replies, bounces and STOPs to it act within that organization.
create table senders (
    id               text primary key,
    organization_id  text        not null references organizations (id),
    channel          text        not null check (channel in ('EMAIL', 'SMS')),
    address          text        not null,
    name             text,
    registered_by    text        not null check (registered_by in ('api', 'first_use', 'migration')),
    created_at       timestamptz not null default now(),
    unique (channel, address)
);
create index senders_organization_idx on senders (organization_id, created_at);

-- The senders of the campaigns that exist: the organization that used an address first keeps it.
insert into senders (id, organization_id, channel, address, name, registered_by, created_at)
select distinct on (channel, address)
       'snd_' || substr(md5(channel || ':' || address), 1, 20),
       organization_id, channel, address, name, 'migration', created_at
from (select organization_id, 'EMAIL' as channel, lower(sender_email) as address,
             sender_name as name, created_at
      from campaigns where channel = 'EMAIL' and sender_email is not null
      union all
      select organization_id, 'SMS', sender_phone, null, created_at
      from campaigns where channel = 'SMS' and sender_phone is not null) used
order by channel, address, created_at;
