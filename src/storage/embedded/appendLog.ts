import { readFile } from 'node:fs/promises';
import { appendDurably } from './files.js';

/**
 * Per-file append-only logs (one file per conversation), with group commit: lines appended to the
 * same file in the same tick share one open, write and fsync, and each `append` resolves once its
 * line is on disk. Files are read whole: one conversation is small.
 */
export class AppendLogs {
  private readonly pending = new Map<string, { lines: string[]; waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> }>();
  private readonly writing = new Map<string, Promise<void>>();

  append(path: string, lines: string[]): Promise<void> {
    let p = this.pending.get(path);
    const first = !p;
    if (!p) this.pending.set(path, (p = { lines: [], waiters: [] }));
    p.lines.push(...lines);
    const done = new Promise<void>((resolve, reject) => p!.waiters.push({ resolve, reject }));
    if (first) setImmediate(() => void this.flush(path));
    return done;
  }

  private async flush(path: string): Promise<void> {
    const before = this.writing.get(path);
    if (before) await before.catch(() => undefined);
    const p = this.pending.get(path);
    if (!p) return;
    this.pending.delete(path);
    const write = appendDurably(path, p.lines.join('\n') + '\n');
    this.writing.set(path, write);
    try {
      await write;
      for (const w of p.waiters) w.resolve();
    } catch (err) {
      for (const w of p.waiters) w.reject(err);
    } finally {
      if (this.writing.get(path) === write) this.writing.delete(path);
    }
  }

  /** Every complete line of `path` (a torn last line, from a crash mid-write, is left out); undefined when absent. */
  async read(path: string): Promise<string[] | undefined> {
    await this.writing.get(path)?.catch(() => undefined);
    let text: string;
    try { text = await readFile(path, 'utf8'); } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const lines = text.split('\n');
    lines.pop();
    return lines.filter((l) => l.length > 0);
  }

  /**
   * Runs `task` (a rewrite or a delete of `path`) with no append to that file in flight; appends
   * that arrive meanwhile are written after it.
   */
  async exclusive<T>(path: string, task: () => Promise<T>): Promise<T> {
    const before = this.writing.get(path);
    if (before) await before.catch(() => undefined);
    const run = task();
    const marker = run.then(() => undefined, () => undefined);
    this.writing.set(path, marker);
    try {
      return await run;
    } finally {
      if (this.writing.get(path) === marker) this.writing.delete(path);
    }
  }

  /** Waits for every pending append. */
  async flushAll(): Promise<void> {
    while (this.pending.size > 0 || this.writing.size > 0) {
      for (const path of [...this.pending.keys()]) await this.flush(path);
      await Promise.all([...this.writing.values()].map((w) => w.catch(() => undefined)));
    }
  }
}
