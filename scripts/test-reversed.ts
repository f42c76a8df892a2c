/**
 * Runs the whole suite with everything in reverse order: the files, the `describe` blocks in each
 * file and the tests in each block. A test that passes only because another ran before it (a
 * case opened, a page loaded, a conversation begun) fails here; hooks keep their places.
 *
 *   npm run test:reversed                     # the whole suite
 *   npm run test:reversed -- test/admin       # files under a folder (or single files)
 *   npm run test:reversed -- --files          # only the files in reverse order: each file's tests keep
 *                                             # theirs (a story like "start two instances … kill one"
 *                                             # is written in order on purpose)
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Mocha, { type Suite } from 'mocha';

function reverse(suite: Suite): void {
  suite.tests.reverse();
  suite.suites.reverse();
  for (const child of suite.suites) reverse(child);
}

/** Test files named on the command line, or under the folders named (default: `test/`). */
function testFiles(args: string[]): string[] {
  return (args.length ? args : ['test']).flatMap((a) => statSync(a).isDirectory()
    ? readdirSync(a, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.ts')).map((f) => join(a, f))
    : [a]);
}

const filesOnly = process.argv.includes('--files');
const files = testFiles(process.argv.slice(2).filter((a) => !a.startsWith('--'))).sort().reverse();
const mocha = new Mocha({ timeout: 30_000, reporter: 'spec' });
for (const f of files) mocha.addFile(f);
await mocha.loadFilesAsync();
if (!filesOnly) reverse(mocha.suite);
console.log(`running ${files.length} files in reverse order (first: ${files[0]})${filesOnly ? '' : ', describe blocks and tests reversed too'}`);
mocha.run((failures) => process.exit(failures ? 1 : 0));
