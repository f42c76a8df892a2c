import { tokenize } from '../text/normalize.js';
import { PROFILES, type TextLanguage, type TextProfile } from './languages.js';
import { SpellingCorrector } from './spelling.js';

/** A sparse, L2-normalised feature vector. */
export interface SparseVector { idx: Int32Array; val: Float32Array }

export interface FeaturizerOptions {
  /** Word n-gram orders (stemmed, spelling-corrected words). */
  wordNgrams: number[];
  /** Character n-gram lengths (robust to typos and unseen inflections). */
  charNgrams: [number, number];
  /**
   * `word`: character n-grams inside each space-padded word; `text`: over the whole text, so
   * grams also span word boundaries ("t my" in "reset my") and carry a little word order.
   */
  charSpan: 'word' | 'text';
  /** Relative weight of the character n-gram block against the word block. */
  charWeight: number;
  /** Features seen in fewer training texts are dropped; 0 = automatic (2 from 5,000 texts on, else 1). */
  minDf: number;
  spellCorrect: boolean;
  /** Spelling correction leaves the language's dictionary words alone (see `languages.ts`). */
  dictionary?: boolean;
  /** Which normaliser, stemmer and word list to use (`en` when absent). */
  language?: TextLanguage;
}

export const DEFAULT_FEATURIZER: FeaturizerOptions = {
  wordNgrams: [1, 2], charNgrams: [3, 5], charSpan: 'word', charWeight: 1, minDf: 0, spellCorrect: true, dictionary: true,
};

/** The analysed form of one text, kept for entity extraction and debugging. */
export interface Analysis { normalized: string; words: string[]; stems: string[] }

const FNV_PRIME = 0x01000193;
const FNV_OFFSET = 0x811c9dc5;
/** Hashes are kept to 30 bits so V8 stores them as small integers (fast to compare and hash). */
const HASH_MASK = 0x3fffffff;

/** Open-addressing map from gram hash to column; -1 when absent. Far faster than a `Map` here. */
class IntTable {
  readonly keys: Int32Array<ArrayBuffer>;
  readonly values: Int32Array<ArrayBuffer>;
  private readonly mask: number;
  count = 0;
  get bytes(): number { return this.keys.byteLength + this.values.byteLength; }
  /** A table of `capacity`, or exactly the one `saved` holds (a snapshot's). */
  constructor(capacity: number, saved?: { keys: Int32Array<ArrayBuffer>; values: Int32Array<ArrayBuffer>; count: number }) {
    if (saved) {
      this.keys = saved.keys; this.values = saved.values; this.mask = saved.keys.length - 1; this.count = saved.count;
      return;
    }
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.keys = new Int32Array(size).fill(-1);
    this.values = new Int32Array(size);
    this.mask = size - 1;
  }
  set(key: number, value: number): void {
    let i = Math.imul(key, 0x9e3779b1) >>> 0 & this.mask;
    while (this.keys[i] !== -1 && this.keys[i] !== key) i = (i + 1) & this.mask;
    if (this.keys[i] === -1) this.count++;
    this.keys[i] = key; this.values[i] = value;
  }
  get(key: number): number {
    let i = Math.imul(key, 0x9e3779b1) >>> 0 & this.mask;
    for (;;) {
      const k = this.keys[i];
      if (k === key) return this.values[i];
      if (k === -1) return -1;
      i = (i + 1) & this.mask;
    }
  }
}

/** Document frequency per gram hash, for `fitTransform`; entries stay in first-seen order. */
class GramCounter {
  private slots: Int32Array;
  private mask: number;
  gram: Int32Array;
  df: Int32Array;
  isChar: Uint8Array;
  private last: Int32Array;
  size = 0;
  constructor(capacity: number) {
    this.slots = new Int32Array(capacity * 2).fill(-1);
    this.mask = capacity * 2 - 1;
    this.gram = new Int32Array(capacity);
    this.df = new Int32Array(capacity);
    this.isChar = new Uint8Array(capacity);
    this.last = new Int32Array(capacity);
  }
  /** Counts `gram` once per `doc` (texts are added in order). */
  add(gram: number, doc: number, isChar: number): void {
    let i = Math.imul(gram, 0x9e3779b1) >>> 0 & this.mask;
    let e: number;
    for (;;) {
      e = this.slots[i];
      if (e === -1 || this.gram[e] === gram) break;
      i = (i + 1) & this.mask;
    }
    if (e === -1) {
      if (this.size === this.gram.length) { this.grow(); this.add(gram, doc, isChar); return; }
      e = this.size++;
      this.slots[i] = e;
      this.gram[e] = gram; this.df[e] = 1; this.last[e] = doc; this.isChar[e] = isChar;
      return;
    }
    if (this.last[e] !== doc) { this.df[e]++; this.last[e] = doc; }
    if (isChar) this.isChar[e] = 1;
  }
  private grow(): void {
    const cap = this.gram.length * 2;
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => { const b = make(cap); b.set(a); return b; };
    this.gram = grow(this.gram, (n) => new Int32Array(n));
    this.df = grow(this.df, (n) => new Int32Array(n));
    this.last = grow(this.last, (n) => new Int32Array(n));
    this.isChar = grow(this.isChar, (n) => new Uint8Array(n));
    this.slots = new Int32Array(cap * 2).fill(-1);
    this.mask = cap * 2 - 1;
    for (let e = 0; e < this.size; e++) {
      let i = Math.imul(this.gram[e], 0x9e3779b1) >>> 0 & this.mask;
      while (this.slots[i] !== -1) i = (i + 1) & this.mask;
      this.slots[i] = e;
    }
  }
}

function hashString(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** A fitted featurizer as plain data (typed arrays move between threads without copying). */
export interface FeaturizerSnapshot {
  options: FeaturizerOptions;
  keys: Int32Array<ArrayBuffer>;
  values: Int32Array<ArrayBuffer>;
  count: number;
  idf: Float32Array<ArrayBuffer>;
  isChar: Uint8Array<ArrayBuffer>;
  /** The spelling corrector's vocabulary, when it corrects. */
  vocabulary?: Array<[string, number]>;
}

/**
 * TF-IDF over word and character n-grams. Fit on the training texts, then `transform` any text;
 * n-grams never seen in training are ignored. N-grams are identified by a 32-bit hash computed
 * in place (no substring per gram), which keeps featurising a message in the tens of microseconds;
 * a rare collision merges two grams, which costs nothing measurable in accuracy.
 */
export class Featurizer {
  private table = new IntTable(1);
  private idf = new Float32Array(0);
  private isChar = new Uint8Array(0);
  private speller: SpellingCorrector | undefined;
  private readonly stemCache = new Map<string, string>();
  private scratch: number[] = [];
  private idsBuf = new Int32Array(256);
  private counts = new Float32Array(0);
  private readonly profile: TextProfile;

  constructor(readonly options: FeaturizerOptions = DEFAULT_FEATURIZER) {
    this.profile = PROFILES[options.language ?? 'en'];
  }

  /** Bytes held by the feature table (hash → column, IDF, block flags). */
  get sizeBytes(): number { return this.table.bytes + this.idf.byteLength + this.isChar.byteLength; }

  /** Number of features (columns). */
  get size(): number { return this.table.count; }

  /** Normalises, spell-corrects and stems a text. */
  analyse(text: string): Analysis {
    const normalized = this.profile.normalize(text);
    const raw = tokenize(normalized);
    const words = this.speller ? raw.map((w) => this.speller!.correct(w)) : raw;
    const stems = words.map((w) => this.stem(w));
    return { normalized, words, stems };
  }

  /** What was fitted, as plain data. */
  snapshot(): FeaturizerSnapshot {
    return {
      options: this.options, keys: this.table.keys, values: this.table.values, count: this.table.count, idf: this.idf, isChar: this.isChar,
      ...(this.speller ? { vocabulary: this.speller.vocabulary() } : {}),
    };
  }

  /** The featurizer `snapshot()` came from (e.g. one fitted in a worker thread): it transforms texts the same way. */
  static restore(s: FeaturizerSnapshot): Featurizer {
    const f = new Featurizer(s.options);
    f.table = new IntTable(0, s);
    f.idf = s.idf;
    f.isChar = s.isChar;
    if (s.vocabulary) f.speller = SpellingCorrector.fromVocabulary(s.vocabulary, s.options.dictionary ? PROFILES[s.options.language ?? 'en'].dictionary() : undefined);
    return f;
  }

  /** Builds the vocabulary and IDF weights from the training texts. */
  fit(texts: string[]): this {
    this.fitTransform(texts);
    return this;
  }

  /** `fit`, then the vectors of the same texts (each text is analysed once, not twice). */
  fitTransform(texts: string[]): SparseVector[] {
    this.speller = undefined;
    if (this.options.spellCorrect) {
      const p = this.profile;
      this.speller = new SpellingCorrector(texts.flatMap((t) => tokenize(p.normalize(t))), this.options.dictionary ? p.dictionary() : undefined);
    }
    // document frequencies in a growable open-addressing table with a "last text" mark per gram
    // (a Map plus a Set per text cost most of the start-up featurising); grams keep the order
    // they were first seen in, so columns are numbered exactly as before
    const counter = new GramCounter(1 << 12);
    const all = texts.map((t, doc) => {
      const grams = this.grams(this.analyse(t));
      for (let i = 0; i < grams.length; i += 2) counter.add(grams[i], doc, grams[i + 1]);
      return grams;
    });
    const n = texts.length;
    // on big sets a gram seen once is mostly noise and doubles the model's size
    const minDf = this.options.minDf || (n >= 5000 ? 2 : 1);
    const idf: number[] = [];
    const isChar: number[] = [];
    this.table = new IntTable(counter.size);
    for (let e = 0; e < counter.size; e++) {
      const c = counter.df[e];
      if (c < minDf) continue;
      this.table.set(counter.gram[e], idf.length);
      idf.push(Math.log((1 + n) / (1 + c)) + 1);
      isChar.push(counter.isChar[e]);
    }
    this.idf = Float32Array.from(idf);
    this.isChar = Uint8Array.from(isChar);
    return all.map((g) => this.vectorise(g));
  }

  /** Sparse TF-IDF vector of a text (sublinear TF, word and char blocks L2-normalised, then the whole). */
  transform(text: string): SparseVector {
    return this.vectorise(this.grams(this.analyse(text)));
  }

  private vectorise(grams: number[]): SparseVector {
    // term counts go into a reused per-column scratch array (reset as they are read), ids into a
    // reused buffer: no Map, no per-gram allocation; only the two output arrays are new
    const half = grams.length >> 1;
    if (this.idsBuf.length < half) this.idsBuf = new Int32Array(half * 2);
    if (this.counts.length < this.idf.length) this.counts = new Float32Array(this.idf.length);
    const buf = this.idsBuf, counts = this.counts, table = this.table;
    let m = 0;
    for (let i = 0; i < grams.length; i += 2) {
      const id = table.get(grams[i]);
      if (id < 0) continue;
      if (counts[id] === 0) buf[m++] = id;
      counts[id]++;
    }
    // columns stay in the order the text's grams first hit them (deterministic); sorting them
    // bought nothing measurable in the dot products and cost ~5 µs a text
    const idx = buf.slice(0, m);
    const val = new Float32Array(m);
    const idf = this.idf, isChar = this.isChar;
    let wordNorm = 0, charNorm = 0;
    for (let j = 0; j < m; j++) {
      const id = idx[j], c = counts[id];
      counts[id] = 0;
      const v = (c === 1 ? 1 : 1 + Math.log(c)) * idf[id];
      val[j] = v;
      if (isChar[id] === 1) charNorm += v * v; else wordNorm += v * v;
    }
    const wn = wordNorm > 0 ? 1 / Math.sqrt(wordNorm) : 0;
    const cn = charNorm > 0 ? this.options.charWeight / Math.sqrt(charNorm) : 0;
    let total = 0;
    for (let j = 0; j < m; j++) { const v = val[j] * (isChar[idx[j]] === 1 ? cn : wn); val[j] = v; total += v * v; }
    const tn = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let j = 0; j < m; j++) val[j] *= tn;
    return { idx, val };
  }

  private stem(w: string): string {
    let s = this.stemCache.get(w);
    if (s === undefined) {
      s = this.profile.stem(w);
      if (this.stemCache.size > 100_000) this.stemCache.clear();
      this.stemCache.set(w, s);
    }
    return s;
  }

  /** Hashes of the text's n-grams, as pairs [hash, isChar]. */
  private grams(a: Analysis): number[] {
    const out = this.scratch;
    out.length = 0;
    const { wordNgrams, charNgrams: [cmin, cmax], charSpan } = this.options;
    const stemHashes = a.stems.map((s) => hashString(s, FNV_OFFSET));
    for (const n of wordNgrams) {
      for (let i = 0; i + n <= stemHashes.length; i++) {
        let h = Math.imul(FNV_OFFSET ^ n, FNV_PRIME);
        for (let j = i; j < i + n; j++) h = Math.imul(h ^ stemHashes[j], FNV_PRIME);
        out.push(h & HASH_MASK, 0);
      }
    }
    const spans = charSpan === 'text' ? [` ${a.words.join(' ')} `] : a.words.map((w) => ` ${w} `);
    for (const p of spans) {
      if (p.length <= 2) continue;
      for (let i = 0; i < p.length; i++) {
        let h = Math.imul(0x2545f491 ^ FNV_OFFSET, FNV_PRIME);
        for (let n = 1; n <= cmax && i + n <= p.length; n++) {
          h = Math.imul(h ^ p.charCodeAt(i + n - 1), FNV_PRIME);
          if (n >= cmin) out.push(Math.imul(h ^ n, FNV_PRIME) & HASH_MASK, 1);
        }
      }
    }
    return out.slice();
  }
}
