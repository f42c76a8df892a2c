import type { Activity } from 'botbuilder';
import type { Stores } from '../storage/stores.js';
import { conversationStateKey } from '../storage/stateStore.js';
import { caseView } from '../cases/caseRecords.js';
import { readWholeTranscript } from '../transcripts/transcripts.js';
import { DIRECTLINE_CHANNEL_ID } from '../directline/adapter.js';

type CustomerStores = Pick<Stores, 'state' | 'cases' | 'transcripts' | 'feedback' | 'directLine' | 'handoffs' | 'outcomes' | 'reviewLabels'>;

/** Everything stored about one customer (a channel user): what `export` returns. */
export interface CustomerExport {
  channelId: string;
  userId: string;
  exportedAt: string;
  conversations: Array<{ id: string; state?: Record<string, unknown>; transcript: Partial<Activity>[]; directLine?: Partial<Activity>[] }>;
  cases: unknown[];
  feedback: unknown[];
  /** What happened in their conversations (insights), with the redacted text of messages not understood. */
  outcomes: unknown[];
}

/** What erasure removed or changed, by kind. */
export interface ErasureCounts { conversations: number; transcripts: number; states: number; directLine: number; feedback: number; outcomes: number; reviewLabels: number; casesAnonymised: number }

/**
 * The conversations of a customer: where they wrote (transcripts), where they opened cases, and
 * on the self-hosted Direct Line the conversations their user id owns.
 */
async function conversationsOf(stores: CustomerStores, channelId: string, userId: string): Promise<string[]> {
  const ids = new Set<string>(await stores.transcripts.conversationsOf(channelId, userId));
  for (const c of await stores.cases.listByUser(channelId, userId)) ids.add(c.conversationId);
  if (channelId === DIRECTLINE_CHANNEL_ID) for (const id of await stores.directLine.conversationsOfUser(userId)) ids.add(id);
  return [...ids].sort();
}

/** Everything stored about `userId` on `channelId`: state, transcripts, Direct Line history, cases, feedback (all redacted as stored). */
export async function exportCustomer(stores: CustomerStores, channelId: string, userId: string, now = new Date()): Promise<CustomerExport> {
  const ids = await conversationsOf(stores, channelId, userId);
  const conversations: CustomerExport['conversations'] = [];
  for (const id of ids) {
    const key = conversationStateKey(channelId, id);
    const state = (await stores.state.read([key]))[key] as Record<string, unknown> | undefined;
    const transcript = await readWholeTranscript(stores.transcripts, channelId, id);
    let directLine: Partial<Activity>[] | undefined;
    if (channelId === DIRECTLINE_CHANNEL_ID && (await stores.directLine.get(id))?.userId === userId) {
      directLine = [];
      for (let w = 0; ;) {
        const set = await stores.directLine.since(id, w, 500);
        directLine.push(...set.activities);
        if (set.activities.length === 0) break;
        w = Number(set.watermark);
      }
    }
    if (state) delete state.eTag;
    conversations.push({ id, ...(state ? { state } : {}), transcript, ...(directLine ? { directLine } : {}) });
  }
  return {
    channelId, userId, exportedAt: now.toISOString(), conversations,
    cases: (await stores.cases.listByUser(channelId, userId)).map(caseView),
    feedback: await stores.feedback.ofConversations(channelId, ids),
    outcomes: await stores.outcomes.ofConversations(channelId, ids),
  };
}

/**
 * Erases a customer: their transcripts, conversation state, Direct Line history, feedback,
 * outcome events and the review labels made from their messages are deleted; a hand-off to a person still going ends, and every hand-off of theirs loses its
 * conversation id; their cases are kept for statistics with their identity and words removed.
 * Safe to run again (a second run finds nothing).
 */
export async function eraseCustomer(stores: CustomerStores, channelId: string, userId: string): Promise<ErasureCounts> {
  const ids = await conversationsOf(stores, channelId, userId);
  const counts: ErasureCounts = { conversations: ids.length, transcripts: 0, states: 0, directLine: 0, feedback: 0, outcomes: 0, reviewLabels: 0, casesAnonymised: 0 };
  for (const id of ids) {
    if ((await stores.transcripts.getTranscriptActivities(channelId, id)).items.length > 0) counts.transcripts++;
    await stores.transcripts.deleteTranscript(channelId, id);
    const key = conversationStateKey(channelId, id);
    if (Object.keys(await stores.state.read([key])).length > 0) counts.states++;
    await stores.state.delete([key]);
    if (channelId === DIRECTLINE_CHANNEL_ID && (await stores.directLine.get(id))?.userId === userId) {
      await stores.directLine.delete(id);
      counts.directLine++;
    }
  }
  await stores.handoffs.forgetConversations(channelId, ids, new Date().toISOString());
  counts.feedback = await stores.feedback.deleteConversations(channelId, ids);
  counts.outcomes = await stores.outcomes.deleteConversations(channelId, ids);
  counts.reviewLabels = await stores.reviewLabels.deleteConversations(channelId, ids);
  counts.casesAnonymised = await stores.cases.forgetCustomer(channelId, userId);
  return counts;
}
