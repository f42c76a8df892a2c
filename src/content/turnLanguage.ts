/**
 * The language of the turn being handled, for `Content` to answer in without every dialog
 * passing it along: dialogs keep calling `content.text(key)`, and the language middleware runs
 * the rest of the turn inside `runInLanguage`. AsyncLocalStorage follows the turn through every
 * await (prompts, storage, sends), and two conversations' turns running at once each see their own.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { DEFAULT_LANGUAGE, type Language } from './languages.js';

const store = new AsyncLocalStorage<Language>();

/** The current turn's language; outside a turn (start-up, admin API, CLIs) the default, English. */
export function currentLanguage(): Language {
  return store.getStore() ?? DEFAULT_LANGUAGE;
}

/** Runs `fn` (and everything it awaits) in `language`. */
export function runInLanguage<T>(language: Language, fn: () => T): T {
  return store.run(language, fn);
}
