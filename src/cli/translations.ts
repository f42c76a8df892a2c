/**
 * `npm run -s translations`: lists every content key that is not translated yet (or translated
 * with other placeholders than English), per language, so staff know exactly what to write in
 * `data/<lang>/` before the bot starts again. Exit code 1 when anything is listed.
 *
 *   npm run -s translations              the project's data/
 *   npm run -s translations -- --dir d   another content folder
 *   npm run -s translations -- --json    [{key, language, problem, file, detail?}]
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { Content } from '../content/content.js';

const { values } = parseArgs({ options: { dir: { type: 'string' }, json: { type: 'boolean' } }, strict: true });
const dir = resolve(values.dir ?? loadConfig().contentDir);
const gaps = Content.gapsIn(dir);
if (values.json) process.stdout.write(JSON.stringify(gaps, null, 2) + '\n');
else if (gaps.length === 0) process.stdout.write(`${dir}: every key is translated\n`);
else {
  const what = { missing: 'not translated', 'only-here': 'not in English', placeholders: 'placeholders differ', 'staff-key': 'staff key, English only: remove' } as const;
  for (const g of gaps) process.stdout.write(`${g.language}  ${g.key.padEnd(40)} ${what[g.problem]}${g.detail ? ` (${g.detail})` : ''}  [${relative(process.cwd(), g.file)}]\n`);
  process.stdout.write(`${gaps.length} to fix\n`);
}
process.exitCode = gaps.length ? 1 : 0;
