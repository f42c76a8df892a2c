import type { Activity } from 'botbuilder';

/** One Direct Line conversation: whose it is and how far its history goes. */
export interface DirectLineConversation {
  id: string;
  /** The only user whose token may read or post here. */
  userId: string;
  createdAt: string;
  /** Last time an activity was appended, ms since the epoch (idle conversations expire). */
  lastActive: number;
  /** Index the next activity gets; also the watermark after the last one. */
  watermark: number;
  /** Highest token generation used so far: older tokens of this conversation are refused. */
  tokenGeneration: number;
}

/** Activities in the Direct Line `ActivitySet` shape. */
export interface ActivitySet { activities: Partial<Activity>[]; watermark: string }

/**
 * The self-hosted Direct Line's conversations and their histories.
 * - `append` resolves only once the activity is durable (so a case number shown over the
 *   WebSocket is on disk or committed before it is sent), then tells every subscriber on every
 *   instance; ids are `<conversationId>|<7-digit position>`, positions are gap-free per conversation.
 * - Subscribers are told at least once per append; they read what they missed with `since`.
 */
export interface DirectLineStore {
  get(id: string): Promise<DirectLineConversation | undefined>;
  /** Creates the conversation with `first` as its opening activities, unless it exists (then it is returned as it is). */
  create(id: string, userId: string, first: Partial<Activity>[]): Promise<{ conversation: DirectLineConversation; created: boolean }>;
  append(id: string, activity: Partial<Activity>): Promise<Partial<Activity>>;
  /** Up to `max` activities after `watermark` (all from the start when 0), and the watermark after them. */
  since(id: string, watermark: number, max?: number): Promise<ActivitySet>;
  /** Sends an activity to subscribers only (typing indicators are not history). */
  publishEphemeral(id: string, activity: Partial<Activity>): Promise<void>;
  /** `listener` is called after every append or ephemeral activity of conversation `id`, on any instance. */
  subscribe(id: string, listener: (event: FeedEvent) => void): () => void;
  /**
   * Records that a token of generation `generation` was used: `superseded` when a newer one was
   * used before (the caller refuses the request), `current` otherwise.
   */
  useTokenGeneration(id: string, generation: number): Promise<'current' | 'superseded'>;
  /** Conversations of a user (export, erasure). */
  conversationsOfUser(userId: string): Promise<string[]>;
  delete(id: string): Promise<void>;
  /** Deletes conversations whose last append is older than `cutoff` (ms) and that `keep` does not protect. */
  purgeIdle(cutoff: number, keep: (id: string) => boolean): Promise<number>;
}

/** What subscribers hear: new history up to `watermark`, or an activity that is not kept. */
export type FeedEvent =
  | { kind: 'appended'; watermark: number }
  | { kind: 'ephemeral'; activity: Partial<Activity> }
  /** The feed may have missed events (a lost database connection came back): read `since` again. */
  | { kind: 'resync' };
