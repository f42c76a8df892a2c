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

/**
 * The order of conversations waiting for a person in this process. It is rebuilt from each
 * conversation's own state (its `since`) when a waiting customer writes after a restart.
 */
export class HandoffQueue {
  private readonly waiting = new Map<string, number>();

  join(key: string, since: Date): void { if (!this.waiting.has(key)) this.waiting.set(key, since.getTime()); }
  leave(key: string): void { this.waiting.delete(key); }

  /** 1-based place of `key` in the queue (joining it with `since` if it is not there yet). */
  position(key: string, since: Date): number {
    this.join(key, since);
    const mine = this.waiting.get(key)!;
    let ahead = 0;
    for (const [k, t] of this.waiting) if (t < mine || (t === mine && k < key)) ahead++;
    return ahead + 1;
  }

  get size(): number { return this.waiting.size; }
}

/** Queue key of a conversation: ids are only unique within a channel. */
export function queueKey(channelId: string | undefined, conversationId: string | undefined): string {
  return `${channelId ?? ''}/${conversationId ?? ''}`;
}
