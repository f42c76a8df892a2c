-- The live agent desk (issue 12): hand-offs as records (replacing handoff_queue), staff
-- accounts and desk sessions. Documents are `json`, as in 001.

-- One row per hand-off; the columns are what queues and counts need, the record is the rest.
create table handoffs (
  case_number text collate "C" primary key,
  channel_id text collate "C" not null,
  conversation_id text collate "C" not null,
  status text not null,
  team text not null,
  queued_at timestamptz not null,
  agent text collate "C",
  accepted_at timestamptz,
  ended_at timestamptz,
  record json not null
);
create index handoffs_queue on handoffs (team, queued_at, case_number) where status = 'waiting';
create index handoffs_agent on handoffs (agent, accepted_at) where status = 'with_agent';
create index handoffs_ended on handoffs (ended_at) where status = 'ended';
create index handoffs_conversation on handoffs (channel_id, conversation_id);

-- Whoever was waiting in the old queue keeps their place.
insert into handoffs (case_number, channel_id, conversation_id, status, team, queued_at, record)
select q.case_number, split_part(q.key, '/', 1), substr(q.key, length(split_part(q.key, '/', 1)) + 2), 'waiting', t.team, q.since_at, json_build_object(
    'caseNumber', q.case_number, 'channelId', split_part(q.key, '/', 1), 'conversationId', substr(q.key, length(split_part(q.key, '/', 1)) + 2),
    'team', t.team, 'via', 'desk', 'status', 'waiting', 'requestedAt', to_char(q.since_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'queuedAt', to_char(q.since_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'events', json_build_array(json_build_object('at', to_char(q.since_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'kind', 'requested', 'team', t.team)))
from handoff_queue q
cross join lateral (select case q.team when 'business' then 'business' when 'international' then 'international'
  when 'tech_support' then 'technical' when 'technical' then 'technical' else 'general' end as team) t
on conflict (case_number) do nothing;
drop table handoff_queue;

create table staff (
  username text collate "C" primary key,
  account json not null
);

-- `id` is the SHA-256 of the token the browser holds, never the token.
create table desk_sessions (
  id text collate "C" primary key,
  username text collate "C" not null,
  expires_at timestamptz not null,
  last_seen timestamptz not null,
  session json not null
);
create index desk_sessions_user on desk_sessions (username);
create index desk_sessions_seen on desk_sessions (last_seen);
create index desk_sessions_expires on desk_sessions (expires_at);

-- The desk's follow-up list (call-backs, texts and emails still to do) needs the contact method
-- and whether it was done as columns: an index on `record->>…` would parse every document, and
-- PostgreSQL cannot take a \u0000 out of json as text, so a case quoting one could not be stored.
-- Documents holding one are not read back here (their contact method stays unknown to the list).
alter table cases add column contact_method text, add column follow_up_done_at timestamptz;
update cases set contact_method = record->>'contactMethod' where strpos(record::text, '\u0000') = 0;
create index cases_follow_ups on cases (created_at, number)
  where status in ('open', 'pending') and contact_method in ('callback', 'text', 'email') and follow_up_done_at is null;
