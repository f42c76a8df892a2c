import type { ConversationState, StatePropertyAccessor } from 'botbuilder';

/** Where a conversation is in the hand-off to a person (kept in conversation state). */
export interface HandoffState {
  /** `waiting`: in the queue; `with_agent`: a person accepted and the bot stays quiet. */
  status: 'waiting' | 'with_agent';
  caseNumber: string;
  /** When the customer joined the queue (ISO time); orders the queue. */
  since: string;
}

/** The conversation-state property both the hand-off and its middleware use. */
export function handoffAccessor(conversationState: ConversationState): StatePropertyAccessor<HandoffState | undefined> {
  return conversationState.createProperty<HandoffState | undefined>('handoff');
}
