import { Worker } from 'node:worker_threads';
import type { ClassifierSnapshot, LabelledText, TrainOptions } from '../nlu/classifier.js';

/** What a training thread is asked to do. */
export type TrainingJob =
  | { kind: 'train'; examples: LabelledText[]; train: Partial<TrainOptions> }
  | { kind: 'evaluate'; examples: LabelledText[]; train: Partial<TrainOptions>; folds: number; threshold: number };

/** What it answers. */
export type TrainingResult =
  | { kind: 'trained'; snapshot: ClassifierSnapshot; ms: number }
  | { kind: 'evaluated'; accuracy: number; macroF1: number; examples: number };

export interface TrainingLimits {
  /** Heap the thread may use, MB: a training that needs more fails instead of starving the server. */
  maxMemoryMb?: number;
  /** Longest a job may run before it is stopped and counted as failed. */
  timeoutMs?: number;
}

/**
 * Compiled, the worker is trainWorker.js beside this file. Run from source (tests, `npm run dev`)
 * it is the .ts, and a worker thread does not inherit tsx's loader: a one-line module registers it first.
 */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER: URL = FROM_SOURCE
  ? new URL(`data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(new URL('./trainWorker.ts', import.meta.url).href)});`)}`)
  : new URL('./trainWorker.js', import.meta.url);

/** A job running in its thread. */
export interface RunningJob {
  /** Its answer; rejects with a reason when the thread fails (an exception, its memory limit, the time limit, `stop`). */
  done: Promise<TrainingResult>;
  stop(): Promise<void>;
}

/** Starts `job` in a new worker thread. */
export function startTraining(job: TrainingJob, limits: TrainingLimits = {}): RunningJob {
  const worker = new Worker(WORKER, {
    workerData: job,
    ...(limits.maxMemoryMb ? { resourceLimits: { maxOldGenerationSizeMb: limits.maxMemoryMb } } : {}),
  });
  const done = new Promise<TrainingResult>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, result?: TrainingResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (err) reject(err); else resolve(result!);
    };
    const timer = setTimeout(() => finish(new Error(`training stopped after ${Math.round((limits.timeoutMs ?? 0) / 1000)} s`)), limits.timeoutMs ?? 600_000);
    timer.unref();
    worker.once('message', (result: TrainingResult) => finish(undefined, result));
    worker.once('error', (err) => finish((err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? new Error(`training ran out of memory (limit ${limits.maxMemoryMb} MB)`) : err));
    worker.once('exit', (code) => finish(new Error(`the training thread stopped (exit code ${code}) before it answered`)));
  });
  return { done, stop: async () => { await worker.terminate(); } };
}
