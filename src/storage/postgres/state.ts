import type { StoreItems } from 'botbuilder';
import type { StateStore } from '../stateStore.js';
import { StateConflictError } from '../errors.js';
import type { Db } from './db.js';

interface Row { key: Buffer; version: string; doc: Record<string, unknown> }

// No eTag (or `*`) writes unconditionally; an eTag writes only over that version (or creates the
// item when there is none, as botbuilder's MemoryStorage does). Nothing changes on a mismatch.
const WRITE = `insert into state as s (key, version, doc, updated_at) values ($1, nextval('state_version'), $2, $3)
  on conflict (key) do update set version = excluded.version, doc = excluded.doc, updated_at = excluded.updated_at
  where $4::bigint is null or s.version = $4::bigint
  returning version`;

/**
 * Conversation state on PostgreSQL: one row per key with a version column, written by a
 * conditional upsert, so a stale eTag is refused (`StateConflictError`) whichever instance wrote
 * last, never overwritten. A batch is one transaction: one stale item refuses all of it.
 */
export class PostgresStateStore implements StateStore {
  constructor(private readonly db: Db, private readonly now: () => Date) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new Error('[StateStore]: Missing parameter. keys is required');
    const out: StoreItems = {};
    if (keys.length === 0) return out;
    // rows are matched back to the keys asked for by their bytes (a lone surrogate reads as U+FFFD either way)
    const asked = new Map(keys.map((k) => [Buffer.from(k).toString('hex'), k]));
    const { rows } = await this.db.query<Row>('select key, version, doc from state where key = any($1::bytea[])', [keys.map((k) => Buffer.from(k))]);
    for (const row of rows) {
      const key = asked.get(row.key.toString('hex'));
      // defineProperty: a key like __proto__ must be a plain entry, not the object's prototype
      if (key !== undefined) Object.defineProperty(out, key, { value: { ...row.doc, eTag: row.version }, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new Error('[StateStore]: Missing parameter. changes is required');
    // a fixed key order, so two instances writing the same batch cannot deadlock
    const entries = Object.entries(changes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return;
    const at = this.now();
    const params = entries.map(([key, item]) => {
      const { eTag, ...value } = (item ?? {}) as Record<string, unknown>;
      const expected = typeof eTag === 'string' && eTag !== '*' ? (/^\d{1,18}$/.test(eTag) ? eTag : '-1') : null;
      return [Buffer.from(key), JSON.stringify(value), at, expected];
    });
    let versions: string[];
    if (params.length === 1) {
      versions = [await this.writeOne(entries[0][0], params[0], (sql, v) => this.db.query(sql, v))];
    } else {
      versions = await this.db.tx(async (client) => {
        const out: string[] = [];
        for (let i = 0; i < params.length; i++) out.push(await this.writeOne(entries[i][0], params[i], (sql, v) => client.query(sql, v)));
        return out;
      });
    }
    // only once committed: the written objects carry their new eTag, so they can be written again
    entries.forEach(([, item], i) => { if (item && typeof item === 'object') (item as { eTag?: string }).eTag = versions[i]; });
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new Error('[StateStore]: Missing parameter. keys is required');
    if (keys.length === 0) return;
    await this.db.query('delete from state where key = any($1::bytea[])', [keys.map((k) => Buffer.from(k))]);
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    return (await this.db.query('delete from state where updated_at < $1', [cutoff])).rowCount ?? 0;
  }

  private async writeOne(key: string, values: unknown[], run: (sql: string, values: unknown[]) => Promise<{ rows: Array<{ version: string }> }>): Promise<string> {
    const { rows } = await run(WRITE, values);
    if (rows.length === 0) throw new StateConflictError(key);
    return rows[0].version;
  }
}
