/**
 * What supervisors taught the bot from the review queue: a customer message (redacted), the
 * intent it should have gone to (`none` for out of scope), who said so and when.
 */
export interface ReviewLabel {
  /** The message event's id: one label per message. */
  messageId: string;
  /** The message as stored (redacted). */
  text: string;
  /** The normalised phrasing: one phrasing never goes under two intents. */
  key: string;
  intent: string;
  /** `en`, `es`: which training data it joins (`intents/` or `intents/<language>/`). */
  language: string;
  by: string;
  at: string;
  /** Where the message was written, for erasure. */
  channelId: string;
  conversationId: string;
}

/** Why `add` refused. */
export type LabelRefusal =
  /** Some of the messages have a label already (someone else was quicker): `labels` are those. */
  | { reason: 'taken'; labels: ReviewLabel[] }
  /** The phrasing is already a stored label's under another intent: `labels` are those. */
  | { reason: 'conflict'; labels: ReviewLabel[] };

export type LabelResult = { ok: true; revision: number } | ({ ok: false } & LabelRefusal);

/**
 * The labels, shared by every instance. `add` is atomic across instances: of two supervisors
 * labelling the same messages at once exactly one succeeds, and the other is told which labels
 * were there first; nothing is half-added. Every change raises `revision`, which instances
 * compare to know that their model is out of date.
 */
export interface ReviewLabelStore {
  /** Adds all of `labels` (messages without a label, phrasings not under another intent), or none of them. */
  add(labels: readonly ReviewLabel[]): Promise<LabelResult>;
  /** Every label, oldest first. */
  list(): Promise<ReviewLabel[]>;
  /** Removes one label (undo); false when there was none. */
  remove(messageId: string): Promise<boolean>;
  /** Rises with every change (0 before the first). */
  revision(): Promise<number>;
  /** Erasure: the labels of messages written in these conversations. */
  deleteConversations(channelId: string, conversationIds: readonly string[]): Promise<number>;
}
