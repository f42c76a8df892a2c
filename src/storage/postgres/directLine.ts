import type { Activity } from 'botbuilder';
import type { ActivitySet, DirectLineConversation, DirectLineStore, FeedEvent } from '../directLineStore.js';
import { pgText, type Db } from './db.js';
import { notifySql, type PostgresEventBus } from './eventBus.js';

const topic = (id: string) => `dl:${id}`;
const activityId = (id: string, position: number) => `${id}|${String(position).padStart(7, '0')}`;

// The conversation's row lock hands out positions one by one (gap-free, whichever instance
// appends); the insert and the notification commit with it, in one round trip. The payload is
// small: the topic and the new watermark; subscribers read the activity with `since`.
const APPEND = `with c as (update dl_conversations set watermark = watermark + 1, last_active = $3 where id = $1 returning watermark - 1 as position),
  i as (insert into dl_activities (conversation_id, position, activity) select $1, position, $2 from c returning position)
  select position, ${notifySql('$4', '$5', "json_build_object('kind', 'appended', 'watermark', position + 1)")} from i`;

const SINCE = `select c.watermark, a.position, a.activity from dl_conversations c
  left join lateral (select position, activity from dl_activities where conversation_id = c.id and position >= $2 order by position limit $3) a on true
  where c.id = $1 order by a.position`;

interface ConversationRow { id: string; user_id: string; created_at: Date; last_active: Date; watermark: number; token_generation: number }

/**
 * The self-hosted Direct Line's conversations on PostgreSQL, shared by every instance: a reply
 * appended on one instance is heard (NOTIFY) by the instance that holds the customer's
 * WebSocket. Activities are stored without their id, which is derived from the position.
 */
export class PostgresDirectLineStore implements DirectLineStore {
  constructor(private readonly db: Db, private readonly bus: PostgresEventBus, private readonly now: () => Date) {}

  async get(id: string): Promise<DirectLineConversation | undefined> {
    const { rows } = await this.db.query<ConversationRow>('select * from dl_conversations where id = $1', [pgText(id)]);
    return rows[0] && toConversation(rows[0]);
  }

  async create(id: string, userId: string, first: Partial<Activity>[]): Promise<{ conversation: DirectLineConversation; created: boolean }> {
    const at = this.now();
    const docs = first.map((a) => JSON.stringify(this.stamp(a, at)));
    return this.db.tx(async (client) => {
      // a concurrent create of the same id waits on the key, then finds the conversation made
      const made = await client.query<ConversationRow>(`insert into dl_conversations (id, user_id, created_at, last_active, watermark) values ($1, $2, $3, $3, $4)
        on conflict (id) do nothing returning *`, [pgText(id), pgText(userId), at, docs.length]);
      if (made.rows.length === 0) {
        const { rows } = await client.query<ConversationRow>('select * from dl_conversations where id = $1', [pgText(id)]);
        if (!rows[0]) throw new Error('[DirectLineStore]: the conversation was deleted while it was being created');
        return { conversation: toConversation(rows[0]), created: false };
      }
      if (docs.length > 0) {
        await client.query(`insert into dl_activities (conversation_id, position, activity)
          select $1, ord - 1, doc from unnest($2::json[]) with ordinality as t(doc, ord)`, [pgText(id), docs]);
      }
      return { conversation: toConversation(made.rows[0]), created: true };
    });
  }

  async append(id: string, activity: Partial<Activity>): Promise<Partial<Activity>> {
    const stored = this.stamp(activity, this.now());
    const { rows } = await this.db.query<{ position: number }>(APPEND, [pgText(id), JSON.stringify(stored), stored.timestamp, this.bus.channel, topic(id)]);
    if (rows.length === 0) throw new Error(`[DirectLineStore]: no conversation ${id.slice(0, 100)}`);
    return { ...stored, id: activityId(id, rows[0].position) };
  }

  async since(id: string, watermark: number, max = 500): Promise<ActivitySet> {
    const from = Math.max(0, Math.trunc(watermark) || 0);
    const { rows } = await this.db.query<{ watermark: number; position: number | null; activity: Partial<Activity> | null }>(SINCE, [pgText(id), from, Math.max(0, Math.trunc(max))]);
    if (rows.length === 0) return { activities: [], watermark: String(from) };
    const activities = rows.filter((r) => r.position !== null).map((r) => ({ ...r.activity, id: activityId(id, r.position!) }));
    // a watermark past the end reads as the end
    const start = Math.min(from, rows[0].watermark);
    return { activities, watermark: String(start + activities.length) };
  }

  async publishEphemeral(id: string, activity: Partial<Activity>): Promise<void> {
    await this.bus.publish(topic(id), { kind: 'ephemeral', activity } satisfies FeedEvent);
  }

  subscribe(id: string, listener: (event: FeedEvent) => void): () => void {
    return this.bus.subscribe(topic(id), (p) => listener(p as FeedEvent), () => listener({ kind: 'resync' }));
  }

  async useTokenGeneration(id: string, generation: number): Promise<'current' | 'superseded'> {
    // the stored generation only grows; a result above the one used means a newer token was used first
    const { rows } = await this.db.query<{ token_generation: number }>(
      'update dl_conversations set token_generation = greatest(token_generation, $2) where id = $1 returning token_generation', [pgText(id), generation]);
    return rows.length > 0 && rows[0].token_generation > generation ? 'superseded' : 'current';
  }

  async conversationsOfUser(userId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>('select id from dl_conversations where user_id = $1 order by created_at, id', [pgText(userId)]);
    return rows.map((r) => r.id);
  }

  async delete(id: string): Promise<void> {
    await this.db.query('delete from dl_conversations where id = $1', [pgText(id)]);
  }

  async purgeIdle(cutoff: number, keep: (id: string) => boolean): Promise<number> {
    const before = new Date(cutoff);
    const { rows } = await this.db.query<{ id: string }>('select id from dl_conversations where last_active < $1', [before]);
    const gone = rows.map((r) => r.id).filter((id) => !keep(id));
    let removed = 0;
    for (let i = 0; i < gone.length; i += 1000) {
      // checked again: a conversation that became active since the select stays
      const r = await this.db.query('delete from dl_conversations where id = any($1::text[]) and last_active < $2', [gone.slice(i, i + 1000), before]);
      removed += r.rowCount ?? 0;
    }
    return removed;
  }

  /** A copy as stored: plain JSON, with the server's time (the id comes from the position). */
  private stamp(activity: Partial<Activity>, at: Date): Partial<Activity> {
    const { id: _clientId, ...rest } = activity;
    return JSON.parse(JSON.stringify({ ...rest, timestamp: at.toISOString() }));
  }
}

function toConversation(r: ConversationRow): DirectLineConversation {
  return { id: r.id, userId: r.user_id, createdAt: r.created_at.toISOString(), lastActive: r.last_active.getTime(), watermark: r.watermark, tokenGeneration: r.token_generation };
}
