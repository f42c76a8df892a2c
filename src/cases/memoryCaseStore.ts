import { newCaseRecord, pageCases } from './caseRecords.js';
import type { CaseListQuery, CaseNote, CasePage, CaseRecord, CaseStatus, CaseStore, OpenCaseInput } from './types.js';

// moved to caseRecords.ts (every backend builds records the same way); still importable from here
export { newCaseRecord, pageCases };

/** In-memory `CaseStore` for tests and the terminal chat's dry runs. */
export class MemoryCaseStore implements CaseStore {
  private readonly cases = new Map<string, CaseRecord>();

  async open(input: OpenCaseInput): Promise<CaseRecord> {
    const record = newCaseRecord(input, (n) => this.cases.has(n));
    this.cases.set(record.number, record);
    return structuredClone(record);
  }
  async get(number: string): Promise<CaseRecord | undefined> {
    const c = this.cases.get(number);
    return c && structuredClone(c);
  }
  async listByUser(channelId: string, userId: string): Promise<CaseRecord[]> {
    return [...this.cases.values()].filter((c) => c.channelId === channelId && c.userId === userId).map((c) => structuredClone(c));
  }
  async list(query?: CaseListQuery): Promise<CasePage> {
    return structuredClone(pageCases([...this.cases.values()], query));
  }
  async updateStatus(number: string, status: CaseStatus): Promise<CaseRecord | undefined> {
    const c = this.cases.get(number);
    if (!c) return undefined;
    c.status = status;
    c.updatedAt = new Date().toISOString();
    return structuredClone(c);
  }
  async addNote(number: string, note: Omit<CaseNote, 'at'>): Promise<CaseRecord | undefined> {
    const c = this.cases.get(number);
    if (!c) return undefined;
    c.notes.push({ ...note, at: new Date().toISOString() });
    c.updatedAt = new Date().toISOString();
    return structuredClone(c);
  }
}
