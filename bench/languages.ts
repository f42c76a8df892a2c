/**
 * `npm run bench:languages`: what speaking Spanish costs, against English alone measured in the
 * same run (the machine is shared and noisy: compare the rows, not numbers across runs).
 * - start-up: a recognizer built in a fresh process (cold JIT, word lists loaded), English-only
 *   intents vs English + Spanish (joint model, language identification);
 * - per message: `recognizeText` on held-out phrasings, language identification alone, and the
 *   specific-request lookup (`findSubtopic`: the turn's language's phrases, then the other's).
 * Writes bench/results/languages.md.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig, ROOT } from '../src/config.js';
import { loadIntents } from '../src/nlu/intents.js';
import { IntentRecognizer } from '../src/nlu/recognizer.js';
import { Content } from '../src/content/content.js';
import { runInLanguage } from '../src/content/turnLanguage.js';
import { findSubtopic } from '../src/conversation/subtopics.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const config = loadConfig({});

if (process.argv[2] === '--child') {
  // one start-up in this fresh process
  const bilingual = process.argv[3] === 'both';
  const m0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const r = bilingual
    ? IntentRecognizer.fromDirectory(config.intentsDir, { threshold: config.nluThreshold })
    : new IntentRecognizer(loadIntents(config.intentsDir), { threshold: config.nluThreshold });
  r.identify('warm up the detector');
  process.stdout.write(JSON.stringify({ totalMs: performance.now() - t0, trainMs: r.trainMs, lexiconMs: r.lexiconMs, heapMB: (process.memoryUsage().heapUsed - m0) / 1e6 }) + '\n');
  process.exit(0);
}

type Startup = { totalMs: number; trainMs: number; lexiconMs: number; heapMB: number };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function startups(kind: 'en' | 'both'): Startup {
  const runs: Startup[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, ['--no-deprecation', '--import', 'tsx', 'bench/languages.ts', '--child', kind], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } });
    runs.push(JSON.parse(out.trim().split('\n').pop()!));
  }
  return { totalMs: median(runs.map((r) => r.totalMs)), trainMs: median(runs.map((r) => r.trainMs)), lexiconMs: median(runs.map((r) => r.lexiconMs)), heapMB: median(runs.map((r) => r.heapMB)) };
}

function perMessage(fn: (t: string) => unknown, texts: string[], rounds = 20): { meanUs: number; p95Us: number } {
  for (const t of texts) fn(t); // warm
  const us: number[] = [];
  for (let k = 0; k < rounds; k++) for (const t of texts) { const t0 = performance.now(); fn(t); us.push((performance.now() - t0) * 1000); }
  const s = us.sort((a, b) => a - b);
  return { meanUs: s.reduce((a, b) => a + b, 0) / s.length, p95Us: s[Math.floor(0.95 * s.length)] };
}

const heldOut = (file: string) => Object.values(parse(readFileSync(join(ROOT, 'test', 'fixtures', file), 'utf8')) as Record<string, string[]>).flat().map(String);
const en = heldOut('nlu-heldout.yml'), es = heldOut('nlu-heldout-es.yml');
const sEn = startups('en'), sBoth = startups('both');
const englishOnly = new IntentRecognizer(loadIntents(config.intentsDir), { threshold: config.nluThreshold });
const bilingual = IntentRecognizer.fromDirectory(config.intentsDir, { threshold: config.nluThreshold });
// the content as it was before Spanish: data/*.yml without data/es/
const englishDir = mkdtempSync(join(os.tmpdir(), 'bench-content-'));
for (const f of readdirSync(config.contentDir).filter((x) => x.endsWith('.yml'))) copyFileSync(join(config.contentDir, f), join(englishDir, f));
const englishContent = Content.load(englishDir), bothContent = Content.load(config.contentDir);
const rows: Array<[string, number, { meanUs: number; p95Us: number }]> = [
  ['English-only recognizer, English messages (baseline)', en.length, perMessage((t) => englishOnly.recognizeText(t, { language: 'en' }), en)],
  ['bilingual, English messages, language identified', en.length, perMessage((t) => bilingual.recognizeText(t), en)],
  ['bilingual, Spanish messages, language identified', es.length, perMessage((t) => bilingual.recognizeText(t), es)],
  ['language identification alone, both sets', en.length + es.length, perMessage((t) => bilingual.identify(t), [...en, ...es])],
  ['specific-request lookup, English content only, English messages (baseline)', en.length, perMessage((t) => runInLanguage('en', () => findSubtopic(englishContent, t)), en)],
  ['specific-request lookup, both languages, English messages in English turns', en.length, perMessage((t) => runInLanguage('en', () => findSubtopic(bothContent, t)), en)],
  ['specific-request lookup, both languages, Spanish messages in Spanish turns', es.length, perMessage((t) => runInLanguage('es', () => findSubtopic(bothContent, t)), es)],
];

const f = (x: number) => x.toFixed(0);
const md = [
  '# What Spanish costs',
  '',
  `Run ${new Date().toISOString()} on ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; start-up is the median of ${RUNS} fresh processes.`,
  '',
  '| start-up | total ms | training ms | word lists ms | heap MB |',
  '|---|---|---|---|---|',
  `| English only (baseline) | ${f(sEn.totalMs)} | ${f(sEn.trainMs)} | ${f(sEn.lexiconMs)} | ${sEn.heapMB.toFixed(0)} |`,
  `| English + Spanish (joint model, ELD) | ${f(sBoth.totalMs)} | ${f(sBoth.trainMs)} | ${f(sBoth.lexiconMs)} | ${sBoth.heapMB.toFixed(0)} |`,
  '',
  '| per message | n | mean µs | p95 µs |',
  '|---|---|---|---|',
  ...rows.map(([what, n, r]) => `| ${what} | ${n} | ${f(r.meanUs)} | ${f(r.p95Us)} |`),
  '',
  `Start-up with Spanish takes ${(sBoth.totalMs / sEn.totalMs).toFixed(1)}× English alone; an English message costs ${(rows[1][2].meanUs / rows[0][2].meanUs).toFixed(1)}× (language identification included);`,
  `the specific-request lookup of an English message costs ${(rows[5][2].meanUs / rows[4][2].meanUs).toFixed(1)}× (a message that names no request is also read against the Spanish phrases).`,
  '',
].join('\n');
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'languages.md'), md);
process.stdout.write(md);
