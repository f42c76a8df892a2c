import { z } from 'zod';
import type { FeedbackEntry, FeedbackStore } from '../feedbackStore.js';
import type { Logger } from '../../logger.js';
import { Journal } from './journal.js';
import { diskError } from './files.js';

const Entry = z.object({
  at: z.string(), channelId: z.string(), conversationId: z.string(), topic: z.string().optional(),
  solved: z.boolean(), rating: z.number().int().min(1).max(5).optional(),
});
const Line = z.union([z.object({ add: Entry }), z.object({ del: z.object({ c: z.string(), ids: z.array(z.string()) }) })]);
type Line = z.infer<typeof Line>;

/** Goodbye answers on the embedded backend: a journal of additions and erasures, replayed into memory. */
export class EmbeddedFeedbackStore implements FeedbackStore {
  private entries: FeedbackEntry[] = [];
  private journal!: Journal<Line>;

  static async open(path: string, logger?: Logger, readOnly = false): Promise<EmbeddedFeedbackStore> {
    const store = new EmbeddedFeedbackStore();
    store.journal = await Journal.open<Line>(path, { what: 'feedback', parse: (v) => Line.parse(v), logger, readOnly }, (l) => store.apply(l));
    return store;
  }

  async record(entry: FeedbackEntry): Promise<void> {
    const clean = Entry.parse(stripUndefined(entry));
    try { await this.journal.append({ add: clean }); } catch (err) { throw diskError('the feedback', err); }
    this.apply({ add: clean });
  }

  async list(range: { from?: Date; to?: Date } = {}): Promise<FeedbackEntry[]> {
    const from = range.from?.toISOString(), to = range.to?.toISOString();
    return this.entries.filter((e) => (!from || e.at >= from) && (!to || e.at < to))
      .sort((a, b) => a.at.localeCompare(b.at)).map((e) => structuredClone(e));
  }

  async ofConversations(channelId: string, conversationIds: string[]): Promise<FeedbackEntry[]> {
    const ids = new Set(conversationIds);
    return this.entries.filter((e) => e.channelId === channelId && ids.has(e.conversationId)).map((e) => structuredClone(e));
  }

  async deleteConversations(channelId: string, conversationIds: string[]): Promise<number> {
    const before = this.entries.length;
    const kept = this.entries.filter((e) => !(e.channelId === channelId && conversationIds.includes(e.conversationId)));
    if (kept.length === before) return 0;
    // rewritten without them: an appended "deleted" line would leave the entries on disk
    try { await this.journal.compact(kept.map((e) => ({ add: e }))); } catch (err) { throw diskError('the feedback', err); }
    this.entries = kept;
    return before - kept.length;
  }

  async purgeOlderThan(cutoff: Date): Promise<number> {
    const limit = cutoff.toISOString();
    const kept = this.entries.filter((e) => e.at >= limit);
    const removed = this.entries.length - kept.length;
    if (removed === 0) return 0;
    try { await this.journal.compact(kept.map((e) => ({ add: e }))); } catch (err) { throw diskError('the feedback', err); }
    this.entries = kept;
    return removed;
  }

  async close(): Promise<void> { await this.journal.close(); }
  async flush(): Promise<void> { await this.journal.flushAll(); }

  private apply(line: Line): void {
    if ('add' in line) this.entries.push(line.add);
    else {
      const ids = new Set(line.del.ids);
      this.entries = this.entries.filter((e) => !(e.channelId === line.del.c && ids.has(e.conversationId)));
    }
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
