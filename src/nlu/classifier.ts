import { Featurizer, DEFAULT_FEATURIZER, type FeaturizerOptions, type FeaturizerSnapshot, type SparseVector, type Analysis } from './features.js';

export interface LabelledText { text: string; label: string }

export interface TrainOptions {
  featurizer: FeaturizerOptions;
  /** Passes over the data; 0 = automatic (30 below 5,000 examples, where passes are cheap and needed; else 12). */
  epochs: number;
  /** Initial SGD step; it decays linearly to almost zero over the run. */
  learningRate: number;
  /** L2 penalty (weight decay per step, applied to all weights through a shared scale). */
  l2: number;
  /** Softmax temperature at prediction; > 1 softens overconfident probabilities. */
  temperature: number;
  /**
   * Extra loss weight for one label (e.g. the out-of-scope class, which has far fewer examples
   * than it has ways to be phrased). `{}` weighs every example 1.
   */
  classWeight: Record<string, number>;
  /**
   * Average the weights at the end of each of the last `averageEpochs` passes (epoch-level
   * Polyak averaging): cheaper than per-step averaging and smooths the last SGD steps' noise.
   */
  averageEpochs: number;
  /**
   * Classes whose gradient for an example is smaller than this are left out of that update:
   * their step would be tiny, and skipping them makes each update touch a few classes, not all.
   */
  gradientFloor: number;
  /**
   * `sgd`: softmax regression by SGD. `svm`: one-vs-rest L2-loss linear SVMs solved exactly by
   * dual coordinate descent (liblinear's method), decision values turned into probabilities by a
   * softmax at `temperature`.
   */
  solver: 'sgd' | 'svm';
  /** SVM cost C (inverse regularisation). */
  svmC: number;
  /** SVM: passes of dual coordinate descent at most (it stops earlier once converged). */
  svmIterations: number;
  /** SVM: stop when the projected gradients' spread falls below this (liblinear's eps). */
  svmTolerance: number;
  seed: number;
}

export const DEFAULT_TRAIN: TrainOptions = {
  featurizer: DEFAULT_FEATURIZER, epochs: 0, learningRate: 1, l2: 1e-5, temperature: 1, classWeight: {}, averageEpochs: 0, gradientFloor: 0.01,
  solver: 'sgd', svmC: 1, svmIterations: 30, svmTolerance: 0.1, seed: 42,
};

export interface Scored { label: string; score: number }

/** A trained classifier as plain data: what a worker thread sends back after training. */
export interface ClassifierSnapshot { featurizer: FeaturizerSnapshot; labels: string[]; weights: Float32Array; bias: Float32Array; options: TrainOptions }

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
    const featurizer = new Featurizer(options.featurizer);
    const X = featurizer.fitTransform(examples.map((e) => e.text));
    const y = examples.map((e) => labelIndex.get(e.label)!);
    const sampleWeight = examples.map((e) => options.classWeight[e.label] ?? 1);
    const C = labels.length;
    if (options.solver === 'svm') {
      const { W, b } = trainSvm(X, y, sampleWeight, featurizer.size, C, options);
      return new TextClassifier(featurizer, labels, W, b, options);
    }
    const W = new Float32Array(featurizer.size * C);
    const b = new Float32Array(C);
    const z = new Float64Array(C);
    const active = new Int32Array(C);
    const grad = new Float64Array(C);
    const rand = mulberry32(options.seed);
    const order = X.map((_, i) => i);
    // W holds the weights divided by `scale`: decaying every weight is then one multiplication
    // (Bottou's trick), and an update only touches the classes with a real gradient.
    let scale = 1;
    let step = 0;
    const epochs = options.epochs || (X.length < 5000 ? 30 : 12);
    const total = Math.max(1, epochs * X.length);
    const averaged = Math.min(epochs, Math.max(0, options.averageEpochs));
    const Wsum = new Float32Array(averaged > 0 ? W.length : 0);
    const bsum = new Float64Array(C);
    for (let epoch = 0; epoch < epochs; epoch++) {
      shuffle(order, rand);
      for (const i of order) {
        const lr = options.learningRate * (1 - step / total) + 1e-3 * options.learningRate;
        step++;
        const x = X[i];
        linear(W, b, x, C, scale, z);
        softmax(z, C, 1);
        const sw = sampleWeight[i];
        let na = 0;
        const floor = options.gradientFloor;
        for (let k = 0; k < C; k++) {
          const g = (z[k] - (k === y[i] ? 1 : 0)) * sw;
          if (g > floor || g < -floor) { active[na] = k; grad[na] = g; na++; b[k] -= lr * g; }
        }
        scale *= 1 - lr * options.l2;
        const f = lr / scale;
        const xi = x.idx, xv = x.val, nx = xi.length;
        for (let j = 0; j < nx; j++) {
          const base = xi[j] * C, v = xv[j] * f;
          for (let a = 0; a < na; a++) W[base + active[a]] -= grad[a] * v;
        }
        if (scale < 1e-3) { for (let q = 0; q < W.length; q++) W[q] *= scale; scale = 1; }
      }
      if (epoch >= epochs - averaged) {
        for (let q = 0; q < W.length; q++) Wsum[q] += W[q] * scale;
        for (let k = 0; k < C; k++) bsum[k] += b[k];
      }
    }
    if (averaged > 0) {
      for (let q = 0; q < W.length; q++) W[q] = Wsum[q] / averaged;
      for (let k = 0; k < C; k++) b[k] = bsum[k] / averaged;
    } else if (scale !== 1) for (let q = 0; q < W.length; q++) W[q] *= scale;
    return new TextClassifier(featurizer, labels, W, b, options);
  }

  /** The trained model as plain data (its typed arrays can be transferred between threads). */
  snapshot(): ClassifierSnapshot {
    return { featurizer: this.featurizer.snapshot(), labels: this.labels, weights: this.weights, bias: this.bias, options: this.options };
  }

  /** The classifier `snapshot()` came from: it gives the same probabilities. */
  static restore(s: ClassifierSnapshot): TextClassifier {
    return new TextClassifier(Featurizer.restore(s.featurizer), s.labels, s.weights, s.bias, s.options);
  }

  /** Every label with its probability, best first. */
  classify(text: string): Scored[] {
    return this.classifyVector(this.featurizer.transform(text));
  }

  /** Like `classify`, for a vector from `featurizer.transform`. */
  classifyVector(x: SparseVector): Scored[] {
    const p = this.probabilities(x);
    return this.labels.map((label, k) => ({ label, score: p[k] })).sort((a, b) => b.score - a.score);
  }

  /** Probability of each label, in `labels` order. */
  probabilities(x: SparseVector): Float64Array {
    const p = new Float64Array(this.labels.length);
    linear(this.weights, this.bias, x, this.labels.length, 1, p);
    softmax(p, this.labels.length, this.options.temperature);
    return p;
  }

  analyse(text: string): Analysis { return this.featurizer.analyse(text); }

  /** Bytes held by the weights (for the benchmark's model-size column). */
  get sizeBytes(): number { return this.weights.byteLength + this.bias.byteLength; }
}

/**
 * One-vs-rest L2-regularised L2-loss SVMs by dual coordinate descent (Hsieh et al. 2008, as in
 * liblinear): exact, no step size to tune, and each pass is one sparse dot product per example.
 * The bias is a constant feature of value 1 (regularised, like liblinear's `-B 1`).
 */
function trainSvm(X: SparseVector[], y: number[], sampleWeight: number[], F: number, C: number, o: TrainOptions): { W: Float32Array; b: Float32Array } {
  const n = X.length;
  // the examples packed into one CSR block: the inner loops walk two flat typed arrays instead of
  // chasing an object per example (about a third faster, which matters at start-up)
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + X[i].idx.length;
  const cols = new Int32Array(start[n]);
  const vals = new Float64Array(start[n]);
  for (let i = 0; i < n; i++) { cols.set(X[i].idx, start[i]); vals.set(X[i].val, start[i]); }
  const W = new Float32Array(F * C);
  const b = new Float32Array(C);
  const w = new Float64Array(F);
  const alpha = new Float64Array(n);
  const qii = new Float64Array(n);
  const dii = new Float64Array(n);
  const order = new Int32Array(n);
  const rand = mulberry32(o.seed);
  for (let i = 0; i < n; i++) {
    let q = 1; // the bias feature
    for (let j = start[i]; j < start[i + 1]; j++) q += vals[j] * vals[j];
    dii[i] = 1 / (2 * o.svmC * sampleWeight[i]);
    qii[i] = q + dii[i];
  }
  const maxIterations = o.svmIterations * 3, tolerance = o.svmTolerance;
  for (let c = 0; c < C; c++) {
    w.fill(0); alpha.fill(0);
    let bias = 0;
    // liblinear's shrinking: an example at alpha = 0 whose gradient is clearly positive (a negative
    // far on its side of the margin, most of them in one-vs-rest) leaves the active set; once the
    // active set converges, one full pass checks the rest.
    let active = n;
    for (let i = 0; i < n; i++) order[i] = i;
    let pgMaxOld = Infinity;
    for (let it = 0; it < maxIterations; it++) {
      for (let s = 0; s < active; s++) {
        const t = s + Math.floor(rand() * (active - s));
        const tmp = order[s]; order[s] = order[t]; order[t] = tmp;
      }
      let maxPg = -Infinity, minPg = Infinity;
      for (let s = 0; s < active; s++) {
        const i = order[s];
        const yi = y[i] === c ? 1 : -1;
        const j0 = start[i], j1 = start[i + 1];
        let d = bias;
        for (let j = j0; j < j1; j++) d += w[cols[j]] * vals[j];
        const g = yi * d - 1 + dii[i] * alpha[i];
        let pg = 0;
        if (alpha[i] === 0) {
          if (g > pgMaxOld) { active--; order[s] = order[active]; order[active] = i; s--; continue; }
          if (g < 0) pg = g;
        } else pg = g;
        if (pg > maxPg) maxPg = pg;
        if (pg < minPg) minPg = pg;
        if (pg === 0) continue;
        const old = alpha[i];
        alpha[i] = Math.max(old - g / qii[i], 0);
        const delta = (alpha[i] - old) * yi;
        if (delta === 0) continue;
        for (let j = j0; j < j1; j++) w[cols[j]] += delta * vals[j];
        bias += delta;
      }
      if (maxPg - minPg < tolerance) {
        if (active === n) break;
        active = n; pgMaxOld = Infinity;
        continue;
      }
      pgMaxOld = maxPg <= 0 ? Infinity : maxPg;
    }
    for (let j = 0; j < F; j++) W[j * C + c] = w[j];
    b[c] = bias;
  }
  return { W, b };
}

/**
 * out = scale · Wᵀx + b for a sparse x. Weights are stored feature-major (a feature's C class
 * weights side by side), so each of x's columns is one contiguous run. Four columns are added per
 * pass over `out`: V8 does not vectorise, and loading and storing `out` once for four products
 * instead of one measured about twice as fast (the dot products are most of a classification).
 */
function linear(W: Float32Array, b: Float32Array, x: SparseVector, C: number, scale: number, out: Float64Array): void {
  out.fill(0);
  const idx = x.idx, val = x.val, n = idx.length;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const b0 = idx[j] * C, b1 = idx[j + 1] * C, b2 = idx[j + 2] * C, b3 = idx[j + 3] * C;
    const v0 = val[j], v1 = val[j + 1], v2 = val[j + 2], v3 = val[j + 3];
    for (let k = 0; k < C; k++) out[k] += W[b0 + k] * v0 + W[b1 + k] * v1 + W[b2 + k] * v2 + W[b3 + k] * v3;
  }
  for (; j < n; j++) {
    const b0 = idx[j] * C, v0 = val[j];
    for (let k = 0; k < C; k++) out[k] += W[b0 + k] * v0;
  }
  for (let k = 0; k < C; k++) out[k] = out[k] * scale + b[k];
}

function softmax(z: Float64Array, C: number, temperature: number): void {
  let max = -Infinity;
  for (let k = 0; k < C; k++) { z[k] /= temperature; if (z[k] > max) max = z[k]; }
  let sum = 0;
  for (let k = 0; k < C; k++) { z[k] = Math.exp(z[k] - max); sum += z[k]; }
  for (let k = 0; k < C; k++) z[k] /= sum;
}

/** Small seeded PRNG, so training (and therefore every score) is reproducible. */
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
