import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ChannelAccount, type ConversationReference, type ResourceResponse } from 'botbuilder';
import type { DirectLineStore } from '../storage/directLineStore.js';
import { redactActivity } from '../privacy/redact.js';
import { screenedText } from '../privacy/sensitiveDataMiddleware.js';

/** `channelId` of every Direct Line activity (`render()` shows choices as suggested actions for it). */
export const DIRECTLINE_CHANNEL_ID = 'directline';
/**
 * `serviceUrl` of Direct Line activities. Replies never leave the process, so it is a name, not an
 * address; conversation references carrying it belong to this adapter (see `isDirectLineReference`).
 */
export const DIRECTLINE_SERVICE_URL = 'urn:support-bot:directline';
/** How the bot appears in Direct Line conversations. */
export const DIRECTLINE_BOT: ChannelAccount = { id: 'support-bot', name: 'Support bot', role: 'bot' };

/** True when a stored conversation reference (a case's, say) belongs to the self-hosted Direct Line. */
export function isDirectLineReference(reference: Partial<ConversationReference> | undefined): boolean {
  return reference?.serviceUrl === DIRECTLINE_SERVICE_URL;
}

type Logic = (context: TurnContext) => Promise<void>;

const PENDING_ECHO = Symbol('directline.pendingEcho');
const ECHO_ID = Symbol('directline.echoId');

/**
 * A Bot Framework adapter for the self-hosted Direct Line endpoint: activities from Web Chat run
 * through the shared middleware and the bot in-process, and what the bot sends is appended to the
 * conversation's history (durably, before the client hears of it; typing indicators are only
 * announced, never kept).
 */
export class DirectLineAdapter extends BotAdapter {
  constructor(private readonly store: DirectLineStore) {
    super();
    if (!store) throw new Error('[DirectLineAdapter]: Missing parameter. store is required');
  }

  /**
   * Runs one turn for an activity a Direct Line client sent. `echo` (what the client posted) goes
   * into the conversation's history before the turn's first reply, or at its end: by then the
   * turn has screened it, so the history keeps it redacted with what the conversation knows (the
   * message after "let me type my password"), not only what the message says. Resolves with the
   * echo's stored id.
   */
  async processActivity(activity: Partial<Activity>, logic: Logic, echo?: Partial<Activity>): Promise<string | undefined> {
    const context = new TurnContext(this, activity);
    if (echo) context.turnState.set(PENDING_ECHO, echo);
    try {
      await this.runMiddleware(context, logic);
    } finally {
      await this.storeEcho(context);
    }
    return context.turnState.get(ECHO_ID) as string | undefined;
  }

  /** Appends the turn's customer message to the history, once, redacted as the turn screened it. */
  private async storeEcho(context: TurnContext): Promise<void> {
    const echo = context.turnState.get(PENDING_ECHO) as Partial<Activity> | undefined;
    const conversationId = context.activity.conversation?.id;
    if (!echo || !conversationId) return;
    context.turnState.delete(PENDING_ECHO);
    const text = screenedText(context);
    const stored = await this.store.append(conversationId, redactActivity({ ...echo, ...(text !== undefined ? { text } : {}) }));
    context.turnState.set(ECHO_ID, stored.id);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    // the customer's message comes first in the history, then what answers it
    await this.storeEcho(context);
    const out: ResourceResponse[] = [];
    for (const a of activities) {
      const conversationId = a.conversation?.id;
      if (a.type === 'delay') {
        await new Promise((r) => setTimeout(r, typeof a.value === 'number' ? Math.min(a.value, 10_000) : 1000));
        out.push({ id: '' });
      } else if (a.type === ActivityTypes.Trace || !conversationId) {
        // traces are for the Emulator
        out.push({ id: '' });
      } else if (a.type === ActivityTypes.Typing) {
        await this.store.publishEphemeral(conversationId, { ...a, id: `${conversationId}|typing`, timestamp: new Date() });
        out.push({ id: '' });
      } else if (!(await this.store.get(conversationId))) {
        // a conversation that expired has nobody to read the reply
        out.push({ id: '' });
      } else {
        const stored = await this.store.append(conversationId, { ...a, from: a.from ?? DIRECTLINE_BOT });
        out.push({ id: stored.id ?? '' });
      }
    }
    return out;
  }

  async updateActivity(): Promise<void> {
    throw new Error('[DirectLineAdapter]: updateActivity is not supported over Direct Line 3.0');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('[DirectLineAdapter]: deleteActivity is not supported over Direct Line 3.0');
  }

  /** Runs `logic` in a proactive turn of the conversation in `reference` (e.g. "your case is resolved"). */
  async continueConversation(reference: Partial<ConversationReference>, logic: Logic): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'ContinueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }

  override async continueConversationAsync(
    _botAppIdOrClaims: unknown, reference: Partial<ConversationReference>, logicOrAudience: Logic | string, maybeLogic?: Logic,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new Error('[DirectLineAdapter]: Missing parameter. logic is required');
    await this.continueConversation(reference, logic);
  }
}
