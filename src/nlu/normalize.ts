/**
 * Text normalisation shared by training and recognition: the same function must see the
 * training utterances and the customer's message, or the features drift apart.
 */

const CONTRACTIONS: Array<[RegExp, string]> = [
  [/\bcan'?t\b|\bcannot\b/g, 'can not'],
  [/\bwon'?t\b/g, 'will not'],
  [/\bain'?t\b/g, 'is not'],
  [/\b(do|does|did|is|are|was|were|have|has|had|could|would|should|must|need)n'?t\b/g, '$1 not'],
  [/\bi'?m\b/g, 'i am'],
  [/\bi'?ve\b/g, 'i have'],
  [/\bi'll\b/g, 'i will'],
  [/\bi'd\b/g, 'i would'],
  [/\b(you|we|they)'re\b/g, '$1 are'],
  [/\b(you|we|they)'ve\b/g, '$1 have'],
  [/\b(what|where|how|who|that|there|it|here)'?s\b/g, '$1 is'],
  [/\blet'?s\b/g, 'let us'],
  [/\b(\w+)'ll\b/g, '$1 will'],
  [/\b(\w+)'re\b/g, '$1 are'],
  [/\b(\w+)'s\b/g, '$1'],
];

/** Brand spellings customers use; all map to one token so one training example covers all. */
const BRAND = /\bt[\s._-]*mobile\b|\btmo\b|\bt[\s._-]*mo\b(?=\s|$)/g;
/** Case numbers are replaced by a placeholder token so "CS-4K7P-2M9Q" generalises. */
const CASE_NUMBER = /\bcs[\s-]*[0-9a-z]{4}[\s-]*[0-9a-z]{4}\b/g;

/** Lower-cases, folds Unicode, expands contractions, unifies brand spellings and strips punctuation. */
export function normalize(text: string): string {
  let s = text.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc`´]/g, "'");
  s = s.replace(CASE_NUMBER, ' casenumber ');
  s = s.replace(BRAND, ' tmobile ');
  for (const [re, rep] of CONTRACTIONS) s = s.replace(re, rep);
  s = s.replace(/&/g, ' and ').replace(/@/g, ' at ');
  // keep letters and digits of every script; everything else separates words
  s = s.replace(/[^\p{L}\p{N}]+/gu, ' ');
  return s.trim().replace(/\s+/g, ' ');
}

/** Splits normalised text into word tokens. */
export function tokenize(normalized: string): string[] {
  return normalized ? normalized.split(' ') : [];
}
