import type { Activity } from 'botbuilder';
import type { CaseRecord } from './types.js';
import type { CaseStore } from '../storage/caseStore.js';

/**
 * The case `number` if it was opened by this channel user, otherwise `undefined`: exactly what a
 * number that does not exist gives, so a customer cannot probe other people's numbers.
 */
export async function getCaseForUser(store: CaseStore, number: string, channelId: string | undefined, userId: string | undefined): Promise<CaseRecord | undefined> {
  if (!channelId || !userId) return undefined;
  const c = await store.get(number);
  return c && c.channelId === channelId && c.userId === userId ? c : undefined;
}

/**
 * Who the customer is, for their cases: the same person on a later visit or conversation.
 * Teams: the account's Azure AD object id (the same in every chat and on every device); Slack's
 * `from.id` is already the workspace and the user (`U…:T…`); the web widget's user id comes from
 * the server's signed, HttpOnly customer cookie; elsewhere the channel's user id.
 */
export function customerId(activity: Partial<Activity>): string | undefined {
  const aad = (activity.from as { aadObjectId?: unknown } | undefined)?.aadObjectId;
  if (activity.channelId === 'msteams' && typeof aad === 'string' && aad) return `aad:${aad}`;
  return activity.from?.id;
}
