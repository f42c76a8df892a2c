import { generateCaseNumber } from './caseNumber.js';
import { redact } from '../privacy/redact.js';
import { FOLLOW_UP_METHODS, type CaseChanges, type CaseListQuery, type CasePage, type CaseRecord, type OpenCaseInput } from './types.js';

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
  const { intent, team, contactMethod, summary, stepsTried, customerId, conversationReference: _ref, ...extra } = input;
  // fields later dialogs add (a call-back window, …) are kept, and redacted like the summary
  const extras = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, typeof v === 'string' ? redact(v).text : structuredClone(v)]));
  return {
    ...extras,
    number, status: 'open', intent, team, contactMethod,
    channelId: ref.channelId ?? 'unknown', userId: customerId ?? ref.user?.id ?? 'unknown', conversationId: ref.conversation?.id ?? 'unknown',
    summary: redact(summary).text, stepsTried: [...stepsTried], createdAt: at, updatedAt: at,
    conversationReference: structuredClone(ref), notes: [],
  };
}

/** One page of cases, newest first (creation time, then number); `cursor` is the last number of the previous page. */
export function pageCases(all: Iterable<CaseRecord>, query: CaseListQuery = {}): CasePage {
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
  const sorted = [...all]
    .filter((c) => !query.status || c.status === query.status)
    .sort(newestFirst);
  // an unknown cursor gives an empty page rather than silently starting over
  const start = query.cursor ? (sorted.findIndex((c) => c.number === query.cursor) + 1 || sorted.length) : 0;
  const cases = sorted.slice(start, start + limit);
  return { cases, nextCursor: start + limit < sorted.length ? cases.at(-1)?.number : undefined };
}

/** Newest first: creation time, then number. */
export function newestFirst(a: CaseRecord, b: CaseRecord): number {
  return b.createdAt.localeCompare(a.createdAt) || b.number.localeCompare(a.number);
}

/**
 * What erasure leaves of a case: the topic, team, contact method, status and times for
 * statistics; no identity, no reference to the conversation, no words of the customer's or
 * about them.
 */
export function forgottenCase(c: CaseRecord, now: Date): CaseRecord {
  return {
    ...c,
    userId: 'erased', conversationId: 'erased', summary: '[erased at the customer\'s request]',
    conversationReference: { channelId: c.channelId },
    notes: c.notes.map((n) => ({ at: n.at, author: n.author, text: '[erased]' })),
    updatedAt: now.toISOString(),
  };
}

/** A case as staff see it (the conversation reference is an internal detail). */
export function caseView(c: CaseRecord): Omit<CaseRecord, 'conversationReference'> {
  const { conversationReference: _ref, ...rest } = c;
  return rest;
}

/** `c` with `changes` applied at `at` (a copy). A call-back window is redacted: the customer typed it. */
export function applyCaseChanges(c: CaseRecord, changes: CaseChanges, at: string): CaseRecord {
  const next: CaseRecord = { ...structuredClone(c), updatedAt: at };
  if (changes.status !== undefined) next.status = changes.status;
  if (changes.contactMethod !== undefined) next.contactMethod = changes.contactMethod;
  if (changes.callbackWindow !== undefined) next.callbackWindow = redact(changes.callbackWindow).text;
  if (changes.handledBy !== undefined && !(next.handledBy ?? []).includes(changes.handledBy)) next.handledBy = [...(next.handledBy ?? []), changes.handledBy];
  if (changes.followUpDone !== undefined) next.followUpDone = { ...changes.followUpDone };
  return next;
}

/** Whether staff still owe the customer a call, text or email (see `CaseStore.followUps`). */
export function needsFollowUp(c: CaseRecord): boolean {
  return (c.status === 'open' || c.status === 'pending') && (FOLLOW_UP_METHODS as readonly string[]).includes(c.contactMethod ?? '') && !c.followUpDone;
}

/** Follow-ups come oldest first (creation time, then number). */
export function oldestFirst(a: CaseRecord, b: CaseRecord): number {
  return a.createdAt.localeCompare(b.createdAt) || a.number.localeCompare(b.number);
}
