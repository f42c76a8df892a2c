import type { HandoffQueue, QueueEntry } from '../handoffQueue.js';
import { pgText, type Db } from './db.js';

interface Row { key: string; case_number: string; team: string; since: string }

/** The queue for a person on PostgreSQL: one table, so every instance counts the same positions. */
export class PostgresHandoffQueue implements HandoffQueue {
  constructor(private readonly db: Db) {}

  async join(entry: QueueEntry): Promise<void> {
    const since = new Date(entry.since);
    if (Number.isNaN(since.getTime())) throw new Error('[HandoffQueue]: entry.since is not a time');
    // joining twice keeps the first place
    await this.db.query('insert into handoff_queue (key, case_number, team, since, since_at) values ($1, $2, $3, $4, $5) on conflict (key) do nothing',
      [pgText(entry.key), pgText(entry.caseNumber), pgText(entry.team), entry.since, since]);
  }

  async leave(key: string): Promise<void> {
    await this.db.query('delete from handoff_queue where key = $1', [pgText(key)]);
  }

  async position(key: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ n: number }>(`select count(*)::int as n from handoff_queue q, handoff_queue me
      where me.key = $1 and (q.since_at, q.key) <= (me.since_at, me.key)`, [pgText(key)]);
    return rows[0].n > 0 ? rows[0].n : undefined;
  }

  async list(): Promise<QueueEntry[]> {
    const { rows } = await this.db.query<Row>('select key, case_number, team, since from handoff_queue order by since_at, key');
    return rows.map((r) => ({ key: r.key, caseNumber: r.case_number, team: r.team, since: r.since }));
  }
}
