import { loadConfig } from '../../src/config.js';
import { ModelCache } from '../../src/nlu/modelCache.js';
import { IntentRecognizer } from '../../src/nlu/recognizer.js';
import { TEST_MODEL_CACHE } from './server.js';

let shared: IntentRecognizer | undefined;

/**
 * The real recognizer as the bot trains it (both languages, the configured threshold), trained
 * once per test process (or loaded from the shared model cache): training is the slow part, and
 * no test changes a trained model.
 */
export function sharedRecognizer(): IntentRecognizer {
  const config = loadConfig({});
  return (shared ??= IntentRecognizer.fromDirectory(config.intentsDir, { threshold: config.nluThreshold, cache: new ModelCache(TEST_MODEL_CACHE) }));
}
