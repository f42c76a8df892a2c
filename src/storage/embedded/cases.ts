import { z } from 'zod';
import type { CaseStore } from '../caseStore.js';
import type { CaseChanges, CaseListQuery, CaseNote, CasePage, CaseRecord, CaseStatus, OpenCaseInput } from '../../cases/types.js';
import { CASE_STATUSES } from '../../cases/types.js';
import { applyCaseChanges, forgottenCase, needsFollowUp, newCaseRecord, newestFirst, oldestFirst, pageCases } from '../../cases/caseRecords.js';
import type { Logger } from '../../logger.js';
import { Journal } from './journal.js';
import { diskError } from './files.js';

/** What a stored case must look like (checked on replay: a wrong shape is quarantined, not loaded). */
export const CaseRecordSchema = z.object({
  number: z.string().regex(/^CS-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
  status: z.enum(CASE_STATUSES),
  intent: z.string(),
  channelId: z.string(),
  userId: z.string(),
  conversationId: z.string(),
  summary: z.string(),
  stepsTried: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  conversationReference: z.record(z.string(), z.unknown()),
  notes: z.array(z.object({ at: z.string(), author: z.string(), text: z.string() })),
  handledBy: z.array(z.string()).optional(),
  followUpDone: z.object({ at: z.string(), by: z.string() }).optional(),
}).passthrough();

const CaseLine = z.object({ case: CaseRecordSchema });
type Line = { case: CaseRecord };

/**
 * Cases on the embedded backend: a journal (`cases.jsonl`) with one line per change, holding the
 * whole case, replayed into memory at start-up. A change is applied in memory, written and
 * fsynced, and rolled back if the disk refuses it, so a call resolves only when it is durable
 * and a failed one leaves nothing behind. The journal is compacted when it grows far past the
 * live cases.
 */
export class EmbeddedCaseStore implements CaseStore {
  private readonly cases = new Map<string, CaseRecord>();
  private journal!: Journal<Line>;
  private compacting?: Promise<void>;

  private constructor(private readonly now: () => Date) {}

  static async open(path: string, now: () => Date, logger?: Logger, readOnly = false): Promise<EmbeddedCaseStore> {
    const store = new EmbeddedCaseStore(now);
    store.journal = await Journal.open<Line>(path, { what: 'case', parse: (v) => CaseLine.parse(v) as Line, logger, readOnly }, (r) => { store.cases.set(r.case.number, r.case); });
    return store;
  }

  get quarantined(): number { return this.journal.quarantined; }

  async open(input: OpenCaseInput): Promise<CaseRecord> {
    if (!input?.conversationReference) throw new Error('[CaseStore]: Missing parameter. input.conversationReference is required');
    const record = newCaseRecord(input, (n) => this.cases.has(n), this.now());
    return (await this.change(record.number, () => record))!;
  }

  async get(number: string): Promise<CaseRecord | undefined> {
    const c = this.cases.get(number);
    return c && structuredClone(c);
  }

  async listByUser(channelId: string, userId: string): Promise<CaseRecord[]> {
    return [...this.cases.values()].filter((c) => c.channelId === channelId && c.userId === userId).sort(newestFirst).map((c) => structuredClone(c));
  }

  async list(query?: CaseListQuery): Promise<CasePage> {
    return structuredClone(pageCases(this.cases.values(), query));
  }

  async updateStatus(number: string, status: CaseStatus): Promise<CaseRecord | undefined> {
    return this.change(number, (c) => c && { ...c, status, updatedAt: this.now().toISOString() });
  }

  async addNote(number: string, note: Omit<CaseNote, 'at'>): Promise<CaseRecord | undefined> {
    return this.change(number, (c) => {
      if (!c) return undefined;
      const at = this.now().toISOString();
      return { ...c, notes: [...c.notes, { author: note.author, text: note.text, at }], updatedAt: at };
    });
  }

  async update(number: string, changes: CaseChanges): Promise<CaseRecord | undefined> {
    return this.change(number, (c) => c && applyCaseChanges(c, changes, this.now().toISOString()));
  }

  async followUps(limit = 200): Promise<CaseRecord[]> {
    return [...this.cases.values()].filter(needsFollowUp).sort(oldestFirst).slice(0, Math.min(Math.max(limit, 1), 200)).map((c) => structuredClone(c));
  }

  async forgetCustomer(channelId: string, userId: string): Promise<number> {
    const mine = [...this.cases.values()].filter((c) => c.channelId === channelId && c.userId === userId);
    for (const c of mine) await this.change(c.number, (cur) => cur && forgottenCase(cur, this.now()));
    // the journal's earlier lines still hold what was forgotten: rewritten with the live cases only
    if (mine.length > 0) {
      await this.compacting;
      try { await this.journal.compact([...this.cases.values()].map((c) => ({ case: c }))); } catch (err) { throw diskError('the case', err); }
    }
    return mine.length;
  }

  /** Stores a case exactly as given (carrying data over from another store); an existing number is left as it is. */
  async importRecord(record: CaseRecord): Promise<boolean> {
    const clean = CaseRecordSchema.parse(record) as CaseRecord;
    if (this.cases.has(clean.number)) return false;
    await this.change(clean.number, () => clean);
    return true;
  }

  async flush(): Promise<void> { await this.journal.flushAll(); await this.compacting; }
  async close(): Promise<void> { await this.compacting; await this.journal.close(); }

  /**
   * Applies `next(current)` in memory at once (so concurrent calls see each other and numbers
   * never clash), writes it, and resolves with a copy once it is on disk. If the write fails the
   * case goes back to what it was, unless something newer replaced it meanwhile.
   */
  private async change(number: string, next: (current: CaseRecord | undefined) => CaseRecord | undefined): Promise<CaseRecord | undefined> {
    const before = this.cases.get(number);
    const after = next(before && structuredClone(before));
    if (!after) return undefined;
    this.cases.set(number, after);
    try {
      await this.journal.append({ case: after });
    } catch (err) {
      if (this.cases.get(number) === after) {
        if (before) this.cases.set(number, before);
        else this.cases.delete(number);
      }
      throw diskError('the case', err);
    }
    this.maybeCompact();
    return structuredClone(after);
  }

  private maybeCompact(): void {
    const live = this.cases.size * 1500;
    if (this.compacting || this.journal.bytes < 8 * 1024 * 1024 || this.journal.bytes < 4 * live) return;
    this.compacting = this.journal.compact([...this.cases.values()].map((c) => ({ case: c })))
      .catch(() => undefined).finally(() => { this.compacting = undefined; });
  }
}
