import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, isSeq } from 'yaml';
import { normalize } from '../text/normalize.js';
import type { ReviewLabel } from '../storage/reviewLabelStore.js';
import type { TrainingData } from './labelling.js';

/** What an export did. */
export interface ExportResult {
  /** Phrasings added, per intent file. */
  added: Array<{ file: string; intent: string; language: string; examples: string[] }>;
  /** Labels not written, with why. */
  skipped: Array<{ text: string; intent: string; language: string; reason: string }>;
}

/**
 * Writes the labelled phrasings into the training files (`intents/<intent>.yml`, or
 * `intents/<language>/<intent>.yml`), after the examples already there, keeping the files'
 * comments and layout, so they reach the repository through a normal change. Safe to run again:
 * a phrasing already in its file is left alone, and one that is another intent's example there
 * (the files changed since it was labelled) is skipped with the reason. `dryRun` writes nothing.
 */
export function exportLabels(labels: readonly ReviewLabel[], training: TrainingData, options: { dryRun?: boolean; note?: string } = {}): ExportResult {
  const result: ExportResult = { added: [], skipped: [] };
  const pending = new Map<string, { file: string; intent: string; language: string; examples: string[] }>();
  const seen = new Set<string>();
  for (const l of labels) {
    const skip = (reason: string) => result.skipped.push({ text: l.text, intent: l.intent, language: l.language, reason });
    const definitions = training.definitions(l.language);
    if (!definitions) { skip(`there is no training data for "${l.language}" (${training.dirOf(l.language)})`); continue; }
    const key = normalize(l.text);
    if (seen.has(`${l.language}\u0000${key}`)) continue;
    seen.add(`${l.language}\u0000${key}`);
    const owner = definitions.find((d) => d.examples.some((e) => normalize(e) === key));
    if (owner?.intent === l.intent) { skip(`already in ${training.fileOf(l.language, l.intent)}`); continue; }
    if (owner) { skip(`"${l.text}" is an example of ${owner.intent} in ${training.fileOf(l.language, owner.intent)}; one phrasing cannot be under two intents`); continue; }
    const file = join(training.dirOf(l.language), `${l.intent}.yml`);
    if (!existsSync(file)) { skip(`${training.fileOf(l.language, l.intent)} does not exist`); continue; }
    const entry = pending.get(file) ?? { file: training.fileOf(l.language, l.intent), intent: l.intent, language: l.language, examples: [] };
    entry.examples.push(l.text);
    pending.set(file, entry);
  }
  for (const [path, entry] of pending) {
    const doc = parseDocument(readFileSync(path, 'utf8'));
    const seq = doc.get('examples', true);
    if (!isSeq(seq)) throw new Error(`${entry.file}: "examples" is not a list`);
    entry.examples.forEach((text, i) => {
      const node = doc.createNode(text);
      if (i === 0 && options.note) node.commentBefore = ` ${options.note}`;
      seq.items.push(node);
    });
    if (!options.dryRun) writeFileSync(path, doc.toString({ lineWidth: 0 }));
    result.added.push(entry);
  }
  return result;
}
