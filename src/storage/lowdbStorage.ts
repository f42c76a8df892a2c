import type { Storage, StoreItems } from 'botbuilder';
import type { Low } from 'lowdb';
import { openJsonFile } from './jsonFile.js';

interface StateFile { items: Record<string, { value: Record<string, unknown>; eTag: string; updatedAt: string }> }

/**
 * botbuilder `Storage` (conversation and user state) on a lowdb JSON file, with the same
 * optimistic-concurrency rules as `MemoryStorage`: a write whose eTag is stale is refused.
 */
export class LowdbStorage implements Storage {
  private etag = Date.now();

  private constructor(private readonly db: Low<StateFile>) {}

  static async open(path: string): Promise<LowdbStorage> {
    return new LowdbStorage(await openJsonFile<StateFile>(path, { items: {} }));
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new Error('[LowdbStorage]: Missing parameter. keys is required');
    const out: StoreItems = {};
    for (const k of keys) {
      const item = this.db.data.items[k];
      if (item) out[k] = { ...JSON.parse(JSON.stringify(item.value)), eTag: item.eTag };
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new Error('[LowdbStorage]: Missing parameter. changes is required');
    for (const [key, change] of Object.entries(changes)) {
      const old = this.db.data.items[key];
      const newTag = change?.eTag;
      if (old && newTag !== undefined && newTag !== '*' && newTag !== old.eTag) {
        throw new Error(`[LowdbStorage]: eTag conflict for key ${key}: the item was changed by another turn`);
      }
      const { eTag: _drop, ...value } = (change ?? {}) as Record<string, unknown>;
      this.db.data.items[key] = { value: JSON.parse(JSON.stringify(value)), eTag: String(++this.etag), updatedAt: new Date().toISOString() };
    }
    await this.db.write();
  }

  async delete(keys: string[]): Promise<void> {
    for (const k of keys) delete this.db.data.items[k];
    await this.db.write();
  }

  /**
   * Drops state not written since `cutoff` (conversations and users long gone), so the file does
   * not grow for ever. Returns how many items were removed.
   */
  async purgeOlderThan(cutoff: Date): Promise<number> {
    const before = cutoff.toISOString();
    const stale = Object.entries(this.db.data.items).filter(([, item]) => item.updatedAt < before).map(([k]) => k);
    if (stale.length === 0) return 0;
    for (const k of stale) delete this.db.data.items[k];
    await this.db.write();
    return stale.length;
  }

  /** Waits for queued writes (used at shutdown). */
  async flush(): Promise<void> { await this.db.write(); }
}
