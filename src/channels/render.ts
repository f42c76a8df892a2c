import { ActionTypes, CardFactory, MessageFactory, type Activity, type CardAction } from 'botbuilder';
import { slackMrkdwn, toSlackText } from './slackText.js';

/** A choice offered to the customer: what the button says and what clicking it sends. */
export interface Choice { title: string; value: string }

/** A link to show with a reply, written in each channel's own link markup. */
export interface Link { title: string; url: string }

/** What a dialog wants to say, independent of channel. */
export interface Reply { text: string; choices?: Choice[]; links?: Link[] }

/**
 * How a channel shows choices best:
 * - `suggested`: suggested actions (Emulator, Web Chat / Direct Line);
 * - `card`: an Adaptive Card 1.5 with `imBack` submit buttons (Teams);
 * - `slack`: Slack mrkdwn with numbered choices (the Bot Service Slack channel shows cards as images);
 * - `text`: plain text with numbered choices (`console` and anything unknown).
 */
export type ChannelStyle = 'suggested' | 'card' | 'slack' | 'text';

/** How each channel shows choices best; unknown channels get plain numbered text. */
export function channelStyle(channelId: string | undefined): ChannelStyle {
  switch (channelId) {
    case 'emulator': case 'webchat': case 'directline': return 'suggested';
    case 'msteams': return 'card';
    case 'slack': return 'slack';
    default: return 'text';
  }
}

/**
 * Marks a rendered activity with the choices it offers, so the choice-memory middleware knows
 * what "2" means next turn without parsing channel markup. A symbol key survives the copy
 * `TurnContext.sendActivities` makes but never reaches the wire (JSON drops symbols).
 */
export const OFFERED_CHOICES = Symbol.for('support-bot.offeredChoices');

/** The Adaptive Card schema version Teams renders on every client (desktop, web, mobile). */
export const TEAMS_CARD_VERSION = '1.5';
/** Teams shows at most six buttons in a row of actions; more go into separate rows. */
const TEAMS_ACTIONS_PER_ROW = 6;

/**
 * The one place where a reply becomes channel-specific markup.
 *
 * Choices become suggested actions (Emulator, Web Chat), an Adaptive Card with `imBack` buttons
 * (Teams: suggested actions only show in 1:1 chats and hero cards cap buttons, while a 1.5 card
 * works in personal, group-chat and channel scopes and the click posts the option's value as a
 * normal message), Slack mrkdwn with numbered lines (Slack gets no cards at all), or numbered
 * plain text. Links use the channel's markup: `[title](url)` for markdown channels, `<url|title>`
 * for Slack, `title: url` in plain text.
 */
export function render(reply: Reply, channelId: string | undefined): Partial<Activity> {
  const choices = reply.choices ?? [];
  const links = reply.links ?? [];
  let out: Partial<Activity>;
  switch (channelStyle(channelId)) {
    case 'suggested': {
      const text = blocks(reply.text, links.map(markdownLink));
      out = choices.length ? MessageFactory.suggestedActions(imBacks(choices), text) : MessageFactory.text(text);
      out.textFormat = 'markdown';
      break;
    }
    case 'card': {
      const text = blocks(reply.text, links.map(markdownLink));
      if (choices.length) {
        out = MessageFactory.attachment(CardFactory.adaptiveCard(teamsCard(text, choices)));
        // Shown by clients that cannot draw the card, and what transcripts and tests can read.
        out.summary = blocks(text, numbered(choices));
      } else {
        out = MessageFactory.text(text);
        out.textFormat = 'markdown';
      }
      break;
    }
    case 'slack': {
      const text = blocks(toSlackText(reply.text), links.map((l) => `<${l.url}|${slackMrkdwn(l.title)}>`), numbered(choices).map(slackMrkdwn));
      out = MessageFactory.text(text);
      // Slack-native payload: the Slack channel passes `channelData` to Slack as the message, so
      // links and emphasis are read as mrkdwn instead of being re-converted from markdown.
      out.channelData = { text, mrkdwn: true };
      break;
    }
    default: {
      const text = blocks(reply.text, links.map((l) => `${l.title}: ${l.url}`), numbered(choices));
      out = MessageFactory.text(text);
      out.textFormat = 'plain';
    }
  }
  if (choices.length) (out as Record<symbol, unknown>)[OFFERED_CHOICES] = choices.map((c) => ({ title: c.title, value: c.value }));
  return out;
}

/** `1. Title` lines, the form the choice-memory middleware maps "1" back from. */
export function numbered(choices: Choice[]): string[] {
  return choices.map((c, i) => `${i + 1}. ${c.title}`);
}

function imBacks(choices: Choice[]): CardAction[] {
  return choices.map((c) => ({ type: ActionTypes.ImBack, title: c.title, value: c.value }));
}

function markdownLink(l: Link): string {
  return `[${l.title.replace(/[[\]]/g, '')}](${l.url.replace(/\)/g, '%29')})`;
}

/** The text, then each non-empty group of lines as its own paragraph. */
function blocks(text: string, ...groups: string[][]): string {
  return [text, ...groups.filter((g) => g.length).map((g) => g.join('\n'))].join('\n\n');
}

/**
 * A Teams Adaptive Card: each line its own TextBlock (Teams collapses single newlines inside
 * one block), and the choices as `Action.Submit` with `msteams.imBack` so a click sends the
 * option's value as the customer's message, in rows of at most six.
 */
function teamsCard(text: string, choices: Choice[]): Record<string, unknown> {
  const body: Record<string, unknown>[] = [];
  for (const [p, paragraph] of text.split(/\n{2,}/).entries()) {
    for (const [l, line] of paragraph.split('\n').filter((s) => s.trim()).entries()) {
      body.push({ type: 'TextBlock', text: line, wrap: true, ...(p > 0 && l === 0 ? { spacing: 'Medium' } : l > 0 ? { spacing: 'None' } : {}) });
    }
  }
  for (let i = 0; i < choices.length; i += TEAMS_ACTIONS_PER_ROW) {
    body.push({
      type: 'ActionSet',
      actions: choices.slice(i, i + TEAMS_ACTIONS_PER_ROW).map((c) => ({
        type: 'Action.Submit', title: c.title, data: { msteams: { type: 'imBack', value: c.value } },
      })),
    });
  }
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: TEAMS_CARD_VERSION, body, msteams: { width: 'Full' } };
}
