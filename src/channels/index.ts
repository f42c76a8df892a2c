import type { ConversationState, Middleware, TurnContext } from 'botbuilder';
import { ChannelTypingMiddleware } from './typing.js';
import { RemoveMentionMiddleware } from './teams.js';
import { ChoiceMemoryMiddleware } from './choiceMemory.js';
import { SlackChannelMiddleware } from './slack.js';

/**
 * The channel middleware, in the order it must run: the Slack guard first so that it sees every
 * outgoing activity (typing included); typing next (the customer sees it at once); then the
 * mention is stripped, then a typed choice is mapped (it needs the clean text).
 */
export function channelMiddleware(conversationState: ConversationState, options: { quiet?: (context: TurnContext) => Promise<boolean> } = {}): Middleware[] {
  return [new SlackChannelMiddleware(), new ChannelTypingMiddleware(2500, options.quiet), new RemoveMentionMiddleware(), new ChoiceMemoryMiddleware(conversationState)];
}
