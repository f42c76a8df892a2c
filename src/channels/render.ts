import { ActionTypes, CardFactory, MessageFactory, type Activity, type CardAction } from 'botbuilder';

/** A choice offered to the customer: what the button says and what clicking it sends. */
export interface Choice { title: string; value: string }

/** What a dialog wants to say, independent of channel. */
export interface Reply { text: string; choices?: Choice[] }

type ChannelStyle = 'suggested' | 'hero' | 'text';

/** How each channel shows choices best; unknown channels get plain numbered text. */
export function channelStyle(channelId: string | undefined): ChannelStyle {
  switch (channelId) {
    case 'emulator': case 'webchat': case 'directline': return 'suggested';
    case 'msteams': return 'hero';
    default: return 'text';
  }
}

/**
 * The one place where a reply becomes channel-specific markup. Choices become suggested actions
 * (Emulator, Web Chat), a hero card with buttons (Teams), or numbered text lines that the
 * customer answers by typing the number or the words (Slack and anything unknown).
 */
export function render(reply: Reply, channelId: string | undefined): Partial<Activity> {
  const choices = reply.choices ?? [];
  if (choices.length === 0) return MessageFactory.text(reply.text);
  const actions: CardAction[] = choices.map((c) => ({ type: ActionTypes.ImBack, title: c.title, value: c.value }));
  switch (channelStyle(channelId)) {
    case 'suggested':
      return MessageFactory.suggestedActions(actions, reply.text);
    case 'hero':
      return MessageFactory.attachment(CardFactory.heroCard('', reply.text, undefined, actions));
    default:
      return MessageFactory.text(`${reply.text}\n\n${choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n')}`);
  }
}

/** Maps a typed answer ("2", "reset password") back to a choice's value, if it names one. */
export function matchChoice(text: string, choices: Choice[]): Choice | undefined {
  const t = text.trim().toLowerCase().replace(/[.!?)]+$/, '');
  const n = Number.parseInt(t, 10);
  if (/^\d+$/.test(t) && n >= 1 && n <= choices.length) return choices[n - 1];
  return choices.find((c) => c.title.toLowerCase() === t || c.value.toLowerCase() === t);
}
