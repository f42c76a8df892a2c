import type { ConversationState, Middleware, TurnContext } from 'botbuilder';
import type { Content } from '../content/content.js';
import type { Logger } from '../logger.js';
import { render } from '../channels/render.js';
import { handoffAccessor } from './handoffState.js';
import { waitingReply } from './waitingReply.js';
import type { LiveChat } from './liveChat.js';
import { leavesQueue } from '../text/matching.js';

/** The Bot Framework hand-off protocol's status event, sent by a contact centre. */
export const HANDOFF_STATUS = 'handoff.status';

export interface HandoffMiddlewareDeps {
  conversationState: ConversationState;
  live: LiveChat;
  content: Content;
  logger?: Logger;
  /**
   * Whether `handoff.status` events on this adapter come from an authenticated source (the Bot
   * Framework channel with authentication on). Otherwise anyone could post "accepted" and silence
   * the bot, or end a chat a person is handling: such events are ignored.
   */
  statusEventsTrusted: boolean;
}

/**
 * The bot's side of a hand-off, for conversations marked as having one:
 * - waiting: the customer hears their place in their team's queue instead of the bot; "cancel",
 *   "never mind" or the button leaves the queue; past the wait limit the wait ends and a call
 *   back, text or email is offered instead;
 * - with a person: the bot is silent and every message goes to the agent's desk, live;
 * - ended (by the agent, a timeout, the contact centre): the mark is dropped and the bot answers;
 * - the customer leaving the conversation (`endOfConversation`, removed from it) ends the hand-off;
 * - `handoff.status` from a trusted contact centre accepts, completes or fails it.
 */
export class HandoffMiddleware implements Middleware {
  constructor(private readonly deps: HandoffMiddlewareDeps) {
    if (!deps?.conversationState) throw new Error('[HandoffMiddleware]: Missing parameter. conversationState is required');
    if (!deps.live) throw new Error('[HandoffMiddleware]: Missing parameter. live is required');
    if (!deps.content) throw new Error('[HandoffMiddleware]: Missing parameter. content is required');
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    const isStatus = a.type === 'event' && a.name === HANDOFF_STATUS;
    const leaving = a.type === 'endOfConversation'
      || (a.type === 'conversationUpdate' && (a.membersRemoved ?? []).some((m) => m?.id && m.id !== a.recipient?.id));
    if (a.type !== 'message' && !isStatus && !leaving) return next();
    const accessor = handoffAccessor(this.deps.conversationState);
    const mark = await accessor.get(context);
    if (!mark) return isStatus ? this.ignore(context, 'no hand-off in this conversation') : next();
    const record = await this.deps.live.get(mark.caseNumber);
    if (!record || record.status === 'ended') {
      // ended from the desk (or a timeout) while the customer was away: the bot answers again
      await accessor.delete(context);
      return isStatus ? this.ignore(context, 'the hand-off has ended') : next();
    }

    if (isStatus) {
      if (!this.deps.statusEventsTrusted) return this.ignore(context, 'status events are only accepted from an authenticated channel');
      const value = (a.value ?? {}) as { state?: unknown; message?: unknown; agentName?: unknown };
      if (value.state !== 'accepted' && value.state !== 'completed' && value.state !== 'failed') return this.ignore(context, 'unknown state');
      await this.deps.live.connectorStatus(context, record, value.state, typeof value.agentName === 'string' ? value.agentName : undefined);
      return;
    }
    if (leaving) {
      await this.deps.live.customerLeft(record);
      await accessor.delete(context);
      return;
    }
    if (record.status === 'with_agent') {
      await this.deps.live.customerMessage(context, record);
      return;
    }
    // waiting
    if (this.deps.live.waitedTooLong(record)) {
      if (await this.deps.live.expire(context, record)) return;
      // someone accepted just before the wait ran out: the message is theirs
      const now = await this.deps.live.get(record.caseNumber);
      if (now?.status === 'with_agent') await this.deps.live.customerMessage(context, now);
      return;
    }
    if (this.isCancel(context)) {
      await this.deps.live.customerLeft(record);
      await accessor.delete(context);
      await context.sendActivity(render({ text: this.deps.content.text('handoff.cancelled', { caseNumber: record.caseNumber }) }, a.channelId));
      return;
    }
    const position = (await this.deps.live.position(record.caseNumber)) ?? 1;
    await context.sendActivity(waitingReply(this.deps.content, position, record.caseNumber, a.channelId));
    // the state is saved once, when the turn ends
  }

  private ignore(context: TurnContext, why: string): void {
    this.deps.logger?.warn({ conversationId: context.activity.conversation?.id, channelId: context.activity.channelId, why }, 'handoff.status event ignored');
  }

  private isCancel(context: TurnContext): boolean {
    return leavesQueue(context.activity.text ?? '', this.deps.content);
  }
}
