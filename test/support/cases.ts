import type { ConversationReference } from 'botbuilder';
import type { OpenCaseInput } from '../../src/cases/types.js';
import { say } from './server.js';

/** A conversation reference like the one a dialog stores with a case. */
export function reference(user = 'u1', channelId = 'emulator', conversation = `conv-${user}`): Partial<ConversationReference> {
  return {
    channelId, serviceUrl: 'http://127.0.0.1:9/', conversation: { id: conversation } as ConversationReference['conversation'],
    user: { id: user, name: 'Customer' }, bot: { id: 'bot', name: 'Bot' }, activityId: 'a1',
  };
}

/** What a dialog passes to `CaseStore.open`. */
export function input(user = 'u1', extra: Partial<OpenCaseInput> = {}): OpenCaseInput {
  return { intent: 'login_help', summary: 'Cannot sign in on the app', stepsTried: ['login.clear_cache'], conversationReference: reference(user), ...extra };
}


/** A case number in text. */
export const CASE = /\bCS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b/;

/**
 * Asks for a person over `/api/messages` and clicks the first offered option until a case number
 * is shown (as the contract check does); resolves with the number.
 */
export async function escalate(base: string, conversationId: string, extra: Record<string, unknown> = {}): Promise<string> {
  let r = await say(base, conversationId, 'I want to talk to a person', extra);
  for (let i = 0; i < 6; i++) {
    const shown = JSON.stringify(r.messages).match(CASE);
    if (shown) return shown[0];
    const action = r.messages.find((m) => m.suggestedActions?.actions?.length)?.suggestedActions.actions[0];
    r = await say(base, conversationId, typeof action?.value === 'string' ? action.value : 'live chat', extra);
  }
  throw new Error(`no case number shown in ${conversationId}: ${JSON.stringify(r.texts)}`);
}
