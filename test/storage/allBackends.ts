import { join } from 'node:path';
import { openEmbeddedStores } from '../../src/storage/embedded/index.js';
import { tempDir } from '../support/server.js';
import type { Backend } from './backends.js';
import { postgresBackend } from './postgresBackend.js';

/** The embedded backend: a fresh temp DATA_DIR per place. */
export const embeddedBackend: Backend = {
  name: 'embedded',
  sharedByInstances: false,
  async fresh() {
    const dataDir = join(tempDir('stores-'), 'data');
    return { describe: dataDir, open: (options) => openEmbeddedStores(dataDir, options) };
  },
};

/** Every backend the contracts run against. The PostgreSQL one is defined in its own module. */
export function allBackends(): Backend[] {
  return [embeddedBackend, postgresBackend];
}
