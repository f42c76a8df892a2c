import { z } from 'zod';
import type { HandoffQueue, QueueEntry } from '../handoffQueue.js';
import type { ConversationLock } from '../conversationLock.js';
import type { EventBus } from '../eventBus.js';
import { MAX_EVENT_BYTES } from '../eventBus.js';
import { ConversationBusyError } from '../errors.js';
import type { Logger } from '../../logger.js';
import { Journal } from './journal.js';
import { diskError } from './files.js';

const Entry = z.object({ key: z.string(), caseNumber: z.string(), team: z.string(), since: z.string() });
const Line = z.union([z.object({ join: Entry }), z.object({ leave: z.string() })]);
type Line = z.infer<typeof Line>;

const byQueueOrder = (a: QueueEntry, b: QueueEntry) => a.since.localeCompare(b.since) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The queue for a person on the embedded backend (one process): a journal replayed into memory. */
export class EmbeddedHandoffQueue implements HandoffQueue {
  private readonly waiting = new Map<string, QueueEntry>();
  private journal!: Journal<Line>;

  static async open(path: string, logger?: Logger, readOnly = false): Promise<EmbeddedHandoffQueue> {
    const q = new EmbeddedHandoffQueue();
    q.journal = await Journal.open<Line>(path, { what: 'queue', parse: (v) => Line.parse(v), logger, readOnly }, (l) => q.apply(l));
    return q;
  }

  async join(entry: QueueEntry): Promise<void> {
    if (this.waiting.has(entry.key)) return;
    const line: Line = { join: Entry.parse(entry) };
    this.apply(line);
    try { await this.journal.append(line); } catch (err) { this.waiting.delete(entry.key); throw diskError('the queue', err); }
  }

  async leave(key: string): Promise<void> {
    const had = this.waiting.get(key);
    if (!had) return;
    this.apply({ leave: key });
    // the queue is small: rewritten with the ones still waiting, so no line names a conversation that left
    try { await this.journal.compact([...this.waiting.values()].map((e) => ({ join: e }))); } catch (err) { this.waiting.set(key, had); throw diskError('the queue', err); }
  }

  async position(key: string): Promise<number | undefined> {
    const mine = this.waiting.get(key);
    if (!mine) return undefined;
    let ahead = 0;
    for (const e of this.waiting.values()) if (byQueueOrder(e, mine) < 0) ahead++;
    return ahead + 1;
  }

  async list(): Promise<QueueEntry[]> {
    return [...this.waiting.values()].sort(byQueueOrder).map((e) => ({ ...e }));
  }

  async close(): Promise<void> { await this.journal.close(); }

  private apply(line: Line): void {
    if ('join' in line) { if (!this.waiting.has(line.join.key)) this.waiting.set(line.join.key, line.join); }
    else this.waiting.delete(line.leave);
  }
}

/**
 * Per-conversation ordering in one process: tasks of a key run one after another; one that
 * cannot start within `waitMs` is refused with `ConversationBusyError` and never runs.
 */
export class InProcessLock implements ConversationLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly waitMs: number) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const queuedAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    let gaveUp = false;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => { gaveUp = true; reject(new ConversationBusyError(Date.now() - queuedAt)); }, this.waitMs);
      timer.unref();
    });
    const started = prev.then(() => undefined, () => undefined);
    // the tail waits for the previous task, then this one unless it gave up waiting
    const mine = started.then(() => (gaveUp ? undefined : task()));
    const tail = mine.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key); });
    return Promise.race([started.then(() => { clearTimeout(timer); return mine; }), timeout]) as Promise<T>;
  }
}

/** The event bus inside one process (the embedded backend serves one instance). */
export class InProcessBus implements EventBus {
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();

  async publish(topic: string, payload: unknown): Promise<void> {
    const json = JSON.stringify(payload);
    if (Buffer.byteLength(json) + Buffer.byteLength(topic) > MAX_EVENT_BYTES) throw new Error(`[EventBus]: the payload for "${topic.slice(0, 60)}" is larger than ${MAX_EVENT_BYTES} bytes`);
    const set = this.listeners.get(topic);
    if (!set) return;
    // delivered later, like a database notification: a publisher never runs its subscribers' code inline
    setImmediate(() => {
      for (const l of [...set]) {
        try { l(JSON.parse(json)); } catch { /* a failing listener must not stop the others */ }
      }
    });
  }

  subscribe(topic: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(topic) === set) this.listeners.delete(topic);
    };
  }

  async close(): Promise<void> { this.listeners.clear(); }
}
