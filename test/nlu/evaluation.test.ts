import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DatasetError, parseCsv, readClinc, readCsvDataset } from '../../src/nlu/offline/datasets.js';
import { confusionSvg, crossValidate, oosReport, report, stratifiedFolds, suggestThreshold, textClassifierTrainer, type Scored } from '../../src/nlu/evaluation.js';
import { lintExamples } from '../../src/nlu/offline/lint.js';
import { tempDir } from '../support/server.js';

const run = promisify(execFile);

/** Runs the evaluate CLI as support staff would, returning exit code and output. */
async function evaluate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--no-deprecation', '--import', 'tsx', 'src/cli/evaluate.ts', ...args], { maxBuffer: 16 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const row = (gold: string, predicted: string, score = 0.9, text = `${gold}->${predicted}`): Scored => ({ text, gold, predicted, score });

/** Three intents with disjoint vocabularies; one test sentence of `alarm` is worded like `weather`. */
const TRAIN_CSV = [
  'text,label',
  ...['will it rain today', 'weather forecast for tomorrow', 'is it sunny outside', 'how hot is it', 'rain or snow this weekend', 'temperature outside now']
    .map((t) => `${t},weather`),
  ...['play some jazz', 'put on my playlist', 'play the next song', 'music please', 'skip this track', 'play rock music']
    .map((t) => `${t},music`),
  ...['set an alarm for 7', 'wake me up at six', 'alarm at noon', 'cancel my alarm', 'set alarm tomorrow morning', 'snooze the alarm']
    .map((t) => `${t},alarm`),
].join('\n');
const TEST_CSV = [
  'text,label',
  'is it going to rain,weather',
  '"sunny, hot or cold outside",weather',
  'play jazz music,music',
  'skip the song,music',
  'set an alarm for 8,alarm',
  'will it be sunny when i wake,alarm', // worded like weather: the predictable mistake
].join('\n');

describe('evaluation: data readers', () => {
  it('parses CSV with quoted commas, doubled quotes, new lines in quotes and CRLF', () => {
    const rows = parseCsv('text,label\r\n"a, b",x\r\n"say ""hi""",y\n"two\nlines",z\nplain,w');
    expect(rows).to.deep.equal([['text', 'label'], ['a, b', 'x'], ['say "hi"', 'y'], ['two\nlines', 'z'], ['plain', 'w']]);
  });

  it('names the file and line of an unterminated quote, and the row of a missing label', () => {
    expect(() => parseCsv('text,label\n"oops,x\n', 'bad.csv')).to.throw(DatasetError, /bad\.csv: line \d+: unterminated/);
    const dir = tempDir();
    writeFileSync(join(dir, 'x.csv'), 'text,category\nhello,greet\nno label here\n');
    expect(() => readCsvDataset(join(dir, 'x.csv'))).to.throw(DatasetError, /x\.csv: row 3: needs a text and a label/);
  });

  it('reads BANKING77-style CSV (header text,category) and header-less CSV', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.csv'), 'text,category\n"Why, oh why?",card_arrival\nhi,greet\n');
    expect(readCsvDataset(join(dir, 'a.csv'))).to.deep.equal([{ text: 'Why, oh why?', label: 'card_arrival' }, { text: 'hi', label: 'greet' }]);
    writeFileSync(join(dir, 'b.csv'), 'hello there,greet\nbye,leave\n');
    expect(readCsvDataset(join(dir, 'b.csv'))).to.have.length(2);
  });

  it('reads CLINC JSON splits, out-of-scope rows labelled oos, and rejects a malformed row', () => {
    const dir = tempDir();
    const f = join(dir, 'c.json');
    writeFileSync(f, JSON.stringify({ train: [['hi', 'greet']], val: [['hey', 'greet']], test: [['hello', 'greet']], oos_train: [['what is love', 'oos']], oos_val: [], oos_test: [['sing', 'oos']] }));
    const d = readClinc(f);
    expect(d.train).to.deep.equal([{ text: 'hi', label: 'greet' }]);
    expect(d.oosTrain[0].label).to.equal('oos');
    expect(d.oosTest).to.have.length(1);
    writeFileSync(f, JSON.stringify({ train: [['hi']], test: [] }));
    expect(() => readClinc(f)).to.throw(DatasetError, /train\[0\]: not \[text, intent\]/);
  });
});

describe('evaluation: metrics', () => {
  it('computes accuracy, per-intent precision/recall/F1, macro-F1 and confused pairs by hand-checked numbers', () => {
    // a: 3 right, 1 → b;  b: 2 right;  c: 1 right, 1 → b
    const rows = [row('a', 'a'), row('a', 'a'), row('a', 'a'), row('a', 'b'), row('b', 'b'), row('b', 'b'), row('c', 'c'), row('c', 'b')];
    const r = report(rows);
    expect(r.accuracy).to.equal(6 / 8);
    const by = Object.fromEntries(r.perLabel.map((p) => [p.label, p]));
    expect(by.a).to.include({ precision: 1, recall: 0.75, support: 4 });
    expect(by.b.precision).to.equal(0.5);
    expect(by.b.recall).to.equal(1);
    expect(by.c).to.include({ precision: 1, recall: 0.5 });
    const f1 = (p: number, q: number) => (2 * p * q) / (p + q);
    expect(r.macroF1).to.be.closeTo((f1(1, 0.75) + f1(0.5, 1) + f1(1, 0.5)) / 3, 1e-12);
    expect(r.confusion).to.deep.equal([[3, 1, 0], [0, 2, 0], [0, 1, 1]]);
    expect(r.confusedPairs.map((p) => `${p.gold}>${p.predicted}:${p.count}`)).to.deep.equal(['a>b:1', 'c>b:1']);
    expect(r.misclassified).to.have.length(2);
  });

  it('measures out-of-scope recall at a threshold and suggests the threshold that separates best', () => {
    const rows = [row('a', 'a', 0.9), row('a', 'a', 0.6), row('b', 'b', 0.8), row('oos', 'a', 0.3), row('oos', 'b', 0.5), row('oos', 'oos', 0.7)];
    const isOos = (l: string) => l === 'oos';
    expect(oosReport(rows, 0, isOos)).to.include({ inScopeAccuracy: 1, oosRecall: 1 / 3 });
    expect(oosReport(rows, 0.55, isOos)).to.include({ inScopeAccuracy: 1, oosRecall: 1 });
    const s = suggestThreshold(rows, isOos);
    expect(s.threshold).to.equal(0.51); // lowest threshold above the 0.5 out-of-scope score
    expect(s.inScopeAccuracy + s.oosRecall).to.equal(2);
    // operating point: the lowest threshold that catches at least 2 of the 3 out-of-scope rows
    expect(suggestThreshold(rows, isOos, 0.6).threshold).to.equal(0.31);
    expect(suggestThreshold(rows, isOos, 0.6).oosRecall).to.be.closeTo(2 / 3, 1e-12);
  });

  it('deals stratified folds: every fold gets its share of every label, reproducibly', () => {
    const ex = [...Array(10)].map((_, i) => ({ text: `a${i}`, label: 'a' })).concat([...Array(5)].map((_, i) => ({ text: `b${i}`, label: 'b' })));
    const folds = stratifiedFolds(ex, 5, 1);
    for (let f = 0; f < 5; f++) {
      expect(ex.filter((e, i) => folds[i] === f && e.label === 'a')).to.have.length(2);
      expect(ex.filter((e, i) => folds[i] === f && e.label === 'b')).to.have.length(1);
    }
    expect(stratifiedFolds(ex, 5, 1)).to.deep.equal(folds);
    expect(() => stratifiedFolds(ex, 1)).to.throw(/folds/);
  });

  it('cross-validates so that every example is predicted once by a model that never saw it', async () => {
    const ex = parseCsv(TRAIN_CSV).slice(1).map(([text, label]) => ({ text, label }));
    const rows = await crossValidate(ex, textClassifierTrainer(), 3);
    expect(rows.map((r) => r.text)).to.deep.equal(ex.map((e) => e.text));
    expect(report(rows).accuracy).to.be.at.least(0.7);
  });

  it('draws the confusion matrix as SVG with every label and a cell per non-zero count', () => {
    const svg = confusionSvg(report([row('a', 'a'), row('a', 'b'), row('b', 'b')]), 'Test');
    expect(svg).to.match(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).to.include('<title>a → b: 1</title>');
    expect(svg).to.include('>a</text>');
    expect(svg.trim()).to.match(/<\/svg>$/);
  });
});

describe('evaluation: data check (lint)', () => {
  it('finds a planted duplicate, a conflict, a thin intent and a near-duplicate across intents', () => {
    const ex = [
      ...[...Array(25)].map((_, i) => ({ text: `my bill number ${i} is wrong`, label: 'billing' })),
      { text: 'My bill number 3 is wrong!', label: 'billing' }, // same as one above once normalised
      { text: 'reset my password', label: 'password_reset' },
      { text: 'reset my password', label: 'login_help' }, // conflict
      { text: 'i cant sign in to the app', label: 'login_help' },
      { text: 'i cant sign in to the ap', label: 'app_install' }, // near-duplicate
    ];
    const f = lintExamples(ex);
    const kinds = f.map((x) => `${x.kind}:${x.intents.join('+')}`);
    expect(kinds).to.include('duplicate:billing');
    expect(kinds).to.include('conflict:login_help+password_reset');
    expect(kinds).to.include('too-few:login_help');
    expect(kinds).to.include('near-duplicate:login_help+app_install');
    expect(kinds).not.to.include('too-few:billing');
    expect(f[0].severity).to.equal('error');
  });
});

describe('evaluate CLI', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = tempDir();
    writeFileSync(join(dir, 'train.csv'), TRAIN_CSV);
    writeFileSync(join(dir, 'test.csv'), TEST_CSV);
  });

  it('reports train/test results with the predictable confusion, as text and as JSON with an SVG', async () => {
    const svg = join(dir, 'm.svg');
    const text = await evaluate(['--train', join(dir, 'train.csv'), '--test', join(dir, 'test.csv'), '--svg', svg]);
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.include('accuracy 83.3%');
    expect(text.stdout).to.match(/1 {2}alarm → weather/);
    expect(text.stdout).to.include('[alarm → weather');
    expect(text.stdout).to.include('will it be sunny when i wake');
    const json = await evaluate(['--train', join(dir, 'train.csv'), '--test', join(dir, 'test.csv'), '--svg', svg, '--json']);
    const out = JSON.parse(json.stdout);
    expect(out.report.accuracy).to.be.closeTo(5 / 6, 1e-9);
    expect(out.report.confusedPairs[0]).to.deep.equal({ gold: 'alarm', predicted: 'weather', count: 1 });
    expect(out.report.perLabel.find((p: { label: string }) => p.label === 'alarm').recall).to.equal(0.5);
    expect(out.svg).to.equal(svg);
    expect(readFileSync(svg, 'utf8')).to.include('<title>alarm → weather: 1</title>');
  });

  it('on CLINC-format data reports in-scope accuracy, out-of-scope recall and a validation-chosen threshold', async () => {
    const ex = parseCsv(TRAIN_CSV).slice(1);
    const oos = ['what is the meaning of life', 'who painted the mona lisa', 'recipe for pancakes', 'how far is the moon'];
    const f = join(dir, 'clinc.json');
    writeFileSync(f, JSON.stringify({ train: ex, val: ex, test: ex, oos_train: oos.map((t) => [t, 'oos']), oos_val: oos.map((t) => [t, 'oos']), oos_test: oos.map((t) => [t, 'oos']) }));
    const r = await evaluate(['--train', f, '--format', 'clinc', '--threshold', '0', '--svg', join(dir, 'c.svg'), '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout);
    expect(out.outOfScope.atThreshold).to.include({ threshold: 0, inScopeAccuracy: 1, oosRecall: 1, inScopeN: 18, oosN: 4 });
    expect(out.outOfScope.suggestedFrom).to.match(/validation/);
    expect(out.outOfScope.suggested.threshold).to.be.within(0, 1);
    const text = await evaluate(['--train', f, '--format', 'clinc', '--svg', join(dir, 'c.svg')]);
    expect(text.stdout).to.match(/out of scope at threshold [\d.]+: in-scope accuracy [\d.]+% \(18\), out-of-scope recall [\d.]+% \(4\)/);
    expect(text.stdout).to.match(/threshold suggested by the validation split/);
    const op = await evaluate(['--train', f, '--format', 'clinc', '--min-oos-recall', '1', '--svg', join(dir, 'c.svg'), '--json']);
    const opOut = JSON.parse(op.stdout);
    // every out-of-scope validation text is already answered `oos`, so the lowest threshold reaching recall 1 is 0
    expect(opOut.outOfScope.suggested).to.include({ threshold: 0, oosRecall: 1 });
    const bad = await evaluate(['--train', f, '--format', 'clinc', '--min-oos-recall', '0']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('--min-oos-recall 0 is not valid');
  });

  it('cross-validates an intents folder with k folds and flags its data problems', async () => {
    const idir = join(dir, 'intents');
    mkdirSync(idir);
    const intent = (name: string, words: string[]) => `intent: ${name}\nexamples:\n${words.map((w) => `  - ${w}`).join('\n')}\n`;
    writeFileSync(join(idir, 'billing.yml'), intent('billing', ['pay my bill', 'bill is too high', 'when is my bill due', 'pay the bill online', 'my bill amount', 'bill payment failed']));
    writeFileSync(join(idir, 'store_visit.yml'), intent('store_visit', ['store near me', 'find a store', 'store opening hours', 'closest store', 'store address', 'visit a store']));
    writeFileSync(join(idir, 'greeting.yml'), intent('greeting', ['hello', 'hi there', 'hey', 'good morning', 'hello hello', 'hi', 'hey']));
    const r = await evaluate(['--intents', idir, '--folds', '3', '--threshold', '0', '--json', '--svg', join(dir, 'cv.svg')]);
    expect(r.code, r.stderr).to.equal(0);
    const out = JSON.parse(r.stdout);
    expect(out).to.include({ mode: 'cross-validation', folds: 3 });
    expect(out.report.n).to.equal(19);
    expect(out.report.accuracy).to.be.at.least(0.8);
    expect(out.lint.map((l: { kind: string }) => l.kind)).to.include.members(['duplicate', 'too-few']);
    expect(existsSync(join(dir, 'cv.svg'))).to.equal(true);
    const lint = await evaluate(['--lint', '--intents', idir]);
    expect(lint.code).to.equal(0); // warnings only
    expect(lint.stdout).to.match(/duplicate +"hey" appears 2 times in greeting/);
    writeFileSync(join(idir, 'greeting.yml'), intent('greeting', ['hello', 'hi there', 'pay my bill']));
    const conflict = await evaluate(['--lint', '--intents', idir]);
    expect(conflict.code).to.equal(1);
    expect(conflict.stdout).to.match(/error +conflict +"pay my bill" is an example of billing and greeting/);
  });

  it('cross-validates each language of an intents folder (intents/ and intents/es/), jointly or per language', async () => {
    const idir = join(dir, 'bilingual');
    mkdirSync(join(idir, 'es'), { recursive: true });
    const intent = (name: string, words: string[]) => `intent: ${name}\nexamples:\n${words.map((w) => `  - ${w}`).join('\n')}\n`;
    writeFileSync(join(idir, 'billing.yml'), intent('billing', ['pay my bill', 'bill is too high', 'when is my bill due', 'pay the bill online', 'my bill amount', 'bill payment failed']));
    writeFileSync(join(idir, 'store_visit.yml'), intent('store_visit', ['store near me', 'find a store', 'store opening hours', 'closest store', 'store address', 'visit a store']));
    writeFileSync(join(idir, 'es', 'billing.yml'), intent('billing', ['pagar mi factura', 'mi factura es muy alta', 'cuando vence mi factura', 'pagar la factura en linea', 'cuanto es mi factura', 'el pago de la factura fallo']));
    writeFileSync(join(idir, 'es', 'store_visit.yml'), intent('store_visit', ['tienda cerca de mi', 'buscar una tienda', 'horario de la tienda', 'la tienda mas cercana', 'direccion de la tienda', 'ir a una tienda']));
    const both = await evaluate(['--intents', idir, '--folds', '3', '--threshold', '0', '--json', '--svg', join(dir, 'bi.svg')]);
    expect(both.code, both.stderr).to.equal(0);
    const out = JSON.parse(both.stdout);
    expect(out.model).to.equal('joint');
    expect(out.languages.map((l: { language: string }) => l.language)).to.deep.equal(['en', 'es']);
    expect(out.languages[1].report.n).to.equal(12);
    expect(out.languages[1].report.accuracy).to.be.at.least(0.8);
    expect(out.report.n, 'the top level repeats English').to.equal(12);
    expect(existsSync(join(dir, 'bi-es.svg'))).to.equal(true);
    const es = JSON.parse((await evaluate(['--intents', idir, '--folds', '3', '--lang', 'es', '--model', 'per-language', '--json', '--svg', join(dir, 'es.svg')])).stdout);
    expect(es.languages.map((l: { language: string }) => l.language)).to.deep.equal(['es']);
    expect(es.model).to.equal('per-language');
    const text = await evaluate(['--intents', idir, '--folds', '3', '--svg', join(dir, 'bi.svg')]);
    expect(text.stdout).to.match(/^English \(.*\): 3-fold cross-validation, joint model/m);
    expect(text.stdout).to.match(/^Spanish \(.*es\): 3-fold cross-validation/m);
    expect(text.stdout).to.match(/^en +[\d.]+% +[\d.]+%/m);
    expect(text.stdout).to.match(/^es +[\d.]+% +[\d.]+%/m);
    const lint = await evaluate(['--lint', '--intents', idir]);
    expect(lint.stdout).to.include(join(idir, 'es'));
    for (const [args, message] of [[['--lang', 'fr'], '--lang must be one of en, es'], [['--model', 'big'], '--model must be']] as const) {
      const bad = await evaluate(['--intents', idir, ...args]);
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.include(message);
    }
  });

  it('refuses bad usage with a reason and exit code 2', async () => {
    const folds = await evaluate(['--folds', '1']);
    expect(folds.code).to.equal(2);
    expect(folds.stderr).to.include('--folds 1 is not valid');
    const missing = await evaluate(['--train', join(dir, 'nope.csv'), '--test', join(dir, 'test.csv')]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('nope.csv');
    const unknown = await evaluate(['--bogus']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/bogus/);
  });
});
