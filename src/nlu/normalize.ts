/**
 * Text normalisation shared by training and recognition: the same function must see the
 * training utterances and the customer's message, or the features drift apart.
 */

/**
 * Contractions, with and without the apostrophe customers skip on a phone, expanded in one pass
 * (one regex instead of one per form: normalising is on every message's path). At a position
 * the alternatives are tried in order, so the specific forms win over the generic `'ll/'re/'s`.
 */
const CONTRACTION = new RegExp([
  String.raw`\b(?:`,
  String.raw`(can'?t|cannot)|(won'?t)|(ain'?t)`,
  String.raw`|(do|does|did|is|are|was|were|have|has|had|could|would|should|must|need)n'?t`,
  String.raw`|(i'?m)|(i'?ve)|(i'll)|(i'd)`,
  String.raw`|(you|we|they)'re|(you|we|they)'ve`,
  String.raw`|(what|where|how|who|that|there|it|here)'?s`,
  String.raw`|(let'?s)`,
  String.raw`|(\w+)'ll|(\w+)'re|(\w+)'s`,
  String.raw`)\b`,
].join(''), 'g');

function expand(_m: string, cant?: string, wont?: string, aint?: string, aux?: string, im?: string, ive?: string, ill?: string, id?: string,
  re?: string, ve?: string, wh?: string, lets?: string, ll2?: string, re2?: string, s2?: string): string {
  if (cant) return 'can not';
  if (wont) return 'will not';
  if (aint) return 'is not';
  if (aux) return `${aux} not`;
  if (im) return 'i am';
  if (ive) return 'i have';
  if (ill) return 'i will';
  if (id) return 'i would';
  if (re) return `${re} are`;
  if (ve) return `${ve} have`;
  if (wh) return `${wh} is`;
  if (lets) return 'let us';
  if (ll2) return `${ll2} will`;
  if (re2) return `${re2} are`;
  return s2 ?? _m;
}

/** Brand spellings customers use; all map to one token so one training example covers all. */
const BRAND = /\bt[\s._-]*mobile\b|\btmo\b|\bt[\s._-]*mo\b(?=\s|$)/g;
/** Case numbers are replaced by a placeholder token so "CS-4K7P-2M9Q" generalises. */
const CASE_NUMBER = /\bcs[\s-]*[0-9a-z]{4}[\s-]*[0-9a-z]{4}\b/g;

const NON_ASCII = /[^\x00-\x7f]/;

/** Lower-cases, folds Unicode, expands contractions, unifies brand spellings and strips punctuation. */
export function normalize(text: string): string {
  // most messages are plain ASCII, where NFKC and the quote folding change nothing
  const ascii = !NON_ASCII.test(text);
  let s = !ascii ? text.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc´]/g, "'") : text.toLowerCase();
  s = s.replace(/`/g, "'");
  s = s.replace(CASE_NUMBER, ' casenumber ');
  s = s.replace(BRAND, ' tmobile ');
  s = s.replace(CONTRACTION, expand as (m: string, ...groups: string[]) => string);
  s = s.replace(/&/g, ' and ').replace(/@/g, ' at ');
  // keep letters and digits of every script; everything else separates words
  s = s.replace(ascii ? /[^a-z0-9]+/g : /[^\p{L}\p{N}]+/gu, ' ');
  return s.trim();
}

/** Splits normalised text into word tokens. */
export function tokenize(normalized: string): string[] {
  return normalized ? normalized.split(' ') : [];
}
