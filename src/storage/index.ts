import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Stores } from './stores.js';
import { openEmbeddedStores } from './embedded/index.js';
import { openPostgresStores } from './postgres/index.js';

export type { Stores, StoreHealth, StoreOptions } from './stores.js';

/**
 * Opens the configured backend: PostgreSQL when `DATABASE_URL` is set (any number of instances
 * on one database), else the embedded one in `DATA_DIR` (one process, no server needed).
 * The choice is made here, once, at wiring time (STYLE 5).
 */
export async function openStores(config: Config & { readOnly?: boolean }, logger: Logger): Promise<Stores> {
  const common = { logger, lockWaitMs: config.lockWaitMs, readOnly: config.readOnly };
  if (config.database.url) {
    return openPostgresStores(config.database.url, { ...common, poolSize: config.database.poolSize, lockPoolSize: config.database.lockPoolSize });
  }
  return openEmbeddedStores(config.dataDir, common);
}
