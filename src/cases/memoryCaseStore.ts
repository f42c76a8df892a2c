import { generateCaseNumber } from './caseNumber.js';
import { redact } from '../privacy/redact.js';
import type { CaseListQuery, CaseNote, CasePage, CaseRecord, CaseStatus, CaseStore, OpenCaseInput } from './types.js';

/**
 * Builds a new case record from what the dialog knows, with a number not in `taken` (a clash
 * draws again). The summary is redacted: it may quote what the customer typed.
 */
export function newCaseRecord(input: OpenCaseInput, taken: (n: string) => boolean, now = new Date()): CaseRecord {
  let number = generateCaseNumber();
  for (let tries = 0; taken(number); tries++) {
    if (tries > 20) throw new Error('[CaseStore]: could not find a free case number');
    number = generateCaseNumber();
  }
  const ref = input.conversationReference;
  const at = now.toISOString();
  return {
    number, status: 'open', intent: input.intent, team: input.team, contactMethod: input.contactMethod,
    ...(input.callbackWindow ? { callbackWindow: redact(input.callbackWindow).text } : {}),
    channelId: ref.channelId ?? 'unknown', userId: ref.user?.id ?? 'unknown', conversationId: ref.conversation?.id ?? 'unknown',
    summary: redact(input.summary).text, stepsTried: [...input.stepsTried], createdAt: at, updatedAt: at,
    conversationReference: structuredClone(ref), notes: [],
  };
}

/** One page of cases, newest first (creation time, then number); `cursor` is the last number of the previous page. */
export function pageCases(all: CaseRecord[], query: CaseListQuery = {}): CasePage {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
  const sorted = all
    .filter((c) => !query.status || c.status === query.status)
    .sort((a, b) => (b.createdAt.localeCompare(a.createdAt)) || b.number.localeCompare(a.number));
  // an unknown cursor gives an empty page rather than silently starting over
  const start = query.cursor ? (sorted.findIndex((c) => c.number === query.cursor) + 1 || sorted.length) : 0;
  const cases = sorted.slice(start, start + limit);
  return { cases, nextCursor: start + limit < sorted.length ? cases.at(-1)?.number : undefined };
}

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
