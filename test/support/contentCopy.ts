import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { tempDir } from './server.js';

/** A copy of data/ in a fresh temporary folder, to break on purpose. */
export function copyOfData(): string {
  const dir = join(tempDir('content-'), 'data');
  cpSync(loadConfig({}).contentDir, dir, { recursive: true });
  return dir;
}

/** Rewrites a file in place. */
export function edit(file: string, change: (text: string) => string): void {
  writeFileSync(file, change(readFileSync(file, 'utf8')));
}
