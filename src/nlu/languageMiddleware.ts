import { ActivityTypes, type ConversationState, type Middleware, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { Content } from '../content/content.js';
import { languageOfLocale, type Language } from '../content/languages.js';
import { runInLanguage } from '../content/turnLanguage.js';
import type { LanguageGuess, LanguageIdentifier } from './languageId.js';
import { TURN_LANGUAGE } from './turnLanguage.js';

/** What a conversation remembers about its language between turns. */
export interface ConversationLanguage {
  /** The language of the last turn: short messages keep it. */
  language?: Language;
  /** The language of the channel's locale on the last turn that had one. */
  localeLanguage?: Language;
}

export interface LanguageMiddlewareDeps {
  conversationState: ConversationState;
  /** The recognizer's identifier (it knows the training data's words per language). */
  identifier: Pick<LanguageIdentifier, 'identify'>;
  content: Content;
}

/**
 * Decides each turn's language and runs the rest of the turn in it, so every reply, button and
 * prompt comes out in the customer's language without the dialogs knowing (`Content.text` reads
 * it), and the recognizer reads the message as that language.
 *
 * - A message's own words decide (English or Spanish), with the conversation's language kept
 *   for short messages ("sí", "ok", "2") and the channel's locale as the prior.
 * - A locale that changes between turns (the web page's language switch, a Teams user who
 *   changed theirs) is a choice the customer made: the conversation follows it.
 * - A message in a third language is answered in the conversation's language, after a note on
 *   the languages the bot speaks.
 * - Activities without text (joining, proactive messages) use the conversation's language, or the locale's.
 */
export class LanguageMiddleware implements Middleware {
  private readonly state: StatePropertyAccessor<ConversationLanguage>;

  constructor(private readonly deps: LanguageMiddlewareDeps) {
    if (!deps?.conversationState) throw new Error('[LanguageMiddleware]: Missing parameter. conversationState is required');
    if (!deps.identifier) throw new Error('[LanguageMiddleware]: Missing parameter. identifier is required');
    if (!deps.content) throw new Error('[LanguageMiddleware]: Missing parameter. content is required');
    this.state = deps.conversationState.createProperty<ConversationLanguage>('language');
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const remembered = { ...(await this.state.get(context, {})) };
    const locale = languageOfLocale(context.activity.locale);
    // only the customer's own messages carry their choice: a proactive turn's locale is the one its
    // conversation reference was saved with, perhaps before the customer switched
    const fromCustomer = context.activity.type === ActivityTypes.Message;
    let current = remembered.language;
    if (fromCustomer && locale && remembered.localeLanguage && locale !== remembered.localeLanguage) current = locale;
    const text = fromCustomer ? (context.activity.text ?? '').trim() : '';
    const guess: LanguageGuess = text
      ? this.deps.identifier.identify(text, { current, locale })
      : { language: current ?? locale ?? this.deps.content.languages[0], reason: 'no-words', words: 0 };
    await this.state.set(context, { language: guess.language, localeLanguage: (fromCustomer ? locale : undefined) ?? remembered.localeLanguage });
    context.turnState.set(TURN_LANGUAGE, guess);
    await runInLanguage(guess.language, async () => {
      if (guess.detected === 'other') await context.sendActivity(this.deps.content.text('language.unsupported'));
      await next();
    });
  }
}
