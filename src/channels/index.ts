import type { ConversationState, Middleware } from 'botbuilder';
import { ChannelTypingMiddleware } from './typing.js';
import { RemoveMentionMiddleware } from './teams.js';
import { ChoiceMemoryMiddleware } from './choiceMemory.js';
import { SlackChannelMiddleware } from './slack.js';

/**
 * The channel middleware, in the order it must run: typing first (the customer sees it at once),
 * then the mention is stripped, then a typed choice is mapped (it needs the clean text), and the
 * Slack guard last so the choice memory reads replies before Slack's rewrite.
 */
export function channelMiddleware(conversationState: ConversationState): Middleware[] {
  return [new ChannelTypingMiddleware(), new RemoveMentionMiddleware(), new ChoiceMemoryMiddleware(conversationState), new SlackChannelMiddleware()];
}
