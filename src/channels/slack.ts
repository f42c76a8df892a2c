import type { Activity, Attachment, Middleware, TurnContext } from 'botbuilder';
import { offeredChoices } from './choices.js';
import { OFFERED_CHOICES, numbered } from './render.js';
import { slackMrkdwn, splitForSlack, toSlackText } from './slackText.js';

export { SLACK_MAX_TEXT, SLACK_MAX_PARTS, slackMrkdwn, splitForSlack, toSlackText } from './slackText.js';

const CARD = /^application\/vnd\.microsoft\.card\./;

/**
 * Last line of defence for the Bot Service Slack channel, on everything the bot sends there:
 * no typing activities (Slack has none), no cards (Slack shows Adaptive Cards as images and hero
 * cards as plain text: their text and buttons become mrkdwn with numbered choices instead), no
 * suggested actions (unsupported: they become numbered choices), and long text split into
 * several messages within Slack's limits. Replies already made by `render()` pass unchanged
 * unless they are too long.
 */
export class SlackChannelMiddleware implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    if (context.activity.channelId === 'slack') {
      const a = context.activity;
      if (a.type === 'message' && !(a.text ?? '').trim()) {
        // a click on a button of an older interactive message: the Bot Service passes Slack's payload
        const clicked = slackActionValue(a);
        if (clicked) a.text = clicked;
      }
      if (a.type === 'message' && typeof a.text === 'string') a.text = fromSlackText(a.text, slackBotUserIds(a));
      context.onSendActivities(async (_ctx, activities, nextSend) => {
        const out = activities.flatMap((a) => forSlack(a));
        activities.splice(0, activities.length, ...out);
        return out.length ? nextSend() : [];
      });
    }
    await next();
  }
}

interface SlackEnvelope {
  authorizations?: Array<{ user_id?: string; is_bot?: boolean }>;
  authed_users?: unknown[];
  event?: { user?: string };
}

/** The Slack user id of the bot itself, from the Slack event envelope the Bot Service forwards. */
export function slackBotUserId(activity: Partial<Activity>): string | undefined {
  return slackBotUserIds(activity)[0];
}

/**
 * The Slack user ids whose `<@…>` mention is the bot's: the bot authorization of the current
 * event format, or, in the older format without `authorizations`, the `authed_users` other than
 * the sender (Slack lists the app's own user there).
 */
export function slackBotUserIds(activity: Partial<Activity>): string[] {
  const envelope = (activity.channelData as { SlackMessage?: SlackEnvelope } | undefined)?.SlackMessage;
  // the envelope is the channel's payload, passed through: a malformed one must not break the turn
  const authorizations = Array.isArray(envelope?.authorizations) ? envelope.authorizations : [];
  const bot = authorizations.find((a) => a?.is_bot)?.user_id;
  if (typeof bot === 'string' && bot) return [bot];
  if (authorizations.length) return [];
  const sender = envelope?.event?.user;
  return (Array.isArray(envelope?.authed_users) ? envelope.authed_users : []).filter((u): u is string => typeof u === 'string' && /^[UW][A-Z0-9]+$/.test(u) && u !== sender);
}

/** The value of the button or menu option a Slack interactive-message click chose (`channelData.Payload`). */
export function slackActionValue(activity: Partial<Activity>): string | undefined {
  const payload = (activity.channelData as { Payload?: { actions?: unknown } } | undefined)?.Payload;
  const action = Array.isArray(payload?.actions) ? payload.actions[0] as { value?: unknown; selected_options?: Array<{ value?: unknown }>; text?: { text?: unknown } } | undefined : undefined;
  const value = action?.value ?? action?.selected_options?.[0]?.value;
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/**
 * A customer's Slack message as plain words: the bot's own `<@U…>` mention removed (people
 * mention the bot in channels), links `<url|text>` reduced to their text, and Slack's `&amp;`,
 * `&lt;`, `&gt;` escapes undone, so the recognizer and typed choices see what was typed.
 */
export function fromSlackText(text: string, botUserIds: string | string[] | undefined): string {
  let t = text;
  for (const id of typeof botUserIds === 'string' ? [botUserIds] : botUserIds ?? []) t = t.split(`<@${id}>`).join(' ');
  t = t.replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2').replace(/<((?:https?|mailto):[^>]+)>/g, '$1');
  return t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
}

/** One outgoing activity as the Slack channel shows it (zero or more activities). */
export function forSlack(activity: Partial<Activity>): Partial<Activity>[] {
  if (activity.type === 'typing') return [];
  if (activity.type !== 'message') return [activity];
  const attachments = (activity.attachments ?? []) as Attachment[];
  const cards = attachments.filter((a) => CARD.test(a?.contentType ?? ''));
  const rendered = typeof (activity.channelData as { text?: unknown } | undefined)?.text === 'string';
  let text = rendered ? activity.text ?? '' : toSlackText(activity.text ?? '');
  if (cards.length || activity.suggestedActions) {
    const lines = [text, ...cards.flatMap(cardText).map(toSlackText)].filter((s) => s.trim());
    const choices = offeredChoices(activity, OFFERED_CHOICES);
    text = [lines.join('\n'), numbered(choices).map(slackMrkdwn).join('\n')].filter(Boolean).join('\n\n');
  }
  const base: Partial<Activity> = { ...activity, attachments: attachments.filter((a) => !CARD.test(a?.contentType ?? '')) };
  delete base.suggestedActions;
  if (!base.attachments?.length) delete base.attachments;
  const parts = splitForSlack(text);
  if (parts.length === 0) return base.attachments ? [{ ...base, text: '' }] : [];
  return parts.map((part, i) => {
    const last = i === parts.length - 1;
    const a: Partial<Activity> = last ? { ...base } : { type: 'message' };
    if (!last) for (const k of ['conversation', 'from', 'recipient', 'replyToId', 'serviceUrl', 'channelId', 'locale'] as const) (a as any)[k] = (base as any)[k];
    a.text = part;
    a.channelData = { ...(rendered && last ? activity.channelData as object : {}), text: part, mrkdwn: true };
    if (!last) delete (a as Record<symbol, unknown>)[OFFERED_CHOICES];
    return a;
  });
}

/** The readable text of a card: hero/thumbnail title, subtitle and text; Adaptive Card TextBlocks. */
function cardText(att: Attachment): string[] {
  const c = att.content as Record<string, unknown> | undefined;
  if (!c) return [];
  if (att.contentType === 'application/vnd.microsoft.card.adaptive') {
    const out: string[] = [];
    const visit = (n: unknown): void => {
      if (Array.isArray(n)) { n.forEach(visit); return; }
      if (!n || typeof n !== 'object') return;
      const o = n as Record<string, unknown>;
      if ((o.type === 'TextBlock' || o.type === 'TextRun') && typeof o.text === 'string') out.push(o.text);
      for (const k of ['body', 'items', 'columns', 'inlines']) if (k in o) visit(o[k]);
    };
    visit(c);
    return out;
  }
  return ['title', 'subtitle', 'text'].map((k) => c[k]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}
