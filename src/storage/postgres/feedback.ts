import type { FeedbackEntry, FeedbackStore } from '../feedbackStore.js';
import { pgText, type Db } from './db.js';

/** Goodbye answers on PostgreSQL: one row per entry, ordered by their time. */
export class PostgresFeedbackStore implements FeedbackStore {
  constructor(private readonly db: Db) {}

  async record(entry: FeedbackEntry): Promise<void> {
    const at = new Date(entry.at);
    if (Number.isNaN(at.getTime())) throw new Error('[FeedbackStore]: entry.at is not a time');
    await this.db.query('insert into feedback (at, channel_id, conversation_id, entry) values ($1, $2, $3, $4)',
      [at, pgText(entry.channelId), pgText(entry.conversationId), JSON.stringify(entry)]);
  }

  async list(range: { from?: Date; to?: Date } = {}): Promise<FeedbackEntry[]> {
    const { rows } = await this.db.query<{ entry: FeedbackEntry }>(
      `select entry from feedback where ($1::timestamptz is null or at >= $1) and ($2::timestamptz is null or at < $2) order by at, id`,
      [range.from ?? null, range.to ?? null]);
    return rows.map((r) => r.entry);
  }

  async ofConversations(channelId: string, conversationIds: string[]): Promise<FeedbackEntry[]> {
    const { rows } = await this.db.query<{ entry: FeedbackEntry }>(
      'select entry from feedback where channel_id = $1 and conversation_id = any($2::text[]) order by at, id', [pgText(channelId), conversationIds.map(pgText)]);
    return rows.map((r) => r.entry);
  }

  async deleteConversations(channelId: string, conversationIds: string[]): Promise<number> {
    const r = await this.db.query('delete from feedback where channel_id = $1 and conversation_id = any($2::text[])', [pgText(channelId), conversationIds.map(pgText)]);
    return r.rowCount ?? 0;
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    return (await this.db.query('delete from feedback where at < $1', [cutoff])).rowCount ?? 0;
  }
}
