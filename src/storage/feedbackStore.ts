/** What a customer said when leaving: solved or not, and an optional 1–5 rating. */
export interface FeedbackEntry {
  at: string;
  channelId: string;
  conversationId: string;
  /** The topic of the conversation, if there was one. */
  topic?: string;
  solved: boolean;
  rating?: number;
}

/** Goodbye answers, kept for the numbers supervisors read. */
export interface FeedbackStore {
  record(entry: FeedbackEntry): Promise<void>;
  /** Entries recorded in [from, to), oldest first; all of them without a range. */
  list(range?: { from?: Date; to?: Date }): Promise<FeedbackEntry[]>;
  /** Entries of these conversations (export). */
  ofConversations(channelId: string, conversationIds: string[]): Promise<FeedbackEntry[]>;
  /** Erasure and retention. */
  deleteConversations(channelId: string, conversationIds: string[]): Promise<number>;
  purgeOlderThan(cutoff: Date): Promise<number>;
}
