import type { ConversationState, TurnContext } from 'botbuilder';
import type { CaseRecord, Handoff, HandoffOutcome } from '../cases/types.js';
import type { LiveChat } from './liveChat.js';
import { handoffAccessor } from './handoffState.js';

/**
 * The escalation dialog's way to a person: the live chat queues the conversation (the built-in
 * desk, or a contact centre for the teams that use one) and the conversation is marked, so
 * `HandoffMiddleware` answers the customer's next messages; or nobody can take it, and nothing is
 * marked.
 */
export class LiveHandoff implements Handoff {
  constructor(private readonly live: LiveChat, private readonly conversationState: ConversationState) {
    if (!live) throw new Error('[LiveHandoff]: Missing parameter. live is required');
    if (!conversationState) throw new Error('[LiveHandoff]: Missing parameter. conversationState is required');
  }

  async initiate(context: TurnContext, record: CaseRecord): Promise<HandoffOutcome> {
    const outcome = await this.live.request(context, record);
    // saved with the turn's other state when the turn ends; the conversation's next message waits for that (turn lock)
    if (outcome.kind === 'queued') await handoffAccessor(this.conversationState).set(context, { caseNumber: record.number, since: new Date().toISOString() });
    return outcome;
  }
}
