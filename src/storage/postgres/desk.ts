import { applyChange, forgottenHandoff, newHandoffRecord } from '../../handoff/handoffMachine.js';
import type { HandoffChange, HandoffChangeResult, HandoffRecord, HandoffRequest, HandoffStore } from '../handoffStore.js';
import type { StaffAccount, StaffChanges, StaffStore } from '../staffStore.js';
import type { DeskSession, DeskSessionStore } from '../deskSessionStore.js';
import { pgText, type Db } from './db.js';

const UPDATE_HANDOFF = `update handoffs set status = $2, team = $3, queued_at = $4, agent = $5, accepted_at = $6, ended_at = $7, record = $8, conversation_id = $9 where case_number = $1`;

/** The columns of a record, in `UPDATE_HANDOFF`'s order. */
const columns = (r: HandoffRecord) => [pgText(r.caseNumber), r.status, r.team, r.queuedAt, r.status === 'with_agent' ? pgText(r.agent?.username ?? '') : null,
  r.acceptedAt ?? null, r.endedAt ?? null, JSON.stringify(r), pgText(r.conversationId)];

/**
 * Hand-offs on PostgreSQL. A change reads the row `for update` and writes it in one transaction,
 * so two instances accepting one chat queue on the row lock and the second sees it taken. An
 * accept also holds a transaction lock on the agent's name while it counts their open chats, so
 * two accepts by one agent cannot both slip under the maximum.
 */
export class PostgresHandoffStore implements HandoffStore {
  constructor(private readonly db: Db) {}

  async request(input: HandoffRequest): Promise<HandoffRecord> {
    const record = newHandoffRecord(input);
    await this.db.query(`insert into handoffs (case_number, status, team, queued_at, record, channel_id, conversation_id) values ($1, $2, $3, $4, $5, $6, $7)
      on conflict (case_number) do nothing`,
      [pgText(record.caseNumber), record.status, record.team, record.queuedAt, JSON.stringify(record), pgText(record.channelId), pgText(record.conversationId)]);
    return (await this.get(record.caseNumber))!;
  }

  async get(caseNumber: string): Promise<HandoffRecord | undefined> {
    const { rows } = await this.db.query<{ record: HandoffRecord }>('select record from handoffs where case_number = $1', [pgText(caseNumber)]);
    return rows[0]?.record;
  }

  change(caseNumber: string, change: HandoffChange, at: string): Promise<HandoffChangeResult> {
    return this.db.tx(async (client) => {
      let open = 0;
      if (change.kind === 'accept') {
        await client.query(`select pg_advisory_xact_lock(hashtextextended('support-bot:desk-agent:' || current_schema() || ':' || $1, 0))`, [pgText(change.agent.username)]);
        open = (await client.query<{ n: number }>(`select count(*)::int as n from handoffs where status = 'with_agent' and agent = $1`, [pgText(change.agent.username)])).rows[0].n;
      }
      const { rows } = await client.query<{ record: HandoffRecord }>('select record from handoffs where case_number = $1 for update', [pgText(caseNumber)]);
      const result = applyChange(rows[0]?.record, change, at, open);
      if (!result.ok) return result;
      await client.query(UPDATE_HANDOFF, columns(result.record));
      return result;
    });
  }

  async waiting(): Promise<HandoffRecord[]> {
    const { rows } = await this.db.query<{ record: HandoffRecord }>(`select record from handoffs where status = 'waiting' order by queued_at, case_number`);
    return rows.map((r) => r.record);
  }

  async position(caseNumber: string): Promise<number | undefined> {
    const { rows } = await this.db.query<{ n: number }>(`select count(*)::int as n from handoffs q, handoffs me
      where me.case_number = $1 and me.status = 'waiting' and q.status = 'waiting' and q.team = me.team
        and (q.queued_at, q.case_number) <= (me.queued_at, me.case_number)`, [pgText(caseNumber)]);
    return rows[0].n > 0 ? rows[0].n : undefined;
  }

  async withAgent(username?: string): Promise<HandoffRecord[]> {
    const { rows } = await this.db.query<{ record: HandoffRecord }>(`select record from handoffs where status = 'with_agent' and ($1::text is null or agent = $1)
      order by accepted_at, case_number`, [username === undefined ? null : pgText(username)]);
    return rows.map((r) => r.record);
  }

  async purgeEndedBefore(cutoff: Date): Promise<number> {
    return (await this.db.query(`delete from handoffs where status = 'ended' and ended_at < $1`, [cutoff])).rowCount ?? 0;
  }

  forgetConversations(channelId: string, conversationIds: string[], at: string): Promise<number> {
    return this.db.tx(async (client) => {
      const { rows } = await client.query<{ record: HandoffRecord }>('select record from handoffs where channel_id = $1 and conversation_id = any($2::text[]) for update',
        [pgText(channelId), conversationIds.map(pgText)]);
      for (const { record } of rows) await client.query(UPDATE_HANDOFF, columns(forgottenHandoff(record, at)));
      return rows.length;
    });
  }
}

/** Staff accounts on PostgreSQL: the username is the primary key, so a name is created once. */
export class PostgresStaffStore implements StaffStore {
  constructor(private readonly db: Db) {}

  async create(account: StaffAccount): Promise<boolean> {
    const r = await this.db.query('insert into staff (username, account) values ($1, $2) on conflict (username) do nothing', [pgText(account.username), JSON.stringify(account)]);
    return (r.rowCount ?? 0) === 1;
  }

  async get(username: string): Promise<StaffAccount | undefined> {
    const { rows } = await this.db.query<{ account: StaffAccount }>('select account from staff where username = $1', [pgText(username)]);
    return rows[0]?.account;
  }

  async list(): Promise<StaffAccount[]> {
    const { rows } = await this.db.query<{ account: StaffAccount }>('select account from staff order by username');
    return rows.map((r) => r.account);
  }

  update(username: string, changes: StaffChanges, at: string): Promise<StaffAccount | undefined> {
    return this.db.tx(async (client) => {
      const { rows } = await client.query<{ account: StaffAccount }>('select account from staff where username = $1 for update', [pgText(username)]);
      if (!rows[0]) return undefined;
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      const next: StaffAccount = { ...rows[0].account, ...defined, updatedAt: at };
      await client.query('update staff set account = $2 where username = $1', [pgText(username), JSON.stringify(next)]);
      return next;
    });
  }

  async remove(username: string): Promise<boolean> {
    return ((await this.db.query('delete from staff where username = $1', [pgText(username)])).rowCount ?? 0) === 1;
  }
}

/** Desk sessions on PostgreSQL: every instance reads them, so a sign-out holds everywhere at once. */
export class PostgresDeskSessionStore implements DeskSessionStore {
  constructor(private readonly db: Db) {}

  async create(s: DeskSession): Promise<void> {
    await this.db.query('insert into desk_sessions (id, username, expires_at, last_seen, session) values ($1, $2, $3, $4, $5)',
      [pgText(s.id), pgText(s.username), s.expiresAt, s.lastSeen, JSON.stringify(s)]);
  }

  async get(id: string): Promise<DeskSession | undefined> {
    const { rows } = await this.db.query<{ session: DeskSession; last_seen: Date }>('select session, last_seen from desk_sessions where id = $1', [pgText(id)]);
    return rows[0] && { ...rows[0].session, lastSeen: rows[0].last_seen.toISOString() };
  }

  async touch(id: string, at: string): Promise<void> {
    // the column is the truth for lastSeen (the document keeps the time it was created with)
    await this.db.query('update desk_sessions set last_seen = $2 where id = $1 and last_seen < $2', [pgText(id), at]);
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.db.query('delete from desk_sessions where id = $1', [pgText(id)])).rowCount ?? 0) === 1;
  }

  async deleteUser(username: string): Promise<number> {
    return (await this.db.query('delete from desk_sessions where username = $1', [pgText(username)])).rowCount ?? 0;
  }

  async active(seenSince: string, now: string): Promise<DeskSession[]> {
    const { rows } = await this.db.query<{ session: DeskSession; last_seen: Date }>('select session, last_seen from desk_sessions where last_seen >= $1 and expires_at > $2', [seenSince, now]);
    return rows.map((r) => ({ ...r.session, lastSeen: r.last_seen.toISOString() }));
  }

  async purgeExpired(now: string): Promise<number> {
    return (await this.db.query('delete from desk_sessions where expires_at <= $1', [now])).rowCount ?? 0;
  }
}
