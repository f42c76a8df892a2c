/**
 * `npm run -s classify`: reads utterances one per line on stdin and prints one JSON object per
 * line, `{"text": …, "intent": …, "score": …, "lang": …}`, for support staff checking the
 * classifier. `lang` is the language the line was read as (`en` or `es`), each line on its own;
 * `--locale es-US` gives the prior a channel's locale would (what a line too short to tell becomes).
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { languageOfLocale } from '../nlu/languages.js';
import { IntentRecognizer } from '../nlu/recognizer.js';
import { topIntent } from '../nlu/recognizerPort.js';

const { values } = parseArgs({ options: { locale: { type: 'string' } }, strict: true });
const config = loadConfig();
const recognizer = IntentRecognizer.fromDirectory(config.intentsDir, { threshold: config.nluThreshold });
const prior = languageOfLocale(values.locale);
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  const result = recognizer.recognizeText(line, { prior });
  const { intent, score } = topIntent(result);
  process.stdout.write(JSON.stringify({ text: line, intent, score, lang: result.language }) + '\n');
}
