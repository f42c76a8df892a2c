/**
 * A check of training data that catches what quietly hurts a classifier: the same utterance twice,
 * one utterance taught as two intents, intents with too few examples, and utterances under two
 * intents that differ only by a typo or a word (the model cannot tell those intents apart).
 */
import type { LabelledText } from '../classifier.js';
import { normalize } from '../../text/normalize.js';
import { damerauLevenshtein } from '../../text/distance.js';

export type LintKind = 'duplicate' | 'conflict' | 'too-few' | 'near-duplicate';

export interface LintFinding {
  kind: LintKind;
  /** `error` must be fixed (conflicting labels); `warning` is worth a look. */
  severity: 'error' | 'warning';
  message: string;
  intents: string[];
  texts: string[];
}

export interface LintOptions {
  /** Fewer examples than this for an intent is reported. */
  minExamples: number;
  /** Word-level Jaccard similarity at or above which two utterances of different intents are near-duplicates. */
  jaccard: number;
  /** Character edit distance (on normalised text) at or below which they are near-duplicates. */
  maxEdits: number;
}

export const DEFAULT_LINT: LintOptions = { minExamples: 25, jaccard: 0.8, maxEdits: 2 };

/** Runs every check; findings are sorted errors first. */
export function lintExamples(examples: LabelledText[], opts: Partial<LintOptions> = {}): LintFinding[] {
  const o = { ...DEFAULT_LINT, ...opts };
  const findings: LintFinding[] = [];
  const byKey = new Map<string, LabelledText[]>();
  for (const e of examples) {
    const key = normalize(e.text);
    const l = byKey.get(key);
    if (l) l.push(e); else byKey.set(key, [e]);
  }
  for (const [, group] of byKey) {
    if (group.length < 2) continue;
    const intents = [...new Set(group.map((g) => g.label))].sort();
    if (intents.length > 1) {
      findings.push({ kind: 'conflict', severity: 'error', intents, texts: group.map((g) => g.text), message: `"${group[0].text}" is an example of ${intents.join(' and ')}` });
    } else {
      findings.push({ kind: 'duplicate', severity: 'warning', intents, texts: group.map((g) => g.text), message: `"${group[0].text}" appears ${group.length} times in ${intents[0]}` });
    }
  }
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  for (const [label, n] of [...counts].sort()) {
    if (n < o.minExamples) findings.push({ kind: 'too-few', severity: 'warning', intents: [label], texts: [], message: `${label} has ${n} examples (at least ${o.minExamples} recommended)` });
  }
  // near-duplicates across intents: compare distinct normalised texts pairwise (small sets only)
  const uniq = [...byKey.entries()].map(([key, g]) => ({ key, label: g[0].label, text: g[0].text, words: new Set(key.split(' ')) }));
  if (uniq.length <= 5000) {
    for (let i = 0; i < uniq.length; i++) {
      for (let j = i + 1; j < uniq.length; j++) {
        const a = uniq[i], b = uniq[j];
        if (a.label === b.label || a.key === b.key) continue;
        let inter = 0;
        for (const w of a.words) if (b.words.has(w)) inter++;
        const jac = inter / (a.words.size + b.words.size - inter);
        const close = jac >= o.jaccard || (Math.abs(a.key.length - b.key.length) <= o.maxEdits && a.key.length > 6 && damerauLevenshtein(a.key, b.key) <= o.maxEdits);
        if (close) findings.push({ kind: 'near-duplicate', severity: 'warning', intents: [a.label, b.label], texts: [a.text, b.text], message: `"${a.text}" (${a.label}) is almost "${b.text}" (${b.label})` });
      }
    }
  }
  const rank = { error: 0, warning: 1 } as const;
  return findings.sort((a, b) => rank[a.severity] - rank[b.severity] || a.kind.localeCompare(b.kind) || a.message.localeCompare(b.message));
}
