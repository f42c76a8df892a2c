import { openPostgresStores } from '../../src/storage/postgres/index.js';
import { freshSchema } from '../support/postgres.js';
import type { Backend } from './backends.js';

/** The PostgreSQL backend on a real server (see test/support/postgres.ts): a fresh schema per place. */
export const postgresBackend: Backend = {
  name: 'postgres',
  sharedByInstances: true,
  async fresh() {
    const { url, schema } = await freshSchema();
    return { describe: `schema ${schema}`, open: (options) => openPostgresStores(url, options) };
  },
};
