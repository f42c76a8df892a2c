import { existsSync, readFileSync } from 'node:fs';
import { appendFile, open, type FileHandle } from 'node:fs/promises';
import type { Logger } from '../../logger.js';
import { StoreFormatError } from '../errors.js';
import { ensureDir, writeFileDurably } from './files.js';
import { dirname } from 'node:path';

/** Checks one replayed record; throws (with a reason) for a record this build cannot use. */
export type RecordParser<R> = (value: unknown) => R;

export interface JournalOptions<R> {
  /** What the journal holds, for messages ("cases"). */
  what: string;
  parse: RecordParser<R>;
  logger?: Logger;
  /** Replay only: no file is created, changed or opened for writing. */
  readOnly?: boolean;
}

/**
 * An append-only JSON-lines file: what a store has changed, one record per line, replayed at
 * start-up. Appends are grouped: every record appended in the same tick goes out in one write
 * and one fsync, and each `append` resolves only once its record is on disk.
 *
 * At start-up a torn last line (a crash mid-write; never acknowledged) is dropped, and a line
 * that is not valid JSON or fails `parse` is moved to `<file>.quarantine` (counted and logged):
 * one bad record never keeps the service from starting. `compact` rewrites the file with only
 * live records when it has grown well past them.
 */
export class Journal<R> {
  private file?: FileHandle;
  private pending: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private flushing?: Promise<void>;
  private scheduled = false;
  private size = 0;
  /** Records quarantined at start-up. */
  quarantined = 0;

  private constructor(readonly path: string, private readonly options: JournalOptions<R>) {}

  /** Opens (creating when absent) and replays every good record through `apply`, in order. */
  static async open<R>(path: string, options: JournalOptions<R>, apply: (record: R) => void): Promise<Journal<R>> {
    const j = new Journal(path, options);
    if (!options.readOnly) await ensureDir(dirname(path));
    if (existsSync(path)) {
      let text: string;
      try { text = readFileSync(path, 'utf8'); } catch (e) { throw new StoreFormatError(path, `cannot be read (${(e as Error).message})`); }
      const lines = text.split('\n');
      const torn = lines.pop() ?? '';
      const good: string[] = [], bad: string[] = [];
      for (const line of lines) {
        if (!line.trim()) continue;
        let record: R;
        try { record = options.parse(JSON.parse(line)); } catch (e) {
          bad.push(line);
          options.logger?.error({ file: path, reason: (e as Error).message.slice(0, 200) }, `a stored ${options.what} record is unusable; moved to the quarantine file`);
          continue;
        }
        apply(record);
        good.push(line);
      }
      j.size = good.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
      if (options.readOnly) return j;
      if (torn.trim()) options.logger?.warn({ file: path, bytes: torn.length }, `dropped an unfinished ${options.what} record (a write cut short by a crash; it was never acknowledged)`);
      if (bad.length > 0) {
        await appendFile(`${path}.quarantine`, bad.join('\n') + '\n', { mode: 0o600 });
        j.quarantined = bad.length;
      }
      if (bad.length > 0 || torn.trim()) await writeFileDurably(path, good.length ? good.join('\n') + '\n' : '');
    }
    if (!options.readOnly) j.file = await open(path, 'a', 0o600);
    return j;
  }

  /** Bytes in the file now. */
  get bytes(): number { return this.size; }

  /** Appends records; resolves once they are on disk, rejects (with nothing written) when the disk refuses. */
  append(...records: R[]): Promise<void> {
    for (const r of records) this.pending.push(JSON.stringify(r));
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => { this.scheduled = false; void this.flush(); });
    }
    return done;
  }

  /** Writes everything pending (one write, one fsync). */
  private flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (this.pending.length === 0) return Promise.resolve();
    const lines = this.pending, waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    this.flushing = (async () => {
      const data = Buffer.from(lines.join('\n') + '\n', 'utf8');
      const file = this.file;
      try {
        if (!file) throw new Error(`the ${this.options.what} journal is closed`);
        await file.write(data);
        await file.datasync();
        this.size += data.length;
        for (const w of waiters) w.resolve();
      } catch (err) {
        // a partial line would corrupt every later record: cut the file back to its last good end
        await file?.truncate(this.size).catch(() => undefined);
        for (const w of waiters) w.reject(err);
      }
    })().finally(() => { this.flushing = undefined; });
    return this.flushing;
  }

  /** Rewrites the file with exactly `records` (the live ones), durably, then appends go on there. */
  async compact(records: Iterable<R>): Promise<void> {
    while (this.flushing) await this.flushing;
    const lines: string[] = [];
    // records appended meanwhile are already in memory (so in `records`) and are written again
    // after the swap: replaying a record twice gives the same state
    for (const r of records) lines.push(JSON.stringify(r));
    const data = lines.length ? lines.join('\n') + '\n' : '';
    // appends wait while the file is swapped (they would otherwise land in the old file)
    this.flushing = (async () => {
      await writeFileDurably(this.path, data);
      const old = this.file;
      this.file = await open(this.path, 'a', 0o600);
      this.size = Buffer.byteLength(data);
      await old?.close();
    })().finally(() => { this.flushing = undefined; });
    await this.flushing;
  }

  /** Waits for pending appends. */
  async flushAll(): Promise<void> {
    while (this.pending.length > 0 || this.flushing) await this.flush();
  }

  async close(): Promise<void> {
    await this.flushAll().catch(() => undefined);
    await this.file?.close();
    this.file = undefined;
  }
}
