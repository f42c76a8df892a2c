import type { ConversationReference, TurnContext } from 'botbuilder';

export const CASE_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** A note added by staff (or the system) to a case. */
export interface CaseNote { at: string; author: string; text: string }

/** A support case: what a human needs to pick up a conversation the bot could not finish. */
export interface CaseRecord {
  /** `CS-XXXX-XXXX`, see `caseNumber.ts`. */
  number: string;
  status: CaseStatus;
  /** The contract intent the customer came with (`login_help`, `escalate`, …). */
  intent: string;
  /** Specialised team, if any (`business`, `international`, `tech_support`). */
  team?: string;
  channelId: string;
  /** Channel user id: only this user may see the case in chat. */
  userId: string;
  conversationId: string;
  /** How the customer wants to be contacted (`live_chat`, `callback`, `phone`, …). */
  contactMethod?: string;
  /** For a call back: when the customer would like the call ("This afternoon (12pm–5pm)", or their own words, redacted). */
  callbackWindow?: string;
  summary: string;
  /** Troubleshooting steps already tried (content keys or short labels), so nobody asks again. */
  stepsTried: string[];
  /** The language the customer was chatting in (`en`, `es`): who picks the case up knows, and a notice falls back to it. */
  language?: string;
  createdAt: string;
  updatedAt: string;
  /** Needed to message the customer later (`continueConversationAsync`). */
  conversationReference: Partial<ConversationReference>;
  notes: CaseNote[];
  /** The people (display name and username) who had the live chat, in order. */
  handledBy?: string[];
  /** A call-back, text or email that staff have done (the desk's follow-up list). */
  followUpDone?: { at: string; by: string };
}

/** Contact methods where staff reach out later: they make the desk's follow-up list. */
export const FOLLOW_UP_METHODS = ['callback', 'text', 'email'] as const;

/** What may change on a case besides status and notes. */
export interface CaseChanges {
  status?: CaseStatus;
  /** How the customer now wants to be reached (live chat had nobody: a call back instead). */
  contactMethod?: string;
  /** For a call back: when (redacted when stored). */
  callbackWindow?: string;
  /** Adds a person who handled the case (once). */
  handledBy?: string;
  followUpDone?: { at: string; by: string };
}

export interface OpenCaseInput {
  intent: string;
  /** Who the customer is for their cases (`customerId(activity)`); the reference's user id when absent. */
  customerId?: string;
  team?: string;
  contactMethod?: string;
  /** For a call back: when the customer would like the call. */
  callbackWindow?: string;
  summary: string;
  stepsTried: string[];
  /** The conversation's language when the case was opened. */
  language?: string;
  conversationReference: Partial<ConversationReference>;
}

export interface CaseListQuery { status?: CaseStatus; limit?: number; cursor?: string }
export interface CasePage { cases: CaseRecord[]; nextCursor?: string }

/** What became of a request for live chat. */
export type HandoffOutcome =
  /** In the queue of a team someone is serving (or sent to the external contact centre). */
  | { kind: 'queued'; position?: number }
  /** Nobody can take it: outside opening hours, or nobody on duty for the team. */
  | { kind: 'unavailable'; reason: 'closed' | 'nobody'; hours?: string };

/** Hands a conversation to a person (the built-in desk, or a contact centre's connector). */
export interface Handoff {
  /** Queues the conversation for a person, or says why nobody can take it (nothing queued then). */
  initiate(context: TurnContext, record: CaseRecord): Promise<HandoffOutcome | void>;
}
