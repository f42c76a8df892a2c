import { ConversationState, type Middleware, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { Content } from '../content/content.js';
import type { Logger } from '../logger.js';
import { render } from '../channels/render.js';
import { isSecretKind, type SecretKind } from './redact.js';
import { redactInContext, type PrivacyMemory } from './contextualSecrets.js';

/** Conversation-state property holding `PrivacyMemory` (flags only, never text). */
export const PRIVACY_MEMORY_PROPERTY = 'privacy';

interface Screened { kinds: SecretKind[]; fromContext: boolean; text?: string }
const SCREENED = Symbol('privacy.screened');

/**
 * The customer's message as this turn's screening redacted it (secrets found from the message
 * itself and from the conversation), or undefined before screening or for a message without text.
 * Transports that keep their own copy of the message (Direct Line's history) store this one.
 */
export function screenedText(context: TurnContext): string | undefined {
  return (context.turnState.get(SCREENED) as Screened | undefined)?.text;
}

/**
 * When a customer types a password, PIN, card number, SSN or security answer, warns them not to
 * share it and carries on with the turn. The message is redacted in place first, so dialogs,
 * case summaries and logs never see the secret (the bot never needs one: it never asks).
 *
 * With conversation state it also catches what only the conversation gives away (see
 * `contextualSecrets.ts`): the message after "let me type my password", or a lone
 * password-shaped token right after sign-in talk.
 *
 * Register `redactor` before the transcript logger (it copies the message as the turn starts) and
 * this middleware where the warning should be sent; each message is redacted once per turn.
 */
export class SensitiveDataMiddleware implements Middleware {
  /** Redacts the incoming message only (no warning): goes before anything that copies the message. */
  readonly redactor: Middleware;
  private readonly memory?: StatePropertyAccessor<PrivacyMemory>;

  /**
   * @param state the conversation state (or an accessor) where what a message announces is kept
   *   for the next one; without it only what a message itself says is found. Saving it is the
   *   turn's business (`AutoSaveStateMiddleware`), as for every other conversation property.
   */
  constructor(
    private readonly content: Content,
    private readonly logger?: Logger,
    state?: ConversationState | StatePropertyAccessor<PrivacyMemory>,
  ) {
    if (!content) throw new Error('[SensitiveDataMiddleware]: Missing parameter. content is required');
    this.memory = state instanceof ConversationState ? state.createProperty<PrivacyMemory>(PRIVACY_MEMORY_PROPERTY) : state;
    this.redactor = { onTurn: async (context, next) => { await this.screen(context); await next(); } };
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { kinds, fromContext } = await this.screen(context);
    if (kinds.length > 0) {
      const a = context.activity;
      this.logger?.info({ conversationId: a.conversation?.id, kinds, fromContext }, 'customer shared sensitive data; warned and redacted');
      await context.sendActivity(render({ text: this.content.text('privacy.warning') }, a.channelId));
    }
    await next();
  }

  /** Redacts the customer's message once per turn (whichever of the two middleware runs first). */
  private async screen(context: TurnContext): Promise<Screened> {
    const done = context.turnState.get(SCREENED) as Screened | undefined;
    if (done) return done;
    const a = context.activity;
    const text = a.type === 'message' && a.from?.role !== 'bot' && typeof a.text === 'string' ? a.text : '';
    let screened: Screened = { kinds: [], fromContext: false };
    if (text) {
      const before = this.memory ? await this.memory.get(context, {}) : {};
      const r = redactInContext(text, before);
      if (this.memory) await this.memory.set(context, r.memory);
      screened = { kinds: r.found.filter(isSecretKind), fromContext: r.fromContext, text: r.text };
      // contact details stay in the message (dialogs may need them); stores mask them on writing
      if (screened.kinds.length > 0) a.text = r.text;
    }
    context.turnState.set(SCREENED, screened);
    return screened;
  }
}
