import { TurnContext, type Activity, type Middleware } from 'botbuilder';

/**
 * Removes the @mention of the bot ("<at>Support Bot</at> help" → "help") from every incoming
 * message before any dialog or the recognizer reads it. Teams puts the mention in the text in
 * group chats and channels (and when a customer mentions the bot in a 1:1 chat); other channels
 * that send mention entities for the bot are cleaned the same way.
 */
export class RemoveMentionMiddleware implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (a.type === 'message' && typeof a.text === 'string' && a.recipient?.id) {
      const mentions = (Array.isArray(a.entities) ? a.entities : []).filter((e) => e?.type === 'mention');
      // botbuilder's helper assumes well-formed entities (it throws without `mentioned`, and
      // removes the word "undefined" without `text`); a malformed one must not break the turn.
      if (mentions.every((m) => typeof m.text === 'string' && m.text && typeof m.mentioned?.id === 'string')) {
        TurnContext.removeRecipientMention(a);
        // The helper removes the first occurrence only; "@Bot … @Bot" happens in long threads.
        for (const m of mentions) if (m.mentioned.id === a.recipient.id) a.text = a.text.split(m.text).join(' ');
      }
      if (a.channelId === 'msteams') a.text = a.text.replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
    }
    await next();
  }
}

/** The Teams scope of a conversation: `personal` (1:1), `groupChat`, or `channel` (in a team). */
export function teamsScope(activity: Partial<Activity>): 'personal' | 'groupChat' | 'channel' {
  const type = activity.conversation?.conversationType;
  if (type === 'personal' || type === 'groupChat' || type === 'channel') return type;
  if ((activity.channelData as { team?: unknown } | undefined)?.team) return 'channel';
  return activity.conversation?.isGroup ? 'groupChat' : 'personal';
}

/**
 * Whether a `conversationUpdate` with members added should get the welcome message.
 * Teams: only in a 1:1 chat, including when the app is installed there (then the bot itself is
 * the member added); installing in a team or group chat, or people joining a team, must not post
 * into a shared conversation. Other channels: when someone other than the bot joins.
 */
export function shouldWelcome(activity: Partial<Activity>): boolean {
  const joined = activity.membersAdded ?? [];
  if (activity.channelId === 'msteams') return joined.length > 0 && teamsScope(activity) === 'personal';
  return joined.some((m) => m.id !== activity.recipient?.id);
}
