import { z } from 'zod';
import type { AuditEntry, AuditLog } from '../auditLog.js';
import type { Logger } from '../../logger.js';
import { Journal } from './journal.js';
import { diskError } from './files.js';

const Entry = z.object({ at: z.string(), actor: z.string(), action: z.string(), target: z.string(), detail: z.record(z.string(), z.unknown()).optional() });

/** The audit log on the embedded backend: an append-only journal (never compacted: nothing is removed). */
export class EmbeddedAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];
  private journal!: Journal<AuditEntry>;

  private constructor(private readonly now: () => Date) {}

  static async open(path: string, now: () => Date, logger?: Logger, readOnly = false): Promise<EmbeddedAuditLog> {
    const log = new EmbeddedAuditLog(now);
    log.journal = await Journal.open<AuditEntry>(path, { what: 'audit', parse: (v) => Entry.parse(v) as AuditEntry, logger, readOnly }, (e) => log.entries.push(e));
    return log;
  }

  async record(entry: Omit<AuditEntry, 'at'>): Promise<AuditEntry> {
    const full = Entry.parse({ ...entry, at: this.now().toISOString() }) as AuditEntry;
    try { await this.journal.append(full); } catch (err) { throw diskError('the audit log', err); }
    this.entries.push(full);
    return structuredClone(full);
  }

  async list(query: { limit?: number; actor?: string; target?: string } = {}): Promise<AuditEntry[]> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const out: AuditEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.entries[i];
      if ((query.actor === undefined || e.actor === query.actor) && (query.target === undefined || e.target === query.target)) out.push(structuredClone(e));
    }
    return out;
  }

  /** Every entry, oldest first (`db:import`). */
  all(): AuditEntry[] { return this.entries.map((e) => structuredClone(e)); }

  async close(): Promise<void> { await this.journal.close(); }
}
