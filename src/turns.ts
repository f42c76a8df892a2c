import type { BotAdapter, TurnContext } from 'botbuilder';

/**
 * What a transport (`/api/messages`, Direct Line, the terminal chat, the agent desk) needs to run
 * turns: the bot's logic, the adapter set-up every adapter shares, and the per-conversation turn
 * lock. Transports get this, not the whole service bag (STYLE 12).
 */
export interface TurnPort {
  /** Runs `work` holding the conversation's turn lock (one turn at a time per conversation, on every instance). */
  inConversation<T>(channelId: string, conversationId: string, work: () => Promise<T>): Promise<T>;
  /** The bot's logic for one turn. */
  logic(context: TurnContext): Promise<void>;
  /** Gives an adapter the shared middleware and the one turn-level error handler. */
  configure<A extends BotAdapter>(adapter: A): A;
}

/** The lock key of a conversation: ids are only unique within a channel. */
export function conversationKey(channelId: string, conversationId: string): string {
  return `${channelId}/${conversationId}`;
}
