import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { Journal } from './journal.js';
import { diskError } from './files.js';

type Line<V> = { k: string; v: V } | { k: string; del: true };

/**
 * Records by key on the embedded backend: a journal of sets and deletes (`{k, v}` / `{k, del}`),
 * replayed into memory at start-up, compacted when it grows far past the live records. A change
 * is applied in memory at once (so callers in the same tick see each other: what makes a
 * check-then-change atomic in one process), then written and fsynced; if the disk refuses, the
 * record goes back to what it was and the call rejects with a 503-type error.
 */
export class KeyedRecords<V> {
  private readonly map = new Map<string, V>();
  private journal!: Journal<Line<V>>;
  private compacting?: Promise<void>;

  private constructor(private readonly what: string) {}

  static async open<V>(path: string, what: string, schema: z.ZodType<V>, logger?: Logger, readOnly = false): Promise<KeyedRecords<V>> {
    const r = new KeyedRecords<V>(what);
    const line = z.union([z.object({ k: z.string(), v: schema }), z.object({ k: z.string(), del: z.literal(true) })]);
    r.journal = await Journal.open<Line<V>>(path, { what, parse: (v) => line.parse(v) as Line<V>, logger, readOnly }, (l) => {
      if ('del' in l) r.map.delete(l.k); else r.map.set(l.k, l.v);
    });
    return r;
  }

  get quarantined(): number { return this.journal.quarantined; }

  /** A copy of the record at `k`. */
  get(k: string): V | undefined {
    const v = this.map.get(k);
    return v === undefined ? undefined : structuredClone(v);
  }

  has(k: string): boolean { return this.map.has(k); }

  /** The live records themselves, for reading only (callers copy what they return). */
  values(): IterableIterator<V> { return this.map.values(); }

  /** Stores `v` at `k`; resolves once durable. */
  async set(k: string, v: V): Promise<void> {
    const before = this.map.get(k);
    this.map.set(k, v);
    try {
      await this.journal.append({ k, v });
    } catch (err) {
      if (this.map.get(k) === v) { if (before === undefined) this.map.delete(k); else this.map.set(k, before); }
      throw diskError(this.what, err);
    }
    this.maybeCompact();
  }

  /** Removes `k`; false when it was not there. */
  async delete(k: string): Promise<boolean> {
    const before = this.map.get(k);
    if (before === undefined) return false;
    this.map.delete(k);
    try {
      await this.journal.append({ k, del: true });
    } catch (err) {
      if (!this.map.has(k)) this.map.set(k, before);
      throw diskError(this.what, err);
    }
    this.maybeCompact();
    return true;
  }

  async flush(): Promise<void> { await this.journal.flushAll(); await this.compacting; }
  async close(): Promise<void> { await this.compacting; await this.journal.close(); }

  private maybeCompact(): void {
    if (this.compacting || this.journal.bytes < 1024 * 1024 || this.journal.bytes < 4 * 600 * Math.max(this.map.size, 1)) return;
    this.compacting = this.journal.compact([...this.map.entries()].map(([k, v]) => ({ k, v })))
      .catch(() => undefined).finally(() => { this.compacting = undefined; });
  }
}
