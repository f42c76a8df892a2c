/** One thing a member of staff (or the admin token) did. */
export interface AuditEntry {
  at: string;
  /** Who: a staff username, or `admin-token` for the shared admin token. */
  actor: string;
  /** What, as a stable verb (`case.update`, `customer.export`, `customer.erase`, …). */
  action: string;
  /** On what: a case number, `channelId/userId`, … */
  target: string;
  /** Counts and fields changed; never message text or secrets. */
  detail?: Record<string, unknown>;
}

/**
 * The audit log of staff actions: append-only. Nothing in the product edits or deletes an
 * entry (there is no API for it); it is read by administrators.
 */
export interface AuditLog {
  record(entry: Omit<AuditEntry, 'at'>): Promise<AuditEntry>;
  /** Newest first, at most `limit` (default 100, at most 1,000), optionally by actor or target. */
  list(query?: { limit?: number; actor?: string; target?: string }): Promise<AuditEntry[]>;
}
