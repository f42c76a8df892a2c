import { loadConfig } from '../../src/config.js';
import { IntentRecognizer } from '../../src/nlu/recognizer.js';

let shared: IntentRecognizer | undefined;

/**
 * The real recognizer as the bot trains it (both languages, the configured threshold), trained
 * once per test process: training is the slow part, and no test changes a trained model.
 */
export function sharedRecognizer(): IntentRecognizer {
  const config = loadConfig({});
  return (shared ??= IntentRecognizer.fromDirectory(config.intentsDir, { threshold: config.nluThreshold }));
}
