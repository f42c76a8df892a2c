/**
 * The parts of `natural` the recognizer uses, imported by submodule: the package's index pulls in
 * dotenv, WordNet and classifiers we do not need (slow start-up and console noise).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Stemmer { stem(token: string): string }
type DistanceFn = (a: string, b: string, opts?: { transposition_cost?: number }) => number;

export const PorterStemmer: Stemmer = require('natural/lib/natural/stemmers/porter_stemmer.js');
const distances = require('natural/lib/natural/distance/levenshtein_distance.js') as {
  DamerauLevenshteinDistance: DistanceFn;
};
/** Optimal-string-alignment distance: a swapped pair of letters costs 1, like a typo. */
export const damerauLevenshtein: DistanceFn = distances.DamerauLevenshteinDistance;
