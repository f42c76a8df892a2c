import { IntentRecognizer, topTwo } from './src/nlu/recognizer.js';
import { loadConfig } from './src/config.js';
const c = loadConfig({});
const r = IntentRecognizer.fromDirectory(c.intentsDir, { threshold: c.nluThreshold });
for (const l of (process.env.P ?? '').split('|')) { const res = r.recognizeText(l); console.log(JSON.stringify(l).padEnd(40), topTwo(res).map(x=>`${x.intent}:${x.score}`).join('  ')); }
