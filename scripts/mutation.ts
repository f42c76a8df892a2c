/**
 * Mutation testing of the modules that guard customers and routing (`npm run test:mutation`).
 *
 * StrykerJS 9.6.1 (10 refuses Node 20) with its `command` runner: its mocha runner cannot load
 * mocha 12, so every mutant is one `mocha --no-config --import=tsx <the module's own test files>`.
 * One Stryker run per module, so a module is scored by its own tests only. Survivors judged
 * equivalent (no test can tell them apart) are listed with the reason in
 * `bench/mutation-equivalent.yml` and left out of the adjusted score. Writes
 * `bench/results/mutation.md`; takes several minutes per module.
 *
 *   npm run test:mutation                     # every module
 *   npm run test:mutation -- classifier       # some modules (names below); the report keeps the
 *                                             # last results of the others (reports/mutation/*.json)
 *   npm run test:mutation -- 'choice#2'       # one part of a module
 *   npm run test:mutation -- --report         # only rewrite the report from the last results
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../src/config.js';

/** Files to mutate and the test files that must kill their mutants (one Stryker run). */
interface Part {
  /** `file`, or `file#fn1,fn2` for only those functions (found by name, so edits elsewhere in the file do not shift it). */
  mutate: string[];
  tests: string[];
}
interface Module { name: string; parts: Part[]; target: number }

// A module in several parts runs each part's mutants against that part's tests only: every
// mutant is a new process that imports all of its test files first, so an expensive import
// (botbuilder-dialogs' recognizers) paid for mutants it cannot reach only slows the run down.
const MODULES: Module[] = [
  { name: 'case numbers', parts: [{ mutate: ['src/cases/caseNumber.ts'], tests: ['test/cases/caseNumber.test.ts'] }], target: 90 },
  { name: 'redaction', parts: [{ mutate: ['src/privacy/redact.ts'], tests: ['test/privacy/redact.test.ts'] }], target: 85 },
  { name: 'classifier', parts: [{ mutate: ['src/nlu/classifier.ts'], tests: ['test/nlu/classifier.test.ts', 'test/nlu/classifierPinned.test.ts'] }], target: 75 },
  {
    name: 'choice matching',
    parts: [
      { mutate: ['src/text/matching.ts', 'src/text/distance.ts'], tests: ['test/text/matching.test.ts'] },
      { mutate: ['src/channels/choices.ts'], tests: ['test/channels/choices.test.ts'] },
      { mutate: ['src/conversation/prompts.ts#mentionsChoice'], tests: ['test/conversation/prompts.test.ts'] },
    ],
    target: 80,
  },
  {
    name: 'hand-off state machine',
    parts: [
      // the one set of rules every backend applies (waiting → with an agent → ended, transfers)
      { mutate: ['src/handoff/handoffMachine.ts'], tests: ['test/storage/contracts.test.ts'] },
      { mutate: ['src/handoff/handoffMiddleware.ts'], tests: ['test/cases/handoff.test.ts'] },
    ],
    target: 80,
  },
];

const REPORTS = join(ROOT, 'reports', 'mutation');
const slug = (name: string) => name.replace(/[^a-z0-9]+/gi, '-');

/** `file#a,b` → `file:start-end` for each named function (from its line to the line before the next top-level declaration). */
function mutateSpec(entry: string): string[] {
  const [file, fns] = entry.split('#');
  if (!fns) return [file];
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  return fns.split(',').map((fn) => {
    const start = lines.findIndex((l) => new RegExp(`^export (async )?function ${fn}\\b|^function ${fn}\\b`).test(l));
    if (start < 0) throw new Error(`[mutation]: no function ${fn} in ${file}`);
    let end = lines.findIndex((l, i) => i > start && /^}/.test(l));
    if (end < 0) end = lines.length - 1;
    return `${file}:${start + 1}-${end + 1}`;
  });
}

const reportFile = (m: Module, i: number) => join(REPORTS, `${slug(m.name)}${m.parts.length > 1 ? `-${i + 1}` : ''}.json`);

function run(m: Module, i: number): void {
  mkdirSync(REPORTS, { recursive: true });
  const part = m.parts[i];
  const config = {
    testRunner: 'command',
    commandRunner: { command: `node node_modules/mocha/bin/mocha.js --no-config --import=tsx --timeout 30000 --exit --bail --reporter dot ${part.tests.join(' ')}` },
    mutate: part.mutate.flatMap(mutateSpec),
    coverageAnalysis: 'off',
    concurrency: 2,
    // generous: the machine is shared, and a slow run must not pass for a timed-out (killed) mutant
    timeoutMS: 20_000,
    reporters: ['json', 'progress-append-only'],
    jsonReporter: { fileName: reportFile(m, i) },
    ignorePatterns: ['reports', 'test-artifacts', 'bench/results', '.data', 'dist', '.stryker-tmp'],
    tempDirName: `.stryker-tmp/${slug(m.name)}-${i + 1}`,
    cleanTempDir: 'always',
  };
  const file = join(tmpdir(), `stryker-${slug(m.name)}-${i + 1}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  console.log(`\n== ${m.name}: mutating ${config.mutate.join(', ')}; tests ${part.tests.join(', ')}`);
  const r = spawnSync('node', ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', file], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } });
  if (r.status !== 0) throw new Error(`[mutation]: Stryker failed for ${m.name} (exit ${r.status})`);
}

interface Equivalent { mutator: string; original: string; replacement: string; why: string }
interface ReportMutant { id: string; mutatorName: string; replacement: string; status: string; location: { start: { line: number; column: number }; end: { line: number; column: number } } }
interface Report { files: Record<string, { source: string; mutants: ReportMutant[] }> }

/** The source text a mutant replaced. */
function original(source: string, loc: ReportMutant['location']): string {
  const lines = source.split('\n');
  const { start, end } = loc;
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  return [lines[start.line - 1].slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1].slice(0, end.column - 1)].join('\n');
}

const oneLine = (s: string, max = 90) => { const t = s.replace(/\s+/g, ' ').trim(); return t.length > max ? `${t.slice(0, max - 1)}…` : t; };
const cell = (s: string) => `\`${oneLine(s).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;

function summarise(m: Module, equivalents: Record<string, Equivalent[]>): { row: string; section: string } {
  const paths = m.parts.map((_, i) => reportFile(m, i));
  if (!paths.every((p) => existsSync(p))) return { row: `| ${m.name} | not run | | | | | | ≥ ${m.target}% | |`, section: '' };
  const report: Report = { files: Object.assign({}, ...paths.map((p) => (JSON.parse(readFileSync(p, 'utf8')) as Report).files)) };
  let killed = 0, timeout = 0, survived = 0, noCoverage = 0, equivalent = 0;
  const survivors: string[] = [];
  const used = new Set<Equivalent>();
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const rel = file.startsWith(ROOT) ? file.slice(ROOT.length + 1) : file;
    for (const mu of mutants) {
      if (mu.status === 'Killed') killed++;
      else if (mu.status === 'Timeout') timeout++;
      else if (mu.status === 'Survived' || mu.status === 'NoCoverage') {
        const orig = original(source, mu.location);
        const eq = (equivalents[rel] ?? []).find((e) => e.mutator === mu.mutatorName && e.original.trim() === orig.trim() && e.replacement.trim() === mu.replacement.trim());
        if (eq) { equivalent++; used.add(eq); } else if (mu.status === 'Survived') survived++; else noCoverage++;
        survivors.push(`| ${rel}:${mu.location.start.line} | ${mu.mutatorName} | ${cell(orig)} → ${cell(mu.replacement)} | ${eq ? `equivalent: ${eq.why}` : 'to be tested'} |`);
      }
    }
  }
  const total = killed + timeout + survived + noCoverage + equivalent;
  const raw = total ? (100 * (killed + timeout)) / total : 0;
  const adjusted = total - equivalent ? (100 * (killed + timeout)) / (total - equivalent) : 0;
  const met = adjusted >= m.target ? 'met' : '**short**';
  const mutated = m.parts.flatMap((p) => p.mutate);
  const tests = m.parts.flatMap((p) => p.tests);
  const stale = Object.entries(equivalents).filter(([f]) => mutated.some((x) => x.split('#')[0] === f)).flatMap(([, list]) => list).filter((e) => !used.has(e));
  const row = `| ${m.name} | ${total} | ${killed} | ${timeout} | ${survived + noCoverage} | ${equivalent} | ${raw.toFixed(1)}% / **${adjusted.toFixed(1)}%** | ≥ ${m.target}% | ${met} |`;
  const section = [
    `### ${m.name}`, '',
    `Mutated: ${mutated.map((x) => `\`${x}\``).join(', ')}. Tests: ${tests.map((x) => `\`${x}\``).join(', ')}.`, '',
    survivors.length ? ['| where | mutator | original → mutant | verdict |', '|---|---|---|---|', ...survivors].join('\n') : 'No survivors.',
    stale.length ? `\nListed as equivalent but no longer produced (update bench/mutation-equivalent.yml): ${stale.map((e) => cell(e.original)).join(', ')}` : '',
    '',
  ].join('\n');
  return { row, section };
}

// `choice` runs every part of that module, `choice#2` only its second part; `--report` runs
// nothing and rewrites the report from the last results
const reportOnly = process.argv.includes('--report');
const only = process.argv.slice(2).filter((a) => a !== '--report').map((o) => { const [name, part] = o.split('#'); return { name, part: part ? Number(part) - 1 : undefined }; });
const matches = (m: Module, o: { name: string }) => m.name.includes(o.name) || slug(m.name).includes(o.name);
const chosen = reportOnly ? [] : only.length ? MODULES.filter((m) => only.some((o) => matches(m, o))) : MODULES;
if (!chosen.length && !reportOnly) throw new Error(`[mutation]: no module matches ${process.argv.slice(2).join(', ')}; modules: ${MODULES.map((m) => m.name).join(', ')}`);
for (const m of chosen) {
  m.parts.forEach((_, i) => { if (!only.length || only.some((o) => matches(m, o) && (o.part === undefined || o.part === i))) run(m, i); });
}
const equivalents = (parse(readFileSync(join(ROOT, 'bench', 'mutation-equivalent.yml'), 'utf8')) ?? {}) as Record<string, Equivalent[]>;
const parts = MODULES.map((m) => summarise(m, equivalents));
const out = [
  '# Mutation testing',
  '',
  `\`npm run test:mutation\` (StrykerJS 9.6.1, command runner: each mutant runs only its module's own test files with mocha). Report written ${new Date().toISOString().slice(0, 10)} from the last run of each module on this 2-core machine (shared: runs took 5–50 min per module).`,
  'Score = mutants killed or timed out / all mutants; the bold one leaves out survivors judged equivalent (listed with the reason in `bench/mutation-equivalent.yml`).',
  'A mutant times out when its test run takes `timeoutMS` (20 s) plus 1.5 × the unmutated run\'s time, mostly a loop that no longer ends; Stryker counts it as killed.',
  '',
  '| module | mutants | killed | timed out | survived | equivalent | score / without equivalent | target | |',
  '|---|---|---|---|---|---|---|---|---|',
  ...parts.map((p) => p.row),
  '',
  '## Survivors',
  '',
  ...parts.map((p) => p.section),
].join('\n');
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'mutation.md'), out);
console.log(`\nwrote bench/results/mutation.md\n${parts.map((p) => p.row).join('\n')}`);
