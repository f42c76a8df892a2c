import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { DESK_TEAMS } from '../../handoff/teams.js';
import { applyChange, byQueueOrder, forgottenHandoff, newHandoffRecord } from '../../handoff/handoffMachine.js';
import type { HandoffChange, HandoffChangeResult, HandoffRecord, HandoffRequest, HandoffStore } from '../handoffStore.js';
import { STAFF_ROLES, type StaffAccount, type StaffChanges, type StaffStore } from '../staffStore.js';
import type { DeskSession, DeskSessionStore } from '../deskSessionStore.js';
import { KeyedRecords } from './keyedRecords.js';

const Team = z.enum(DESK_TEAMS);
const Agent = z.object({ username: z.string(), displayName: z.string() });
const HandoffSchema = z.object({
  caseNumber: z.string(), channelId: z.string(), conversationId: z.string(), team: Team, via: z.enum(['desk', 'connector']),
  status: z.enum(['waiting', 'with_agent', 'ended']), requestedAt: z.string(), queuedAt: z.string(),
  agent: Agent.optional(), acceptedAt: z.string().optional(), endedAt: z.string().optional(),
  endReason: z.enum(['ended_by_agent', 'customer_left', 'timed_out', 'connector_completed', 'connector_failed']).optional(),
  events: z.array(z.object({
    at: z.string(), kind: z.enum(['requested', 'accepted', 'transferred', 'ended']), by: z.string().optional(), team: Team.optional(),
    toTeam: Team.optional(), note: z.string().optional(), reason: z.string().optional(),
  })),
}) as unknown as z.ZodType<HandoffRecord>;

const StaffSchema = z.object({
  username: z.string(), displayName: z.string(), role: z.enum(STAFF_ROLES), teams: z.array(Team), passwordHash: z.string(),
  availability: z.enum(['available', 'away']), createdAt: z.string(), updatedAt: z.string(),
});

const SessionSchema = z.object({ id: z.string(), username: z.string(), csrfToken: z.string(), createdAt: z.string(), expiresAt: z.string(), lastSeen: z.string() });

/**
 * Hand-offs on the embedded backend (one process): `applyChange` runs on the in-memory record and
 * the result is set in the same tick, so two accepts of one chat cannot both pass the check.
 */
export class EmbeddedHandoffStore implements HandoffStore {
  private constructor(private readonly records: KeyedRecords<HandoffRecord>) {}

  static async open(path: string, logger?: Logger, readOnly = false): Promise<EmbeddedHandoffStore> {
    return new EmbeddedHandoffStore(await KeyedRecords.open(path, 'hand-off', HandoffSchema, logger, readOnly));
  }

  async request(input: HandoffRequest): Promise<HandoffRecord> {
    const existing = this.records.get(input.caseNumber);
    if (existing) return existing;
    const record = newHandoffRecord(input);
    await this.records.set(record.caseNumber, record);
    return structuredClone(record);
  }

  async get(caseNumber: string): Promise<HandoffRecord | undefined> { return this.records.get(caseNumber); }

  /** Every hand-off, ended ones too (`db:import`). */
  all(): HandoffRecord[] { return [...this.records.values()].map((r) => structuredClone(r)); }

  async change(caseNumber: string, change: HandoffChange, at: string): Promise<HandoffChangeResult> {
    const open = change.kind === 'accept' ? [...this.records.values()].filter((r) => r.status === 'with_agent' && r.agent?.username === change.agent.username).length : 0;
    const result = applyChange(this.records.get(caseNumber), change, at, open);
    if (!result.ok) return result;
    await this.records.set(caseNumber, result.record);
    return { ok: true, record: structuredClone(result.record) };
  }

  async waiting(): Promise<HandoffRecord[]> {
    return [...this.records.values()].filter((r) => r.status === 'waiting').sort(byQueueOrder).map((r) => structuredClone(r));
  }

  async position(caseNumber: string): Promise<number | undefined> {
    const mine = this.records.get(caseNumber);
    if (mine?.status !== 'waiting') return undefined;
    let ahead = 0;
    for (const r of this.records.values()) if (r.status === 'waiting' && r.team === mine.team && byQueueOrder(r, mine) < 0) ahead++;
    return ahead + 1;
  }

  async withAgent(username?: string): Promise<HandoffRecord[]> {
    return [...this.records.values()].filter((r) => r.status === 'with_agent' && (username === undefined || r.agent?.username === username))
      .sort((a, b) => (a.acceptedAt ?? '').localeCompare(b.acceptedAt ?? '') || a.caseNumber.localeCompare(b.caseNumber)).map((r) => structuredClone(r));
  }

  async purgeEndedBefore(cutoff: Date): Promise<number> {
    const limit = cutoff.getTime();
    const old = [...this.records.values()].filter((r) => r.status === 'ended' && Date.parse(r.endedAt ?? r.requestedAt) < limit).map((r) => r.caseNumber);
    for (const k of old) await this.records.delete(k);
    return old.length;
  }

  async forgetConversations(channelId: string, conversationIds: string[], at: string): Promise<number> {
    const ids = new Set(conversationIds);
    const mine = [...this.records.values()].filter((r) => r.channelId === channelId && ids.has(r.conversationId));
    for (const r of mine) await this.records.set(r.caseNumber, forgottenHandoff(r, at));
    return mine.length;
  }

  flush(): Promise<void> { return this.records.flush(); }
  close(): Promise<void> { return this.records.close(); }
}

/** Staff accounts on the embedded backend. */
export class EmbeddedStaffStore implements StaffStore {
  private constructor(private readonly records: KeyedRecords<StaffAccount>) {}

  static async open(path: string, logger?: Logger, readOnly = false): Promise<EmbeddedStaffStore> {
    return new EmbeddedStaffStore(await KeyedRecords.open(path, 'staff account', StaffSchema, logger, readOnly));
  }

  async create(account: StaffAccount): Promise<boolean> {
    if (this.records.has(account.username)) return false;
    await this.records.set(account.username, StaffSchema.parse(account));
    return true;
  }

  async get(username: string): Promise<StaffAccount | undefined> { return this.records.get(username); }

  async list(): Promise<StaffAccount[]> {
    return [...this.records.values()].sort((a, b) => (a.username < b.username ? -1 : 1)).map((a) => structuredClone(a));
  }

  async update(username: string, changes: StaffChanges, at: string): Promise<StaffAccount | undefined> {
    const current = this.records.get(username);
    if (!current) return undefined;
    const next = StaffSchema.parse({ ...current, ...definedOnly(changes), updatedAt: at });
    await this.records.set(username, next);
    return structuredClone(next);
  }

  remove(username: string): Promise<boolean> { return this.records.delete(username); }

  flush(): Promise<void> { return this.records.flush(); }
  close(): Promise<void> { return this.records.close(); }
}

/** Desk sessions on the embedded backend. */
export class EmbeddedDeskSessionStore implements DeskSessionStore {
  private constructor(private readonly records: KeyedRecords<DeskSession>) {}

  static async open(path: string, logger?: Logger, readOnly = false): Promise<EmbeddedDeskSessionStore> {
    return new EmbeddedDeskSessionStore(await KeyedRecords.open(path, 'desk session', SessionSchema, logger, readOnly));
  }

  async create(session: DeskSession): Promise<void> { await this.records.set(session.id, SessionSchema.parse(session)); }

  async get(id: string): Promise<DeskSession | undefined> { return this.records.get(id); }

  /** Every session, expired ones too (`db:import`). */
  all(): DeskSession[] { return [...this.records.values()].map((s) => structuredClone(s)); }

  async touch(id: string, at: string): Promise<void> {
    const s = this.records.get(id);
    if (!s || Date.parse(s.lastSeen) >= Date.parse(at)) return;
    await this.records.set(id, { ...s, lastSeen: at });
  }

  delete(id: string): Promise<boolean> { return this.records.delete(id); }

  async deleteUser(username: string): Promise<number> {
    const ids = [...this.records.values()].filter((s) => s.username === username).map((s) => s.id);
    for (const id of ids) await this.records.delete(id);
    return ids.length;
  }

  async active(seenSince: string, now: string): Promise<DeskSession[]> {
    const seen = Date.parse(seenSince), at = Date.parse(now);
    return [...this.records.values()].filter((s) => Date.parse(s.lastSeen) >= seen && Date.parse(s.expiresAt) > at).map((s) => structuredClone(s));
  }

  async purgeExpired(now: string): Promise<number> {
    const at = Date.parse(now);
    const ids = [...this.records.values()].filter((s) => Date.parse(s.expiresAt) <= at).map((s) => s.id);
    for (const id of ids) await this.records.delete(id);
    return ids.length;
  }

  flush(): Promise<void> { return this.records.flush(); }
  close(): Promise<void> { return this.records.close(); }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
