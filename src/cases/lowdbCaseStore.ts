import type { Low } from 'lowdb';
import { openJsonFile } from '../storage/jsonFile.js';
import { DurableWriter } from './durableWriter.js';
import { newCaseRecord, pageCases } from './memoryCaseStore.js';
import type { CaseListQuery, CaseNote, CasePage, CaseRecord, CaseStatus, CaseStore, OpenCaseInput } from './types.js';

interface CasesFile { cases: Record<string, CaseRecord> }

/**
 * `CaseStore` on a lowdb JSON file (`DATA_DIR/cases.json`), read and checked by lowdb at start-up.
 * Changes are applied in memory in call order and written by a `DurableWriter` (fsync, then
 * rename): a call resolves only once its change is on disk, so a case number is shown only when
 * it cannot be lost, even to a power cut. Concurrent changes share writes, and none is lost.
 */
export class LowdbCaseStore implements CaseStore {
  private readonly writer: DurableWriter;

  private constructor(private readonly db: Low<CasesFile>, readonly path: string, private readonly now: () => Date) {
    this.writer = new DurableWriter(path, () => JSON.stringify(this.db.data, null, 2));
  }

  /** Opens (or creates) the file; a corrupt file throws `StoreFileError` and is left untouched. */
  static async open(path: string, options: { now?: () => Date } = {}): Promise<LowdbCaseStore> {
    if (!path) throw new Error('[LowdbCaseStore]: Missing parameter. path is required');
    return new LowdbCaseStore(await openJsonFile<CasesFile>(path, { cases: {} }), path, options.now ?? (() => new Date()));
  }

  async open(input: OpenCaseInput): Promise<CaseRecord> {
    if (!input?.conversationReference) throw new Error('[LowdbCaseStore]: Missing parameter. input.conversationReference is required');
    return this.change(() => {
      const record = newCaseRecord(input, (n) => n in this.db.data.cases, this.now());
      this.db.data.cases[record.number] = record;
      return record;
    });
  }

  async get(number: string): Promise<CaseRecord | undefined> {
    const c = this.db.data.cases[number];
    return c && structuredClone(c);
  }

  async listByUser(channelId: string, userId: string): Promise<CaseRecord[]> {
    return Object.values(this.db.data.cases)
      .filter((c) => c.channelId === channelId && c.userId === userId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((c) => structuredClone(c));
  }

  async list(query?: CaseListQuery): Promise<CasePage> {
    return structuredClone(pageCases(Object.values(this.db.data.cases), query));
  }

  async updateStatus(number: string, status: CaseStatus): Promise<CaseRecord | undefined> {
    return this.change(() => {
      const c = this.db.data.cases[number];
      if (!c) return undefined;
      c.status = status;
      c.updatedAt = this.now().toISOString();
      return c;
    });
  }

  async addNote(number: string, note: Omit<CaseNote, 'at'>): Promise<CaseRecord | undefined> {
    return this.change(() => {
      const c = this.db.data.cases[number];
      if (!c) return undefined;
      const at = this.now().toISOString();
      c.notes.push({ author: note.author, text: note.text, at });
      c.updatedAt = at;
      return c;
    });
  }

  /** Waits for every change already made to be on disk (used at shutdown). */
  async flush(): Promise<void> { await this.writer.write(); }

  /** Applies `mutate` now (synchronously, so changes never interleave) and resolves once it is on disk. */
  private async change<T extends CaseRecord | undefined>(mutate: () => T): Promise<T> {
    const result = mutate();
    if (result === undefined) return result;
    const copy = structuredClone(result);
    await this.writer.write();
    return copy;
  }
}
