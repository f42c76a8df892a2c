/**
 * The unit tier (`npm run test:unit`, `test/mocharc.unit.json`) keeps its temporary files on a RAM
 * disk where the machine has one (`/dev/shm`): its dialog and scenario tests write the embedded
 * stores' real files, and each write waits for an fsync, which on a disk was about 3 s of the
 * tier's 20. The files and their contents are the same; only the wait for the disk goes. The full
 * suite (`npm test`), with its crash and restart tests, keeps them on the disk.
 */
import { accessSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const RAM = '/dev/shm';

function usable(dir: string): boolean {
  try { accessSync(dir, constants.W_OK); return statSync(dir).isDirectory(); } catch { return false; }
}

if (!process.env.TEST_KEEP_TMPDIR && usable(RAM)) {
  // one folder for the run, removed when it ends: what the tests leave behind would hold memory
  const dir = mkdtempSync(join(RAM, 'support-bot-unit-'));
  process.env.TMPDIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
