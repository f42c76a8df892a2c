/**
 * Runs tasks one after another per key (a conversation id): two messages of one conversation
 * arriving together must not read and write its dialog state at the same time.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(task, task);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key); });
    return next;
  }

  /** Keys with work queued or running. */
  get size(): number { return this.tails.size; }
}
