/**
 * The parts of `natural` the recognizer uses, imported by submodule: the package's index pulls in
 * dotenv, WordNet and classifiers we do not need (slow start-up and console noise).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Stemmer { stem(token: string): string }

export const PorterStemmer: Stemmer = require('natural/lib/natural/stemmers/porter_stemmer.js');

let english: Set<string> | undefined;

/**
 * English words (lower-cased) from the lexicon `natural` ships for its Brill part-of-speech
 * tagger (~90,000 words, from pos-js). The spelling corrector leaves these alone: "story",
 * "swim" and "plants" are words, not typos of "store", "sim" and "plans". Loaded once, on first use.
 */
export function englishWords(): Set<string> {
  if (!english) {
    const file = require.resolve('natural/lib/natural/brill_pos_tagger/data/English/lexicon_from_posjs.json');
    const text = readFileSync(file, 'utf8');
    // the file is pretty-printed one key per line: reading the keys with a regex takes a third of
    // JSON.parse's time (start-up); should the layout ever change, parse it properly instead
    const words = new Set<string>();
    for (const m of text.matchAll(/^\s*"([A-Za-z]+)":\s*\[/gm)) words.add(m[1].toLowerCase());
    if (words.size < 10_000) {
      words.clear();
      for (const w of Object.keys(JSON.parse(text) as object)) if (/^[A-Za-z]+$/.test(w)) words.add(w.toLowerCase());
    }
    english = words;
  }
  return english;
}
