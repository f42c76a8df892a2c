import type pg from 'pg';
import type { CaseChanges, CaseListQuery, CaseNote, CasePage, CaseRecord, CaseStatus, OpenCaseInput } from '../../cases/types.js';
import { applyCaseChanges, forgottenCase, newCaseRecord } from '../../cases/caseRecords.js';
import type { CaseStore } from '../caseStore.js';
import { pgText, type Db } from './db.js';

const INSERT = `insert into cases (number, status, channel_id, user_id, created_at, record, contact_method) values ($1, $2, $3, $4, $5, $6, $7)
  on conflict (number) do nothing returning number`;

// newest first; the cursor is the last number of the previous page (unknown: an empty page)
const PAGE = `select record from cases
  where ($1::text is null or status = $1)
    and ($2::text is null or (created_at, number) < (select created_at, number from cases where number = $2))
  order by created_at desc, number desc limit $3`;

/**
 * Cases on PostgreSQL: one row per case (the record as JSON, plus the columns queries need).
 * A number is unique by primary key: a clash with any instance's draws again. `open` resolves
 * after the insert committed, so a number shown to a customer is never lost.
 */
export class PostgresCaseStore implements CaseStore {
  constructor(private readonly db: Db, private readonly now: () => Date) {}

  async open(input: OpenCaseInput): Promise<CaseRecord> {
    for (let tries = 0; tries < 20; tries++) {
      // stored and returned as the same JSON, so what `open` returns is what `get` returns
      const record = JSON.parse(JSON.stringify(newCaseRecord(input, () => false, this.now()))) as CaseRecord;
      const { rows } = await this.db.query(INSERT, [record.number, record.status, pgText(record.channelId), pgText(record.userId), record.createdAt, JSON.stringify(record), record.contactMethod ? pgText(record.contactMethod) : null]);
      if (rows.length === 1) return record;
    }
    throw new Error('[CaseStore]: could not find a free case number');
  }

  async get(number: string): Promise<CaseRecord | undefined> {
    const { rows } = await this.db.query<{ record: CaseRecord }>('select record from cases where number = $1', [pgText(number)]);
    return rows[0]?.record;
  }

  async listByUser(channelId: string, userId: string): Promise<CaseRecord[]> {
    const { rows } = await this.db.query<{ record: CaseRecord }>(
      'select record from cases where channel_id = $1 and user_id = $2 order by created_at desc, number desc', [pgText(channelId), pgText(userId)]);
    return rows.map((r) => r.record);
  }

  async list(query: CaseListQuery = {}): Promise<CasePage> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? 50) || 1, 1), 500);
    // one more than asked tells whether there is a next page
    const { rows } = await this.db.query<{ record: CaseRecord }>(PAGE, [query.status ?? null, query.cursor ? pgText(query.cursor) : null, limit + 1]);
    const cases = rows.slice(0, limit).map((r) => r.record);
    return { cases, nextCursor: rows.length > limit ? cases.at(-1)?.number : undefined };
  }

  updateStatus(number: string, status: CaseStatus): Promise<CaseRecord | undefined> {
    return this.change(number, (c) => { c.status = status; });
  }

  addNote(number: string, note: Omit<CaseNote, 'at'>): Promise<CaseRecord | undefined> {
    return this.change(number, (c, at) => { c.notes.push({ ...note, at }); });
  }

  update(number: string, changes: CaseChanges): Promise<CaseRecord | undefined> {
    return this.change(number, (c, at) => { Object.assign(c, applyCaseChanges(c, changes, at)); });
  }

  async followUps(limit = 200): Promise<CaseRecord[]> {
    // the same rule as needsFollowUp(), on the partial index of migration 003
    const { rows } = await this.db.query<{ record: CaseRecord }>(`select record from cases
      where status in ('open', 'pending') and contact_method in ('callback', 'text', 'email') and follow_up_done_at is null
      order by created_at, number limit $1`, [Math.min(Math.max(Math.trunc(limit) || 1, 1), 200)]);
    return rows.map((r) => r.record);
  }

  async forgetCustomer(channelId: string, userId: string): Promise<number> {
    return this.db.tx(async (client) => {
      const { rows } = await client.query<{ record: CaseRecord }>('select record from cases where channel_id = $1 and user_id = $2 for update', [pgText(channelId), pgText(userId)]);
      for (const { record } of rows) await this.save(client, forgottenCase(record, this.now()));
      return rows.length;
    });
  }

  /** Read, change and write one case in a transaction that holds its row: concurrent changes queue, none is lost. */
  private change(number: string, apply: (c: CaseRecord, at: string) => void): Promise<CaseRecord | undefined> {
    return this.db.tx(async (client) => {
      const { rows } = await client.query<{ record: CaseRecord }>('select record from cases where number = $1 for update', [pgText(number)]);
      const record = rows[0]?.record;
      if (!record) return undefined;
      const at = this.now().toISOString();
      apply(record, at);
      record.updatedAt = at;
      await this.save(client, record);
      return record;
    });
  }

  private async save(client: pg.PoolClient, c: CaseRecord): Promise<void> {
    await client.query('update cases set status = $2, user_id = $3, record = $4, contact_method = $5, follow_up_done_at = $6 where number = $1',
      [c.number, c.status, pgText(c.userId), JSON.stringify(c), c.contactMethod ? pgText(c.contactMethod) : null, c.followUpDone?.at ?? null]);
  }
}
