import type { ConversationState, StatePropertyAccessor } from 'botbuilder';

/**
 * A conversation's mark that it has a hand-off to a person (kept in conversation state). Where
 * the hand-off stands (waiting, with an agent, ended) is in the hand-off store, which the desk
 * changes from outside the conversation; the mark only saves the look-up for every other
 * conversation.
 */
export interface HandoffState {
  caseNumber: string;
  /** When the customer asked (ISO time). */
  since: string;
}

/** The conversation-state property the hand-off and its middleware use. */
export function handoffAccessor(conversationState: ConversationState): StatePropertyAccessor<HandoffState | undefined> {
  return conversationState.createProperty<HandoffState | undefined>('handoff');
}
