import { readdir, readFile, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoreItems } from 'botbuilder';
import { z } from 'zod';
import type { StateStore } from '../stateStore.js';
import { StateConflictError, StoreFormatError } from '../errors.js';
import { diskError, keyPath, writeFileDurably } from './files.js';
import { Lru } from './lru.js';
import { KeyedQueue } from '../../util/keyedQueue.js';
import type { Logger } from '../../logger.js';
import { rename } from 'node:fs/promises';

const StateFile = z.object({ k: z.string(), e: z.string(), t: z.string(), v: z.record(z.string(), z.unknown()) });
type Entry = { json: string; eTag: string };

/**
 * Conversation state on the embedded backend: one small file per key (`state/ab/<hash>.json`),
 * replaced durably on each write, so a turn costs the same however much history there is.
 * Recently used items stay in a bounded cache; a file's modification time is set to the store's
 * clock, which retention reads without opening the files.
 */
export class EmbeddedStateStore implements StateStore {
  private readonly cache = new Lru<string, Entry | null>(5000);
  private readonly keys = new KeyedQueue();
  private counter = 0;

  constructor(private readonly dir: string, private readonly now: () => Date, private readonly logger?: Logger) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new Error('[StateStore]: Missing parameter. keys is required');
    const out: StoreItems = {};
    for (const k of keys) {
      const e = await this.load(k);
      // defineProperty: a key like __proto__ must be a plain entry, not the object's prototype
      if (e) Object.defineProperty(out, k, { value: { ...JSON.parse(e.json), eTag: e.eTag }, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new Error('[StateStore]: Missing parameter. changes is required');
    const keys = Object.keys(changes).sort();
    if (keys.length === 0) return;
    // every key of the batch is held (in a fixed order) while its eTags are checked and the files written
    await this.holdAll(keys, async () => {
      for (const k of keys) {
        const tag = (changes[k] as { eTag?: unknown } | null)?.eTag;
        if (typeof tag === 'string' && tag !== '*' && tag !== (await this.load(k))?.eTag) throw new StateConflictError(k);
      }
      for (const k of keys) {
        const item = (changes[k] ?? {}) as Record<string, unknown>;
        const { eTag: _old, ...value } = item;
        const entry: Entry = { json: JSON.stringify(value), eTag: this.newTag() };
        const at = this.now();
        const path = keyPath(this.dir, k, '.json');
        try {
          await writeFileDurably(path, `{"k":${JSON.stringify(k)},"e":${JSON.stringify(entry.eTag)},"t":${JSON.stringify(at.toISOString())},"v":${entry.json}}`);
          await utimes(path, at, at);
        } catch (err) {
          this.cache.delete(k);
          throw diskError('the conversation state', err);
        }
        this.cache.set(k, entry);
        item.eTag = entry.eTag;
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new Error('[StateStore]: Missing parameter. keys is required');
    await this.holdAll([...keys].sort(), async () => {
      for (const k of keys) {
        try { await unlink(keyPath(this.dir, k, '.json')); } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw diskError('the conversation state', e);
        }
        this.cache.set(k, null);
      }
    });
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    let removed = 0;
    for (const shard of await readdir(this.dir).catch(() => [] as string[])) {
      const folder = join(this.dir, shard);
      for (const name of await readdir(folder).catch(() => [] as string[])) {
        if (!name.endsWith('.json')) continue;
        const path = join(folder, name);
        const s = await stat(path).catch(() => undefined);
        if (!s || s.mtimeMs >= cutoff.getTime()) continue;
        const key = await readFile(path, 'utf8').then((t) => StateFile.parse(JSON.parse(t)).k).catch(() => undefined);
        await this.keys.run(key ?? path, async () => {
          const again = await stat(path).catch(() => undefined);
          if (!again || again.mtimeMs >= cutoff.getTime()) return;
          await unlink(path).catch(() => undefined);
          if (key !== undefined) this.cache.delete(key);
          removed++;
        });
      }
    }
    return removed;
  }

  /**
   * Every stored item, read strictly (`db:import`): a file that is not a state item throws
   * `StoreFormatError` with its path, where a turn would move it aside and start over.
   */
  async *exportAll(): AsyncGenerator<{ key: string; value: Record<string, unknown>; updatedAt: string }> {
    for (const shard of (await readdir(this.dir).catch(() => [] as string[])).sort()) {
      const folder = join(this.dir, shard);
      // temporary files of a write cut short start with a dot; quarantined ones end otherwise
      for (const name of (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort()) {
        const path = join(folder, name);
        const parsed = StateFile.safeParse(safeJson(await readFile(path, 'utf8')));
        if (!parsed.success) throw new StoreFormatError(path, 'is not a stored conversation state (not JSON, or not {k, e, t, v})');
        if (keyPath(this.dir, parsed.data.k, '.json') !== path) throw new StoreFormatError(path, 'holds the state of another key than its name says');
        yield { key: parsed.data.k, value: parsed.data.v, updatedAt: parsed.data.t };
      }
    }
  }

  private async load(k: string): Promise<Entry | undefined> {
    const cached = this.cache.get(k);
    if (cached !== undefined) return cached ?? undefined;
    let text: string;
    try { text = await readFile(keyPath(this.dir, k, '.json'), 'utf8'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') { this.cache.set(k, null); return undefined; }
      throw diskError('the conversation state', e);
    }
    // a state file that cannot be used is moved aside and the conversation starts over, rather than failing every turn
    const parsed = StateFile.safeParse(safeJson(text));
    if (!parsed.success || parsed.data.k !== k) {
      const path = keyPath(this.dir, k, '.json');
      await rename(path, `${path}.quarantine`).catch(() => undefined);
      this.logger?.error({ file: path }, 'a stored conversation state is unusable; moved aside, the conversation starts over');
      this.cache.set(k, null);
      return undefined;
    }
    const entry = { json: JSON.stringify(parsed.data.v), eTag: parsed.data.e };
    this.cache.set(k, entry);
    return entry;
  }

  private holdAll<T>(keys: string[], task: () => Promise<T>): Promise<T> {
    const [first, ...rest] = keys;
    if (first === undefined) return task();
    return this.keys.run(first, () => this.holdAll(rest, task));
  }

  private newTag(): string {
    return `${Date.now().toString(36)}.${(++this.counter).toString(36)}`;
  }
}

function safeJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}
