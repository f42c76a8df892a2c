import type pg from 'pg';
import type { LabelResult, ReviewLabel, ReviewLabelStore } from '../reviewLabelStore.js';
import { pgText, type Db } from './db.js';

/**
 * Review labels on PostgreSQL. Every change holds the `review_revision` row for its transaction,
 * so changes from every instance run one at a time: `add` checks and inserts with nothing in
 * between, and of two supervisors labelling the same messages exactly one succeeds.
 */
export class PostgresReviewLabelStore implements ReviewLabelStore {
  constructor(private readonly db: Db) {}

  add(labels: readonly ReviewLabel[]): Promise<LabelResult> {
    return this.db.tx(async (client) => {
      await client.query('select revision from review_revision for update');
      const ids = labels.map((l) => pgText(l.messageId));
      const taken = await client.query<{ label: ReviewLabel }>('select label from review_labels where message_id = any($1::text[]) order by seq', [ids]);
      if (taken.rows.length) return { ok: false, reason: 'taken', labels: taken.rows.map((r) => r.label) };
      const conflicts = await client.query<{ label: ReviewLabel }>(
        `select label from review_labels r
          where exists (select 1 from unnest($1::text[], $2::text[], $3::text[]) as k(language, key, intent)
                        where k.language = r.language and k.key collate "C" = r.key and k.intent <> r.intent)
          order by seq`, [labels.map((l) => l.language), labels.map((l) => pgText(l.key)), labels.map((l) => l.intent)]);
      if (conflicts.rows.length) return { ok: false, reason: 'conflict', labels: conflicts.rows.map((r) => r.label) };
      for (const l of labels) {
        await client.query('insert into review_labels (message_id, key, language, intent, channel_id, conversation_id, label) values ($1, $2, $3, $4, $5, $6, $7)',
          [pgText(l.messageId), pgText(l.key), l.language, l.intent, pgText(l.channelId), pgText(l.conversationId), JSON.stringify(copy(l))]);
      }
      return { ok: true, revision: await bump(client) };
    });
  }

  async list(): Promise<ReviewLabel[]> {
    const { rows } = await this.db.query<{ label: ReviewLabel }>('select label from review_labels order by seq');
    return rows.map((r) => r.label);
  }

  remove(messageId: string): Promise<boolean> {
    return this.db.tx(async (client) => {
      await client.query('select revision from review_revision for update');
      const r = await client.query('delete from review_labels where message_id = $1', [pgText(messageId)]);
      if (!r.rowCount) return false;
      await bump(client);
      return true;
    });
  }

  async revision(): Promise<number> {
    const { rows } = await this.db.query<{ revision: string }>('select revision from review_revision');
    return Number(rows[0]?.revision ?? 0);
  }

  deleteConversations(channelId: string, conversationIds: readonly string[]): Promise<number> {
    return this.db.tx(async (client) => {
      await client.query('select revision from review_revision for update');
      const r = await client.query('delete from review_labels where channel_id = $1 and conversation_id = any($2::text[])', [pgText(channelId), conversationIds.map(pgText)]);
      if (r.rowCount) await bump(client);
      return r.rowCount ?? 0;
    });
  }
}

async function bump(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ revision: string }>('update review_revision set revision = revision + 1 returning revision');
  return Number(rows[0].revision);
}

/** The label with exactly its fields (stored and returned as the same JSON). */
function copy(l: ReviewLabel): ReviewLabel {
  const { messageId, text, key, intent, language, by, at, channelId, conversationId } = l;
  return { messageId, text, key, intent, language, by, at, channelId, conversationId };
}
