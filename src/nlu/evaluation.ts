/**
 * Measuring a classifier: stratified k-fold cross-validation, accuracy / macro-F1 / per-intent
 * precision-recall-F1, confusion pairs, out-of-scope metrics at a threshold and the threshold a
 * validation set suggests. Model-agnostic: anything that can be trained on labelled texts and
 * returns a label with a score can be measured (the benchmark measures other libraries with it).
 */
import { mulberry32, TextClassifier, type LabelledText, type TrainOptions } from './classifier.js';

/** One prediction: the best label and its score in 0..1. */
export interface Prediction { label: string; score: number }

/** A trained model as the evaluator sees it. */
export interface Model { predict(text: string): Prediction }

/** Trains a model on labelled texts. */
export type Trainer = (train: LabelledText[]) => Model | Promise<Model>;

/** A test example with what the model said about it. */
export interface Scored { text: string; gold: string; predicted: string; score: number }

export interface PerLabel { label: string; precision: number; recall: number; f1: number; support: number }

export interface Report {
  n: number;
  accuracy: number;
  macroF1: number;
  perLabel: PerLabel[];
  labels: string[];
  /** confusion[i][j]: gold `labels[i]` predicted as `labels[j]`. */
  confusion: number[][];
  /** Most frequent (gold → predicted) mistakes, most first. */
  confusedPairs: Array<{ gold: string; predicted: string; count: number }>;
  misclassified: Scored[];
}

/** Out-of-scope metrics at one threshold. */
export interface OosReport {
  threshold: number;
  /** In-scope examples with the right intent and not rejected. */
  inScopeAccuracy: number;
  /** Out-of-scope examples rejected (predicted out of scope or scored below the threshold). */
  oosRecall: number;
  inScopeN: number;
  oosN: number;
}

/**
 * Applies the recognizer's rule: a prediction scored below `threshold` becomes `oosLabel`.
 * Returns new rows; the score is kept so thresholds can be compared on the same predictions.
 */
export function applyThreshold(rows: Scored[], threshold: number, oosLabel: string): Scored[] {
  return rows.map((r) => (r.score < threshold && r.predicted !== oosLabel ? { ...r, predicted: oosLabel } : r));
}

/** Accuracy, macro-F1, per-label P/R/F1, confusion matrix and mistakes of scored rows. */
export function report(rows: Scored[], maxMistakes = Infinity): Report {
  const labels = [...new Set(rows.flatMap((r) => [r.gold, r.predicted]))].sort();
  const at = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  let right = 0;
  for (const r of rows) {
    confusion[at.get(r.gold)!][at.get(r.predicted)!]++;
    if (r.gold === r.predicted) right++;
  }
  const goldLabels = new Set(rows.map((r) => r.gold));
  const perLabel: PerLabel[] = labels.map((label, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[i], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  // macro-F1 over the labels that occur in the gold data (a spurious prediction label counts
  // against precision of nothing, but its false positives already lower the gold labels' recall)
  const scored = perLabel.filter((p) => goldLabels.has(p.label));
  const macroF1 = scored.length ? scored.reduce((a, p) => a + p.f1, 0) / scored.length : 0;
  const confusedPairs: Report['confusedPairs'] = [];
  labels.forEach((g, i) => labels.forEach((p, j) => { if (i !== j && confusion[i][j] > 0) confusedPairs.push({ gold: g, predicted: p, count: confusion[i][j] }); }));
  confusedPairs.sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold));
  const misclassified = rows.filter((r) => r.gold !== r.predicted).slice(0, maxMistakes);
  return { n: rows.length, accuracy: rows.length ? right / rows.length : 0, macroF1, perLabel, labels, confusion, confusedPairs, misclassified };
}

/** In-scope accuracy and out-of-scope recall at `threshold`. */
export function oosReport(rows: Scored[], threshold: number, isOos: (label: string) => boolean): OosReport {
  let inRight = 0, inN = 0, oosRight = 0, oosN = 0;
  for (const r of rows) {
    const rejected = isOos(r.predicted) || r.score < threshold;
    if (isOos(r.gold)) { oosN++; if (rejected) oosRight++; } else { inN++; if (!rejected && r.predicted === r.gold) inRight++; }
  }
  return { threshold, inScopeAccuracy: inN ? inRight / inN : 0, oosRecall: oosN ? oosRight / oosN : 0, inScopeN: inN, oosN };
}

/**
 * A threshold (0.00–0.99, step 0.01) chosen on validation rows. Without `minOosRecall`: the one
 * that maximises in-scope accuracy + out-of-scope recall (both kinds of mistake cost the customer
 * about the same: a wrong path, or nonsense answered as if understood). With it: the lowest
 * threshold whose out-of-scope recall reaches `minOosRecall` (an operating point: "catch at least
 * this share of out-of-scope messages, and lose as few real requests as possible"); if none does,
 * the one with the highest recall. Ties go to the lower threshold.
 */
export function suggestThreshold(rows: Scored[], isOos: (label: string) => boolean, minOosRecall?: number): OosReport {
  const all = Array.from({ length: 100 }, (_, t) => oosReport(rows, t / 100, isOos));
  if (minOosRecall !== undefined) {
    const reached = all.find((r) => r.oosRecall >= minOosRecall - 1e-12);
    if (reached) return reached;
    return all.reduce((best, r) => (r.oosRecall > best.oosRecall ? r : best));
  }
  return all.reduce((best, r) => (r.inScopeAccuracy + r.oosRecall > best.inScopeAccuracy + best.oosRecall + 1e-12 ? r : best));
}

/** Scores every test text with a trained model. */
export function predictAll(model: Model, test: LabelledText[]): Scored[] {
  return test.map((e) => {
    const p = model.predict(e.text);
    return { text: e.text, gold: e.label, predicted: p.label, score: p.score };
  });
}

/**
 * Stratified k-fold split: each label's examples are shuffled (seeded) and dealt round-robin,
 * so every fold has each label in proportion. Returns fold index per example.
 */
export function stratifiedFolds(examples: LabelledText[], k: number, seed = 1): number[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`folds must be an integer ≥ 2 (got ${k})`);
  const rand = mulberry32(seed);
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => { const l = byLabel.get(e.label); if (l) l.push(i); else byLabel.set(e.label, [i]); });
  const fold = new Array<number>(examples.length);
  let offset = 0;
  for (const label of [...byLabel.keys()].sort()) {
    const ids = byLabel.get(label)!;
    for (let i = ids.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [ids[i], ids[j]] = [ids[j], ids[i]]; }
    // continue dealing where the last label stopped, so small labels do not all land in fold 0
    ids.forEach((id, i) => { fold[id] = (offset + i) % k; });
    offset = (offset + ids.length) % k;
  }
  return fold;
}

/** k-fold cross-validation: every example is predicted by a model that never saw it. */
export async function crossValidate(examples: LabelledText[], train: Trainer, k = 5, seed = 1): Promise<Scored[]> {
  const fold = stratifiedFolds(examples, k, seed);
  const out: Array<Scored | undefined> = new Array(examples.length);
  for (let f = 0; f < k; f++) {
    const model = await train(examples.filter((_, i) => fold[i] !== f));
    examples.forEach((e, i) => {
      if (fold[i] !== f) return;
      const p = model.predict(e.text);
      out[i] = { text: e.text, gold: e.label, predicted: p.label, score: p.score };
    });
  }
  return out as Scored[];
}

/** A confusion matrix as a self-contained SVG (rows: true intent, columns: predicted). */
export function confusionSvg(r: Report, title = 'Confusion matrix'): string {
  const n = r.labels.length;
  const cell = n > 40 ? 8 : n > 20 ? 16 : 28;
  const showLabels = n <= 60;
  const margin = showLabels ? Math.min(180, 8 + 7 * Math.max(...r.labels.map((l) => l.length))) : 20;
  const top = margin + 30;
  const size = n * cell;
  const heading = `${title}: accuracy ${(100 * r.accuracy).toFixed(1)}%, macro-F1 ${r.macroF1.toFixed(3)}, n=${r.n} (rows: true, columns: predicted)`;
  // room on the right for the last rotated column labels, and for the heading
  const W = Math.max(margin + size + (showLabels ? margin / 2 : 20), 16 + 7.5 * heading.length), H = top + size + 20;
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="${Math.min(12, cell - 2)}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">${esc(heading)}</text>`,
  ];
  r.labels.forEach((label, i) => {
    const total = r.confusion[i].reduce((a, b) => a + b, 0) || 1;
    r.confusion[i].forEach((c, j) => {
      if (c === 0 && i !== j) return;
      const share = c / total;
      // diagonal in blue, mistakes in red; darker = larger share of the row
      const colour = i === j ? `rgb(${Math.round(255 - 200 * share)},${Math.round(255 - 120 * share)},255)` : `rgb(255,${Math.round(230 - 200 * Math.min(1, share * 3))},${Math.round(230 - 200 * Math.min(1, share * 3))})`;
      parts.push(`<rect x="${margin + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="${colour}"><title>${esc(label)} → ${esc(r.labels[j])}: ${c}</title></rect>`);
      if (cell >= 16 && c > 0) parts.push(`<text x="${margin + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" text-anchor="middle">${c}</text>`);
    });
    if (showLabels) {
      parts.push(`<text x="${margin - 4}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${esc(label)}</text>`);
      parts.push(`<text transform="translate(${margin + i * cell + cell / 2 + 4},${top - 4}) rotate(-60)">${esc(label)}</text>`);
    }
  });
  parts.push(`<rect x="${margin}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#888"/>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}

/** The plain-text report people read in a terminal. */
export function formatReport(r: Report, opts: { title?: string; maxMistakes?: number; maxPairs?: number } = {}): string {
  const pct = (x: number) => (100 * x).toFixed(1) + '%';
  const out: string[] = [];
  if (opts.title) out.push(opts.title, '');
  out.push(`examples ${r.n}   accuracy ${pct(r.accuracy)}   macro-F1 ${r.macroF1.toFixed(3)}`, '');
  const w = Math.max(6, ...r.labels.map((l) => l.length));
  out.push(`${'intent'.padEnd(w)}  precision  recall     F1  support`);
  for (const p of r.perLabel) out.push(`${p.label.padEnd(w)}  ${pct(p.precision).padStart(9)}  ${pct(p.recall).padStart(6)}  ${p.f1.toFixed(3).padStart(5)}  ${String(p.support).padStart(7)}`);
  out.push('', 'most confused (true → predicted):');
  const pairs = r.confusedPairs.slice(0, opts.maxPairs ?? 10);
  if (pairs.length === 0) out.push('  none');
  for (const p of pairs) out.push(`  ${String(p.count).padStart(4)}  ${p.gold} → ${p.predicted}`);
  const mistakes = r.misclassified.slice(0, opts.maxMistakes ?? 50);
  out.push('', `misclassified (${r.misclassified.length}${mistakes.length < r.misclassified.length ? `, first ${mistakes.length}` : ''}):`);
  if (mistakes.length === 0) out.push('  none');
  for (const m of mistakes) out.push(`  [${m.gold} → ${m.predicted} ${m.score.toFixed(2)}] ${m.text}`);
  return out.join('\n') + '\n';
}

/**
 * Our classifier as an evaluator `Trainer`. A text with no known feature at all (emoji, another
 * script) gets `emptyLabel` with score 1 when given, as the recognizer answers `none` for it.
 */
export function textClassifierTrainer(options: Partial<TrainOptions> = {}, emptyLabel?: string): Trainer {
  return (train) => {
    const m = TextClassifier.train(train, options);
    return {
      predict(text: string): Prediction {
        const x = m.featurizer.transform(text);
        if (emptyLabel !== undefined && x.idx.length === 0) return { label: emptyLabel, score: 1 };
        const p = m.probabilities(x);
        let best = 0;
        for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
        return { label: m.labels[best], score: p[best] };
      },
    };
  };
}
