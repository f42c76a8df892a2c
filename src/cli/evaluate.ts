/**
 * `npm run -s evaluate`: how well the classifier does, for support staff editing `intents/` and
 * developers changing the model.
 *
 *   npm run -s evaluate                      per language (intents/ English, intents/es/ Spanish): 5-fold
 *                                            cross-validation, held-out phrasings, language identification
 *   npm run -s evaluate -- --lang es         one language only
 *   npm run -s evaluate -- --model per-language   the alternative: one model per language
 *   npm run -s evaluate -- --folds 10        another number of folds
 *   npm run -s evaluate -- --train a.csv --test b.csv      any labelled CSV (text,label)
 *   npm run -s evaluate -- --train data_full.json --format clinc   CLINC150 with out-of-scope
 *   npm run -s evaluate -- --json            machine-readable report on stdout
 *   npm run -s evaluate -- --svg out.svg     where the confusion-matrix picture goes
 *   npm run -s lint-intents                  only the data check (exit 1 on conflicts)
 *
 * Out-of-scope examples are those labelled `none` or `oos`. The suggested threshold maximises
 * in-scope accuracy + out-of-scope recall, or with `--min-oos-recall 0.8` is the lowest one that
 * catches at least that share of out-of-scope messages.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, ROOT } from '../config.js';
import type { LabelledText } from '../nlu/classifier.js';
import { readClinc, readCsvDataset, readIntentsDir } from '../nlu/offline/datasets.js';
import {
  applyThreshold, confusionSvg, formatReport, oosReport, predictAll, report, stratifiedFolds,
  suggestThreshold, textClassifierTrainer, type OosReport, type Report, type Scored,
} from '../nlu/evaluation.js';
import { lintExamples, type LintFinding } from '../nlu/offline/lint.js';
import { IntentRecognizer } from '../nlu/recognizer.js';
import { isLanguage, type Language } from '../nlu/languages.js';
import {
  crossValidateLanguages, defaultHeldOutFiles, heldOutLanguages, intentsDirOf, languageIdReport, languageIdSet, languagesIn,
  type HeldOutResult, type LanguageIdResult, type ModelKind,
} from '../nlu/offline/languageEvaluation.js';

const USAGE = `usage: npm run -s evaluate -- [--folds N] [--lang en|es] [--model joint|per-language]
       [--train FILE [--test FILE] [--val FILE] [--format csv|clinc]]
       [--threshold X] [--min-oos-recall R] [--json] [--svg FILE] [--intents DIR] [--lint] [--max-mistakes N]`;

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Spanish' };

const isOos = (label: string) => label === 'none' || label === 'oos';

interface Output {
  mode: 'cross-validation' | 'train-test';
  source: string;
  folds?: number;
  threshold: number;
  report: Report;
  outOfScope?: { atThreshold: OosReport; suggested: OosReport; suggestedFrom: string };
  lint?: LintFinding[];
  svg: string;
  trainSeconds?: number;
  /** Cross-validation: the model measured (`joint` is what the bot runs). */
  model?: ModelKind;
  /** Cross-validation: one entry per language (the top-level fields repeat the first, English). */
  languages?: LanguageOutput[];
  /** Each language's held-out phrasings (the project's own intents only). */
  heldOut?: Array<Omit<HeldOutResult, 'report'> & { misclassified: Scored[] }>;
  languageId?: LanguageIdResult;
}

interface LanguageOutput {
  language: Language;
  source: string;
  report: Report;
  outOfScope: { atThreshold: OosReport; suggested: OosReport; suggestedFrom: string };
  lint: LintFinding[];
  svg: string;
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        folds: { type: 'string' }, train: { type: 'string' }, test: { type: 'string' }, val: { type: 'string' },
        format: { type: 'string' }, threshold: { type: 'string' }, json: { type: 'boolean' }, svg: { type: 'string' },
        intents: { type: 'string' }, lint: { type: 'boolean' }, lang: { type: 'string' }, model: { type: 'string' }, 'min-oos-recall': { type: 'string' }, 'max-mistakes': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) { process.stdout.write(USAGE + '\n'); return 0; }
  const config = loadConfig();
  const number = (name: string, v: string | undefined, dflt: number, ok: (n: number) => boolean): number => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || !ok(n)) throw new UsageError(`--${name} ${v} is not valid`);
    return n;
  };
  const threshold = number('threshold', args.threshold, config.nluThreshold, (n) => n >= 0 && n <= 1);
  const folds = number('folds', args.folds, 5, (n) => Number.isInteger(n) && n >= 2 && n <= 50);
  const minRecallArg = args['min-oos-recall'];
  const minOosRecall = minRecallArg === undefined ? undefined : number('min-oos-recall', minRecallArg, 0, (n) => n > 0 && n <= 1);
  const maxMistakes = number('max-mistakes', args['max-mistakes'], 50, (n) => Number.isInteger(n) && n >= 0);
  const format = args.format ?? (args.train?.endsWith('.json') ? 'clinc' : 'csv');
  if (format !== 'csv' && format !== 'clinc') throw new UsageError(`--format must be csv or clinc (got ${format})`);
  const intentsDir = resolve(args.intents ?? config.intentsDir);
  const model = (args.model ?? 'joint') as ModelKind;
  if (model !== 'per-language' && model !== 'joint') throw new UsageError(`--model must be per-language or joint (got ${args.model})`);
  if (args.lang !== undefined && !isLanguage(args.lang)) throw new UsageError(`--lang must be one of en, es (got ${args.lang})`);
  const languages = args.lang ? [args.lang as Language] : languagesIn(intentsDir);

  if (args.lint) {
    const sections = languages.map((l) => ({ source: intentsDirOf(intentsDir, l), findings: lintExamples(readIntentsDir(intentsDirOf(intentsDir, l))) }));
    if (args.json) process.stdout.write(JSON.stringify(sections.length === 1 ? sections[0] : { ...sections[0], languages: sections }, null, 2) + '\n');
    else process.stdout.write(sections.map((x) => formatLint(x.findings, x.source)).join('\n'));
    return sections.some((x) => x.findings.some((f) => f.severity === 'error')) ? 1 : 0;
  }

  let out: Output;
  if (!args.train) {
    if (args.test) throw new UsageError('--test needs --train');
    const svgBase = resolve(args.svg ?? join(tmpdir(), 'support-bot-confusion.svg'));
    const cv = await crossValidateLanguages(intentsDir, languages, model, folds, threshold, minOosRecall);
    const perLanguage: LanguageOutput[] = cv.map((c, i) => {
      const source = intentsDirOf(intentsDir, c.language);
      const svg = i === 0 ? svgBase : svgBase.replace(/(\.svg)?$/, `-${c.language}.svg`);
      writeFileSync(svg, confusionSvg(c.report, `${LANGUAGE_NAMES[c.language]}: ${folds}-fold cross-validation`));
      return {
        language: c.language, source, report: c.report, lint: lintExamples(readIntentsDir(source)), svg,
        // the threshold suggested by the same cross-validated predictions
        outOfScope: { atThreshold: c.atThreshold, suggested: c.suggested, suggestedFrom: `${folds}-fold cross-validation` },
      };
    });
    const first = perLanguage[0];
    out = { mode: 'cross-validation', source: first.source, folds, threshold, report: first.report, lint: first.lint, svg: first.svg, outOfScope: first.outOfScope, model, languages: perLanguage };
    // held-out phrasings and language identification: for the project's own intents, which they were written for
    if (intentsDir === resolve(config.intentsDir)) {
      const files = Object.fromEntries(Object.entries(defaultHeldOutFiles(ROOT)).filter(([l]) => languages.includes(l as Language)));
      const recognizer = IntentRecognizer.fromDirectory(intentsDir, { threshold, model });
      out.heldOut = heldOutLanguages(intentsDir, files, model, threshold, recognizer).map(({ report: r, ...h }) => ({ ...h, misclassified: r.misclassified }));
      out.languageId = languageIdReport(recognizer, languageIdSet(join(ROOT, 'test', 'fixtures', 'langid.yml'), files));
    }
  } else {
    let train: LabelledText[], test: LabelledText[], val: LabelledText[] | undefined, valFrom = '';
    if (format === 'clinc') {
      const d = readClinc(resolve(args.train));
      const t = args.test ? readClinc(resolve(args.test)) : d;
      train = [...d.train, ...d.oosTrain];
      test = [...t.test, ...t.oosTest];
      if (d.val.length || d.oosVal.length) { val = [...d.val, ...d.oosVal]; valFrom = 'the validation split (val + oos_val)'; }
    } else {
      if (!args.test) throw new UsageError('--train FILE needs --test FILE (or --format clinc)');
      train = readCsvDataset(resolve(args.train));
      test = readCsvDataset(resolve(args.test));
      if (args.val) { val = readCsvDataset(resolve(args.val)); valFrom = args.val; }
    }
    const trainer = textClassifierTrainer({});
    const t0 = performance.now();
    const model = await trainer(train);
    const trainSeconds = (performance.now() - t0) / 1000;
    const rows = predictAll(model, test);
    const hasOos = test.some((e) => isOos(e.label));
    const oosLabel = test.find((e) => isOos(e.label))?.label ?? 'oos';
    out = { mode: 'train-test', source: `${args.train} → ${args.test ?? args.train}`, threshold, report: report(hasOos ? applyThreshold(rows, threshold, oosLabel) : rows), svg: '', trainSeconds };
    if (hasOos) {
      if (!val) {
        // no validation set given: hold out a tenth of the training set to choose the threshold
        const fold = stratifiedFolds(train, 10, 3);
        val = train.filter((_, i) => fold[i] === 0);
        const valModel = await trainer(train.filter((_, i) => fold[i] !== 0));
        out.outOfScope = { atThreshold: oosReport(rows, threshold, isOos), suggested: suggestThreshold(predictAll(valModel, val), isOos, minOosRecall), suggestedFrom: 'a tenth of the training set held out' };
      } else {
        out.outOfScope = { atThreshold: oosReport(rows, threshold, isOos), suggested: suggestThreshold(predictAll(model, val), isOos, minOosRecall), suggestedFrom: valFrom };
      }
    }
  }
  if (out.mode === 'train-test') {
    out.svg = resolve(args.svg ?? join(tmpdir(), 'support-bot-confusion.svg'));
    writeFileSync(out.svg, confusionSvg(out.report, 'Test set'));
  }
  if (args.json) {
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  if (out.languages) {
    for (const l of out.languages) {
      process.stdout.write(formatReport(l.report, { title: `${LANGUAGE_NAMES[l.language]} (${l.source}): ${folds}-fold cross-validation, ${model} model (threshold ${threshold}: below it the answer is none)`, maxMistakes }));
      writeOutOfScope(l.outOfScope, minOosRecall);
      const errors = l.lint.filter((f) => f.severity === 'error').length;
      process.stdout.write(`\ndata check: ${errors} errors, ${l.lint.length - errors} warnings${l.lint.length ? ' (details: npm run -s lint-intents)' : ''}\n`);
      process.stdout.write(`confusion matrix picture: ${l.svg}\n\n`);
    }
    process.stdout.write(formatSummary(out, folds));
    return 0;
  }
  process.stdout.write(formatReport(out.report, {
    title: `trained on ${args.train}, tested on ${args.test ?? args.train}${out.trainSeconds !== undefined ? ` (training ${out.trainSeconds.toFixed(1)} s)` : ''}`,
    maxMistakes,
  }));
  if (out.outOfScope) writeOutOfScope(out.outOfScope, minOosRecall);
  process.stdout.write(`confusion matrix picture: ${out.svg}\n`);
  return 0;
}

const pct = (x: number) => (100 * x).toFixed(1) + '%';

function writeOutOfScope(o: NonNullable<Output['outOfScope']>, minOosRecall: number | undefined): void {
  const { atThreshold: a, suggested: s, suggestedFrom } = o;
  process.stdout.write(`\nout of scope at threshold ${a.threshold}: in-scope accuracy ${pct(a.inScopeAccuracy)} (${a.inScopeN}), out-of-scope recall ${pct(a.oosRecall)} (${a.oosN})\n`);
  process.stdout.write(`threshold suggested by ${suggestedFrom}${minOosRecall !== undefined ? ` for out-of-scope recall ≥ ${minOosRecall}` : ''}: ${s.threshold} (there: in-scope ${pct(s.inScopeAccuracy)}, out-of-scope recall ${pct(s.oosRecall)})\n`);
}

/** One line per language with the numbers to compare before and after a change, then language identification. */
function formatSummary(out: Output, folds: number): string {
  const lines = [`summary (${out.model} model, threshold ${out.threshold})`, 'language  cv accuracy  cv none recall  held-out accuracy  held-out none recall'];
  for (const l of out.languages ?? []) {
    const h = out.heldOut?.find((x) => x.language === l.language);
    lines.push(`${l.language.padEnd(8)}  ${pct(l.report.accuracy).padStart(11)}  ${pct(l.outOfScope.atThreshold.oosRecall).padStart(14)}  ${(h ? `${pct(h.accuracy)} (${h.n})` : '-').padStart(17)}  ${(h ? pct(h.noneRecall) : '-').padStart(20)}`);
  }
  lines.push(`(cv: ${folds}-fold cross-validation on each language's intents; held-out: test/fixtures/nlu-heldout*.yml through the whole recognizer)`);
  for (const h of out.heldOut ?? []) {
    if (h.wrongLanguage) lines.push(`${h.language} held-out phrasings identified as another language: ${h.wrongLanguage}`);
    for (const m of h.misclassified.slice(0, 15)) lines.push(`  held-out ${h.language} [${m.gold} → ${m.predicted} ${m.score.toFixed(2)}] ${m.text}`);
  }
  const id = out.languageId;
  if (id) {
    lines.push('', `language identification: ${pct(id.long.accuracy)} of messages of 3+ words (${id.long.right}/${id.long.n}), ${pct(id.short.accuracy)} of shorter ones read alone (${id.short.right}/${id.short.n}), third languages recognised ${id.other.right}/${id.other.n}`);
    for (const m of id.mistakes.slice(0, 15)) lines.push(`  [${m.gold} → ${m.got}] ${m.text}`);
  }
  return lines.join('\n') + '\n';
}

function formatLint(findings: LintFinding[], source: string): string {
  if (findings.length === 0) return `${source}: no problems found\n`;
  const lines = findings.map((f) => `${f.severity.padEnd(7)} ${f.kind.padEnd(14)} ${f.message}`);
  const errors = findings.filter((f) => f.severity === 'error').length;
  return `${source}\n${lines.join('\n')}\n${errors} errors, ${findings.length - errors} warnings\n`;
}

class UsageError extends Error {}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: Error) => {
    process.stderr.write(`evaluate: ${e.message}\n${e instanceof UsageError ? USAGE + '\n' : ''}`);
    process.exitCode = 2;
  },
);
