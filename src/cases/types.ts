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
  createdAt: string;
  updatedAt: string;
  /** Needed to message the customer later (`continueConversationAsync`). */
  conversationReference: Partial<ConversationReference>;
  notes: CaseNote[];
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
  conversationReference: Partial<ConversationReference>;
}

export interface CaseListQuery { status?: CaseStatus; limit?: number; cursor?: string }
export interface CasePage { cases: CaseRecord[]; nextCursor?: string }

/** Hands a conversation to a human agent (Bot Framework `handoff.initiate`). */
export interface Handoff {
  initiate(context: TurnContext, record: CaseRecord): Promise<void>;
}
