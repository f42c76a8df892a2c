/**
 * `npm run -s scenarios`: plays every conversation in test/scenarios/*.yml against the real bot
 * and says which ones pass. For support staff writing scenarios:
 *
 *   npm run -s scenarios                       all files
 *   npm run -s scenarios -- signin.yml         one file (or several)
 *   npm run -s scenarios -- --grep locked      only scenarios whose name contains "locked"
 *
 * Exit code 0 when everything passes, 1 when a scenario fails, 2 when a file is not valid.
 */
import { parseArgs } from 'node:util';
import { relative } from 'node:path';
import { loadScenarioFiles, runScenario, type Failure } from './runner.js';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { grep: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help) {
    process.stdout.write('usage: npm run -s scenarios -- [file.yml ...] [--grep words]\n');
    return 0;
  }
  let files;
  try {
    files = loadScenarioFiles(undefined, positionals);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  if (files.length === 0) {
    process.stderr.write(`no scenario files match ${positionals.join(' ')}\n`);
    return 2;
  }
  let passed = 0, failed = 0;
  for (const f of files) {
    process.stdout.write(`\n${f.topic}  (${relative(process.cwd(), f.file)})\n`);
    for (const s of f.scenarios) {
      if (values.grep && !s.name.toLowerCase().includes(values.grep.toLowerCase())) continue;
      const failures = await runScenario(s);
      if (failures.length === 0) { passed++; process.stdout.write(`  ok    ${s.name}\n`); continue; }
      failed++;
      process.stdout.write(`  FAIL  ${s.name}\n${failures.map(describe).join('\n')}\n`);
    }
  }
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}

function describe(f: Failure): string {
  const where = f.step ? `step ${f.step} ("${f.user}")` : 'after the conversation';
  const got = f.reply !== undefined ? `\n          the bot said: ${JSON.stringify(f.reply)}${f.buttons?.length ? `\n          buttons: ${f.buttons.join(' | ')}` : ''}` : '';
  return `        ${where}: ${f.problem}${got}`;
}

main().then((code) => { process.exitCode = code; }, (err) => { process.stderr.write(`${err?.stack ?? err}\n`); process.exitCode = 2; });
