import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { ActivitySet, DirectLineConversation, DirectLineStore, FeedEvent } from '../directLineStore.js';
import type { EventBus } from '../eventBus.js';
import type { Logger } from '../../logger.js';
import { StoreFormatError } from '../errors.js';
import { Journal } from './journal.js';
import { AppendLogs } from './appendLog.js';
import { Lru } from './lru.js';
import { diskError, keyPath, writeFileDurably } from './files.js';

const IndexLine = z.union([
  z.object({ n: z.object({ id: z.string(), u: z.string(), t: z.string() }) }),
  z.object({ g: z.object({ id: z.string(), g: z.number().int().min(0) }) }),
  z.object({ d: z.string() }),
]);
type Line = z.infer<typeof IndexLine>;
interface Info { userId: string; createdAt: string; tokenGeneration: number; lastActive?: number }
/**
 * What is kept in memory of a recently used conversation: its length (positions handed out), how
 * much of it is on disk, and its latest activities. Readers see only what is on disk: an activity
 * still being written is never shown, so nothing a customer saw can be lost to a crash.
 */
interface Loaded { watermark: number; durable: number; tail: Partial<Activity>[] }

/** Latest activities kept in memory per cached conversation (older ones are read from its file). */
const TAIL = 200;
const topic = (id: string) => `dl:${id}`;
const activityId = (id: string, seq: number) => `${id}|${String(seq).padStart(7, '0')}`;

/**
 * The self-hosted Direct Line's conversations on the embedded backend: one append-only file per
 * conversation (`directline/ab/<hash>.jsonl`: a header line, then one activity per line, the
 * line's position being the activity's), a small index journal (owner, start, token generation)
 * and a bounded cache of recently used conversations. An append is fsynced before it is
 * announced on the event bus, so what a customer is shown is on disk first.
 */
export class EmbeddedDirectLineStore implements DirectLineStore {
  private readonly index = new Map<string, Info>();
  private readonly cache = new Lru<string, Promise<Loaded>>(1000);
  private readonly creating = new Map<string, Promise<{ conversation: DirectLineConversation; created: boolean }>>();
  private readonly logs = new AppendLogs();
  private journal!: Journal<Line>;

  private constructor(private readonly dir: string, private readonly bus: EventBus, private readonly now: () => Date) {}

  static async open(dir: string, bus: EventBus, now: () => Date, logger?: Logger, readOnly = false): Promise<EmbeddedDirectLineStore> {
    const store = new EmbeddedDirectLineStore(dir, bus, now);
    store.journal = await Journal.open<Line>(join(dir, 'index.jsonl'), { what: 'Direct Line index', parse: (v) => IndexLine.parse(v), logger, readOnly }, (l) => store.apply(l));
    return store;
  }

  async get(id: string): Promise<DirectLineConversation | undefined> {
    const info = this.index.get(id);
    if (!info) return undefined;
    const loaded = await this.load(id);
    return { id, userId: info.userId, createdAt: info.createdAt, lastActive: info.lastActive ?? Date.parse(info.createdAt), watermark: loaded.durable, tokenGeneration: info.tokenGeneration };
  }

  create(id: string, userId: string, first: Partial<Activity>[]): Promise<{ conversation: DirectLineConversation; created: boolean }> {
    const inFlight = this.creating.get(id);
    if (inFlight) return inFlight.then((r) => ({ ...r, created: false }));
    const run = (async () => {
      const existing = await this.get(id);
      if (existing) return { conversation: existing, created: false };
      const at = this.now();
      const stored = first.map((a, i) => this.stamp(id, i, a, at));
      const header = JSON.stringify({ id, userId, createdAt: at.toISOString() });
      try {
        await writeFileDurably(this.pathOf(id), [header, ...stored.map((a) => JSON.stringify(a))].join('\n') + '\n');
        await this.journal.append({ n: { id, u: userId, t: at.toISOString() } });
      } catch (err) {
        await unlink(this.pathOf(id)).catch(() => undefined);
        throw diskError('the chat', err);
      }
      this.apply({ n: { id, u: userId, t: at.toISOString() } });
      this.index.get(id)!.lastActive = at.getTime();
      this.cache.set(id, Promise.resolve({ watermark: stored.length, durable: stored.length, tail: stored.slice(-TAIL) }));
      return { conversation: (await this.get(id))!, created: true };
    })().finally(() => this.creating.delete(id));
    this.creating.set(id, run);
    return run;
  }

  async append(id: string, activity: Partial<Activity>): Promise<Partial<Activity>> {
    const info = this.index.get(id);
    if (!info) throw new Error(`[DirectLineStore]: no conversation ${id}`);
    const loaded = await this.load(id);
    const at = this.now();
    const stored = this.stamp(id, loaded.watermark, activity, at);
    // the position is taken synchronously, so parallel appends get consecutive ones in call order
    loaded.watermark++;
    loaded.tail.push(stored);
    if (loaded.tail.length > TAIL) loaded.tail.splice(0, loaded.tail.length - TAIL);
    info.lastActive = at.getTime();
    try {
      await this.logs.append(this.pathOf(id), [JSON.stringify(stored)]);
      // lines reach the disk in the order they were appended: everything up to this one is there
      loaded.durable = Math.max(loaded.durable, Number(stored.id!.split('|')[1]) + 1);
    } catch (err) {
      // the cached length is no longer the file's: read it again next time
      this.cache.delete(id);
      throw diskError('the chat message', err);
    }
    await this.bus.publish(topic(id), { kind: 'appended', watermark: Number(stored.id!.split('|')[1]) + 1 } satisfies FeedEvent).catch(() => undefined);
    return structuredClone(stored);
  }

  async since(id: string, watermark: number, max = 500): Promise<ActivitySet> {
    if (!this.index.has(id)) return { activities: [], watermark: String(Math.max(0, watermark)) };
    const loaded = await this.load(id);
    const end = loaded.durable;
    const from = Math.max(0, Math.min(watermark, end));
    const firstCached = loaded.watermark - loaded.tail.length;
    const take = Math.max(0, Math.min(max, end - from));
    let activities: Partial<Activity>[];
    if (from >= firstCached) activities = loaded.tail.slice(from - firstCached, from - firstCached + take);
    else activities = (await this.readAll(id)).slice(from, from + take);
    return { activities: structuredClone(activities), watermark: String(from + activities.length) };
  }

  async publishEphemeral(id: string, activity: Partial<Activity>): Promise<void> {
    await this.bus.publish(topic(id), { kind: 'ephemeral', activity } satisfies FeedEvent);
  }

  subscribe(id: string, listener: (event: FeedEvent) => void): () => void {
    return this.bus.subscribe(topic(id), (p) => listener(p as FeedEvent), () => listener({ kind: 'resync' }));
  }

  async useTokenGeneration(id: string, generation: number): Promise<'current' | 'superseded'> {
    const info = this.index.get(id);
    if (!info) return 'current';
    if (generation < info.tokenGeneration) return 'superseded';
    if (generation > info.tokenGeneration) {
      try { await this.journal.append({ g: { id, g: generation } }); } catch (err) { throw diskError('the chat token', err); }
      this.apply({ g: { id, g: generation } });
    }
    return 'current';
  }

  async conversationsOfUser(userId: string): Promise<string[]> {
    return [...this.index].filter(([, i]) => i.userId === userId).map(([id]) => id);
  }

  async delete(id: string): Promise<void> {
    await this.remove(id);
    // the index's earlier lines name the conversation's owner: rewritten without them
    try { await this.compact(); } catch (err) { throw diskError('the chat', err); }
  }

  private async remove(id: string): Promise<void> {
    if (!this.index.has(id)) return;
    const path = this.pathOf(id);
    try {
      await this.logs.exclusive(path, () => unlink(path).catch((e) => { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }));
      await this.journal.append({ d: id });
    } catch (err) {
      throw diskError('the chat', err);
    }
    this.apply({ d: id });
    this.cache.delete(id);
  }

  async purgeIdle(cutoff: number, keep: (id: string) => boolean): Promise<number> {
    let n = 0;
    for (const [id, info] of [...this.index]) {
      if (keep(id)) continue;
      // after a restart the last append's time is the file's modification time
      info.lastActive ??= (await stat(this.pathOf(id)).catch(() => undefined))?.mtimeMs ?? Date.parse(info.createdAt);
      if (info.lastActive >= cutoff) continue;
      await this.remove(id);
      n++;
    }
    if (n > 0 && this.journal.bytes > 1024 * 1024 && this.journal.bytes > 4 * 120 * this.index.size) await this.compact();
    return n;
  }

  /**
   * Every conversation with its whole history, oldest first (`db:import`). A line that is not an
   * activity throws `StoreFormatError` (a reader would show it as an empty message); a torn last
   * line (never acknowledged) is left out, as on every read.
   */
  async *exportAll(): AsyncGenerator<{ conversation: DirectLineConversation; activities: Partial<Activity>[] }> {
    const ids = [...this.index].sort(([a, x], [b, y]) => x.createdAt.localeCompare(y.createdAt) || a.localeCompare(b)).map(([id]) => id);
    for (const id of ids) {
      const info = this.index.get(id)!;
      const path = this.pathOf(id);
      const lines = await this.logs.read(path);
      // created writes the file before the index: an index line without a file is a chat that was deleted
      if (!lines) continue;
      const activities = lines.slice(1).map((line, i) => {
        let a: unknown;
        try { a = JSON.parse(line); } catch { a = undefined; }
        if (!a || typeof a !== 'object' || Array.isArray(a)) throw new StoreFormatError(path, `line ${i + 2} is not a stored activity`);
        return a as Partial<Activity>;
      });
      const lastActive = info.lastActive ?? (await stat(path)).mtimeMs;
      yield { conversation: { id, userId: info.userId, createdAt: info.createdAt, lastActive, watermark: activities.length, tokenGeneration: info.tokenGeneration }, activities };
    }
  }

  async flush(): Promise<void> { await this.logs.flushAll(); await this.journal.flushAll(); }
  async close(): Promise<void> { await this.logs.flushAll(); await this.journal.close(); }

  private async compact(): Promise<void> {
    const lines: Line[] = [];
    for (const [id, i] of this.index) {
      lines.push({ n: { id, u: i.userId, t: i.createdAt } });
      if (i.tokenGeneration > 0) lines.push({ g: { id, g: i.tokenGeneration } });
    }
    await this.journal.compact(lines);
  }

  private load(id: string): Promise<Loaded> {
    let p = this.cache.get(id);
    if (!p) {
      p = this.readAll(id).then((all) => ({ watermark: all.length, durable: all.length, tail: all.slice(-TAIL) }));
      p.catch(() => this.cache.delete(id));
      this.cache.set(id, p);
    }
    return p;
  }

  private async readAll(id: string): Promise<Partial<Activity>[]> {
    let lines: string[] | undefined;
    try { lines = await this.logs.read(this.pathOf(id)); } catch (err) { throw diskError('the chat', err); }
    const out: Partial<Activity>[] = [];
    for (const line of (lines ?? []).slice(1)) {
      try { out.push(JSON.parse(line)); } catch { out.push({ type: 'message', id: activityId(id, out.length), text: '' }); }
    }
    return out;
  }

  private stamp(id: string, seq: number, activity: Partial<Activity>, at: Date): Partial<Activity> {
    return JSON.parse(JSON.stringify({ ...activity, id: activityId(id, seq), timestamp: at.toISOString() }));
  }

  private apply(line: Line): void {
    if ('n' in line) { if (!this.index.has(line.n.id)) this.index.set(line.n.id, { userId: line.n.u, createdAt: line.n.t, tokenGeneration: 0 }); }
    else if ('g' in line) { const i = this.index.get(line.g.id); if (i) i.tokenGeneration = Math.max(i.tokenGeneration, line.g.g); }
    else this.index.delete(line.d);
  }

  private pathOf(id: string): string { return keyPath(this.dir, id, '.jsonl'); }
}
