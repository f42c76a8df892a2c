/**
 * A worker thread's one job, so that training (seconds) and cross-validation (tens of seconds)
 * never hold up the turns of the thread that serves customers: train a classifier and send it
 * back as plain data, or measure a training set by k-fold cross-validation (`npm run evaluate`'s
 * code). Started by `runTraining` (`trainingJobs.ts`), one job per thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TextClassifier } from '../nlu/classifier.js';
import { applyThreshold, crossValidate, report, textClassifierTrainer } from '../nlu/evaluation.js';
import type { TrainingJob, TrainingResult } from './trainingJobs.js';

async function run(job: TrainingJob): Promise<TrainingResult> {
  if (job.kind === 'train') {
    const t0 = performance.now();
    const model = TextClassifier.train(job.examples, job.train);
    return { kind: 'trained', snapshot: model.snapshot(), ms: performance.now() - t0 };
  }
  const rows = await crossValidate(job.examples, textClassifierTrainer(job.train, 'none'), job.folds);
  const r = report(applyThreshold(rows, job.threshold, 'none'));
  return { kind: 'evaluated', accuracy: r.accuracy, macroF1: r.macroF1, examples: r.n };
}

const job = workerData as TrainingJob;
run(job).then(
  (result) => {
    const transfer = result.kind === 'trained'
      ? [result.snapshot.weights.buffer, result.snapshot.bias.buffer, result.snapshot.featurizer.keys.buffer, result.snapshot.featurizer.values.buffer, result.snapshot.featurizer.idf.buffer, result.snapshot.featurizer.isChar.buffer]
      : [];
    parentPort!.postMessage(result, transfer as ArrayBuffer[]);
  },
  (err: unknown) => { throw err; },
);
