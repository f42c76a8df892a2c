-- The persistence layer's tables (issue 11). Documents are `json` (kept as written, and unlike
-- `jsonb` able to hold a \u0000 a customer typed); ids compare byte-wise (collate "C") so pages
-- and queue order do not depend on the server's locale.

-- Conversation state: one row per botbuilder key (bytea: keys may hold any character, NUL too).
-- `version` is the eTag: drawn from one sequence, so no two writes ever share one.
create sequence state_version;
create table state (
  key bytea primary key,
  version bigint not null,
  doc json not null,
  updated_at timestamptz not null
);
create index state_updated_at on state (updated_at);

create table cases (
  number text collate "C" primary key,
  status text not null,
  channel_id text collate "C" not null,
  user_id text collate "C" not null,
  created_at timestamptz not null,
  record json not null
);
create index cases_user on cases (channel_id, user_id);
create index cases_newest on cases (created_at desc, number desc);
create index cases_status_newest on cases (status, created_at desc, number desc);

-- Transcripts: append-only rows; `position` orders them and is the continuation token.
create table transcripts (
  channel_id text collate "C" not null,
  conversation_id text collate "C" not null,
  created timestamptz not null,
  primary key (channel_id, conversation_id)
);
create index transcripts_created on transcripts (channel_id, created, conversation_id);
create index transcripts_created_all on transcripts (created);
create table transcript_activities (
  position bigserial primary key,
  channel_id text collate "C" not null,
  conversation_id text collate "C" not null,
  -- who wrote it (not the bot), for export and erasure
  writer text collate "C",
  at timestamptz not null,
  activity json not null
);
create index transcript_activities_conversation on transcript_activities (channel_id, conversation_id, position);
create index transcript_activities_writer on transcript_activities (channel_id, writer) where writer is not null;
create index transcript_activities_at on transcript_activities (at);

create table feedback (
  id bigserial primary key,
  at timestamptz not null,
  channel_id text collate "C" not null,
  conversation_id text collate "C" not null,
  entry json not null
);
create index feedback_at on feedback (at, id);
create index feedback_conversation on feedback (channel_id, conversation_id);

-- Direct Line: `watermark` is the next position; appends take it with a row lock (UPDATE …
-- RETURNING), so positions are gap-free per conversation whichever instance appends.
create table dl_conversations (
  id text collate "C" primary key,
  user_id text collate "C" not null,
  created_at timestamptz not null,
  last_active timestamptz not null,
  watermark integer not null default 0,
  token_generation integer not null default 0
);
create index dl_conversations_user on dl_conversations (user_id);
create index dl_conversations_last_active on dl_conversations (last_active);
create table dl_activities (
  conversation_id text collate "C" not null references dl_conversations (id) on delete cascade,
  position integer not null,
  activity json not null,
  primary key (conversation_id, position)
);

create table handoff_queue (
  key text collate "C" primary key,
  case_number text not null,
  team text not null,
  -- as given (returned unchanged), and as a time (the order)
  since text not null,
  since_at timestamptz not null
);
create index handoff_queue_order on handoff_queue (since_at, key);

-- Secrets every instance shares (e.g. the Direct Line signing key), created once.
create table settings (
  name text collate "C" primary key,
  value text not null
);
