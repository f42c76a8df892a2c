import type { AuditEntry, AuditLog } from '../auditLog.js';
import { pgText, type Db } from './db.js';

/** The audit log on PostgreSQL: one row per entry, only ever inserted. */
export class PostgresAuditLog implements AuditLog {
  constructor(private readonly db: Db, private readonly now: () => Date) {}

  async record(entry: Omit<AuditEntry, 'at'>): Promise<AuditEntry> {
    const at = this.now();
    await this.db.query('insert into audit_log (at, actor, action, target, detail) values ($1, $2, $3, $4, $5)',
      [at, pgText(entry.actor), pgText(entry.action), pgText(entry.target), entry.detail === undefined ? null : JSON.stringify(entry.detail)]);
    return { ...structuredClone(entry), at: at.toISOString() };
  }

  async list(query: { limit?: number; actor?: string; target?: string } = {}): Promise<AuditEntry[]> {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const { rows } = await this.db.query<{ at: Date; actor: string; action: string; target: string; detail: Record<string, unknown> | null }>(
      `select at, actor, action, target, detail from audit_log
        where ($1::text is null or actor = $1) and ($2::text is null or target = $2)
        order by id desc limit $3`,
      [query.actor === undefined ? null : pgText(query.actor), query.target === undefined ? null : pgText(query.target), limit]);
    return rows.map((r) => ({ at: r.at.toISOString(), actor: r.actor, action: r.action, target: r.target, ...(r.detail ? { detail: r.detail } : {}) }));
  }
}
