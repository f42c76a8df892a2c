/**
 * Readers for labelled intent data sets: the project's `intents/` folder, CSV `text,label`
 * (RFC 4180 quoting), the CLINC150 JSON (`data_full.json`) and the Braun et al. 2017 corpora.
 * They only parse: choosing splits and scoring is the evaluator's job.
 */
import { readFileSync } from 'node:fs';
import type { LabelledText } from '../classifier.js';
import { loadIntents } from '../intents.js';

/** The label CLINC150 gives out-of-scope queries; the evaluator treats it as "no intent". */
export const OOS_LABEL = 'oos';

/** Error for a data file that cannot be read as labelled text; names the file and the place. */
export class DatasetError extends Error {
  constructor(file: string, where: string, problem: string) {
    super(`${file}: ${where}: ${problem}`);
    this.name = 'DatasetError';
  }
}

/** Splits CSV text into rows of fields (quoted fields may hold commas, `""` and new lines). */
export function parseCsv(text: string, file = '(csv)'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = '', quoted = false, line = 1, i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else { if (c === '\n') line++; field += c; }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = []; line++;
    } else field += c;
  }
  if (quoted) throw new DatasetError(file, `line ${line}`, 'unterminated quoted field');
  row.push(field);
  if (row.length > 1 || row[0] !== '') rows.push(row);
  return rows;
}

/**
 * Reads CSV with a text column and a label column. A header row is recognised when its first
 * field is `text`/`utterance`/`sentence`; without one, column 1 is the text and column 2 the label.
 */
export function readCsvDataset(file: string): LabelledText[] {
  const rows = parseCsv(readFileSync(file, 'utf8'), file);
  if (rows.length === 0) throw new DatasetError(file, 'line 1', 'empty file');
  let ti = 0, li = 1, start = 0;
  const head = rows[0].map((h) => h.trim().toLowerCase());
  if (['text', 'utterance', 'sentence', 'query'].includes(head[0]) || head.includes('label') || head.includes('intent')) {
    start = 1;
    ti = Math.max(0, head.findIndex((h) => ['text', 'utterance', 'sentence', 'query'].includes(h)));
    li = head.findIndex((h) => ['label', 'intent', 'category', 'class'].includes(h));
    if (li < 0) li = ti === 0 ? 1 : 0;
  }
  const out: LabelledText[] = [];
  for (let r = start; r < rows.length; r++) {
    const row = rows[r];
    const text = row[ti]?.trim(), label = row[li]?.trim();
    if (!text || !label) throw new DatasetError(file, `row ${r + 1}`, 'needs a text and a label');
    out.push({ text, label });
  }
  return out;
}

/** The splits of CLINC150's `data_full.json`: in-scope rows and out-of-scope rows per split. */
export interface ClincData {
  train: LabelledText[]; val: LabelledText[]; test: LabelledText[];
  oosTrain: LabelledText[]; oosVal: LabelledText[]; oosTest: LabelledText[];
}

/** Reads CLINC150 JSON (`{train: [[text, intent]], oos_train: …}`); out-of-scope rows get `oos`. */
export function readClinc(file: string): ClincData {
  let raw: Record<string, unknown>;
  try { raw = JSON.parse(readFileSync(file, 'utf8')); } catch (e) { throw new DatasetError(file, '(json)', (e as Error).message); }
  const split = (key: string, required: boolean): LabelledText[] => {
    const rows = raw[key];
    if (rows === undefined && !required) return [];
    if (!Array.isArray(rows)) throw new DatasetError(file, key, 'missing or not an array of [text, intent]');
    return rows.map((r, i) => {
      if (!Array.isArray(r) || typeof r[0] !== 'string' || typeof r[1] !== 'string') throw new DatasetError(file, `${key}[${i}]`, 'not [text, intent]');
      return { text: r[0], label: r[1] };
    });
  };
  return {
    train: split('train', true), val: split('val', false), test: split('test', true),
    oosTrain: split('oos_train', false), oosVal: split('oos_val', false), oosTest: split('oos_test', false),
  };
}

/** Reads a Braun et al. 2017 corpus: `{sentences: [{text, intent, training}]}`. */
export function readBraun(file: string): { train: LabelledText[]; test: LabelledText[] } {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { sentences?: Array<{ text: string; intent: string; training: boolean }> };
  if (!Array.isArray(raw.sentences)) throw new DatasetError(file, 'sentences', 'missing');
  const train: LabelledText[] = [], test: LabelledText[] = [];
  for (const s of raw.sentences) (s.training ? train : test).push({ text: s.text, label: s.intent });
  return { train, test };
}

/** The project's own `intents/*.yml` as labelled rows. */
export function readIntentsDir(dir: string): LabelledText[] {
  return loadIntents(dir).flatMap((d) => d.examples.map((text) => ({ text, label: d.intent as string })));
}
