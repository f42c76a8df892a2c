import type { ConversationState, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { IntentName } from '../nlu/intents.js';

/**
 * What the conversation has gone through so far, kept in conversation state so escalation from
 * any dialog (or any interruption) can pass the topic and the steps already tried to a person.
 */
export interface ConversationProgress {
  /** The topic the customer is on (`login_help`, `billing`, …). */
  topic?: IntentName;
  /** Website or app, iOS or Android, once known. */
  platform?: string;
  /** Short labels of the troubleshooting steps that did not help, in order. */
  tried: string[];
  /** Fallbacks in a row ("I didn't get that"); the second offers a person. */
  fallbacks: number;
  /** The specific request within the topic (`locked`, `cancel_service`, …; see `subtopics.ts`), when one was named. */
  subtopic?: string;
  /** The customer's own words that started the topic (one line, already redacted), for the case summary. */
  request?: string;
  /** The troubleshooting walk of this topic: how many steps it has, how many were shown and how many did not help. */
  walk?: { total: number; shown: number; failed: number };
}

/** Typed access to the conversation's progress. */
export class ProgressAccessor {
  private readonly accessor: StatePropertyAccessor<ConversationProgress>;

  constructor(conversationState: ConversationState) {
    if (!conversationState) throw new Error('[ProgressAccessor]: Missing parameter. conversationState is required');
    this.accessor = conversationState.createProperty<ConversationProgress>('progress');
  }

  async get(context: TurnContext): Promise<ConversationProgress> {
    const p = await this.accessor.get(context, { tried: [], fallbacks: 0 });
    p.tried ??= [];
    p.fallbacks ??= 0;
    return p;
  }

  /** Starts a new topic: what was tried for the last one no longer applies. */
  async startTopic(context: TurnContext, topic: IntentName, start: { subtopic?: string; request?: string } = {}): Promise<ConversationProgress> {
    const p = await this.get(context);
    p.topic = topic;
    p.platform = undefined;
    p.tried = [];
    p.walk = undefined;
    p.subtopic = start.subtopic;
    p.request = start.request;
    await this.accessor.set(context, p);
    return p;
  }

  /** Records a step that did not help (once). */
  async addTried(context: TurnContext, label: string): Promise<void> {
    const p = await this.get(context);
    if (!p.tried.includes(label)) p.tried.push(label);
    await this.accessor.set(context, p);
  }

  async update(context: TurnContext, change: Partial<ConversationProgress>): Promise<ConversationProgress> {
    const p = Object.assign(await this.get(context), change);
    await this.accessor.set(context, p);
    return p;
  }
}
