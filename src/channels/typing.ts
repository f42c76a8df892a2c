import { ActivityTypes, TurnContext, type Activity, type Middleware } from 'botbuilder';
import { teamsScope } from './teams.js';

/** Channels that show a typing indicator. The Bot Service Slack channel has none. */
const TYPING_CHANNELS = new Set(['emulator', 'webchat', 'directline', 'msteams']);

/** Whether the bot should show "typing…" while it works on this activity. */
export function showsTyping(activity: Partial<Activity>): boolean {
  if (activity.type !== 'message' || !TYPING_CHANNELS.has(activity.channelId ?? '')) return false;
  // Replies buffered into the HTTP response (expectReplies) arrive all at once: typing means nothing there.
  if (activity.deliveryMode === 'expectReplies') return false;
  // Teams shows typing in personal and group chats only, not in channel threads.
  return activity.channelId !== 'msteams' || teamsScope(activity) !== 'channel';
}

/**
 * Channel-aware typing indicator: sends "typing" as soon as a message arrives on a channel that
 * shows it, repeats it while the bot is still working, and stops once the bot has answered.
 * Replies wait for the first typing activity so they never arrive before it. A failed typing
 * activity is ignored: it never breaks a turn.
 */
export class ChannelTypingMiddleware implements Middleware {
  /** `quiet`: turns where the bot will not answer (a person has the chat), so "typing…" would mislead. */
  constructor(private readonly periodMs = 2500, private readonly quiet: (context: TurnContext) => Promise<boolean> = async () => false) {
    if (!(periodMs > 0)) throw new Error('[ChannelTypingMiddleware]: periodMs must be positive');
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (!showsTyping(context.activity) || await this.quiet(context)) return next();
    let answered = false;
    let pending: Promise<unknown> = this.typing(context);
    context.onSendActivities(async (_ctx, activities, nextSend) => {
      answered = true;
      await pending;
      return nextSend();
    });
    const timer = setInterval(() => { if (!answered) pending = this.typing(context); }, this.periodMs);
    timer.unref();
    try { await next(); } finally { clearInterval(timer); }
  }

  /**
   * Straight to the adapter, not `context.sendActivity`: that marks the turn as answered
   * (`context.responded`), and a prompt re-asks its question only when nothing was sent yet, so
   * an answer the buttons did not cover used to get no reply at all on every channel with typing.
   */
  private typing(context: TurnContext): Promise<unknown> {
    const typing = TurnContext.applyConversationReference({ type: ActivityTypes.Typing }, TurnContext.getConversationReference(context.activity));
    return context.adapter.sendActivities(context, [typing]).catch(() => undefined);
  }
}
