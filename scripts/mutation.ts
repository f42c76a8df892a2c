/**
 * Mutation testing of the modules that guard customers and routing (`npm run test:mutation`).
 *
 * StrykerJS 9.6.1 (10 refuses Node 20) with its mocha runner. That runner cannot load the
 * project's mocha 12, so it is installed with mocha 11 in `scripts/mutation-runner/` (its own
 * package.json and lock; installed on first use) and loads the test files there, with tsx. Tests
 * run in the runner's process with per-test coverage: a mutant runs only the tests that reach it,
 * and only a mutant in code that runs at import (a top-level constant, say) restarts the process.
 * The `command` runner (one new mocha process per mutant) took 20–40 s a mutant on this shared
 * machine, about 8 hours for redaction's 1,297; this takes minutes.
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
 *   npm run test:mutation -- redaction --survivors   # re-test only the last run's survivors (after
 *                                             # adding tests) and write the verdicts into that run
 *   npm run test:mutation -- redaction --skip-static # leave out mutants in code run at import (each
 *                                             # restarts the test process); reported as not run
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../src/config.js';

/** Files to mutate and the test files that must kill their mutants (one Stryker run). */
interface Part {
  /** `file`, or `file#fn1,fn2` for only those functions (top-level or nested, found by name, so edits elsewhere in the file do not shift it). */
  mutate: string[];
  tests: string[];
}
interface Module { name: string; parts: Part[]; target: number }

// A module in several parts runs each part's mutants against that part's tests only: every
// mutant is a new process that imports all of its test files first, so an expensive import
// (botbuilder-dialogs' recognizers) paid for mutants it cannot reach only slows the run down.
const MODULES: Module[] = [
  { name: 'case numbers', parts: [{ mutate: ['src/cases/caseNumber.ts'], tests: ['test/cases/caseNumber.test.ts'] }], target: 90 },
  {
    name: 'redaction',
    // the fixed examples: networks and masks (redact), the phrasing corpus, the Spanish forms; not
    // the property test, whose generated cases differ from run to run
    parts: [{ mutate: ['src/privacy/redact.ts', 'src/privacy/redactSpanish.ts'], tests: ['test/privacy/redact.test.ts', 'test/privacy/redactForms.test.ts', 'test/privacy/corpus.test.ts', 'test/privacy/redactSpanish.test.ts'] }],
    target: 85,
  },
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
      // (fixed examples of every change; the store contracts check that each backend applies them atomically)
      { mutate: ['src/handoff/handoffMachine.ts'], tests: ['test/handoff/handoffMachine.test.ts'] },
      { mutate: ['src/handoff/handoffMiddleware.ts'], tests: ['test/cases/handoff.test.ts'] },
    ],
    target: 80,
  },
  {
    name: 'desk permissions',
    parts: [
      // who may use the supervisors' routes (admin token, a supervisor's desk session), and how a desk session is proved
      { mutate: ['src/http/staffAccess.ts', 'src/desk/staffAuthenticator.ts'], tests: ['test/http/staffAccess.test.ts'] },
      // desk sign-in, sessions, expiry, sign-out and the CSRF check
      { mutate: ['src/desk/auth.ts'], tests: ['test/desk/deskAuth.test.ts'] },
      // which cases and queues an agent may see and take (their teams, their chats); a supervisor any
      { mutate: ['src/desk/routes.ts#visible,servedTeams'], tests: ['test/desk/liveChat.test.ts'] },
    ],
    target: 80,
  },
];

const REPORTS = join(ROOT, 'reports', 'mutation');
const NOTES = join(ROOT, 'bench', 'mutation-notes.md');
const slug = (name: string) => name.replace(/[^a-z0-9]+/gi, '-');

/** `file#a,b` → `file:start-end` for each named function (from its line to the line before the next top-level declaration). */
function mutateSpec(entry: string): string[] {
  const [file, fns] = entry.split('#');
  if (!fns) return [file];
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  return fns.split(',').map((fn) => {
    // a top-level function, or one nested in another (a route's check): it ends at the first "}" indented as it is
    const start = lines.findIndex((l) => new RegExp(`^\\s*(export )?(async )?function ${fn}\\b`).test(l));
    if (start < 0) throw new Error(`[mutation]: no function ${fn} in ${file}`);
    const indent = /^\s*/.exec(lines[start])![0];
    let end = lines.findIndex((l, i) => i > start && l.startsWith(`${indent}}`));
    if (end < 0) end = lines.length - 1;
    return `${file}:${start + 1}-${end + 1}`;
  });
}

const reportFile = (m: Module, i: number) => join(REPORTS, `${slug(m.name)}${m.parts.length > 1 ? `-${i + 1}` : ''}.json`);

/** Stryker's mocha runner with a mocha it can load (see the top of this file). */
const RUNNER = join(ROOT, 'scripts', 'mutation-runner');
const RUNNER_PLUGIN = join(RUNNER, 'node_modules', '@stryker-mutator', 'mocha-runner', 'dist', 'src', 'index.js');

function installRunner(): void {
  if (existsSync(RUNNER_PLUGIN)) return;
  console.log('installing the mocha runner (scripts/mutation-runner) …');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--legacy-peer-deps'], { cwd: RUNNER, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(RUNNER_PLUGIN)) throw new Error(`[mutation]: could not install ${RUNNER} (npm ci exit ${r.status})`);
}

function run(m: Module, i: number, survivorsOnly = false): void {
  installRunner();
  mkdirSync(REPORTS, { recursive: true });
  const part = m.parts[i];
  const previous = survivorsOnly ? survivorsOf(m, i) : undefined;
  if (previous && previous.ranges.length === 0) { console.log(`\n== ${m.name} (part ${i + 1}): no survivors to re-test`); return; }
  const out = previous ? join(REPORTS, `${slug(m.name)}-${i + 1}.retest.json`) : reportFile(m, i);
  const config = {
    testRunner: 'mocha',
    plugins: [RUNNER_PLUGIN],
    mochaOptions: { spec: part.tests, 'no-config': true, 'no-package': true },
    testRunnerNodeArgs: ['--import', 'tsx', '--no-deprecation'],
    mutate: previous ? previous.ranges : part.mutate.flatMap(mutateSpec),
    coverageAnalysis: 'perTest',
    // `--skip-static`: leave out mutants in code that runs at import (each needs a fresh process);
    // the report counts them as not run, never as killed or equivalent
    ignoreStatic: skipStatic,
    concurrency: 2,
    // generous: the machine is shared, and a slow run must not pass for a timed-out (killed) mutant
    timeoutMS: 20_000,
    reporters: ['json', 'progress-append-only'],
    jsonReporter: { fileName: out },
    ignorePatterns: ['reports', 'test-artifacts', 'bench/results', '.data', 'dist', '.stryker-tmp', 'scripts/mutation-runner'],
    tempDirName: `.stryker-tmp/${slug(m.name)}-${i + 1}`,
    cleanTempDir: 'always',
  };
  const file = join(tmpdir(), `stryker-${slug(m.name)}-${i + 1}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  console.log(`\n== ${m.name}: mutating ${previous ? `the ${previous.ranges.length} survivors of the last run` : config.mutate.join(', ')}; tests ${part.tests.join(', ')}`);
  const r = spawnSync('node', ['node_modules/@stryker-mutator/core/bin/stryker.js', 'run', file], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' } });
  if (r.status !== 0) throw new Error(`[mutation]: Stryker failed for ${m.name} (exit ${r.status})`);
  if (previous) mergeRetest(m, i, out);
}

const LIVE = new Set(['Survived', 'NoCoverage']);
const relative = (file: string) => (file.startsWith(ROOT) ? file.slice(ROOT.length + 1) : file);
const sameMutant = (a: ReportMutant, b: ReportMutant) => a.mutatorName === b.mutatorName && a.replacement === b.replacement && JSON.stringify(a.location) === JSON.stringify(b.location);

/**
 * `--survivors`: the mutants of the last full run that survived and are not marked equivalent,
 * as Stryker ranges (`file:line:column-line:column`, columns 0-based). Re-testing only them is
 * enough when tests were only added since: a mutant a test killed is killed by it still.
 */
function survivorsOf(m: Module, i: number): { ranges: string[] } {
  const file = reportFile(m, i);
  if (!existsSync(file)) throw new Error(`[mutation]: --survivors needs a full run of ${m.name} first (${file})`);
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  const eq = loadEquivalents();
  const ranges: string[] = [];
  for (const [f, { source, mutants }] of Object.entries(report.files)) {
    const rel = relative(f);
    for (const mu of mutants) {
      if (!LIVE.has(mu.status) || equivalentOf(eq, rel, source, mu)) continue;
      const { start, end } = mu.location;
      ranges.push(`${rel}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`);
    }
  }
  return { ranges };
}

/** Writes the re-test's verdicts into the last full run's report, and notes the re-test in it. */
function mergeRetest(m: Module, i: number, retestFile: string): void {
  const file = reportFile(m, i);
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report & { retests?: Array<{ at: string; retested: number; killed: number }> };
  const retest = JSON.parse(readFileSync(retestFile, 'utf8')) as Report;
  let retested = 0, killed = 0;
  for (const [f, { mutants }] of Object.entries(retest.files)) {
    const old = Object.entries(report.files).find(([g]) => relative(g) === relative(f))?.[1];
    if (!old) continue;
    for (const mu of mutants) {
      const was = old.mutants.find((o) => sameMutant(o, mu));
      // a range can hold mutants nested in the survivor; only the live ones take the new verdict
      if (!was || !LIVE.has(was.status)) continue;
      retested++;
      if (!LIVE.has(mu.status)) killed++;
      was.status = mu.status;
    }
  }
  (report.retests ??= []).push({ at: new Date().toISOString(), retested, killed });
  writeFileSync(file, JSON.stringify(report));
  console.log(`${m.name} (part ${i + 1}): re-tested ${retested} survivors, ${killed} now killed`);
}

interface Equivalent { mutator: string; original: string; replacement: string; why: string }
type Equivalents = Record<string, Equivalent[]>;
const loadEquivalents = (): Equivalents => (parse(readFileSync(join(ROOT, 'bench', 'mutation-equivalent.yml'), 'utf8')) ?? {}) as Equivalents;
/** The entry of `bench/mutation-equivalent.yml` that says this survivor is equivalent, if one does. */
function equivalentOf(equivalents: Equivalents, rel: string, source: string, mu: ReportMutant): Equivalent | undefined {
  const orig = original(source, mu.location);
  return (equivalents[rel] ?? []).find((e) => e.mutator === mu.mutatorName && e.original.trim() === orig.trim() && e.replacement.trim() === mu.replacement.trim());
}
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

function summarise(m: Module, equivalents: Equivalents): { row: string; section: string } {
  const all = m.parts.map((_, i) => reportFile(m, i));
  const paths = all.filter((p) => existsSync(p));
  if (!paths.length) return { row: `| ${m.name} | not run | | | | | | ≥ ${m.target}% | |`, section: '' };
  const missing = m.parts.filter((_, i) => !existsSync(all[i]));
  const reports = paths.map((p) => JSON.parse(readFileSync(p, 'utf8')) as Report & { retests?: Array<{ at: string; retested: number; killed: number }> });
  const report: Report = { files: Object.assign({}, ...reports.map((r) => r.files)) };
  const retests = reports.flatMap((r, i) => (r.retests ?? []).map((t) => `part ${i + 1} on ${t.at.slice(0, 16).replace('T', ' ')} UTC: ${t.retested} survivors re-tested with the tests added since, ${t.killed} killed`));
  let killed = 0, timeout = 0, survived = 0, noCoverage = 0, equivalent = 0, notRun = 0;
  const survivors: string[] = [];
  const used = new Set<Equivalent>();
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const rel = file.startsWith(ROOT) ? file.slice(ROOT.length + 1) : file;
    for (const mu of mutants) {
      if (mu.status === 'Killed') killed++;
      else if (mu.status === 'Timeout') timeout++;
      else if (mu.status === 'Ignored') notRun++;
      else if (mu.status === 'Survived' || mu.status === 'NoCoverage') {
        const orig = original(source, mu.location);
        const eq = equivalentOf(equivalents, rel, source, mu);
        if (eq) { equivalent++; used.add(eq); } else if (mu.status === 'Survived') survived++; else noCoverage++;
        survivors.push(`| ${rel}:${mu.location.start.line} | ${mu.mutatorName} | ${cell(orig)} → ${cell(mu.replacement)} | ${eq ? `equivalent: ${eq.why}` : 'to be tested'} |`);
      }
    }
  }
  const total = killed + timeout + survived + noCoverage + equivalent;
  const raw = total ? (100 * (killed + timeout)) / total : 0;
  const adjusted = total - equivalent ? (100 * (killed + timeout)) / (total - equivalent) : 0;
  const left = [
    ...(notRun ? [`**${notRun} mutants not run** (in code run at import; \`--skip-static\`)`] : []),
    ...(missing.length ? [`**not run: ${missing.flatMap((p) => p.mutate).map((x) => `\`${x}\``).join(', ')}**`] : []),
  ];
  const met = `${adjusted >= m.target ? 'met' : '**short**'}${left.length ? `, on what was run only; ${left.join('; ')}` : ''}`;
  const ran = m.parts.filter((_, i) => existsSync(all[i]));
  const mutated = ran.flatMap((p) => p.mutate);
  const tests = ran.flatMap((p) => p.tests);
  const stale = Object.entries(equivalents).filter(([f]) => mutated.some((x) => x.split('#')[0] === f)).flatMap(([, list]) => list).filter((e) => !used.has(e));
  const row = `| ${m.name} | ${total}${notRun ? ` (+${notRun} not run)` : ''} | ${killed} | ${timeout} | ${survived + noCoverage} | ${equivalent} | ${raw.toFixed(1)}% / **${adjusted.toFixed(1)}%** | ≥ ${m.target}% | ${met} |`;
  const section = [
    `### ${m.name}`, '',
    `Mutated: ${mutated.map((x) => `\`${x}\``).join(', ')}. Tests: ${tests.map((x) => `\`${x}\``).join(', ')}.`, '',
    ...(retests.length ? [`Re-tests (\`--survivors\`): ${retests.join('; ')}.`, ''] : []),
    survivors.length ? ['| where | mutator | original → mutant | verdict |', '|---|---|---|---|', ...survivors].join('\n') : 'No survivors.',
    stale.length ? `\nListed as equivalent but no longer produced (update bench/mutation-equivalent.yml): ${stale.map((e) => cell(e.original)).join(', ')}` : '',
    '',
  ].join('\n');
  return { row, section };
}

// `choice` runs every part of that module, `choice#2` only its second part; `--report` runs
// nothing and rewrites the report from the last results
const reportOnly = process.argv.includes('--report');
const survivorsOnly = process.argv.includes('--survivors');
const skipStatic = process.argv.includes('--skip-static');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--')).map((o) => { const [name, part] = o.split('#'); return { name, part: part ? Number(part) - 1 : undefined }; });
const matches = (m: Module, o: { name: string }) => m.name.includes(o.name) || slug(m.name).includes(o.name);
const chosen = reportOnly ? [] : only.length ? MODULES.filter((m) => only.some((o) => matches(m, o))) : MODULES;
if (!chosen.length && !reportOnly) throw new Error(`[mutation]: no module matches ${process.argv.slice(2).join(', ')}; modules: ${MODULES.map((m) => m.name).join(', ')}`);
for (const m of chosen) {
  m.parts.forEach((_, i) => { if (!only.length || only.some((o) => matches(m, o) && (o.part === undefined || o.part === i))) run(m, i, survivorsOnly); });
}
const equivalents = loadEquivalents();
const parts = MODULES.map((m) => summarise(m, equivalents));
const out = [
  '# Mutation testing',
  '',
  `\`npm run test:mutation\` (StrykerJS 9.6.1, mocha runner with per-test coverage: each mutant runs the tests of its module's own test files that reach it). Report written ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC from the last run of each module on this shared 2-core machine.`,
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
  // what a run cannot say about itself (how it was run, what was left out): bench/mutation-notes.md
  ...(existsSync(NOTES) ? ['', readFileSync(NOTES, 'utf8').trim(), ''] : []),
].join('\n');
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'mutation.md'), out);
console.log(`\nwrote bench/results/mutation.md\n${parts.map((p) => p.row).join('\n')}`);
