/**
 * Edit distances, both from `natural` (imported by submodule: its index pulls in dotenv, WordNet
 * and classifiers). Two kinds, kept apart on purpose because callers were tuned against each:
 * - `typoDistance`: optimal string alignment (a swapped pair of adjacent letters is one edit, and
 *   no substring is edited twice), what typed answers to buttons are compared with;
 * - `damerauLevenshtein`: unrestricted Damerau-Levenshtein (transpositions of edited substrings
 *   too: "ca" → "abc" is 2, not 3), what the spelling corrector and the intent lint use.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type DistanceFn = (a: string, b: string, opts?: { transposition_cost?: number; restricted?: boolean }) => number;
const distances = require('natural/lib/natural/distance/levenshtein_distance.js') as { DamerauLevenshteinDistance: DistanceFn };

/** Unrestricted Damerau-Levenshtein distance: insertions, deletions, substitutions and transpositions cost 1. */
export const damerauLevenshtein = (a: string, b: string): number => distances.DamerauLevenshteinDistance(a, b);

const RESTRICTED = { restricted: true } as const;

/**
 * Optimal-string-alignment distance between a typed word and a choice's words; `Infinity` when
 * their lengths differ by more than 3 (never a typo, and it saves the table).
 */
export function typoDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Infinity;
  return distances.DamerauLevenshteinDistance(a, b, RESTRICTED);
}
