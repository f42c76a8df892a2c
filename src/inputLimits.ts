import type { Activity } from 'botbuilder';

/** Longest text the bot reads; the rest of a pasted essay adds nothing but cost. */
export const MAX_TEXT_CHARS = 2000;

/** Entity type that marks a message whose text was cut at the edge (the bot then says so). */
export const TRUNCATED_ENTITY = 'support-bot/truncated';

/**
 * Cuts an incoming message's text to `MAX_TEXT_CHARS` before any middleware sees it (redaction,
 * recognition and spelling then cost what a normal message costs) and marks the activity so the
 * bot can tell the customer. Called by every transport on what it is about to run as a turn.
 */
export function limitText<T extends Partial<Activity>>(activity: T): T {
  const text = activity.text;
  if (typeof text !== 'string' || text.length <= MAX_TEXT_CHARS) return activity;
  // never cut a surrogate pair in half
  let end = MAX_TEXT_CHARS;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  activity.text = text.slice(0, end);
  activity.entities = [...(activity.entities ?? []), { type: TRUNCATED_ENTITY, originalLength: text.length }];
  return activity;
}

/** True when the transport cut this message's text (see `limitText`). */
export function wasTruncated(activity: Partial<Activity>): boolean {
  return (activity.entities ?? []).some((e) => e?.type === TRUNCATED_ENTITY);
}
