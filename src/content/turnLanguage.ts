/**
 * The language of the turn being handled, for `Content` to answer in without every dialog
 * passing it along: dialogs keep calling `content.text(key)`, and the language middleware runs
 * the rest of the turn inside `runInLanguage`. The turn's scope (`src/util/asyncScope.ts`, an
 * AsyncLocalStorage) follows the turn through every await (prompts, storage, sends), and two
 * conversations' turns running at once each see their own.
 */
import { createContextKey } from '@opentelemetry/api';
import { activeScope, runInScope } from '../util/asyncScope.js';
import { DEFAULT_LANGUAGE, type Language } from './languages.js';

const LANGUAGE = createContextKey('support-bot turn language');

/** The current turn's language; outside a turn (start-up, admin API, CLIs) the default, English. */
export function currentLanguage(): Language {
  return (activeScope().getValue(LANGUAGE) as Language | undefined) ?? DEFAULT_LANGUAGE;
}

/** Runs `fn` (and everything it awaits) in `language`; the rest of the scope (the trace) stays. */
export function runInLanguage<T>(language: Language, fn: () => T): T {
  return runInScope(activeScope().setValue(LANGUAGE, language), fn);
}
