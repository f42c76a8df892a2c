/**
 * Text normalisation shared by training and recognition: the same function must see the
 * training utterances and the customer's message, or the features drift apart.
 */

/**
 * Contractions, with and without the apostrophe customers skip on a phone: each rule is a
 * pattern (no capturing groups) and what the matched text becomes. They are expanded in one pass,
 * one regex with a group per rule (normalising is on every message's path); at a position the
 * rules are tried in order, so the specific forms win over the generic `'ll/'re/'s`.
 */
const CONTRACTIONS: Array<[pattern: string, expand: (match: string) => string]> = [
  [String.raw`can'?t|cannot`, () => 'can not'],
  [String.raw`won'?t`, () => 'will not'],
  [String.raw`ain'?t`, () => 'is not'],
  [String.raw`(?:do|does|did|is|are|was|were|have|has|had|could|would|should|must|need)n'?t`, (m) => m.replace(/n'?t$/, ' not')],
  [String.raw`i'?m`, () => 'i am'],
  [String.raw`i'?ve`, () => 'i have'],
  [String.raw`i'll`, () => 'i will'],
  [String.raw`i'd`, () => 'i would'],
  [String.raw`(?:you|we|they)'re`, (m) => m.replace(/'re$/, ' are')],
  [String.raw`(?:you|we|they)'ve`, (m) => m.replace(/'ve$/, ' have')],
  [String.raw`(?:what|where|how|who|that|there|it|here)'?s`, (m) => m.replace(/'?s$/, ' is')],
  [String.raw`let'?s`, () => 'let us'],
  [String.raw`\w+'ll`, (m) => m.replace(/'ll$/, ' will')],
  [String.raw`\w+'re`, (m) => m.replace(/'re$/, ' are')],
  [String.raw`\w+'s`, (m) => m.replace(/'s$/, '')],
];
const CONTRACTION = new RegExp(String.raw`\b(?:${CONTRACTIONS.map(([p]) => `(${p})`).join('|')})\b`, 'g');

function expand(match: string, ...groups: unknown[]): string {
  const rule = groups.findIndex((g, i) => i < CONTRACTIONS.length && g !== undefined);
  return rule < 0 ? match : CONTRACTIONS[rule][1](match);
}

/** Brand spellings customers use; all map to one token so one training example covers all. */
const BRAND = /\bt[\s._-]*mobile\b|\btmo\b|\bt[\s._-]*mo\b(?=\s|$)/g;
/** Case numbers are replaced by a placeholder token so "CS-4K7P-2M9Q" generalises. */
const CASE_NUMBER = /\bcs[\s-]*[0-9a-z]{4}[\s-]*[0-9a-z]{4}\b/g;

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Shorthand Spanish-speaking customers type on a phone, as whole words: "q" for "que", "xq" for
 * "porque", "tb" for "también" (already without its accent: Spanish text is folded first).
 */
const ES_SHORTHAND: Record<string, string> = {
  q: 'que', k: 'que', ke: 'que', xq: 'porque', pq: 'porque', porq: 'porque', xk: 'porque', tb: 'tambien', tmb: 'tambien',
  tmbn: 'tambien', pa: 'para', porfa: 'por favor', porfavor: 'por favor', plis: 'por favor', xfa: 'por favor', d: 'de', dnd: 'donde',
  toy: 'estoy', ta: 'esta', nesesito: 'necesito', nececito: 'necesito',
};
const ES_SHORTHAND_WORD = new RegExp(String.raw`\b(?:${Object.keys(ES_SHORTHAND).join('|')})\b`, 'g');
/** Combining marks left by NFD: "sesión" and "sesion" must be one word, as customers skip accents. */
const MARKS = /[\u0300-\u036f]/g;

/**
 * Spanish (and the mixed model's) normalisation: the English rules, with accents and the tilde
 * folded away (customers write "contrasena", "sesion", "telefono") and phone shorthand expanded.
 * English contractions stay: "la app no abre" and "can't log in" both reach it.
 */
export function normalizeSpanish(text: string): string {
  const folded = text.normalize('NFD').replace(MARKS, '');
  return normalize(folded).replace(ES_SHORTHAND_WORD, (w) => ES_SHORTHAND[w]);
}

/** Lower-cases, folds Unicode, expands contractions, unifies brand spellings and strips punctuation. */
export function normalize(text: string): string {
  // most messages are plain ASCII, where NFKC and the quote folding change nothing
  const ascii = !NON_ASCII.test(text);
  let s = !ascii ? text.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc´]/g, "'") : text.toLowerCase();
  s = s.replace(/`/g, "'");
  s = s.replace(CASE_NUMBER, ' casenumber ');
  s = s.replace(BRAND, ' tmobile ');
  s = s.replace(CONTRACTION, expand);
  s = s.replace(/&/g, ' and ').replace(/@/g, ' at ');
  // keep letters and digits of every script; everything else separates words
  s = s.replace(ascii ? /[^a-z0-9]+/g : /[^\p{L}\p{N}]+/gu, ' ');
  return s.trim();
}

/** Splits normalised text into word tokens. */
export function tokenize(normalized: string): string[] {
  return normalized ? normalized.split(' ') : [];
}
