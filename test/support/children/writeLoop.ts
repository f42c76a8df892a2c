/**
 * Child process for the atomic-write test: rewrites a large lowdb file as fast as it can,
 * printing the generation after each write, until the parent kills it mid-write.
 * Usage: writeLoop.ts <file.json>
 */
import { openJsonFile } from '../../../src/storage/jsonFile.js';

const db = await openJsonFile<{ generation: number; payload: string[] }>(process.argv[2], { generation: 0, payload: [] });
// ~2 MB per write, so a kill lands inside a write most of the time
const payload = Array.from({ length: 20_000 }, (_, i) => `row ${i} `.padEnd(100, 'x'));
for (;;) {
  db.data.generation++;
  db.data.payload = payload;
  await db.write();
  process.stdout.write(`WROTE ${db.data.generation}\n`);
}
