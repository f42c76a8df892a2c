-- Outcome events for supervisors' numbers and the review queue (issue 15). `started` is when the
-- event's conversation started: ranges select conversations by it, and retention drops by it.
create table outcome_events (
  id text collate "C" primary key,
  kind text not null,
  at timestamptz not null,
  started timestamptz not null,
  channel_id text collate "C" not null,
  conversation_id text collate "C" not null,
  case_number text collate "C",
  event json not null
);
create index outcome_events_started on outcome_events (started, channel_id);
create index outcome_events_conversation on outcome_events (channel_id, conversation_id);
create index outcome_events_case on outcome_events (case_number) where case_number is not null;

-- What supervisors labelled from the review queue: one label per message; `key` is the
-- normalised phrasing (one phrasing is never under two intents of a language).
create table review_labels (
  message_id text collate "C" primary key,
  seq bigserial not null,
  key text collate "C" not null,
  language text not null,
  intent text not null,
  channel_id text collate "C" not null,
  conversation_id text collate "C" not null,
  label json not null
);
create index review_labels_key on review_labels (language, key);
create index review_labels_conversation on review_labels (channel_id, conversation_id);
-- one row: rises with every change, so every instance can tell its model is out of date
create table review_revision (one boolean primary key default true check (one), revision bigint not null);
insert into review_revision (one, revision) values (true, 0);
