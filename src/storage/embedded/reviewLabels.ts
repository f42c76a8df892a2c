import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type { LabelResult, ReviewLabel, ReviewLabelStore } from '../reviewLabelStore.js';
import { Journal } from './journal.js';
import { diskError } from './files.js';

const Label = z.object({
  messageId: z.string(), text: z.string(), key: z.string(), intent: z.string(), language: z.string(),
  by: z.string(), at: z.string(), channelId: z.string(), conversationId: z.string(),
});
const Line = z.union([
  z.object({ rev: z.number().int(), add: z.array(Label) }),
  z.object({ rev: z.number().int(), del: z.string() }),
  // after a rewrite: where the revision stood
  z.object({ rev: z.number().int() }),
]);
type Line = z.infer<typeof Line>;

/**
 * Review labels on the embedded backend (one process): a journal of additions and removals,
 * replayed into memory. Checks and changes run one at a time, so `add` is all or nothing.
 * Removal and erasure rewrite the file, so a removed label's text is not left on disk.
 */
export class EmbeddedReviewLabelStore implements ReviewLabelStore {
  private readonly labels = new Map<string, ReviewLabel>();
  private rev = 0;
  private journal!: Journal<Line>;
  private queue: Promise<unknown> = Promise.resolve();

  static async open(path: string, logger?: Logger, readOnly = false): Promise<EmbeddedReviewLabelStore> {
    const store = new EmbeddedReviewLabelStore();
    store.journal = await Journal.open<Line>(path, { what: 'review label', parse: (v) => Line.parse(v), logger, readOnly }, (l) => store.apply(l));
    return store;
  }

  add(labels: readonly ReviewLabel[]): Promise<LabelResult> {
    return this.serially(async () => {
      const clean = labels.map((l) => Label.parse(l));
      const taken = clean.map((l) => this.labels.get(l.messageId)).filter((l): l is ReviewLabel => !!l);
      if (taken.length) return { ok: false, reason: 'taken', labels: taken.map((l) => ({ ...l })) };
      const conflicts = [...this.labels.values()].filter((have) => clean.some((l) => l.key === have.key && l.language === have.language && l.intent !== have.intent));
      if (conflicts.length) return { ok: false, reason: 'conflict', labels: conflicts.map((l) => ({ ...l })) };
      const line: Line = { rev: this.rev + 1, add: clean };
      try { await this.journal.append(line); } catch (err) { throw diskError('the review labels', err); }
      this.apply(line);
      return { ok: true, revision: this.rev };
    });
  }

  async list(): Promise<ReviewLabel[]> {
    return [...this.labels.values()].map((l) => ({ ...l }));
  }

  remove(messageId: string): Promise<boolean> {
    return this.serially(async () => {
      if (!this.labels.has(messageId)) return false;
      await this.rewriteWithout(new Set([messageId]));
      return true;
    });
  }

  async revision(): Promise<number> { return this.rev; }

  deleteConversations(channelId: string, conversationIds: readonly string[]): Promise<number> {
    return this.serially(async () => {
      const ids = new Set(conversationIds);
      const gone = new Set([...this.labels.values()].filter((l) => l.channelId === channelId && ids.has(l.conversationId)).map((l) => l.messageId));
      if (gone.size > 0) await this.rewriteWithout(gone);
      return gone.size;
    });
  }

  async close(): Promise<void> { await this.journal.close(); }

  /** Rewrites the journal without the labels of `gone`, at the next revision. */
  private async rewriteWithout(gone: Set<string>): Promise<void> {
    const kept = [...this.labels.values()].filter((l) => !gone.has(l.messageId));
    const rev = this.rev + 1;
    try { await this.journal.compact([{ rev }, ...(kept.length ? [{ rev, add: kept }] : [])]); } catch (err) { throw diskError('the review labels', err); }
    for (const id of gone) this.labels.delete(id);
    this.rev = rev;
  }

  private apply(line: Line): void {
    this.rev = Math.max(this.rev, line.rev);
    if ('add' in line) for (const l of line.add) this.labels.set(l.messageId, l);
    else if ('del' in line) this.labels.delete(line.del);
  }

  /** One change at a time: a check and its write are never interleaved with another change. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
