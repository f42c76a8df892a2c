import type pg from 'pg';
import { customerId } from '../../cases/visibility.js';
import { caseOf } from '../outcomeStore.js';
import { checkedEvent } from '../outcomeSchema.js';
import { CARRY_OVER_STORES, type CarryOverCount, type CarryOverSource, type CarryOverStore } from '../carryOver.js';
import { pgText } from './db.js';

/** Rows per statement: well under PostgreSQL's 65,535 parameters and its statement timeout. */
const BATCH = 500;

export type CarryOverCounts = Record<CarryOverStore, CarryOverCount>;

/**
 * Copies everything `source` holds into the PostgreSQL schema on `client`, inside the caller's
 * transaction, keeping ids, numbers, times and positions. Idempotent: a record the database holds
 * already (same case number, conversation, username, event id…) is left as it is and counted as
 * `present`, so a second run moves nothing. A transcript or Direct Line conversation is copied
 * whole or not at all: one the database has already is taken as present, activities and all.
 */
export async function importInto(client: pg.ClientBase, source: CarryOverSource): Promise<CarryOverCounts> {
  const counts = Object.fromEntries(CARRY_OVER_STORES.map((s) => [s, { moved: 0, present: 0 }])) as CarryOverCounts;
  const tally = (store: CarryOverStore, total: number, moved: number) => { counts[store].moved += moved; counts[store].present += total - moved; };
  const q = async (sql: string, values: unknown[]) => (await client.query(sql, values)).rowCount ?? 0;

  for await (const rows of batches(source.state())) {
    tally('state', rows.length, await q(`insert into state (key, version, doc, updated_at)
      select key, nextval('state_version'), doc, at from unnest($1::bytea[], $2::json[], $3::timestamptz[]) as t(key, doc, at)
      on conflict (key) do nothing`, [rows.map((r) => Buffer.from(r.key)), rows.map((r) => JSON.stringify(r.value)), rows.map((r) => r.updatedAt)]));
  }

  for await (const rows of batches(source.cases())) {
    tally('cases', rows.length, await q(`insert into cases (number, status, channel_id, user_id, created_at, record, contact_method, follow_up_done_at)
      select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::json[], $7::text[], $8::timestamptz[])
      on conflict (number) do nothing`, [rows.map((c) => c.number), rows.map((c) => c.status), rows.map((c) => pgText(c.channelId)), rows.map((c) => pgText(c.userId)),
      rows.map((c) => c.createdAt), rows.map((c) => JSON.stringify(c)), rows.map((c) => (c.contactMethod ? pgText(c.contactMethod) : null)), rows.map((c) => c.followUpDone?.at ?? null)]));
  }

  // transcripts are counted in activities; a conversation the database has is left whole
  for await (const t of source.transcripts()) {
    const made = await q('insert into transcripts (channel_id, conversation_id, created) values ($1, $2, $3) on conflict do nothing', [pgText(t.channelId), pgText(t.conversationId), t.created]);
    if (made === 0) { tally('transcripts', t.activities.length, 0); continue; }
    for (let i = 0; i < t.activities.length; i += BATCH) {
      const part = t.activities.slice(i, i + BATCH);
      tally('transcripts', part.length, await q(`insert into transcript_activities (channel_id, conversation_id, writer, at, activity)
        select $1, $2, writer, at, activity from unnest($3::text[], $4::timestamptz[], $5::json[]) with ordinality as t(writer, at, activity, ord) order by ord`,
      [pgText(t.channelId), pgText(t.conversationId), part.map((a) => writerOf(a)), part.map((a) => a.timestamp), part.map((a) => JSON.stringify(a))]));
    }
  }

  // no natural key: an entry is present when one with the same time, conversation and content is
  for await (const rows of batches(source.feedback())) {
    tally('feedback', rows.length, await q(`insert into feedback (at, channel_id, conversation_id, entry)
      select at, channel_id, conversation_id, entry::json from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[]) with ordinality as t(at, channel_id, conversation_id, entry, ord)
      where not exists (select 1 from feedback f where f.at = t.at and f.channel_id = t.channel_id and f.conversation_id = t.conversation_id and f.entry::text = t.entry)
      order by ord`, [rows.map((e) => e.at), rows.map((e) => pgText(e.channelId)), rows.map((e) => pgText(e.conversationId)), rows.map((e) => JSON.stringify(e))]));
  }

  // Direct Line is counted in conversations (their activities go with them)
  for await (const { conversation: c, activities } of source.directLine()) {
    const made = await q(`insert into dl_conversations (id, user_id, created_at, last_active, watermark, token_generation) values ($1, $2, $3, $4, $5, $6)
      on conflict (id) do nothing`, [pgText(c.id), pgText(c.userId), c.createdAt, new Date(c.lastActive), activities.length, c.tokenGeneration]);
    tally('directLine', 1, made);
    if (made === 0) continue;
    for (let i = 0; i < activities.length; i += BATCH) {
      await q(`insert into dl_activities (conversation_id, position, activity) select $1, $2 + ord - 1, doc from unnest($3::json[]) with ordinality as t(doc, ord)`,
        [pgText(c.id), i, activities.slice(i, i + BATCH).map((a) => JSON.stringify(a))]);
    }
  }

  for await (const rows of batches(source.handoffs())) {
    tally('handoffs', rows.length, await q(`insert into handoffs (case_number, channel_id, conversation_id, status, team, queued_at, agent, accepted_at, ended_at, record)
      select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::json[])
      on conflict (case_number) do nothing`, [rows.map((r) => pgText(r.caseNumber)), rows.map((r) => pgText(r.channelId)), rows.map((r) => pgText(r.conversationId)),
      rows.map((r) => r.status), rows.map((r) => r.team), rows.map((r) => r.queuedAt), rows.map((r) => (r.status === 'with_agent' ? pgText(r.agent?.username ?? '') : null)),
      rows.map((r) => r.acceptedAt ?? null), rows.map((r) => r.endedAt ?? null), rows.map((r) => JSON.stringify(r))]));
  }

  for await (const rows of batches(source.staff())) {
    tally('staff', rows.length, await q(`insert into staff (username, account) select * from unnest($1::text[], $2::json[]) on conflict (username) do nothing`,
      [rows.map((a) => pgText(a.username)), rows.map((a) => JSON.stringify(a))]));
  }

  for await (const rows of batches(source.deskSessions())) {
    tally('deskSessions', rows.length, await q(`insert into desk_sessions (id, username, expires_at, last_seen, session)
      select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::json[]) on conflict (id) do nothing`,
    [rows.map((s) => pgText(s.id)), rows.map((s) => pgText(s.username)), rows.map((s) => s.expiresAt), rows.map((s) => s.lastSeen), rows.map((s) => JSON.stringify(s))]));
  }

  // append-only with no natural key: an entry is present when one with the same time, actor, action, target and detail is
  for await (const rows of batches(source.audit())) {
    tally('audit', rows.length, await q(`insert into audit_log (at, actor, action, target, detail)
      select at, actor, action, target, detail from unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) with ordinality as t(at, actor, action, target, detail, ord)
      where not exists (select 1 from audit_log l where l.at = t.at and l.actor = t.actor and l.action = t.action and l.target = t.target and l.detail is not distinct from t.detail)
      order by ord`, [rows.map((e) => e.at), rows.map((e) => pgText(e.actor)), rows.map((e) => pgText(e.action)), rows.map((e) => pgText(e.target)),
      rows.map((e) => (e.detail === undefined ? null : JSON.stringify(e.detail)))]));
  }

  for await (const rows of batches(source.outcomes())) {
    const events = rows.map((e) => JSON.parse(JSON.stringify(checkedEvent(e))) as typeof e);
    tally('outcomes', rows.length, await q(`insert into outcome_events (id, kind, at, started, channel_id, conversation_id, case_number, event)
      select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::json[]) on conflict (id) do nothing`,
    [events.map((e) => pgText(e.id)), events.map((e) => e.kind), events.map((e) => e.at), events.map((e) => e.started), events.map((e) => pgText(e.channelId)),
      events.map((e) => pgText(e.conversationId)), events.map((e) => caseOf(e) ?? null), events.map((e) => JSON.stringify(e))]));
  }

  const { labels } = await source.reviewLabels();
  let labelled = 0;
  for (const l of labels) {
    labelled += await q(`insert into review_labels (message_id, key, language, intent, channel_id, conversation_id, label) values ($1, $2, $3, $4, $5, $6, $7)
      on conflict (message_id) do nothing`, [pgText(l.messageId), pgText(l.key), l.language, l.intent, pgText(l.channelId), pgText(l.conversationId), JSON.stringify(l)]);
  }
  tally('reviewLabels', labels.length, labelled);
  // instances compare the revision to know their model is out of date: new labels raise it
  if (labelled > 0) await q('update review_revision set revision = revision + 1', []);

  const secrets = Object.entries(await source.sharedSecrets());
  for (const [name, value] of secrets) {
    tally('sharedSecrets', 1, await q('insert into settings (name, value) values ($1, $2) on conflict (name) do nothing', [pgText(name), value]));
  }
  return counts;
}

/** Counts what `source` holds, reading every record (so a corrupt one is found before anything is written). */
export async function countSource(source: CarryOverSource): Promise<Record<CarryOverStore, number>> {
  const n = Object.fromEntries(CARRY_OVER_STORES.map((s) => [s, 0])) as Record<CarryOverStore, number>;
  for await (const _ of source.state()) n.state++;
  for await (const _ of source.cases()) n.cases++;
  for await (const t of source.transcripts()) n.transcripts += t.activities.length;
  for await (const _ of source.feedback()) n.feedback++;
  for await (const _ of source.directLine()) n.directLine++;
  for await (const _ of source.handoffs()) n.handoffs++;
  for await (const _ of source.staff()) n.staff++;
  for await (const _ of source.deskSessions()) n.deskSessions++;
  for await (const _ of source.audit()) n.audit++;
  for await (const e of source.outcomes()) { checkedEvent(e); n.outcomes++; }
  n.reviewLabels = (await source.reviewLabels()).labels.length;
  n.sharedSecrets = Object.keys(await source.sharedSecrets()).length;
  return n;
}

/** Who wrote a transcript activity (not the bot), as the transcript store records it. */
function writerOf(a: Parameters<typeof customerId>[0]): string | null {
  if (a.from?.role === 'bot') return null;
  const id = customerId(a);
  return id ? pgText(id) : null;
}

async function* batches<T>(items: AsyncIterable<T>, size = BATCH): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length === size) { yield batch; batch = []; }
  }
  if (batch.length > 0) yield batch;
}
