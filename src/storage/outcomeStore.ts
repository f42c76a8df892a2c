/**
 * Outcome events: what happened in each conversation, one small record per thing, for the
 * numbers supervisors read (`src/insights/`) and the review queue (`src/review/`). No message
 * text is kept except the redacted text of messages the bot did not understand well.
 */

/** How the bot took a customer message. */
export type MessageReading =
  /** The router took it to a topic (or a specific request within one). */
  | 'routed'
  /** A question the bot had asked took it as its answer (a button, a typed choice, the words asked for). */
  | 'answer'
  /** A question the bot had asked could not match it (asked again, or gave up and offered a person). */
  | 'unmatched'
  /** The router found no intent (`none`): "I didn't get that". */
  | 'fallback'
  /** Two intents were close: "did you mean … or …?". */
  | 'clarify'
  /** Anything else: waiting for a person, a message that only carried a secret, a plain "no" to an offer. */
  | 'other';

/** An intent with the classifier's probability for it. */
export interface IntentGuess { intent: string; score: number }

interface EventBase {
  /** Unique (random); a message's id is how a supervisor labels it. */
  id: string;
  /** When it happened (ISO). */
  at: string;
  channelId: string;
  conversationId: string;
  /**
   * When the conversation it belongs to started: its first customer message (ISO). Ranges select
   * conversations by this time, so each conversation is counted once, with everything in it.
   */
  started: string;
}

export type OutcomeEvent = EventBase & (
  | { kind: 'conversation.started' }
  | {
    kind: 'message';
    reading: MessageReading;
    /** The intent the bot acted on (`none` for a fallback); absent when nothing classified the message. */
    intent?: string;
    score?: number;
    /** For a fallback: the best in-scope intent scored below `NLU_THRESHOLD`. */
    belowThreshold?: boolean;
    /** For a fallback: an in-scope intent reached the threshold, but the classifier put `none` first. */
    outOfScope?: boolean;
    /** The conversation's topic, on the message that set it (its first routed intent). */
    topic?: string;
    /** The language the message was read in, when the recognizer says. */
    language?: string;
    /** Misunderstood or low-confidence messages only: the redacted text and the classifier's best guesses, for review. */
    text?: string;
    guesses?: IntentGuess[];
  }
  | { kind: 'dialog.started'; dialog: string; intent: string }
  | { kind: 'dialog.finished'; dialog: string; how: 'completed' | 'cancelled' | 'switched' }
  | { kind: 'escalation'; caseNumber: string; contactMethod: string; team: string; intent: string }
  /** A person took the chat: `waitMs` from the escalation. */
  | { kind: 'handoff.accepted'; caseNumber: string; waitMs: number; by?: string }
  /** The person's part ended: `handleMs` from the acceptance. */
  | { kind: 'handoff.ended'; caseNumber: string; handleMs: number }
  | { kind: 'solved'; solved: boolean }
  | { kind: 'rating'; rating: number }
);

export type OutcomeKind = OutcomeEvent['kind'];

export const OUTCOME_KINDS: readonly OutcomeKind[] = [
  'conversation.started', 'message', 'dialog.started', 'dialog.finished', 'escalation', 'handoff.accepted', 'handoff.ended', 'solved', 'rating',
];

/** Which events `list` returns. */
export interface OutcomeQuery {
  /** Conversations that started at or after this time… */
  from: Date;
  /** …and before this one. */
  to: Date;
  /** Only this channel's conversations. */
  channelId?: string;
  /** Only these kinds. */
  kinds?: readonly OutcomeKind[];
}

/**
 * Outcome events, append-only. `record` is idempotent per event id (a retried write adds nothing);
 * every instance sharing the store sees every event once it resolves.
 */
export interface OutcomeStore {
  record(events: readonly OutcomeEvent[]): Promise<void>;
  /** Events of the conversations that started in [from, to), in time order (then id). */
  list(query: OutcomeQuery): Promise<OutcomeEvent[]>;
  /** Events by id (unknown ids are left out), in time order. */
  get(ids: readonly string[]): Promise<OutcomeEvent[]>;
  /** The escalation and hand-off events of one case, in time order. */
  ofCase(caseNumber: string): Promise<OutcomeEvent[]>;
  /** Every event of these conversations (export). */
  ofConversations(channelId: string, conversationIds: readonly string[]): Promise<OutcomeEvent[]>;
  /** Erasure. */
  deleteConversations(channelId: string, conversationIds: readonly string[]): Promise<number>;
  /** Retention: events of conversations that started before `cutoff`. */
  purgeOlderThan(cutoff: Date): Promise<number>;
}

/** The case an event is about, if any. */
export function caseOf(e: OutcomeEvent): string | undefined {
  return 'caseNumber' in e ? e.caseNumber : undefined;
}

/** Orders events by time, then id (the order every backend returns). */
export function byTime(a: OutcomeEvent, b: OutcomeEvent): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
