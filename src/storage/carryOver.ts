import type { Activity } from 'botbuilder';
import type { CaseRecord } from '../cases/types.js';
import type { AuditEntry } from './auditLog.js';
import type { DeskSession } from './deskSessionStore.js';
import type { DirectLineConversation } from './directLineStore.js';
import type { FeedbackEntry } from './feedbackStore.js';
import type { HandoffRecord } from './handoffStore.js';
import type { OutcomeEvent } from './outcomeStore.js';
import type { ReviewLabel } from './reviewLabelStore.js';
import type { StaffAccount } from './staffStore.js';

/**
 * Everything one backend holds, read record by record with nothing left out, so another backend
 * can take it over exactly (`npm run db:import`: the embedded store into PostgreSQL). The store
 * interfaces answer questions ("this case", "this page"); carrying data over needs "all of it,
 * as stored", ids, times and positions included. Reading a record that cannot be used throws
 * `StoreFormatError` naming the file and the reason: a copy never silently leaves data behind.
 */
export interface CarryOverSource {
  /** Conversation state: the item as stored (without its eTag) and when it was written. */
  state(): AsyncIterable<{ key: string; value: Record<string, unknown>; updatedAt: string }>;
  cases(): AsyncIterable<CaseRecord>;
  /** One conversation's transcript at a time: its start and its (already redacted) activities in order. */
  transcripts(): AsyncIterable<{ channelId: string; conversationId: string; created: string; activities: Array<Partial<Activity> & { timestamp: string }> }>;
  feedback(): AsyncIterable<FeedbackEntry>;
  /** One Direct Line conversation at a time: the activities in position order, without their ids (derived from the position). */
  directLine(): AsyncIterable<{ conversation: DirectLineConversation; activities: Partial<Activity>[] }>;
  handoffs(): AsyncIterable<HandoffRecord>;
  staff(): AsyncIterable<StaffAccount>;
  deskSessions(): AsyncIterable<DeskSession>;
  /** Oldest first. */
  audit(): AsyncIterable<AuditEntry>;
  outcomes(): AsyncIterable<OutcomeEvent>;
  /** Oldest first, and the revision they reached. */
  reviewLabels(): Promise<{ revision: number; labels: ReviewLabel[] }>;
  /** The secrets every instance shares (token signing keys), by name. */
  sharedSecrets(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** The stores `db:import` carries over, in the order it reports them. */
export const CARRY_OVER_STORES = [
  'state', 'cases', 'transcripts', 'feedback', 'directLine', 'handoffs', 'staff', 'deskSessions', 'audit', 'outcomes', 'reviewLabels', 'sharedSecrets',
] as const;
export type CarryOverStore = (typeof CARRY_OVER_STORES)[number];

/** What an import did with one store's records: copied, or left because the target had them already. */
export interface CarryOverCount { moved: number; present: number }
