import { ActivityTypes, BotAdapter, TurnContext, type Activity, type ConversationReference, type ResourceResponse } from 'botbuilder';
import { limitText } from '../inputLimits.js';

/**
 * A Bot Framework adapter for the terminal: each line typed becomes a message activity on the
 * `console` channel, and every activity the bot sends is handed to `print`.
 */
export class ConsoleAdapter extends BotAdapter {
  private nextId = 0;
  readonly reference: ConversationReference;

  constructor(private readonly print: (activity: Partial<Activity>) => void, conversationId: string, userId: string) {
    super();
    this.reference = {
      channelId: 'console',
      serviceUrl: 'http://localhost/console',
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: 'console' },
      user: { id: userId, name: 'You', role: 'user' },
      bot: { id: 'support-bot', name: 'Support bot', role: 'bot' },
    };
  }

  /** Runs one turn for an activity from the terminal user. */
  async receive(partial: Partial<Activity>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({
      id: String(++this.nextId), timestamp: new Date(), localTimestamp: new Date(), locale: 'en-US', ...partial,
    }, this.reference, true) as Activity;
    limitText(activity);
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, logic);
  }

  async sendActivities(_context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const out: ResourceResponse[] = [];
    for (const a of activities) {
      if (a.type === 'delay') await new Promise((r) => setTimeout(r, typeof a.value === 'number' ? a.value : 0));
      else if (a.type !== ActivityTypes.Trace) this.print(a);
      out.push({ id: String(++this.nextId) });
    }
    return out;
  }

  async updateActivity(): Promise<void> { throw new Error('[ConsoleAdapter]: updateActivity is not supported in the terminal'); }
  async deleteActivity(): Promise<void> { throw new Error('[ConsoleAdapter]: deleteActivity is not supported in the terminal'); }

  async continueConversation(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Event, name: 'continueConversation' }, reference, true);
    await this.runMiddleware(new TurnContext(this, activity), logic);
  }
}
