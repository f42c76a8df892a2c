import { customerId } from '../../cases/visibility.js';
import type { Activity, PagedResult, TranscriptInfo } from 'botbuilder';
import { redactActivity } from '../../privacy/redact.js';
import { TRANSCRIPT_PAGE_SIZE, type TranscriptStore } from '../transcriptStore.js';
import { pgText, type Db } from './db.js';

// the conversations' rows (their start, for listTranscripts) and the activities, in one round
// trip; positions follow the order the activities were logged in
const APPEND = `with rows as (select * from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::json[]) with ordinality
    as r(channel_id, conversation_id, writer, at, activity, ord)),
  c as (insert into transcripts (channel_id, conversation_id, created)
    select distinct on (channel_id, conversation_id) channel_id, conversation_id, at from rows order by channel_id, conversation_id, ord
    on conflict do nothing)
  insert into transcript_activities (channel_id, conversation_id, writer, at, activity)
    select channel_id, conversation_id, writer, at, activity from rows order by ord`;

interface Pending { rows: Array<[string, string, string | null, string, string]>; done: Promise<void> }

const PAGE = `select position, activity from transcript_activities
  where channel_id = $1 and conversation_id = $2 and position > $3 and ($4::timestamptz is null or at >= $4)
  order by position limit ${TRANSCRIPT_PAGE_SIZE + 1}`;

const LIST = `select conversation_id, created from transcripts
  where channel_id = $1 and ($2::text is null or (created, conversation_id) > (select created, conversation_id from transcripts where channel_id = $1 and conversation_id = $2))
  order by created, conversation_id limit ${TRANSCRIPT_PAGE_SIZE + 1}`;

const empty = <T>(): PagedResult<T> => ({ items: [], continuationToken: undefined }) as unknown as PagedResult<T>;

/**
 * Transcripts on PostgreSQL: append-only rows, redacted once on the way in. A page's
 * continuation token is the row's position (a bigserial), never the client's activity id, so
 * repeated ids neither loop nor hide anything. Retention is one SQL purge.
 */
export class PostgresTranscriptStore implements TranscriptStore {
  private pending?: Pending;

  constructor(private readonly db: Db, private readonly now: () => Date) {}

  /**
   * Activities logged in the same tick (botbuilder's TranscriptLoggerMiddleware logs a turn's
   * activities in one loop) are written by one statement, so a turn costs one commit.
   */
  logActivity(activity: Activity): Promise<void> {
    if (!activity) throw new Error('[TranscriptStore]: activity cannot be null for logActivity()');
    const channelId = activity.channelId, conversationId = activity.conversation?.id;
    if (!channelId || !conversationId) throw new Error('[TranscriptStore]: the activity has no channelId or conversation.id');
    const at = this.timeOf(activity.timestamp);
    const stored = { ...redactActivity({ ...activity }), timestamp: at };
    const id = activity.from?.role !== 'bot' ? customerId(activity) : undefined;
    const writer = id ? pgText(id) : null;
    if (!this.pending) {
      const batch: Pending = { rows: [], done: Promise.resolve() };
      batch.done = new Promise<void>((r) => queueMicrotask(r)).then(() => {
        this.pending = undefined;
        const cols = [0, 1, 2, 3, 4].map((i) => batch.rows.map((row) => row[i]));
        return this.db.query(APPEND, cols).then(() => undefined);
      });
      this.pending = batch;
    }
    this.pending.rows.push([pgText(channelId), pgText(conversationId), writer, at, JSON.stringify(stored)]);
    return this.pending.done;
  }

  async getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string, startDate?: Date): Promise<PagedResult<Activity>> {
    if (!channelId) throw new Error('Missing channelId');
    if (!conversationId) throw new Error('Missing conversationId');
    if (continuationToken && !/^\d{1,18}$/.test(continuationToken)) return empty();
    const { rows } = await this.db.query<{ position: string; activity: Record<string, unknown> }>(
      PAGE, [pgText(channelId), pgText(conversationId), continuationToken || '0', startDate ?? null]);
    const page = rows.slice(0, TRANSCRIPT_PAGE_SIZE);
    return {
      items: page.map((r) => ({ ...r.activity, timestamp: new Date(r.activity.timestamp as string) }) as unknown as Activity),
      continuationToken: rows.length > TRANSCRIPT_PAGE_SIZE ? page.at(-1)!.position : undefined,
    } as PagedResult<Activity>;
  }

  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    if (!channelId) throw new Error('Missing channelId');
    const { rows } = await this.db.query<{ conversation_id: string; created: Date }>(LIST, [pgText(channelId), continuationToken ? pgText(continuationToken) : null]);
    const page = rows.slice(0, TRANSCRIPT_PAGE_SIZE);
    return {
      items: page.map((r) => ({ channelId, id: r.conversation_id, created: r.created })),
      continuationToken: rows.length > TRANSCRIPT_PAGE_SIZE ? page.at(-1)!.conversation_id : undefined,
    } as PagedResult<TranscriptInfo>;
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    if (!channelId) throw new Error('Missing channelId');
    if (!conversationId) throw new Error('Missing conversationId');
    await this.db.tx(async (client) => {
      await client.query('delete from transcript_activities where channel_id = $1 and conversation_id = $2', [pgText(channelId), pgText(conversationId)]);
      await client.query('delete from transcripts where channel_id = $1 and conversation_id = $2', [pgText(channelId), pgText(conversationId)]);
    });
  }

  async conversationsOf(channelId: string, userId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ conversation_id: string }>(
      'select distinct conversation_id from transcript_activities where channel_id = $1 and writer = $2', [pgText(channelId), pgText(userId)]);
    return rows.map((r) => r.conversation_id);
  }

  /**
   * Drops activities older than `cutoff`; a conversation's start is the time of its first
   * activity, so only conversations that started before the cutoff can be left empty or need a
   * new start.
   */
  async purgeOlderThan(cutoff: Date): Promise<number> {
    return this.db.tx(async (client) => {
      const removed = (await client.query('delete from transcript_activities where at < $1', [cutoff])).rowCount ?? 0;
      if (removed === 0) return 0;
      await client.query(`delete from transcripts t where t.created < $1 and not exists
        (select 1 from transcript_activities a where a.channel_id = t.channel_id and a.conversation_id = t.conversation_id)`, [cutoff]);
      await client.query(`update transcripts t set created = (select min(a.at) from transcript_activities a
        where a.channel_id = t.channel_id and a.conversation_id = t.conversation_id) where t.created < $1`, [cutoff]);
      return removed;
    });
  }

  /** The activity's own time (ISO), or the store's clock when it has none that parses. */
  private timeOf(t: unknown): string {
    const d = t instanceof Date ? t : typeof t === 'string' || typeof t === 'number' ? new Date(t) : this.now();
    const year = d.getUTCFullYear();
    // years PostgreSQL and ISO strings both handle; anything else is a client's odd clock
    return Number.isNaN(d.getTime()) || year < 1 || year > 9999 ? this.now().toISOString() : d.toISOString();
  }
}
