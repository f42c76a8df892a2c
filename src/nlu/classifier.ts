import { Featurizer, DEFAULT_FEATURIZER, type FeaturizerOptions, type SparseVector, type Analysis } from './features.js';

export interface LabelledText { text: string; label: string }

export interface TrainOptions {
  featurizer: FeaturizerOptions;
  epochs: number;
  learningRate: number;
  /** L2 penalty, applied to the weights a sample touches (lazy weight decay). */
  l2: number;
  /** Softmax temperature; > 1 softens overconfident probabilities. */
  temperature: number;
  seed: number;
}

export const DEFAULT_TRAIN: TrainOptions = {
  featurizer: DEFAULT_FEATURIZER, epochs: 30, learningRate: 0.5, l2: 1e-5, temperature: 1, seed: 42,
};

export interface Scored { label: string; score: number }

/**
 * A multinomial logistic-regression text classifier over TF-IDF word and character n-grams,
 * trained by SGD. Probabilities are comparable across texts, so one threshold decides
 * "in scope or not".
 */
export class TextClassifier {
  private constructor(
    readonly featurizer: Featurizer,
    readonly labels: string[],
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
    readonly options: TrainOptions,
  ) {}

  static train(examples: LabelledText[], opts: Partial<TrainOptions> = {}): TextClassifier {
    const options: TrainOptions = { ...DEFAULT_TRAIN, ...opts, featurizer: { ...DEFAULT_FEATURIZER, ...opts.featurizer } };
    if (examples.length === 0) throw new Error('[TextClassifier]: no training examples');
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    const labelIndex = new Map(labels.map((l, i) => [l, i]));
    const featurizer = new Featurizer(options.featurizer).fit(examples.map((e) => e.text));
    const X = examples.map((e) => featurizer.transform(e.text));
    const y = examples.map((e) => labelIndex.get(e.label)!);
    const C = labels.length;
    const W = new Float32Array(featurizer.size * C);
    const b = new Float32Array(C);
    const p = new Float64Array(C);
    const rand = mulberry32(options.seed);
    const order = X.map((_, i) => i);
    let step = 0;
    const total = options.epochs * X.length;
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      shuffle(order, rand);
      for (const i of order) {
        const lr = options.learningRate * (1 - step / total) + 1e-4;
        step++;
        const x = X[i];
        scores(W, b, x, C, 1, p);
        const decay = 1 - lr * options.l2;
        for (let k = 0; k < C; k++) {
          const g = p[k] - (k === y[i] ? 1 : 0);
          b[k] -= lr * g;
          for (let j = 0; j < x.idx.length; j++) {
            const at = x.idx[j] * C + k;
            W[at] = W[at] * decay - lr * g * x.val[j];
          }
        }
      }
    }
    return new TextClassifier(featurizer, labels, W, b, options);
  }

  /** Every label with its probability, best first. */
  classify(text: string): Scored[] {
    return this.classifyVector(this.featurizer.transform(text));
  }

  classifyVector(x: SparseVector): Scored[] {
    const p = new Float64Array(this.labels.length);
    scores(this.weights, this.bias, x, this.labels.length, this.options.temperature, p);
    return this.labels.map((label, k) => ({ label, score: p[k] })).sort((a, b) => b.score - a.score);
  }

  analyse(text: string): Analysis { return this.featurizer.analyse(text); }

  /** Bytes held by the weights (for the benchmark's model-size column). */
  get sizeBytes(): number { return this.weights.byteLength + this.bias.byteLength; }
}

/** Softmax over the linear scores of `x` (written into `out`). */
function scores(W: Float32Array, b: Float32Array, x: SparseVector, C: number, temperature: number, out: Float64Array): void {
  for (let k = 0; k < C; k++) out[k] = b[k];
  for (let j = 0; j < x.idx.length; j++) {
    const base = x.idx[j] * C, v = x.val[j];
    for (let k = 0; k < C; k++) out[k] += W[base + k] * v;
  }
  let max = -Infinity;
  for (let k = 0; k < C; k++) { out[k] /= temperature; if (out[k] > max) max = out[k]; }
  let sum = 0;
  for (let k = 0; k < C; k++) { out[k] = Math.exp(out[k] - max); sum += out[k]; }
  for (let k = 0; k < C; k++) out[k] /= sum;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(a: T[], rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
}
