/**
 * Measuring the classifier per language: cross-validation within each language's intents, the
 * held-out phrasings of each language through the whole recognizer (language identification,
 * then that language's model), and language identification itself. `joint` measures the
 * alternative, one model trained on every language at once, on the same folds and held-out sets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { LabelledText } from '../classifier.js';
import { readIntentsDir } from './datasets.js';
import { applyThreshold, crossValidate, oosReport, report, stratifiedFolds, suggestThreshold, textClassifierTrainer, type OosReport, type Report, type Scored } from '../evaluation.js';
import { LANGUAGES, type Language } from '../languages.js';
import { MIN_WORDS } from '../languageId.js';
import { IntentRecognizer, trainFor, type ModelKind } from '../recognizer.js';
import { topIntent } from '../recognizerPort.js';

export type { ModelKind };

const isNone = (label: string) => label === 'none' || label === 'oos';

/** Where a language's intents live: `intents/` is English, `intents/<lang>/` any other. */
export function intentsDirOf(dir: string, language: Language): string {
  return language === 'en' ? dir : join(dir, language);
}

/** The languages that have intents under `dir` (English always). */
export function languagesIn(dir: string): Language[] {
  return LANGUAGES.filter((l) => l === 'en' || existsSync(intentsDirOf(dir, l)));
}

/** Reads a held-out file (`intent: [phrasings]`) as labelled rows. */
export function readHeldOut(file: string): LabelledText[] {
  const data = parse(readFileSync(file, 'utf8')) as Record<string, string[]>;
  return Object.entries(data).flatMap(([label, texts]) => texts.map((text) => ({ text: String(text), label })));
}

export interface LanguageCv {
  language: Language;
  report: Report;
  atThreshold: OosReport;
  suggested: OosReport;
}

/**
 * k-fold cross-validation per language. `per-language`: each language's model is trained and
 * tested on its own intents. `joint`: one model over all languages' intents (stratified by
 * language and intent), its predictions then reported per language.
 */
export async function crossValidateLanguages(dir: string, languages: Language[], kind: ModelKind, folds: number, threshold: number, minOosRecall?: number): Promise<LanguageCv[]> {
  const data = new Map(languages.map((l) => [l, readIntentsDir(intentsDirOf(dir, l))]));
  const rowsBy = new Map<Language, Scored[]>();
  // one language has nothing to share a model with (the recognizer does the same)
  if (kind === 'per-language' || languages.length === 1) {
    for (const l of languages) rowsBy.set(l, await crossValidate(data.get(l)!, textClassifierTrainer(trainFor(l), 'none'), folds));
  } else {
    // fold by language and intent together, so each fold holds every language's share of each intent
    const all = languages.flatMap((l) => data.get(l)!.map((e) => ({ ...e, label: `${l}\u0000${e.label}` })));
    const fold = stratifiedFolds(all, folds);
    const out: Scored[] = new Array(all.length);
    for (let f = 0; f < folds; f++) {
      const model = await textClassifierTrainer(trainFor('multi'), 'none')(all.filter((_, i) => fold[i] !== f).map((e) => ({ text: e.text, label: e.label.split('\u0000')[1] })));
      all.forEach((e, i) => {
        if (fold[i] !== f) return;
        const p = model.predict(e.text);
        out[i] = { text: e.text, gold: e.label, predicted: p.label, score: p.score };
      });
    }
    for (const l of languages) {
      rowsBy.set(l, out.filter((r) => r.gold.startsWith(`${l}\u0000`)).map((r) => ({ ...r, gold: r.gold.split('\u0000')[1] })));
    }
  }
  return languages.map((language) => {
    const rows = rowsBy.get(language)!;
    return {
      language,
      report: report(applyThreshold(rows, threshold, 'none')),
      atThreshold: oosReport(rows, threshold, isNone),
      suggested: suggestThreshold(rows, isNone, minOosRecall),
    };
  });
}

export interface HeldOutResult {
  language: Language;
  file: string;
  /** With the threshold applied, `none` counted as a class (as the bot decides). */
  report: Report;
  /** Held-out phrasings. */
  n: number;
  accuracy: number;
  noneRecall: number;
  /** Held-out phrasings whose language was identified wrongly. */
  wrongLanguage: number;
}

/**
 * Scores each language's held-out phrasings through the recognizer as the bot runs it, trained
 * on all of `dir` (language identified with no prior; for `per-language`, that language's model).
 */
export function heldOutLanguages(dir: string, files: Partial<Record<Language, string>>, kind: ModelKind, threshold: number, trained?: IntentRecognizer): HeldOutResult[] {
  const languages = languagesIn(dir).filter((l) => files[l] && existsSync(files[l]!));
  const recognizer = trained ?? IntentRecognizer.fromDirectory(dir, { threshold, model: kind });
  const predict = (text: string) => { const r = recognizer.recognizeText(text); const t = topIntent(r); return { label: t.intent, score: t.score, language: r.language }; };
  return languages.map((language) => {
    const test = readHeldOut(files[language]!);
    let wrongLanguage = 0;
    const rows: Scored[] = test.map((e) => {
      const p = predict(e.text);
      if (p.language && p.language !== language) wrongLanguage++;
      return { text: e.text, gold: e.label, predicted: p.label, score: p.score };
    });
    const r = report(applyThreshold(rows, threshold, 'none'));
    const none = r.perLabel.find((p) => p.label === 'none');
    return { language, file: files[language]!, report: r, n: r.n, accuracy: r.accuracy, noneRecall: none?.recall ?? 0, wrongLanguage };
  });
}

export interface LanguageIdResult {
  /** Messages of `MIN_WORDS` words or more. */
  long: { right: number; n: number; accuracy: number };
  /** Shorter messages, identified with no conversation language to keep. */
  short: { right: number; n: number; accuracy: number };
  /** Third-language messages recognised as neither English nor Spanish. */
  other: { right: number; n: number };
  mistakes: Array<{ text: string; gold: string; got: string }>;
}

/**
 * Language identification on labelled messages (`{en: [...], es: [...], other: [...]}` files and
 * held-out sets), each read alone: no conversation language, no locale.
 */
export function languageIdReport(recognizer: IntentRecognizer, labelled: Array<{ text: string; language: Language | 'other' }>): LanguageIdResult {
  const long = { right: 0, n: 0, accuracy: 0 }, short = { right: 0, n: 0, accuracy: 0 }, other = { right: 0, n: 0 };
  const mistakes: LanguageIdResult['mistakes'] = [];
  for (const { text, language } of labelled) {
    const g = recognizer.identify(text);
    const got = g.detected === 'other' ? 'other' : g.language;
    if (language === 'other') { other.n++; if (got === 'other') other.right++; else mistakes.push({ text, gold: language, got }); continue; }
    const bucket = g.words >= MIN_WORDS ? long : short;
    bucket.n++;
    if (got === language) bucket.right++;
    else mistakes.push({ text, gold: language, got });
  }
  long.accuracy = long.n ? long.right / long.n : 0;
  short.accuracy = short.n ? short.right / short.n : 0;
  return { long, short, other, mistakes };
}

/** The labelled language-ID messages: the language-ID fixture plus every held-out phrasing. */
export function languageIdSet(langIdFile: string, heldOut: Partial<Record<Language, string>>): Array<{ text: string; language: Language | 'other' }> {
  const out: Array<{ text: string; language: Language | 'other' }> = [];
  if (existsSync(langIdFile)) {
    const data = parse(readFileSync(langIdFile, 'utf8')) as Record<string, string[]>;
    for (const [language, texts] of Object.entries(data)) for (const text of texts) out.push({ text: String(text), language: language as Language | 'other' });
  }
  for (const [language, file] of Object.entries(heldOut)) {
    if (file && existsSync(file)) for (const e of readHeldOut(file)) out.push({ text: e.text, language: language as Language });
  }
  return out;
}

/** Default held-out files of the project: `test/fixtures/nlu-heldout.yml`, `nlu-heldout-<lang>.yml`. */
export function defaultHeldOutFiles(root: string): Partial<Record<Language, string>> {
  return Object.fromEntries(LANGUAGES.map((l) => [l, join(root, 'test', 'fixtures', l === 'en' ? 'nlu-heldout.yml' : `nlu-heldout-${l}.yml`)]));
}
