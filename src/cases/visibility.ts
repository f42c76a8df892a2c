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
