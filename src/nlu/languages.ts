/**
 * The languages the bot speaks and how text in each is prepared for the classifier: one
 * normaliser, stemmer and word list per language, used alike on training data and messages.
 */
import { createRequire } from 'node:module';
import { normalize, normalizeSpanish } from '../text/normalize.js';
import { PorterStemmer } from './natural.js';
import { eitherOf, englishLookup, SpanishWords, type WordLookup } from './wordLists.js';

const require = createRequire(import.meta.url);
const SpanishStemmer = require('natural/lib/natural/stemmers/porter_stemmer_es.js') as { stem(w: string): string };

import type { Language } from '../content/languages.js';

export { LANGUAGES, DEFAULT_LANGUAGE, isLanguage, languageOfLocale, type Language } from '../content/languages.js';

/**
 * `multi` is one profile for a single model of both languages (measured against one model per
 * language by `npm run -s evaluate -- --model joint`): Spanish folding, English stems, both word lists.
 */
export type TextLanguage = Language | 'multi';

export interface TextProfile {
  normalize(text: string): string;
  /** Stem of a normalised word (Latin letters only; other scripts pass through). */
  stem(word: string): string;
  /** Words the spelling corrector must not "correct" (loaded on first call). */
  dictionary(): WordLookup;
}

const LATIN = /^\p{Script=Latin}+$/u;

/**
 * Natural's Spanish Snowball stemmer expects accents ("aplicación" → "aplic", but "aplicacion"
 * stays whole); text here is folded, so the one suffix customers most often type without its
 * accent gets it back before stemming.
 */
function stemSpanish(w: string): string {
  if (!LATIN.test(w)) return w;
  return SpanishStemmer.stem(w.endsWith('cion') ? `${w.slice(0, -4)}ción` : w);
}

export const PROFILES: Record<TextLanguage, TextProfile> = {
  en: { normalize, stem: (w) => (LATIN.test(w) ? PorterStemmer.stem(w) : w), dictionary: englishLookup },
  es: { normalize: normalizeSpanish, stem: stemSpanish, dictionary: () => eitherOf(SpanishWords.load(), englishLookup()) },
  multi: { normalize: normalizeSpanish, stem: (w) => (LATIN.test(w) ? PorterStemmer.stem(w) : w), dictionary: () => eitherOf(englishLookup(), SpanishWords.load()) },
};
