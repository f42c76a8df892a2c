import { readdir, readFile, unlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../logger.js';
import { byTime, caseOf, type OutcomeEvent, type OutcomeQuery, type OutcomeStore } from '../outcomeStore.js';
import { checkedEvent } from '../outcomeSchema.js';
import { AppendLogs } from './appendLog.js';
import { diskError, syncDir, writeFileDurably } from './files.js';

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

/**
 * Outcome events on the embedded backend: one append-only file per day on which conversations
 * started (`outcomes/2026-03-01.jsonl`, one event per line), replayed into memory at start-up.
 * A range reads only its days; retention deletes whole old days (and rewrites the one day the
 * cutoff falls in); erasure rewrites the days that hold the conversation.
 */
export class EmbeddedOutcomeStore implements OutcomeStore {
  private readonly days = new Map<string, OutcomeEvent[]>();
  private readonly byId = new Map<string, OutcomeEvent>();
  private readonly byCase = new Map<string, OutcomeEvent[]>();
  private readonly logs = new AppendLogs();

  private constructor(private readonly dir: string, private readonly readOnly: boolean) {}

  static async open(dir: string, logger?: Logger, readOnly = false): Promise<EmbeddedOutcomeStore> {
    const store = new EmbeddedOutcomeStore(dir, readOnly);
    if (!existsSync(dir)) return store;
    for (const name of (await readdir(dir)).filter((n) => DAY_FILE.test(n)).sort()) {
      const lines = (await store.logs.read(join(dir, name))) ?? [];
      let bad = 0;
      for (const e of parseLines(lines.join('\n'), () => bad++)) store.apply(e);
      // a line this build cannot read is left in the file (it may be a newer build's) and skipped
      if (bad > 0) logger?.error({ file: join(dir, name), lines: bad }, 'some stored outcome events are unusable and were skipped');
    }
    return store;
  }

  async record(events: readonly OutcomeEvent[]): Promise<void> {
    const fresh = new Map<string, OutcomeEvent>();
    for (const e of events) {
      const clean = JSON.parse(JSON.stringify(checkedEvent(e))) as OutcomeEvent;
      if (!this.byId.has(clean.id)) fresh.set(clean.id, clean);
    }
    if (fresh.size === 0) return;
    if (this.readOnly) throw new Error('[OutcomeStore]: opened read-only');
    const perDay = new Map<string, OutcomeEvent[]>();
    for (const e of fresh.values()) {
      const day = dayOf(e.started);
      const list = perDay.get(day);
      if (list) list.push(e); else perDay.set(day, [e]);
    }
    try {
      await Promise.all([...perDay].map(([day, list]) => this.logs.append(this.pathOf(day), list.map((e) => JSON.stringify(e)))));
    } catch (err) {
      throw diskError('the outcome events', err);
    }
    // a concurrent record of the same id may have landed meanwhile: replaying it twice is harmless, keeping it twice is not
    for (const e of fresh.values()) if (!this.byId.has(e.id)) this.apply(e);
  }

  async list(q: OutcomeQuery): Promise<OutcomeEvent[]> {
    const from = q.from.toISOString(), to = q.to.toISOString();
    const fromDay = dayOf(from), toDay = dayOf(to);
    const kinds = q.kinds ? new Set(q.kinds) : undefined;
    const out: OutcomeEvent[] = [];
    for (const [day, events] of this.days) {
      if (day < fromDay || day > toDay) continue;
      for (const e of events) {
        if (e.started < from || e.started >= to) continue;
        if (q.channelId !== undefined && e.channelId !== q.channelId) continue;
        if (kinds && !kinds.has(e.kind)) continue;
        out.push(e);
      }
    }
    return out.sort(byTime).map((e) => structuredClone(e));
  }

  async get(ids: readonly string[]): Promise<OutcomeEvent[]> {
    return ids.flatMap((id) => { const e = this.byId.get(id); return e ? [structuredClone(e)] : []; }).sort(byTime);
  }

  async ofCase(caseNumber: string): Promise<OutcomeEvent[]> {
    return (this.byCase.get(caseNumber) ?? []).map((e) => structuredClone(e)).sort(byTime);
  }

  async ofConversations(channelId: string, conversationIds: readonly string[]): Promise<OutcomeEvent[]> {
    const ids = new Set(conversationIds);
    const out: OutcomeEvent[] = [];
    for (const events of this.days.values()) for (const e of events) if (e.channelId === channelId && ids.has(e.conversationId)) out.push(structuredClone(e));
    return out.sort(byTime);
  }

  async deleteConversations(channelId: string, conversationIds: readonly string[]): Promise<number> {
    const ids = new Set(conversationIds);
    return this.rewrite((e) => e.channelId === channelId && ids.has(e.conversationId));
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    const limit = cutoff.toISOString();
    const limitDay = dayOf(limit);
    let removed = 0;
    for (const [day, events] of [...this.days]) {
      if (day >= limitDay) continue;
      // a whole day before the cutoff's: its file goes
      if (this.readOnly) throw new Error('[OutcomeStore]: opened read-only');
      try {
        await this.logs.exclusive(this.pathOf(day), async () => {
          await unlink(this.pathOf(day)).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
          await syncDir(this.dir);
        });
      } catch (err) { throw diskError('the outcome events', err); }
      for (const e of events) this.forget(e);
      this.days.delete(day);
      removed += events.length;
    }
    return removed + await this.rewrite((e) => e.started < limit, limitDay);
  }

  /** Waits for appends in flight. */
  flush(): Promise<void> { return this.logs.flushAll(); }

  /** Rewrites the days holding events that `drop` selects (only `onlyDay` when given), without them. */
  private async rewrite(drop: (e: OutcomeEvent) => boolean, onlyDay?: string): Promise<number> {
    let removed = 0;
    for (const [day, events] of [...this.days]) {
      if (onlyDay !== undefined && day !== onlyDay) continue;
      if (!events.some(drop)) continue;
      if (this.readOnly) throw new Error('[OutcomeStore]: opened read-only');
      const path = this.pathOf(day);
      const gone = new Set<string>();
      try {
        await this.logs.exclusive(path, async () => {
          // the file is the truth: an event appended just before this began may not be in memory yet
          const onDisk = parseLines(await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => { if (e.code === 'ENOENT') return ''; throw e; }));
          const kept = onDisk.filter((e) => !drop(e));
          for (const e of onDisk) if (drop(e)) gone.add(e.id);
          if (kept.length === 0) {
            await unlink(path).catch((e: NodeJS.ErrnoException) => { if (e.code !== 'ENOENT') throw e; });
            await syncDir(this.dir);
          } else {
            await writeFileDurably(path, kept.map((e) => JSON.stringify(e)).join('\n') + '\n');
          }
        });
      } catch (err) { throw diskError('the outcome events', err); }
      for (const e of this.days.get(day) ?? []) if (drop(e)) gone.add(e.id);
      const left: OutcomeEvent[] = [];
      for (const e of this.days.get(day) ?? []) { if (gone.has(e.id)) this.forget(e); else left.push(e); }
      if (left.length) this.days.set(day, left); else this.days.delete(day);
      removed += gone.size;
    }
    return removed;
  }

  private apply(e: OutcomeEvent): void {
    if (this.byId.has(e.id)) return;
    this.byId.set(e.id, e);
    const day = dayOf(e.started);
    const list = this.days.get(day);
    if (list) list.push(e); else this.days.set(day, [e]);
    const c = caseOf(e);
    if (c) { const l = this.byCase.get(c); if (l) l.push(e); else this.byCase.set(c, [e]); }
  }

  private forget(e: OutcomeEvent): void {
    this.byId.delete(e.id);
    const c = caseOf(e);
    if (c) {
      const l = (this.byCase.get(c) ?? []).filter((x) => x !== e);
      if (l.length) this.byCase.set(c, l); else this.byCase.delete(c);
    }
  }

  private pathOf(day: string): string {
    return join(this.dir, `${day}.jsonl`);
  }
}

/** The UTC day of an ISO time (`2026-03-01`). */
function dayOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 10);
}

/** The events of a day file's text; a torn last line (a crash mid-write) and unreadable lines are left out. */
function parseLines(text: string, onBad: () => void = () => undefined): OutcomeEvent[] {
  const out: OutcomeEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try { out.push(checkedEvent(JSON.parse(line))); } catch { onBad(); }
  }
  return out;
}
