import type { CaseChanges, CaseListQuery, CaseNote, CasePage, CaseRecord, CaseStatus, OpenCaseInput } from '../cases/types.js';

/**
 * Where support cases live.
 * - `open` resolves only once the case is durably stored (fsync'd, or committed): callers show
 *   the number after it, so a number a customer saw is never lost, even to `kill -9`.
 * - Numbers are unique across every instance sharing the store (a clash draws again).
 * - A change that cannot be stored rejects and leaves the case as it was (no half-applied change
 *   that reappears later).
 */
export interface CaseStore {
  open(input: OpenCaseInput): Promise<CaseRecord>;
  get(number: string): Promise<CaseRecord | undefined>;
  listByUser(channelId: string, userId: string): Promise<CaseRecord[]>;
  list(query?: CaseListQuery): Promise<CasePage>;
  updateStatus(number: string, status: CaseStatus): Promise<CaseRecord | undefined>;
  addNote(number: string, note: Omit<CaseNote, 'at'>): Promise<CaseRecord | undefined>;
  /** Applies `changes` (see `applyCaseChanges`); undefined for an unknown number. */
  update(number: string, changes: CaseChanges): Promise<CaseRecord | undefined>;
  /**
   * Cases where staff still have to call, text or email the customer: open or pending, contact
   * method `callback`, `text` or `email`, not marked done; oldest first, at most `limit` (200).
   */
  followUps(limit?: number): Promise<CaseRecord[]>;
  /**
   * Erasure: removes the customer's identity and words from their cases (user id, conversation
   * reference, summary, customer-written notes) and keeps the rest for statistics. Returns how
   * many cases were changed.
   */
  forgetCustomer(channelId: string, userId: string): Promise<number>;
}
