import { damerauLevenshtein } from '../text/distance.js';
import type { WordLookup } from './wordLists.js';

/**
 * Longest word the corrector looks at. Two deletions of a word of length n are n² strings, so a
 * pasted 2,000-character "word" cost 12 s; no vocabulary word is that long, and a word more than
 * two letters longer than every vocabulary word cannot be within two edits of one anyway.
 */
export const MAX_CORRECTED_WORD = 30;
/** Distinct words a message may have corrected (`correctAll`); the rest are read as typed. */
export const MAX_CORRECTIONS_PER_MESSAGE = 200;

/**
 * Corrects a word that is not in the training vocabulary to the closest vocabulary word
 * (one edit for short words, two for long ones), the way "pasword" should read as "password".
 * Candidates come from a symmetric-delete index, so a lookup costs a few map probes instead of
 * a scan of the vocabulary.
 *
 * Work is bounded: a word longer than `MAX_CORRECTED_WORD` (or than every vocabulary word plus
 * two) is returned as typed, so one lookup is at most n + n(n-1) ≤ 900 probes; `correctAll`
 * also caps the lookups per message.
 */
export class SpellingCorrector {
  private readonly freq = new Map<string, number>();
  private readonly deletes = new Map<string, string[]>();
  private readonly cache = new Map<string, string>();
  /** Words longer than this cannot be two edits from any vocabulary word. */
  private readonly maxLength: number;

  /**
   * @param words the vocabulary to correct toward (the training texts' words, with repeats).
   * @param dictionary words that are never corrected although the vocabulary lacks them (real
   *   words: correcting them toward the vocabulary turns a new topic into a known one).
   */
  constructor(words: Iterable<string>, private readonly dictionary: WordLookup = new Set<string>()) {
    for (const w of words) this.freq.set(w, (this.freq.get(w) ?? 0) + 1);
    let longest = 0;
    for (const w of this.freq.keys()) {
      if (/\d/.test(w)) continue;
      longest = Math.max(longest, w.length);
      // a vocabulary word longer than this is only reached by input the corrector never reads
      if (w.length < 4 || w.length > MAX_CORRECTED_WORD + 2) continue;
      for (const d of deletes1(w)) {
        const list = this.deletes.get(d);
        if (list) { if (!list.includes(w)) list.push(w); } else this.deletes.set(d, [w]);
      }
    }
    this.maxLength = Math.min(MAX_CORRECTED_WORD, longest + 2);
  }

  has(word: string): boolean { return this.freq.has(word); }

  /** The vocabulary with counts, in first-seen order: `fromVocabulary` rebuilds the same corrector from it. */
  vocabulary(): Array<[string, number]> { return [...this.freq]; }

  /** The corrector `vocabulary()` came from (same candidates, in the same order). */
  static fromVocabulary(vocabulary: ReadonlyArray<readonly [string, number]>, dictionary?: WordLookup): SpellingCorrector {
    function* words() { for (const [w, n] of vocabulary) for (let i = 0; i < n; i++) yield w; }
    return new SpellingCorrector(words(), dictionary);
  }

  /** The vocabulary word closest to `word`, or `word` itself when none is close enough. */
  correct(word: string): string {
    if (word.length < 4 || word.length > this.maxLength || this.freq.has(word) || /\d/.test(word) || this.dictionary.has(word)) return word;
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    const maxDist = word.length >= 7 ? 2 : 1;
    const candidates = new Set<string>();
    const probes = [word, ...deletes1(word)];
    for (const p of probes) {
      if (this.freq.has(p)) candidates.add(p); // a letter too many
      for (const c of this.deletes.get(p) ?? []) candidates.add(c);
    }
    if (maxDist === 2) for (const d of deletes1(word)) for (const dd of deletes1(d)) for (const c of this.deletes.get(dd) ?? []) candidates.add(c);
    // most frequent first: the first candidate at distance 1 is then the answer (a vocabulary
    // word is never at distance 0 from a word outside it), which saves most distance computations
    // (natural's takes tens of microseconds a pair). Ties keep the old rule: nearest, then most
    // frequent, then first found.
    const ranked = [...candidates].sort((a, b) => (this.freq.get(b) ?? 0) - (this.freq.get(a) ?? 0));
    let best = word, bestDist = maxDist + 1;
    for (const c of ranked) {
      if (Math.abs(c.length - word.length) >= bestDist) continue;
      const d = damerauLevenshtein(word, c);
      if (d < bestDist) { best = c; bestDist = d; }
      if (bestDist <= 1) break;
    }
    const out = bestDist <= maxDist ? best : word;
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(word, out);
    return out;
  }

  /**
   * `correct` for every word of one message, with at most `MAX_CORRECTIONS_PER_MESSAGE` lookups
   * that are not already known (vocabulary, dictionary, cache): a pasted wall of made-up words
   * costs a bounded amount, and the words past the cap are read as typed.
   */
  correctAll(words: readonly string[], budget = MAX_CORRECTIONS_PER_MESSAGE): string[] {
    let left = budget;
    return words.map((w) => {
      if (w.length < 4 || w.length > this.maxLength || this.freq.has(w) || this.cache.has(w)) return this.correct(w);
      if (left <= 0) return w;
      left--;
      return this.correct(w);
    });
  }
}

function deletes1(w: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
  return out;
}
