import type { ConversationState, Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import { matchChoice } from '../text/matching.js';
import { choiceFromValue, offeredChoices } from './choices.js';
import { OFFERED_CHOICES, type Choice } from './render.js';

interface Offered { choices: Choice[] }

/** `context.turnState` key holding what the customer actually typed when it was mapped to a choice. */
export const TYPED_TEXT = Symbol.for('support-bot.typedText');

/**
 * Makes typed answers to choices work on every channel. Remembers, in conversation state, the
 * choices the bot's last reply offered (from `render()`'s metadata, or read back from suggested
 * actions, card buttons or numbered lines), and when the customer's next message names one ("2",
 * "option 2", "forgot username") rewrites `activity.text` to that choice's value before any
 * dialog sees it. A turn whose replies offer no choices forgets them, so a later "2" stays text.
 */
export class ChoiceMemoryMiddleware implements Middleware {
  private readonly offered: StatePropertyAccessor<Offered | undefined>;

  constructor(conversationState: ConversationState) {
    if (!conversationState) throw new Error('[ChoiceMemoryMiddleware]: Missing parameter. conversationState is required');
    this.offered = conversationState.createProperty<Offered | undefined>('offeredChoices');
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (a.type === 'message' && typeof a.text === 'string' && a.text.trim()) {
      const offered = await this.offered.get(context);
      const choice = offered?.choices?.length ? matchChoice(a.text, offered.choices) : undefined;
      if (choice) {
        context.turnState.set(TYPED_TEXT, a.text);
        a.text = choice.value;
      }
    } else if (a.type === 'message' && a.value !== undefined && a.value !== null && !(a.text ?? '').trim()) {
      // A card submit with only `value` (Teams Adaptive Card Action.Submit where the client did
      // not turn it into an imBack, a message-extension card): the same choice as typed text.
      const offered = await this.offered.get(context);
      const text = choiceFromValue(a.value, offered?.choices ?? []);
      if (text) a.text = text;
    }
    let answered = false;
    let latest: Choice[] | undefined;
    context.onSendActivities(async (_ctx, activities, nextSend) => {
      for (const out of activities) {
        if (out.type !== 'message') continue;
        answered = true;
        const choices = offeredChoices(out, OFFERED_CHOICES);
        if (choices.length) latest = choices;
      }
      return nextSend();
    });
    await next();
    if (!answered) return;
    // saved with the rest of the turn's state, once, when the turn ends
    if (latest) await this.offered.set(context, { choices: latest });
    else await this.offered.delete(context);
  }
}
