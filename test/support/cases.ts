import type { ConversationReference } from 'botbuilder';
import type { OpenCaseInput } from '../../src/cases/types.js';

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

