import { caseOf, type OutcomeEvent, type OutcomeQuery, type OutcomeStore } from '../outcomeStore.js';
import { checkedEvent } from '../outcomeSchema.js';
import { pgText, type Db } from './db.js';

/** Outcome events on PostgreSQL: one row per event (the event as JSON, plus the columns queries need). */
export class PostgresOutcomeStore implements OutcomeStore {
  constructor(private readonly db: Db) {}

  async record(events: readonly OutcomeEvent[]): Promise<void> {
    // a statement takes at most 65,535 parameters
    for (let i = 0; i < events.length; i += 1000) await this.insert(events.slice(i, i + 1000));
  }

  private async insert(events: readonly OutcomeEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => JSON.parse(JSON.stringify(checkedEvent(e))) as OutcomeEvent);
    // one statement for the turn's events; a retried write of the same ids adds nothing
    const values: unknown[] = [];
    const tuples = rows.map((e, i) => {
      values.push(pgText(e.id), e.kind, e.at, e.started, pgText(e.channelId), pgText(e.conversationId), caseOf(e) ?? null, JSON.stringify(e));
      const b = i * 8;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8})`;
    });
    await this.db.query(`insert into outcome_events (id, kind, at, started, channel_id, conversation_id, case_number, event)
      values ${tuples.join(', ')} on conflict (id) do nothing`, values);
  }

  async list(q: OutcomeQuery): Promise<OutcomeEvent[]> {
    const { rows } = await this.db.query<{ event: OutcomeEvent }>(
      `select event from outcome_events
        where started >= $1 and started < $2 and ($3::text is null or channel_id = $3) and ($4::text[] is null or kind = any($4))
        order by at, id`,
      [q.from, q.to, q.channelId === undefined ? null : pgText(q.channelId), q.kinds ? [...q.kinds] : null]);
    return rows.map((r) => r.event);
  }

  async get(ids: readonly string[]): Promise<OutcomeEvent[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.db.query<{ event: OutcomeEvent }>('select event from outcome_events where id = any($1::text[]) order by at, id', [ids.map(pgText)]);
    return rows.map((r) => r.event);
  }

  async ofCase(caseNumber: string): Promise<OutcomeEvent[]> {
    const { rows } = await this.db.query<{ event: OutcomeEvent }>('select event from outcome_events where case_number = $1 order by at, id', [pgText(caseNumber)]);
    return rows.map((r) => r.event);
  }

  async ofConversations(channelId: string, conversationIds: readonly string[]): Promise<OutcomeEvent[]> {
    const { rows } = await this.db.query<{ event: OutcomeEvent }>(
      'select event from outcome_events where channel_id = $1 and conversation_id = any($2::text[]) order by at, id', [pgText(channelId), conversationIds.map(pgText)]);
    return rows.map((r) => r.event);
  }

  async deleteConversations(channelId: string, conversationIds: readonly string[]): Promise<number> {
    const r = await this.db.query('delete from outcome_events where channel_id = $1 and conversation_id = any($2::text[])', [pgText(channelId), conversationIds.map(pgText)]);
    return r.rowCount ?? 0;
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    return (await this.db.query('delete from outcome_events where started < $1', [cutoff])).rowCount ?? 0;
  }
}
