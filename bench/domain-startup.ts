/**
 * One start-up training of the domain model in a fresh process, as `npm start` does it (cold
 * JIT, nothing trained before): prints `{"trainMs":…}`. `bench:nlu` runs it several times, because
 * a model trained in a process that has already trained others measures warm code, not start-up.
 */
import { loadConfig } from '../src/config.js';
import { IntentRecognizer } from '../src/nlu/recognizer.js';

const config = loadConfig({});
const r = IntentRecognizer.fromDirectory(config.intentsDir, { threshold: config.nluThreshold });
process.stdout.write(JSON.stringify({ trainMs: r.trainMs, lexiconMs: r.lexiconMs }) + '\n');
