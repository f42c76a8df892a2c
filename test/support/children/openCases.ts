/**
 * Child process for the write-before-reply test: opens cases through the embedded stores in a
 * loop and prints each number only after `open` resolved, exactly as a dialog shows it. The
 * parent kills it with SIGKILL right after a line appears. Usage: openCases.ts <DATA_DIR>
 */
import { openEmbeddedStores } from '../../../src/storage/embedded/index.js';

const stores = await openEmbeddedStores(process.argv[2]);
process.stdout.write('READY\n');
for (let i = 0; ; i++) {
  const c = await stores.cases.open({ intent: 'escalate', summary: `case ${i}`, stepsTried: [], conversationReference: { channelId: 'emulator', conversation: { id: `kill-${i}` } as never, user: { id: `u${i}` } as never } });
  process.stdout.write(`CASE ${c.number}\n`);
}
