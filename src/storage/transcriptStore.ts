import type { TranscriptStore as BotTranscriptStore } from 'botbuilder';

/**
 * Redacted transcripts (botbuilder `TranscriptStore`), kept append-only: `logActivity` redacts
 * once and appends; every stored activity gets a server-assigned sequence number, and the
 * continuation token of `getTranscriptActivities` is that position (never the client's activity
 * id, which a client can repeat). Pages hold 20 activities.
 */
export interface TranscriptStore extends BotTranscriptStore {
  /** Retention: drops activities older than `cutoff` (and conversations left empty); returns how many went. */
  purgeOlderThan(cutoff: Date): Promise<number>;
  /** Ids of the conversations in `channelId` where the customer `userId` (`customerId(activity)`) wrote (for export and erasure). */
  conversationsOf(channelId: string, userId: string): Promise<string[]>;
}

/** Activities per page of `getTranscriptActivities`. */
export const TRANSCRIPT_PAGE_SIZE = 20;
