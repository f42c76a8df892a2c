/**
 * Word lists the spelling corrector leaves alone: a word of the language is not a typo of a word
 * in the training data ("cuento" is not "cuenta", "casa" is not "caso", "story" is not "store").
 */
import { createRequire } from 'node:module';
import { englishWords } from './natural.js';

const require = createRequire(import.meta.url);

/** What the spelling corrector needs of a word list. */
export interface WordLookup { has(word: string): boolean }

/**
 * Spanish words from `an-array-of-spanish-words` (MIT; ~636,000 forms from the Letterpress list,
 * every conjugation and plural included). The list is lower case without accents except `ñ`, and
 * sorted: lookups are a binary search on the array as shipped, which saves building a 636,000-entry
 * Set at start-up (about 300 ms and 40 MB). Words are looked up folded (`ñ` → `n`), so each `n` of
 * the word is also tried as `ñ`.
 */
export class SpanishWords implements WordLookup {
  private static shared: SpanishWords | undefined;
  private constructor(private readonly words: readonly string[]) {}

  /** The list, loaded once per process on first use. */
  static load(): SpanishWords {
    if (!SpanishWords.shared) {
      const words = require('an-array-of-spanish-words') as string[];
      if (!Array.isArray(words) || words.length < 100_000) throw new Error('[SpanishWords]: an-array-of-spanish-words did not load as a word list');
      SpanishWords.shared = new SpanishWords(words);
    }
    return SpanishWords.shared;
  }

  get size(): number { return this.words.length; }

  has(word: string): boolean {
    if (this.find(word)) return true;
    // "contrasena" is "contraseña" folded: try ñ for each n (rarely more than two in a word)
    const at: number[] = [];
    for (let i = word.indexOf('n'); i >= 0 && at.length < 4; i = word.indexOf('n', i + 1)) at.push(i);
    for (let mask = 1; mask < 1 << at.length; mask++) {
      let w = word;
      for (let k = 0; k < at.length; k++) if (mask & (1 << k)) w = w.slice(0, at[k]) + 'ñ' + w.slice(at[k] + 1);
      if (this.find(w)) return true;
    }
    return false;
  }

  private find(word: string): boolean {
    let lo = 0, hi = this.words.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1, w = this.words[mid];
      if (w === word) return true;
      if (w < word) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }
}

/** Words of either list: Spanish customers mix in English ("la app", "el password", "no service"). */
export function eitherOf(...lists: WordLookup[]): WordLookup {
  return { has: (w) => lists.some((l) => l.has(w)) };
}

/** The English list as a `WordLookup` (natural's tagger lexicon, see `englishWords`). */
export function englishLookup(): WordLookup { return englishWords(); }
