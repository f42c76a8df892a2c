import type { CaseStore } from './caseStore.js';
import type { ConversationLock } from './conversationLock.js';
import type { DirectLineStore } from './directLineStore.js';
import type { EventBus } from './eventBus.js';
import type { FeedbackStore } from './feedbackStore.js';
import type { HandoffStore } from './handoffStore.js';
import type { StaffStore } from './staffStore.js';
import type { DeskSessionStore } from './deskSessionStore.js';
import type { StateStore } from './stateStore.js';
import type { TranscriptStore } from './transcriptStore.js';
import type { AuditLog } from './auditLog.js';
import type { OutcomeStore } from './outcomeStore.js';
import type { ReviewLabelStore } from './reviewLabelStore.js';

/** Whether the stores answer, for `/healthz` and `/readyz`. */
export interface StoreHealth {
  backend: 'embedded' | 'postgres';
  ok: boolean;
  /** Why not, in words an operator can act on (never a password or connection string). */
  reason?: string;
  /** Round trip of the check, ms. */
  ms: number;
}

/** One connection pool right now. */
export interface PoolStats {
  /** Which pool (`query`, `lock`). */
  pool: string;
  inUse: number;
  idle: number;
  /** Callers waiting for a connection. */
  waiting: number;
}

/**
 * Every store the service uses, on one backend: the persistence layer's whole surface. Opened
 * once at start-up (`openStores`), passed to whatever needs a part of it, closed at shutdown.
 */
export interface Stores {
  readonly backend: 'embedded' | 'postgres';
  /** Conversation state (dialog stacks, progress); written once per turn. */
  readonly state: StateStore;
  readonly cases: CaseStore;
  readonly transcripts: TranscriptStore;
  readonly feedback: FeedbackStore;
  readonly directLine: DirectLineStore;
  /** Hand-offs to a person (queues per team, who has which chat). */
  readonly handoffs: HandoffStore;
  /** The agent desk's accounts and sessions. */
  readonly staff: StaffStore;
  readonly deskSessions: DeskSessionStore;
  /** Per-conversation turn ordering across instances. */
  readonly lock: ConversationLock;
  readonly bus: EventBus;
  /** Staff actions, append-only. */
  readonly audit: AuditLog;
  /** What happened in conversations, for supervisors' numbers and the review queue. */
  readonly outcomes: OutcomeStore;
  /** What supervisors taught the bot from the review queue. */
  readonly reviewLabels: ReviewLabelStore;
  /**
   * A secret shared by every instance (e.g. the Direct Line token signing key): created at random
   * the first time it is asked for, then the same everywhere.
   */
  sharedSecret(name: string): Promise<string>;
  check(): Promise<StoreHealth>;
  /** The database connection pools, for metrics (backends without pools leave it out). */
  poolStats?(): PoolStats[];
  /** Waits for writes in flight (shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** What every backend's `open` takes besides where the data is. */
export interface StoreOptions {
  /** The clock for stored times (tests move it). */
  now?: () => Date;
  /** Longest wait for a busy conversation before `ConversationBusyError` (default 10 s). */
  lockWaitMs?: number;
  /** Open only to read (staff tools beside a running server): nothing is written, no lock is taken. */
  readOnly?: boolean;
  /** Where store problems are logged (quarantined items, lost connections). */
  logger?: import('../logger.js').Logger;
}
