/**
 * The JavaScript libraries we measure ourselves against, wrapped as evaluator `Trainer`s:
 * `natural`'s BayesClassifier and NLP.js's NlpManager, both with their defaults.
 */
import { createRequire } from 'node:module';
import type { LabelledText } from '../src/nlu/classifier.js';
import type { Model, Prediction } from '../src/nlu/evaluation.js';

const require = createRequire(import.meta.url);

/** A trained model plus what the benchmark reports about it. */
export interface Measured extends Model { sizeBytes(): number }

interface Bayes {
  addDocument(text: string, label: string): void;
  train(): void;
  getClassifications(text: string): Array<{ label: string; value: number }>;
}

/** `natural` 8 BayesClassifier; its scores are normalised to sum to 1 so a threshold can apply. */
export function trainNaturalBayes(train: LabelledText[]): Measured {
  const { BayesClassifier } = require('natural/lib/natural/classifiers/index.js') as { BayesClassifier: new () => Bayes };
  const c = new BayesClassifier();
  for (const e of train) c.addDocument(e.text, e.label);
  c.train();
  return {
    predict(text: string): Prediction {
      const cl = c.getClassifications(text);
      const sum = cl.reduce((a, x) => a + x.value, 0);
      return { label: cl[0].label, score: sum > 0 ? cl[0].value / sum : 0 };
    },
    sizeBytes: () => Buffer.byteLength(JSON.stringify(c)),
  };
}

interface NlpManagerT {
  addDocument(lang: string, text: string, intent: string): void;
  train(): Promise<void>;
  process(lang: string, text: string): Promise<{ intent: string; score: number }>;
  export(minified?: boolean): string;
}

/**
 * NLP.js (`node-nlp` NlpManager, English, defaults; training log off). Its own out-of-scope answer
 * `None` is reported as `noneLabel`. `process` is asynchronous, so prediction goes through
 * `predictAsync`.
 */
export async function trainNlpJs(train: LabelledText[], noneLabel: string): Promise<Measured & { predictAsync(text: string): Promise<Prediction> }> {
  const { NlpManager } = require('node-nlp') as { NlpManager: new (s: object) => NlpManagerT };
  // autoSave off: its default writes model.nlp into the working directory after every train
  const m = new NlpManager({ languages: ['en'], nlu: { log: false }, autoSave: false });
  for (const e of train) m.addDocument('en', e.text, e.label);
  await m.train();
  return {
    predict(): Prediction { throw new Error('NLP.js is asynchronous: use predictAsync'); },
    async predictAsync(text: string): Promise<Prediction> {
      const r = await m.process('en', text);
      return { label: r.intent === 'None' && noneLabel !== 'None' ? noneLabel : r.intent, score: r.score ?? 0 };
    },
    sizeBytes: () => Buffer.byteLength(m.export(true)),
  };
}
