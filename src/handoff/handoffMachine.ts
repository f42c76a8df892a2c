import type { HandoffChange, HandoffChangeResult, HandoffRecord, HandoffRequest } from '../storage/handoffStore.js';

/**
 * The hand-off state machine, the one place that says which change is allowed when. Backends
 * call `applyChange` inside whatever makes the change atomic (one process's event loop, a row
 * lock), so the rules are the same on every backend:
 *
 *     waiting ──accept──▶ with_agent ──end──▶ ended
 *        ▲                    │
 *        └──── transfer ──────┘         (waiting ──end──▶ ended: customer left, timed out)
 */
export function newHandoffRecord(input: HandoffRequest): HandoffRecord {
  return {
    caseNumber: input.caseNumber, channelId: input.channelId, conversationId: input.conversationId,
    team: input.team, via: input.via, status: 'waiting', requestedAt: input.at, queuedAt: input.at,
    events: [{ at: input.at, kind: 'requested', team: input.team }],
  };
}

/**
 * `change` applied to `record` at `at`: the new record (a copy), or the refusal. `openChats` is
 * how many chats the accepting agent has now (only read for `accept`).
 */
export function applyChange(record: HandoffRecord | undefined, change: HandoffChange, at: string, openChats = 0): HandoffChangeResult {
  if (!record) return { ok: false, refusal: 'not_found' };
  if (record.status === 'ended') return { ok: false, refusal: 'ended', record };
  const next: HandoffRecord = structuredClone(record);
  switch (change.kind) {
    case 'accept':
      if (record.status === 'with_agent') return { ok: false, refusal: 'taken', record };
      if (change.maxOpen !== undefined && openChats >= change.maxOpen) return { ok: false, refusal: 'too_many', record };
      next.status = 'with_agent';
      next.agent = { username: change.agent.username, displayName: change.agent.displayName };
      next.acceptedAt = at;
      next.events.push({ at, kind: 'accepted', by: change.agent.username, team: record.team });
      return { ok: true, record: next };
    case 'transfer':
      if (record.status !== 'with_agent') return { ok: false, refusal: 'not_owner', record };
      if (record.agent?.username !== change.by) return { ok: false, refusal: 'not_owner', record };
      next.status = 'waiting';
      next.team = change.toTeam;
      next.events.push({ at, kind: 'transferred', by: change.by, team: record.team, toTeam: change.toTeam, ...(change.note ? { note: change.note } : {}) });
      return { ok: true, record: next };
    case 'end':
      if (change.onlyIfWaiting && record.status !== 'waiting') return { ok: false, refusal: 'not_waiting', record };
      if (change.owner !== undefined && (record.status !== 'with_agent' || record.agent?.username !== change.owner)) return { ok: false, refusal: 'not_owner', record };
      next.status = 'ended';
      next.endedAt = at;
      next.endReason = change.reason;
      next.events.push({ at, kind: 'ended', reason: change.reason, ...(change.by ? { by: change.by } : {}) });
      return { ok: true, record: next };
  }
}

/** Queue order: the earliest `queuedAt` first, then the case number (byte-wise). */
export function byQueueOrder(a: HandoffRecord, b: HandoffRecord): number {
  return Date.parse(a.queuedAt) - Date.parse(b.queuedAt) || (a.caseNumber < b.caseNumber ? -1 : a.caseNumber > b.caseNumber ? 1 : 0);
}

/** What erasure leaves of a hand-off: ended (the customer left) if it was not, without the conversation id. */
export function forgottenHandoff(record: HandoffRecord, at: string): HandoffRecord {
  const ended = applyChange(record, { kind: 'end', reason: 'customer_left' }, at);
  return { ...(ended.ok ? ended.record : structuredClone(record)), conversationId: 'erased' };
}
