import type { ConversationState, Middleware, TurnContext } from 'botbuilder';
import type { Content } from '../content/content.js';
import type { Logger } from '../logger.js';
import { render } from '../channels/render.js';
import { handoffAccessor, type HandoffState } from './handoffState.js';
import { queueKey, type HandoffQueue } from '../storage/handoffQueue.js';

/** The Bot Framework hand-off protocol's status event, sent by the contact centre. */
export const HANDOFF_STATUS = 'handoff.status';

/** What a waiting customer types to leave the queue (the button sends its own title). */
const CANCEL = /^(?:cancel|never\s*mind|nevermind|nvm|forget it|stop|stop waiting|quit|leave (?:the )?queue|no thanks)[\s.!]*$/i;

export interface HandoffMiddlewareDeps {
  conversationState: ConversationState;
  queue: HandoffQueue;
  content: Content;
  logger?: Logger;
  now?: () => Date;
  /** A wait longer than this lets the bot answer again, so a lost status event never wedges a chat (24 h). */
  maxWaitMs?: number;
  /** Told how long a customer waited when a person accepts their chat (metrics). */
  onAccepted?: (waitedSeconds: number) => void;
}

/**
 * While a conversation waits for a person, answers the customer with their place in the queue
 * instead of running the bot; a `handoff.status` event with `accepted` hands the chat to the
 * person (the bot stays quiet), `completed` or `failed` gives it back to the bot. The customer
 * can leave the queue with "cancel", "never mind" or the button.
 */
export class HandoffMiddleware implements Middleware {
  private readonly now: () => Date;
  private readonly maxWaitMs: number;

  constructor(private readonly deps: HandoffMiddlewareDeps) {
    if (!deps?.conversationState) throw new Error('[HandoffMiddleware]: Missing parameter. conversationState is required');
    if (!deps.queue) throw new Error('[HandoffMiddleware]: Missing parameter. queue is required');
    if (!deps.content) throw new Error('[HandoffMiddleware]: Missing parameter. content is required');
    this.now = deps.now ?? (() => new Date());
    this.maxWaitMs = deps.maxWaitMs ?? 24 * 3_600_000;
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    const isStatus = a.type === 'event' && a.name === HANDOFF_STATUS;
    if (a.type !== 'message' && !isStatus) return next();
    const accessor = handoffAccessor(this.deps.conversationState);
    const state = await accessor.get(context);
    if (!state) return isStatus ? undefined : next();
    const key = queueKey(a.channelId, a.conversation?.id);

    if (isStatus) {
      await this.onStatus(context, state, key);
    } else if (this.now().getTime() - Date.parse(state.since) > this.maxWaitMs) {
      this.deps.logger?.warn({ conversationId: a.conversation?.id, caseNumber: state.caseNumber }, 'hand-off wait expired; the bot answers again');
      await this.clear(context, key);
      return next();
    } else if (this.isCancel(context)) {
      await this.clear(context, key);
      await this.say(context, 'handoff.cancelled', state.caseNumber);
    } else if (state.status === 'waiting') {
      // a queue entry lost (it was never written, or was cleared) is put back with the customer's own start time
      let position = await this.deps.queue.position(key);
      if (position === undefined) {
        await this.deps.queue.join({ key, caseNumber: state.caseNumber, team: 'general', since: state.since });
        position = (await this.deps.queue.position(key)) ?? 1;
      }
      await context.sendActivity(render({
        text: this.deps.content.text(position === 1 ? 'handoff.waiting_next' : 'handoff.waiting', { position, caseNumber: state.caseNumber }),
        choices: [{ title: this.deps.content.text('handoff.cancel_button'), value: this.deps.content.text('handoff.cancel_button') }],
      }, a.channelId));
    }
    // with_agent: the person answers through the contact centre; the bot says nothing
    // (the state is saved once, when the turn ends)
  }

  private async onStatus(context: TurnContext, state: HandoffState, key: string): Promise<void> {
    const value = (context.activity.value ?? {}) as { state?: unknown; message?: unknown };
    switch (value.state) {
      case 'accepted':
        if (state.status === 'waiting') this.deps.onAccepted?.((this.now().getTime() - Date.parse(state.since)) / 1000);
        await this.deps.queue.leave(key);
        await handoffAccessor(this.deps.conversationState).set(context, { ...state, status: 'with_agent' });
        break;
      case 'completed':
        await this.clear(context, key);
        await this.say(context, 'handoff.completed', state.caseNumber);
        break;
      case 'failed':
        await this.clear(context, key);
        await this.say(context, 'handoff.failed', state.caseNumber);
        break;
      default:
        this.deps.logger?.warn({ conversationId: context.activity.conversation?.id }, 'handoff.status event with an unknown state ignored');
    }
  }

  private isCancel(context: TurnContext): boolean {
    const text = (context.activity.text ?? '').trim();
    return CANCEL.test(text) || text.toLowerCase() === this.deps.content.text('handoff.cancel_button').toLowerCase();
  }

  private async clear(context: TurnContext, key: string): Promise<void> {
    await this.deps.queue.leave(key);
    await handoffAccessor(this.deps.conversationState).delete(context);
  }

  private async say(context: TurnContext, key: string, caseNumber: string): Promise<void> {
    await context.sendActivity(render({ text: this.deps.content.text(key, { caseNumber }) }, context.activity.channelId));
  }
}
