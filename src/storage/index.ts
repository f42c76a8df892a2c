import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Stores } from './stores.js';
import { openEmbeddedStores } from './embedded/index.js';

export type { Stores, StoreHealth, StoreOptions } from './stores.js';

/** Opens the configured backend: the embedded one in DATA_DIR (no server needed). */
export async function openStores(config: Config & { readOnly?: boolean }, logger: Logger): Promise<Stores> {
  return openEmbeddedStores(config.dataDir, { logger, lockWaitMs: config.lockWaitMs, readOnly: config.readOnly });
}
