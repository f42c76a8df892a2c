import type { Storage } from 'botbuilder';

/**
 * Conversation state (botbuilder `Storage`), with the same rules on every backend:
 * - a write without an eTag, or with `*`, replaces the item;
 * - a write with any other eTag succeeds only if it is the item's current one, else it rejects
 *   with `StateConflictError` and changes nothing (optimistic concurrency that holds across
 *   instances: the PostgreSQL backend updates on a version column, never last-writer-wins);
 * - after a successful write each written item's `eTag` is set, in place, to its new value, so the
 *   same object can be written again in the same turn (see `ConditionalConversationState`).
 */
export interface StateStore extends Storage {
  /** Drops items not written since `cutoff`; returns how many went. */
  purgeOlderThan(cutoff: Date): Promise<number>;
}

/** Conversation-state key used by botbuilder's `ConversationState` (`channelId/conversations/conversationId/` + its empty namespace). */
export function conversationStateKey(channelId: string, conversationId: string): string {
  return `${channelId}/conversations/${conversationId}/`;
}
