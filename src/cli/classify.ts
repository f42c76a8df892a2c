/**
 * `npm run -s classify`: reads utterances one per line on stdin and prints one JSON object per
 * line, `{"text": …, "intent": …, "score": …}`, for support staff checking the classifier.
 */
import { createInterface } from 'node:readline';
import { loadConfig } from '../config.js';
import { IntentRecognizer, topIntent } from '../nlu/recognizer.js';

const config = loadConfig();
const recognizer = IntentRecognizer.fromDirectory(config.intentsDir, { threshold: config.nluThreshold });
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  const { intent, score } = topIntent(recognizer.recognizeText(line));
  process.stdout.write(JSON.stringify({ text: line, intent, score }) + '\n');
}
