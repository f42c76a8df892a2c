/** A conversation waiting for a person. */
export interface QueueEntry {
  /** `channelId/conversationId` (ids are only unique within a channel). */
  key: string;
  caseNumber: string;
  /** The team asked for (`general`, `business`, `technical`, `international`). */
  team: string;
  /** When the customer joined (ISO time); orders the queue. */
  since: string;
}

/**
 * The queue for a person. Positions are global: every instance sharing the store sees the same
 * order (by `since`, then key). `join` is idempotent (a second join keeps the first `since`).
 */
export interface HandoffQueue {
  join(entry: QueueEntry): Promise<void>;
  leave(key: string): Promise<void>;
  /** 1-based place of `key`, or undefined when it is not queued. */
  position(key: string): Promise<number | undefined>;
  /** Everyone waiting, in order. */
  list(): Promise<QueueEntry[]>;
}

/** Queue key of a conversation. */
export function queueKey(channelId: string | undefined, conversationId: string | undefined): string {
  return `${channelId ?? ''}/${conversationId ?? ''}`;
}
