import { EventFactory, type Activity, type ConversationState, type TranscriptStore, type TurnContext } from 'botbuilder';
import type { CaseRecord, Handoff } from '../cases/types.js';
import { redactActivity } from '../privacy/redact.js';
import { readWholeTranscript } from '../transcripts/transcripts.js';
import { handoffAccessor, type HandoffState } from './handoffState.js';
import { queueKey, type HandoffQueue } from '../storage/handoffQueue.js';

/** What a contact-centre integration receives in `handoff.initiate`'s `value`. */
export interface HandoffContext {
  caseNumber: string;
  team?: string;
  intent: string;
  summary: string;
  stepsTried: string[];
  contactMethod?: string;
}

export interface BotFrameworkHandoffDeps {
  conversationState: ConversationState;
  transcripts: TranscriptStore;
  queue: HandoffQueue;
  now?: () => Date;
}

/**
 * Hands a conversation to a person with the standard Bot Framework hand-off protocol: sends a
 * `handoff.initiate` event (case number, team, summary, and the conversation's redacted
 * transcript as a `Transcript` attachment) and puts the conversation in the queue, where
 * `HandoffMiddleware` answers the customer until a person accepts or the customer cancels.
 */
export class BotFrameworkHandoff implements Handoff {
  private readonly now: () => Date;

  constructor(private readonly deps: BotFrameworkHandoffDeps) {
    if (!deps?.conversationState) throw new Error('[BotFrameworkHandoff]: Missing parameter. conversationState is required');
    if (!deps.transcripts) throw new Error('[BotFrameworkHandoff]: Missing parameter. transcripts is required');
    if (!deps.queue) throw new Error('[BotFrameworkHandoff]: Missing parameter. queue is required');
    this.now = deps.now ?? (() => new Date());
  }

  async initiate(context: TurnContext, record: CaseRecord): Promise<void> {
    if (!record?.number) throw new Error('[BotFrameworkHandoff]: Missing parameter. record is required');
    const event = await this.initiationEvent(context, record);
    await context.sendActivity(event);
    const since = this.now();
    const state: HandoffState = { status: 'waiting', caseNumber: record.number, since: since.toISOString() };
    await handoffAccessor(this.deps.conversationState).set(context, state);
    await this.deps.queue.join({ key: queueKey(context.activity.channelId, context.activity.conversation?.id), caseNumber: record.number, team: record.team ?? 'general', since: state.since });
    // saved with the turn's other state when the turn ends; the conversation's next message waits for that (turn lock)
  }

  /** The `handoff.initiate` event for `record` (exposed for tests and other transports). */
  async initiationEvent(context: TurnContext, record: CaseRecord): Promise<Partial<Activity>> {
    const { channelId } = context.activity;
    const conversationId = context.activity.conversation?.id;
    const earlier = channelId && conversationId ? await readWholeTranscript(this.deps.transcripts, channelId, conversationId) : [];
    // the transcript logger writes this turn at its end: add the customer's current message
    const current = context.activity.type === 'message' && !earlier.some((a) => a.id && a.id === context.activity.id) ? [context.activity] : [];
    const activities = [...earlier, ...current].map((a) => redactActivity({ ...a }) as Activity);
    const handoffContext: HandoffContext = {
      caseNumber: record.number, team: record.team, intent: record.intent, summary: record.summary,
      stepsTried: [...record.stepsTried], contactMethod: record.contactMethod,
    };
    return EventFactory.createHandoffInitiation(context, handoffContext, { activities });
  }
}
