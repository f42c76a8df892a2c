import type { ConversationLock } from '../conversationLock.js';
import type { EventBus } from '../eventBus.js';
import { MAX_EVENT_BYTES } from '../eventBus.js';
import { ConversationBusyError } from '../errors.js';

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
