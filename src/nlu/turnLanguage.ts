import type { TurnContext } from 'botbuilder';
import type { LanguageGuess } from './languageId.js';

/** Where `LanguageMiddleware` leaves the turn's language for the recognizer and dialogs. */
export const TURN_LANGUAGE = Symbol('turnLanguage');

/** The turn's language guess, when the language middleware ran. */
export function turnLanguage(context: TurnContext): LanguageGuess | undefined {
  return context.turnState.get(TURN_LANGUAGE) as LanguageGuess | undefined;
}
