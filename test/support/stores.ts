import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openEmbeddedStores } from '../../src/storage/embedded/index.js';
import type { Stores, StoreOptions } from '../../src/storage/stores.js';
import { tempDir } from './server.js';

/** Real embedded stores in a new temp folder (tests use the real thing, not an in-memory double). */
export async function tempStores(options: StoreOptions = {}): Promise<Stores> {
  return openEmbeddedStores(join(tempDir('stores-'), 'data'), options);
}

/** Everything stored under `dir`, every file's text joined: to check that a secret is nowhere on disk. */
export function storedText(dir: string, skip: (name: string) => boolean = () => false): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (skip(name)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.push(readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out.join('\n');
}
