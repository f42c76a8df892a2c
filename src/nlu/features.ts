import { normalize, tokenize } from './normalize.js';
import { PorterStemmer } from './natural.js';
import { SpellingCorrector } from './spelling.js';

/** A sparse, L2-normalised feature vector. */
export interface SparseVector { idx: Int32Array; val: Float32Array }

export interface FeaturizerOptions {
  /** Word n-gram orders (stemmed, spelling-corrected words). */
  wordNgrams: number[];
  /** Character n-gram lengths, taken inside each padded word (robust to typos). */
  charNgrams: [number, number];
  /** Relative weight of the character n-gram block against the word block. */
  charWeight: number;
  /** Features seen in fewer training texts are dropped. */
  minDf: number;
  spellCorrect: boolean;
}

export const DEFAULT_FEATURIZER: FeaturizerOptions = {
  wordNgrams: [1, 2], charNgrams: [2, 5], charWeight: 1, minDf: 1, spellCorrect: true,
};

/** The analysed form of one text, kept for entity extraction and debugging. */
export interface Analysis { normalized: string; words: string[]; stems: string[] }

/**
 * TF-IDF over word and character n-grams. Fit on the training texts, then `transform` any text;
 * n-grams never seen in training are ignored.
 */
export class Featurizer {
  readonly vocab = new Map<string, number>();
  private idf = new Float32Array(0);
  private isChar = new Uint8Array(0);
  private speller: SpellingCorrector | undefined;
  private readonly stemCache = new Map<string, string>();

  constructor(readonly options: FeaturizerOptions = DEFAULT_FEATURIZER) {}

  get size(): number { return this.vocab.size; }

  /** Normalises, spell-corrects and stems a text. */
  analyse(text: string): Analysis {
    const normalized = normalize(text);
    const raw = tokenize(normalized);
    const words = this.speller ? raw.map((w) => this.speller!.correct(w)) : raw;
    const stems = words.map((w) => this.stem(w));
    return { normalized, words, stems };
  }

  /** Builds the vocabulary and IDF weights from the training texts. */
  fit(texts: string[]): this {
    this.speller = undefined;
    if (this.options.spellCorrect) this.speller = new SpellingCorrector(texts.flatMap((t) => tokenize(normalize(t))));
    const df = new Map<string, number>();
    for (const t of texts) for (const g of new Set(this.grams(this.analyse(t)))) df.set(g, (df.get(g) ?? 0) + 1);
    const n = texts.length;
    const idf: number[] = [];
    for (const [g, c] of df) {
      if (c < this.options.minDf) continue;
      this.vocab.set(g, idf.length);
      idf.push(Math.log((1 + n) / (1 + c)) + 1);
    }
    this.idf = Float32Array.from(idf);
    this.isChar = new Uint8Array(idf.length);
    for (const [g, i] of this.vocab) if (g.startsWith('c:')) this.isChar[i] = 1;
    return this;
  }

  /** Sparse TF-IDF vector of a text (sublinear TF, each block L2-normalised, then the whole). */
  transform(text: string): SparseVector {
    return this.vectorise(this.grams(this.analyse(text)));
  }

  vectorise(grams: string[]): SparseVector {
    const counts = new Map<number, number>();
    for (const g of grams) {
      const i = this.vocab.get(g);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const idx = new Int32Array(counts.size);
    const val = new Float32Array(counts.size);
    let k = 0, wordNorm = 0, charNorm = 0;
    const isChar: boolean[] = [];
    for (const [i, c] of counts) {
      const v = (1 + Math.log(c)) * this.idf[i];
      idx[k] = i; val[k] = v; k++;
      const ch = this.isChar[i] === 1;
      isChar.push(ch);
      if (ch) charNorm += v * v; else wordNorm += v * v;
    }
    const wn = wordNorm > 0 ? 1 / Math.sqrt(wordNorm) : 0;
    const cn = charNorm > 0 ? this.options.charWeight / Math.sqrt(charNorm) : 0;
    let total = 0;
    for (let j = 0; j < k; j++) { val[j] *= isChar[j] ? cn : wn; total += val[j] * val[j]; }
    const tn = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let j = 0; j < k; j++) val[j] *= tn;
    return { idx, val };
  }

  private stem(w: string): string {
    let s = this.stemCache.get(w);
    if (s === undefined) {
      s = /^\p{Script=Latin}+$/u.test(w) ? PorterStemmer.stem(w) : w;
      if (this.stemCache.size > 100_000) this.stemCache.clear();
      this.stemCache.set(w, s);
    }
    return s;
  }

  private grams(a: Analysis): string[] {
    const out: string[] = [];
    const { wordNgrams, charNgrams: [cmin, cmax] } = this.options;
    for (const n of wordNgrams) {
      if (n === 1) for (const s of a.stems) out.push('w:' + s);
      else for (let i = 0; i + n <= a.stems.length; i++) out.push('w:' + a.stems.slice(i, i + n).join('_'));
    }
    for (const w of a.words) {
      const p = ` ${w} `;
      for (let n = cmin; n <= cmax; n++) for (let i = 0; i + n <= p.length; i++) out.push('c:' + p.slice(i, i + n));
    }
    return out;
  }

  toJSON(): object {
    return { options: this.options, vocab: [...this.vocab.keys()], idf: [...this.idf] };
  }
}
