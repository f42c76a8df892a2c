import type { DeskTeam } from '../handoff/teams.js';

export type HandoffStatus = 'waiting' | 'with_agent' | 'ended';
/** Why a hand-off ended. */
export type HandoffEndReason = 'ended_by_agent' | 'customer_left' | 'timed_out' | 'connector_completed' | 'connector_failed';
/** Who took the chat: a staff account, or the external contact centre's agent (`username` `connector`). */
export interface AgentRef { username: string; displayName: string }

/** One step in a hand-off's life, kept for supervisors' numbers (wait and handle times). */
export interface HandoffEvent {
  at: string;
  kind: 'requested' | 'accepted' | 'transferred' | 'ended';
  /** The username that acted (an agent), when a person did. */
  by?: string;
  team?: DeskTeam;
  toTeam?: DeskTeam;
  note?: string;
  reason?: HandoffEndReason;
}

/**
 * A conversation handed to a person: one state machine (waiting → with an agent → ended, with
 * transfers back to a team's queue), kept per case. It holds no message text: the conversation
 * is in the transcript store, notes are on the case.
 */
export interface HandoffRecord {
  caseNumber: string;
  channelId: string;
  conversationId: string;
  team: DeskTeam;
  /** `desk`: the built-in agent desk; `connector`: an external contact centre (signed webhook). */
  via: 'desk' | 'connector';
  status: HandoffStatus;
  /** When the customer asked for a person: waits are measured from here. */
  requestedAt: string;
  /** Orders the team's queue (a transfer keeps the customer's place: they have waited already). */
  queuedAt: string;
  /** The person who has the chat now (with_agent), or had it last. */
  agent?: AgentRef;
  acceptedAt?: string;
  endedAt?: string;
  endReason?: HandoffEndReason;
  events: HandoffEvent[];
}

/** What a hand-off can be asked to do; `handoffMachine.ts` says when each is allowed. */
export type HandoffChange =
  /** A person takes a waiting chat; refused when it has one, or when they already have `maxOpen` chats. */
  | { kind: 'accept'; agent: AgentRef; maxOpen?: number }
  /** The person who has the chat sends it back to a team's queue, with a note for the next one. */
  | { kind: 'transfer'; by: string; toTeam: DeskTeam; note?: string }
  /**
   * The hand-off ends. `owner`: only if that person has the chat (agents end their own chats);
   * `onlyIfWaiting`: only while nobody has accepted it (a wait limit never ends a live chat).
   */
  | { kind: 'end'; reason: HandoffEndReason; by?: string; owner?: string; onlyIfWaiting?: boolean };

/** Why a change was refused. */
export type HandoffRefusal = 'not_found' | 'taken' | 'ended' | 'not_owner' | 'not_waiting' | 'too_many';

export type HandoffChangeResult =
  | { ok: true; record: HandoffRecord }
  | { ok: false; refusal: HandoffRefusal; record?: HandoffRecord };

/** What `request` needs. */
export interface HandoffRequest {
  caseNumber: string;
  channelId: string;
  conversationId: string;
  team: DeskTeam;
  via: HandoffRecord['via'];
  /** ISO time of the request. */
  at: string;
}

/**
 * Hand-offs to a person, shared by every instance.
 * - `change` is atomic per case on every backend: of two agents accepting one chat at the same
 *   moment (on one instance or two), exactly one gets `ok`, the other the refusal `taken`.
 *   An accept also counts the agent's open chats atomically (`maxOpen` holds under races).
 * - Queues are per team, ordered by `queuedAt` then case number; positions are the same on every
 *   instance.
 * - A change that cannot be stored rejects and leaves the record as it was.
 */
export interface HandoffStore {
  /** Creates the waiting record for a case; asking again for the same case returns the record as it is. */
  request(input: HandoffRequest): Promise<HandoffRecord>;
  get(caseNumber: string): Promise<HandoffRecord | undefined>;
  /** Applies `change` at time `at` (ISO), or says why not. */
  change(caseNumber: string, change: HandoffChange, at: string): Promise<HandoffChangeResult>;
  /** Every waiting hand-off, oldest first (by `queuedAt`, then case number). */
  waiting(): Promise<HandoffRecord[]>;
  /** 1-based place in its team's queue; undefined when it is not waiting. */
  position(caseNumber: string): Promise<number | undefined>;
  /** Chats a person has now (all of them without `username`), oldest accepted first. */
  withAgent(username?: string): Promise<HandoffRecord[]>;
  /** Hand-offs that ended before `cutoff` are dropped (retention); returns how many went. */
  purgeEndedBefore(cutoff: Date): Promise<number>;
  /**
   * Erasure: hand-offs of these conversations end (the customer left) and lose the conversation
   * id; who took them and when stays, for statistics. Returns how many were changed.
   */
  forgetConversations(channelId: string, conversationIds: string[], at: string): Promise<number>;
}
