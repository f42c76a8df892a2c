/**
 * Child process for the crash-mid-write tests, killed by the parent at a random moment.
 * `writeLoop.ts journal <file>`: appends ~50 KB records to a journal, printing each one's number
 * once its append resolved. `writeLoop.ts replace <file>`: replaces a ~2 MB file durably, printing
 * the generation after each write.
 */
import { Journal } from '../../../src/storage/embedded/journal.js';
import { writeFileDurably } from '../../../src/storage/embedded/files.js';

const [mode, file] = process.argv.slice(2);
const payload = Array.from({ length: 500 }, (_, i) => `row ${i} `.padEnd(100, 'x'));
if (mode === 'journal') {
  const journal = await Journal.open<{ n: number; payload: string[] }>(file, { what: 'test record', parse: (v) => v as { n: number; payload: string[] } }, () => undefined);
  for (let n = 1; ; n++) {
    await journal.append({ n, payload });
    process.stdout.write(`WROTE ${n}\n`);
  }
} else {
  const big = Array.from({ length: 20_000 }, (_, i) => `row ${i} `.padEnd(100, 'x'));
  for (let generation = 1; ; generation++) {
    await writeFileDurably(file, JSON.stringify({ generation, payload: big }));
    process.stdout.write(`WROTE ${generation}\n`);
  }
}
