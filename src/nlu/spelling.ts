import { damerauLevenshtein } from './natural.js';

/**
 * Corrects a word that is not in the training vocabulary to the closest vocabulary word
 * (one edit for short words, two for long ones), the way "pasword" should read as "password".
 * Candidates come from a symmetric-delete index, so a lookup costs a few map probes instead of
 * a scan of the vocabulary.
 */
export class SpellingCorrector {
  private readonly freq = new Map<string, number>();
  private readonly deletes = new Map<string, string[]>();
  private readonly cache = new Map<string, string>();

  /**
   * @param words the vocabulary to correct toward (the training texts' words, with repeats).
   * @param dictionary words that are never corrected although the vocabulary lacks them (real
   *   words: correcting them toward the vocabulary turns a new topic into a known one).
   */
  constructor(words: Iterable<string>, private readonly dictionary: ReadonlySet<string> = new Set()) {
    for (const w of words) this.freq.set(w, (this.freq.get(w) ?? 0) + 1);
    for (const w of this.freq.keys()) {
      if (w.length < 4 || /\d/.test(w)) continue;
      for (const d of deletes1(w)) {
        const list = this.deletes.get(d);
        if (list) { if (!list.includes(w)) list.push(w); } else this.deletes.set(d, [w]);
      }
    }
  }

  has(word: string): boolean { return this.freq.has(word); }

  /** The vocabulary with counts, in first-seen order: `fromVocabulary` rebuilds the same corrector from it. */
  vocabulary(): Array<[string, number]> { return [...this.freq]; }

  /** The corrector `vocabulary()` came from (same candidates, in the same order). */
  static fromVocabulary(vocabulary: ReadonlyArray<readonly [string, number]>, dictionary?: ReadonlySet<string>): SpellingCorrector {
    function* words() { for (const [w, n] of vocabulary) for (let i = 0; i < n; i++) yield w; }
    return new SpellingCorrector(words(), dictionary);
  }

  /** The vocabulary word closest to `word`, or `word` itself when none is close enough. */
  correct(word: string): string {
    if (this.freq.has(word) || word.length < 4 || /\d/.test(word) || this.dictionary.has(word)) return word;
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
}

function deletes1(w: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
  return out;
}
