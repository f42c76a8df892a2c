/**
 * `npm run -s evaluate`: how well the classifier does, for support staff editing `intents/` and
 * developers changing the model.
 *
 *   npm run -s evaluate                      5-fold cross-validation on intents/ (+ data check)
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
import { loadConfig } from '../config.js';
import type { LabelledText } from '../nlu/classifier.js';
import { readClinc, readCsvDataset, readIntentsDir } from '../nlu/datasets.js';
import {
  applyThreshold, confusionSvg, crossValidate, formatReport, oosReport, predictAll, report, stratifiedFolds,
  suggestThreshold, textClassifierTrainer, type OosReport, type Report, type Scored,
} from '../nlu/evaluation.js';
import { lintExamples, type LintFinding } from '../nlu/lint.js';
import { DOMAIN_TRAIN } from '../nlu/recognizer.js';

const USAGE = `usage: npm run -s evaluate -- [--folds N] [--train FILE [--test FILE] [--val FILE] [--format csv|clinc]]
       [--threshold X] [--min-oos-recall R] [--json] [--svg FILE] [--intents DIR] [--lint] [--max-mistakes N]`;

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
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        folds: { type: 'string' }, train: { type: 'string' }, test: { type: 'string' }, val: { type: 'string' },
        format: { type: 'string' }, threshold: { type: 'string' }, json: { type: 'boolean' }, svg: { type: 'string' },
        intents: { type: 'string' }, lint: { type: 'boolean' }, 'min-oos-recall': { type: 'string' }, 'max-mistakes': { type: 'string' }, help: { type: 'boolean', short: 'h' },
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

  if (args.lint) {
    const findings = lintExamples(readIntentsDir(intentsDir));
    if (args.json) process.stdout.write(JSON.stringify({ source: intentsDir, findings }, null, 2) + '\n');
    else process.stdout.write(formatLint(findings, intentsDir));
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  }

  let out: Output;
  if (!args.train) {
    if (args.test) throw new UsageError('--test needs --train');
    const examples = readIntentsDir(intentsDir);
    const lint = lintExamples(examples);
    const rows = await crossValidate(examples, textClassifierTrainer(DOMAIN_TRAIN, 'none'), folds);
    const thresholded = applyThreshold(rows, threshold, 'none');
    out = {
      mode: 'cross-validation', source: intentsDir, folds, threshold, report: report(thresholded), lint, svg: '',
      // the threshold suggested by the same cross-validated predictions
      outOfScope: { atThreshold: oosReport(rows, threshold, isOos), suggested: suggestThreshold(rows, isOos, minOosRecall), suggestedFrom: `${folds}-fold cross-validation` },
    };
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
  out.svg = resolve(args.svg ?? join(tmpdir(), 'support-bot-confusion.svg'));
  writeFileSync(out.svg, confusionSvg(out.report, out.mode === 'cross-validation' ? `${folds}-fold cross-validation` : 'Test set'));
  if (args.json) {
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  process.stdout.write(formatReport(out.report, {
    title: out.mode === 'cross-validation'
      ? `${folds}-fold cross-validation on ${out.source} (threshold ${threshold}: below it the answer is none)`
      : `trained on ${args.train}, tested on ${args.test ?? args.train}${out.trainSeconds !== undefined ? ` (training ${out.trainSeconds.toFixed(1)} s)` : ''}`,
    maxMistakes,
  }));
  if (out.outOfScope) {
    const { atThreshold: a, suggested: s, suggestedFrom } = out.outOfScope;
    const pct = (x: number) => (100 * x).toFixed(1) + '%';
    process.stdout.write(`\nout of scope at threshold ${a.threshold}: in-scope accuracy ${pct(a.inScopeAccuracy)} (${a.inScopeN}), out-of-scope recall ${pct(a.oosRecall)} (${a.oosN})\n`);
    process.stdout.write(`threshold suggested by ${suggestedFrom}${minOosRecall !== undefined ? ` for out-of-scope recall ≥ ${minOosRecall}` : ''}: ${s.threshold} (there: in-scope ${pct(s.inScopeAccuracy)}, out-of-scope recall ${pct(s.oosRecall)})\n`);
  }
  if (out.lint) {
    const errors = out.lint.filter((f) => f.severity === 'error').length;
    process.stdout.write(`\ndata check: ${errors} errors, ${out.lint.length - errors} warnings${out.lint.length ? ' (details: npm run -s lint-intents)' : ''}\n`);
  }
  process.stdout.write(`confusion matrix picture: ${out.svg}\n`);
  return 0;
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
