import { IntentRecognizer, DOMAIN_TRAIN, recognizerModels, trainFor, type DefinitionsByLanguage } from '../nlu/recognizer.js';
import type { Language } from '../nlu/languages.js';
import { TextClassifier, type LabelledText } from '../nlu/classifier.js';
import type { IntentDefinition, IntentName } from '../nlu/intents.js';
import type { RecognizerHolder } from '../nlu/recognizerHolder.js';
import type { Logger } from '../logger.js';
import type { EventBus } from '../storage/eventBus.js';
import type { ReviewLabel, ReviewLabelStore } from '../storage/reviewLabelStore.js';
import { startTraining, type RunningJob, type TrainingJob, type TrainingLimits, type TrainingResult } from './trainingJobs.js';

/** The event bus topic: "the labels changed" (payload: the revision). */
export const LABELS_TOPIC = 'review.labels';

/** Cross-validated accuracy of one training set. */
export interface Accuracy { accuracy: number; macroF1: number; examples: number }

/** What the serving model is and how its last retrain went (the review page shows it). */
export interface ModelStatus {
  /** `training` while a retrain runs; `failed` when the last one failed (the previous model still serves). */
  state: 'ready' | 'training' | 'failed';
  /** The label revision the serving model learned from (0: `intents/` alone). */
  revision: number;
  /** Supervisor labels the serving model learned from, and its training examples in all. */
  labels: number;
  examples: number;
  trainedAt?: string;
  /** The last failure, kept until a retrain succeeds. */
  lastError?: { at: string; revision: number; message: string };
  /**
   * Cross-validated accuracy (`npm run evaluate`'s) without any supervisor label (`before`) and
   * with the labels the model serves now (`after`); measured when first asked for, in the background.
   */
  evaluation: { state: 'not_started' | 'running' | 'done' | 'failed'; folds: number; before?: Accuracy; after?: Accuracy & { revision: number }; message?: string };
}

export interface RetrainerDeps {
  holder: RecognizerHolder;
  labels: Pick<ReviewLabelStore, 'list' | 'revision'>;
  bus?: Pick<EventBus, 'subscribe'>;
  logger?: Logger;
  /** Folds of the cross-validation (5, as `npm run evaluate`). */
  folds?: number;
  limits?: TrainingLimits;
  now?: () => Date;
}

/**
 * Keeps this instance's model in step with the supervisors' labels: at start, and whenever any
 * instance says the labels changed (event bus; after a lost connection it checks again), it
 * trains on `intents/` plus the labels in a worker thread and swaps the new model in. Turns never
 * wait: the old model serves until the new one is ready, and keeps serving if training fails
 * (logged, and shown in `status()`). Retrains never overlap; changes that arrive meanwhile are
 * picked up by one more run.
 */
export class Retrainer {
  /** The training data of every language the serving model knows (`intents/`, `intents/es/`, …). */
  private readonly base: DefinitionsByLanguage;
  private readonly folds: number;
  private revision = 0;
  private labelCount = 0;
  private examples: number;
  private trainedAt?: string;
  private lastError?: ModelStatus['lastError'];
  private running?: Promise<void>;
  private again = false;
  private job?: RunningJob;
  private closed = false;
  private unsubscribe?: () => void;
  private evaluation: ModelStatus['evaluation'];
  /** The labels the serving model learned (what "after" measures). */
  private lastLabels: ReviewLabel[] = [];
  /** Training jobs, one after the other. */
  private queue: Promise<unknown> = Promise.resolve();
  private before?: Promise<Accuracy>;
  private readonly now: () => Date;

  constructor(private readonly deps: RetrainerDeps) {
    if (!deps?.holder) throw new Error('[Retrainer]: Missing parameter. holder is required');
    if (!deps.labels) throw new Error('[Retrainer]: Missing parameter. labels is required');
    this.base = deps.holder.current.definitionsByLanguage;
    this.examples = count(this.base);
    this.folds = deps.folds ?? 5;
    this.evaluation = { state: 'not_started', folds: this.folds };
    this.now = deps.now ?? (() => new Date());
  }

  /** Listens for label changes and catches up with the labels stored now. */
  start(): void {
    // request() never rejects: a failed catch-up is recorded in status() (`fail`), so nothing awaits it here
    const catchUp = (): void => { void this.request(); };
    this.unsubscribe = this.deps.bus?.subscribe(LABELS_TOPIC, catchUp, catchUp);
    catchUp();
  }

  /** Asks for a retrain if the labels moved on; resolves when this instance has caught up (or failed). */
  request(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) { this.again = true; return this.running; }
    this.running = (async () => {
      do {
        this.again = false;
        await this.catchUp();
      } while (this.again && !this.closed);
    })().finally(() => { this.running = undefined; });
    return this.running;
  }

  status(): ModelStatus {
    return {
      state: this.running ? 'training' : this.lastError ? 'failed' : 'ready',
      revision: this.revision, labels: this.labelCount, examples: this.examples,
      ...(this.trainedAt ? { trainedAt: this.trainedAt } : {}),
      ...(this.lastError ? { lastError: { ...this.lastError } } : {}),
      evaluation: structuredClone(this.evaluation),
    };
  }

  /**
   * Starts measuring accuracy before and after the labels (in the background, once per label
   * revision); `status().evaluation` shows the result when it is done.
   */
  evaluate(): void {
    const revision = this.revision;
    if (this.closed || (this.evaluation.state === 'running') || (this.evaluation.state === 'done' && this.evaluation.after?.revision === revision)) return;
    const previous = this.evaluation;
    this.evaluation = { ...previous, state: 'running', folds: this.folds };
    const labelled = this.trainingSet(this.lastLabels);
    void (async () => {
      try {
        this.before ??= this.measure(this.base);
        const before = await this.before;
        const after = revision === 0 ? before : await this.measure(labelled);
        this.evaluation = { state: 'done', folds: this.folds, before, after: { ...after, revision } };
      } catch (err) {
        this.before = undefined;
        this.evaluation = { ...previous, state: 'failed', folds: this.folds, message: (err as Error).message };
        this.deps.logger?.error({ err }, 'cross-validation of the review labels failed');
      }
    })();
  }

  /** Stops listening and any training in progress (shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    await this.job?.stop();
    await this.running?.catch(() => undefined);
  }

  private async catchUp(): Promise<void> {
    let revision: number, labels: ReviewLabel[];
    try {
      revision = await this.deps.labels.revision();
      if (revision === this.revision) return;
      labels = (await this.deps.labels.list()).filter((l) => this.trains(l));
    } catch (err) {
      this.fail(this.revision, err);
      return;
    }
    const definitions = this.trainingSet(labels);
    const t0 = performance.now();
    try {
      // the same kind of model as the one serving (one joint model, or one per language), each trained in the thread
      const current = this.deps.holder.current;
      const trained = new Map<Language | 'multi', TextClassifier>();
      for (const key of recognizerModels(current.languages, current.model)) {
        const examples = key === 'multi' ? current.languages.flatMap((l) => examplesOf(definitions[l] ?? [])) : examplesOf(definitions[key] ?? []);
        const result = await this.run({ kind: 'train', examples, train: trainFor(key, this.deps.holder.options.train ?? DOMAIN_TRAIN) });
        if (result.kind !== 'trained') throw new Error('the training thread answered something else');
        trained.set(key, TextClassifier.restore(result.snapshot));
      }
      if (this.closed) return;
      this.deps.holder.swap(new IntentRecognizer(definitions, this.deps.holder.options, trained));
    } catch (err) {
      this.fail(revision, err);
      return;
    }
    this.revision = revision;
    this.labelCount = labels.length;
    this.lastLabels = labels;
    this.examples = count(definitions);
    this.trainedAt = this.now().toISOString();
    this.lastError = undefined;
    this.deps.logger?.info({ revision, labels: labels.length, ms: Math.round(performance.now() - t0) }, 'model retrained with the review labels and swapped in');
  }

  private fail(revision: number, err: unknown): void {
    const message = (err as Error)?.message ?? String(err);
    this.lastError = { at: this.now().toISOString(), revision, message };
    this.deps.logger?.error({ err, revision }, 'retraining failed; the previous model keeps serving');
  }

  /** Labels this model can learn from: those in a language it has training data for. */
  private trains(l: ReviewLabel): boolean {
    return Boolean(this.base[l.language as Language]?.length);
  }

  /** The training data of every language, with each label added to its intent in its own language. */
  private trainingSet(labels: readonly ReviewLabel[]): DefinitionsByLanguage {
    const out: DefinitionsByLanguage = { en: [] };
    for (const [language, definitions] of Object.entries(this.base) as Array<[Language, IntentDefinition[]]>) {
      const extra = new Map<string, string[]>();
      for (const l of labels.filter((x) => x.language === language)) { const list = extra.get(l.intent); if (list) list.push(l.text); else extra.set(l.intent, [l.text]); }
      out[language] = definitions.map((d) => ({ ...d, intent: d.intent as IntentName, examples: [...d.examples, ...(extra.get(d.intent) ?? [])] }));
    }
    return out;
  }

  /** Cross-validated accuracy of a training set, as the serving model is trained (joint, or English alone). */
  private async measure(definitions: DefinitionsByLanguage): Promise<Accuracy> {
    const current = this.deps.holder.current;
    const joint = current.model === 'joint';
    const examples = joint ? current.languages.flatMap((l) => examplesOf(definitions[l] ?? [])) : examplesOf(definitions.en);
    const train = trainFor(joint ? 'multi' : 'en', this.deps.holder.options.train ?? DOMAIN_TRAIN);
    const r = await this.run({ kind: 'evaluate', examples, train, folds: this.folds, threshold: this.deps.holder.options.threshold });
    if (r.kind !== 'evaluated') throw new Error('the training thread answered something else');
    return { accuracy: r.accuracy, macroF1: r.macroF1, examples: r.examples };
  }

  /** One job at a time per instance: a 2-core machine serves customers on the other core. */
  private run(job: TrainingJob): Promise<TrainingResult> {
    const go = async () => {
      if (this.closed) throw new Error('the retrainer is closed');
      this.job = startTraining(job, this.deps.limits);
      try { return await this.job.done; } finally { this.job = undefined; }
    };
    const p = this.queue.then(go, go);
    this.queue = p.catch(() => undefined);
    return p;
  }
}

function examplesOf(definitions: readonly IntentDefinition[]): LabelledText[] {
  return definitions.flatMap((d) => d.examples.map((text) => ({ text, label: d.intent })));
}

function count(byLanguage: DefinitionsByLanguage): number {
  return Object.values(byLanguage).reduce((n, defs) => n + (defs ?? []).reduce((m, d) => m + d.examples.length, 0), 0);
}
