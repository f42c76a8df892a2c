import { expect } from 'chai';
import { mulberry32, TextClassifier, type TrainOptions } from '../../src/nlu/classifier.js';
import type { SparseVector } from '../../src/nlu/features.js';

/**
 * Tests that pin what the classifier computes, against references written here from the
 * algorithms' definitions: softmax regression by plain SGD, the optimality conditions of the
 * L2-loss SVM, a naive dot product, the published mulberry32. The model's weights are private;
 * these tests read them (`model['weights']`) because what they check is exactly those numbers.
 */

const data = [
  ...['pay my bill', 'bill is too high', 'when is the bill due', 'pay bill online', 'my bill amount', 'charged twice on my bill'].map((text) => ({ text, label: 'billing' })),
  ...['reset my password', 'forgot password', 'password reset link', 'change my password', 'new password please', 'my password does not work'].map((text) => ({ text, label: 'password' })),
  ...['store near me', 'find a store', 'store hours', 'closest store', 'visit a store', 'is the store open today'].map((text) => ({ text, label: 'store' })),
  ...['my phone has no signal', 'no service since this morning', 'calls keep dropping', 'signal is weak at home'].map((text) => ({ text, label: 'signal' })),
];

interface Internals { weights: Float32Array; bias: Float32Array }
const internals = (m: TextClassifier): Internals => ({ weights: m['weights' as keyof TextClassifier] as unknown as Float32Array, bias: m['bias' as keyof TextClassifier] as unknown as Float32Array });
const vectors = (m: TextClassifier) => data.map((e) => m.featurizer.transform(e.text));
const labelOf = (m: TextClassifier) => data.map((e) => m.labels.indexOf(e.label));

/** Wᵀx + b, one product at a time. */
function naiveScores(m: TextClassifier, x: SparseVector): number[] {
  const { weights, bias } = internals(m);
  const C = m.labels.length;
  return m.labels.map((_, k) => {
    let z = bias[k];
    for (let j = 0; j < x.idx.length; j++) z += weights[x.idx[j] * C + k] * x.val[j];
    return z;
  });
}
function naiveSoftmax(z: number[], temperature: number): number[] {
  const e = z.map((v) => Math.exp(v / temperature));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
const top = (m: TextClassifier, text: string) => m.classify(text)[0].score;

/**
 * Softmax regression by SGD as `TrainOptions` describes it, done the plain way: weights decayed
 * and updated directly (no shared scale), same shuffling, learning-rate schedule, gradient floor
 * and epoch averaging.
 */
function referenceSgd(X: SparseVector[], y: number[], F: number, C: number, o: TrainOptions): { W: Float64Array; b: Float64Array } {
  const W = new Float64Array(F * C), b = new Float64Array(C);
  const rand = mulberry32(o.seed);
  const order = X.map((_, i) => i);
  const epochs = o.epochs || 30;
  const total = epochs * X.length;
  const averaged = Math.min(epochs, o.averageEpochs);
  const Wsum = new Float64Array(F * C), bsum = new Float64Array(C);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
    for (const i of order) {
      const lr = o.learningRate * (1 - step / total) + 1e-3 * o.learningRate;
      step++;
      const z = Array.from({ length: C }, (_, k) => { let s = b[k]; X[i].idx.forEach((f, j) => { s += W[f * C + k] * X[i].val[j]; }); return s; });
      const p = naiveSoftmax(z, 1);
      const sw = o.classWeight[data[i].label] ?? 1;
      const g = p.map((pk, k) => (pk - (k === y[i] ? 1 : 0)) * sw);
      for (let q = 0; q < W.length; q++) W[q] *= 1 - lr * o.l2;
      for (let k = 0; k < C; k++) {
        if (Math.abs(g[k]) <= o.gradientFloor) continue;
        b[k] -= lr * g[k];
        X[i].idx.forEach((f, j) => { W[f * C + k] -= lr * g[k] * X[i].val[j]; });
      }
    }
    if (epoch >= epochs - averaged) { W.forEach((w, q) => { Wsum[q] += w; }); b.forEach((v, k) => { bsum[k] += v; }); }
  }
  if (averaged > 0) return { W: Wsum.map((w) => w / averaged), b: bsum.map((v) => v / averaged) };
  return { W, b };
}

/**
 * For each one-vs-rest L2-loss SVM: the gradient of ½‖w‖² + C Σᵢ sᵢ·max(0, 1 − yᵢ(w·xᵢ + b))²
 * (the bias is a regularised feature of value 1), relative to ‖w‖. Zero at the optimum.
 */
function svmGradients(m: TextClassifier, C: number, weightOf: (label: string) => number = () => 1): number[] {
  const { weights, bias } = internals(m);
  const X = vectors(m), y = labelOf(m), K = m.labels.length, F = weights.length / K;
  return m.labels.map((_, c) => {
    const grad = new Float64Array(F + 1);
    for (let f = 0; f < F; f++) grad[f] = weights[f * K + c];
    grad[F] = bias[c];
    X.forEach((x, i) => {
      const yi = y[i] === c ? 1 : -1;
      let d = bias[c];
      x.idx.forEach((f, j) => { d += weights[f * K + c] * x.val[j]; });
      const slack = Math.max(0, 1 - yi * d);
      if (slack === 0) return;
      const s = 2 * C * weightOf(data[i].label) * slack * yi;
      x.idx.forEach((f, j) => { grad[f] -= s * x.val[j]; });
      grad[F] -= s;
    });
    const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((a, x) => a + x * x, 0));
    return norm(grad) / norm([...Array.from({ length: F }, (_, f) => weights[f * K + c]), bias[c]]);
  });
}

describe('classifier, pinned: SGD is softmax regression', () => {
  for (const opts of [{}, { averageEpochs: 3 }, { l2: 1e-3, learningRate: 0.5 }, { gradientFloor: 0.2, epochs: 7 }, { classWeight: { store: 3 } }, { seed: 7 }] as Array<Partial<TrainOptions>>) {
    it(`matches a plain SGD written from the definition (${JSON.stringify(opts)})`, () => {
      const m = TextClassifier.train(data, opts);
      const ref = referenceSgd(vectors(m), labelOf(m), m.featurizer.size, m.labels.length, m.options);
      const { weights, bias } = internals(m);
      // the model keeps float32 weights; the reference float64
      for (let q = 0; q < weights.length; q++) if (Math.abs(weights[q] - ref.W[q]) > 1e-4 + 1e-4 * Math.abs(ref.W[q])) expect.fail(`weight ${q}: ${weights[q]} vs ${ref.W[q]}`);
      for (let k = 0; k < bias.length; k++) expect(bias[k], `bias ${k}`).to.be.closeTo(ref.b[k], 1e-4 + 1e-4 * Math.abs(ref.b[k]));
    });
  }

  it('keeps its weights finite under a strong penalty over many passes (the shared scale is folded back in)', () => {
    const opts = { l2: 0.05, epochs: 300 };
    const m = TextClassifier.train(data, opts);
    const ref = referenceSgd(vectors(m), labelOf(m), m.featurizer.size, m.labels.length, m.options);
    const { weights } = internals(m);
    for (let q = 0; q < weights.length; q++) if (!(Math.abs(weights[q] - ref.W[q]) <= 1e-4 + 1e-4 * Math.abs(ref.W[q]))) expect.fail(`weight ${q}: ${weights[q]} vs ${ref.W[q]}`);
  });

  it('fits every training text confidently', () => {
    const m = TextClassifier.train(data);
    for (const e of data) {
      const [best] = m.classify(e.text);
      expect(best.label, e.text).to.equal(e.label);
      expect(best.score, e.text).to.be.greaterThan(0.5);
    }
  });

  it('epochs 0 means 30 passes below 5,000 examples', () => {
    expect(TextClassifier.train(data, { epochs: 0 }).classify('bill store')).to.deep.equal(TextClassifier.train(data, { epochs: 30 }).classify('bill store'));
    expect(TextClassifier.train(data, { epochs: 0 }).classify('bill store')).to.not.deep.equal(TextClassifier.train(data, { epochs: 12 }).classify('bill store'));
  });

  it('the seed matters (shuffling), and the same seed gives the same model', () => {
    const p = (seed: number) => TextClassifier.train(data, { seed }).classify('store bill');
    expect(p(1)).to.deep.equal(p(1));
    expect(p(1)).to.not.deep.equal(p(2));
  });

  it('averaging the last epochs gives a nearby but different model', () => {
    const plain = TextClassifier.train(data).probabilities(TextClassifier.train(data).featurizer.transform('store bill'));
    const m = TextClassifier.train(data, { averageEpochs: 5 });
    const avg = m.probabilities(m.featurizer.transform('store bill'));
    expect([...avg]).to.not.deep.equal([...plain]);
    avg.forEach((v, k) => expect(v).to.be.closeTo(plain[k], 0.1));
  });

  it('a stronger L2 penalty makes it less sure', () => {
    expect(top(TextClassifier.train(data, { l2: 0.05 }), 'pay my bill')).to.be.lessThan(top(TextClassifier.train(data), 'pay my bill'));
  });
});

describe('classifier, pinned: the SVM solver', () => {
  for (const C of [0.1, 1, 10]) {
    it(`reaches the L2-loss SVM optimum for C = ${C} (gradient ≈ 0 for every class)`, () => {
      const m = TextClassifier.train(data, { solver: 'svm', svmC: C, svmTolerance: 1e-4, svmIterations: 300 });
      for (const g of svmGradients(m, C)) expect(g).to.be.lessThan(1e-3);
      // and it is not the optimum for another C: svmC is what the solver used
      for (const g of svmGradients(m, C * 3)) expect(g).to.be.greaterThan(1e-2);
    });
  }

  it('reaches the optimum with class weights (each example\'s loss weighted)', () => {
    const m = TextClassifier.train(data, { solver: 'svm', classWeight: { store: 4 }, svmTolerance: 1e-4, svmIterations: 300 });
    for (const g of svmGradients(m, 1, (l) => (l === 'store' ? 4 : 1))) expect(g).to.be.lessThan(1e-3);
  });

  it('with the default (looser) tolerance, predicts nearly what the optimum predicts', () => {
    const loose = TextClassifier.train(data, { solver: 'svm' }), tight = TextClassifier.train(data, { solver: 'svm', svmTolerance: 1e-4, svmIterations: 300 });
    for (const text of ['pay my bill', 'store bill', 'no signal at the store', 'forgot my pasword']) {
      const [a, b] = [loose, tight].map((m) => m.probabilities(m.featurizer.transform(text)));
      a.forEach((v, k) => expect(v, `${text} / ${loose.labels[k]}`).to.be.closeTo(b[k], 0.02));
    }
  });

  it('differs from SGD on the same data: decision values near ±1, so softer probabilities at temperature 1', () => {
    const svm = TextClassifier.train(data, { solver: 'svm' }), sgd = TextClassifier.train(data);
    for (const e of data) {
      const z = naiveScores(svm, svm.featurizer.transform(e.text));
      const mine = z[svm.labels.indexOf(e.label)];
      expect(mine, e.text).to.be.within(0, 1.5);
      for (const [k, v] of z.entries()) if (svm.labels[k] !== e.label) expect(v, `${e.text} / ${svm.labels[k]}`).to.be.lessThan(mine);
      expect(top(svm, e.text), e.text).to.be.lessThan(top(sgd, e.text));
    }
  });

  it('svmIterations bounds the passes (three per unit) when the tolerance is never met', () => {
    const p = (svmIterations: number) => [...TextClassifier.train(data, { solver: 'svm', svmTolerance: 0, svmIterations }).classify('store bill').map((s) => s.score)];
    expect(p(1), '3 passes vs 6').to.not.deep.equal(p(2));
  });

  it('a smaller C regularises more: smaller decision values, less sure', () => {
    const sure = (C: number) => top(TextClassifier.train(data, { solver: 'svm', svmC: C }), 'pay my bill');
    expect(sure(0.05)).to.be.lessThan(sure(1));
    expect(sure(1)).to.be.lessThan(sure(20));
  });

  it('converges to the same model whatever the seed (the optimum is unique)', () => {
    const p = (seed: number) => [...TextClassifier.train(data, { solver: 'svm', seed, svmTolerance: 1e-5, svmIterations: 500 }).classify('store bill').map((s) => s.score)];
    const [a, b] = [p(1), p(99)];
    a.forEach((v, k) => expect(v).to.be.closeTo(b[k], 1e-4));
  });
});

describe('classifier, pinned: prediction', () => {
  const m = TextClassifier.train(data, { averageEpochs: 2 });
  const F = m.featurizer.size;

  it('the four-column dot product equals a naive one for 0 to 11 features (not only multiples of 4)', () => {
    const rand = mulberry32(5);
    for (let n = 0; n <= 11; n++) {
      const idx = new Set<number>();
      while (idx.size < n) idx.add(Math.floor(rand() * F));
      const x: SparseVector = { idx: Int32Array.from(idx), val: Float32Array.from([...idx].map(() => rand() * 2 - 1)) };
      const expected = naiveSoftmax(naiveScores(m, x), 1);
      const got = m.probabilities(x);
      expected.forEach((v, k) => expect(got[k], `n = ${n}, class ${k}`).to.be.closeTo(v, 1e-12));
    }
  });

  it('temperature divides the log-odds: T = 2 halves them, T = 0.5 doubles them, and the top probability moves accordingly', () => {
    const at = (temperature: number) => TextClassifier.train(data, { averageEpochs: 2, temperature });
    const x = m.featurizer.transform('bill for the store');
    const [p1, p2, ph] = [at(1), at(2), at(0.5)].map((c) => c.probabilities(x));
    for (let k = 1; k < p1.length; k++) {
      const lo = (p: Float64Array) => Math.log(p[k] / p[0]);
      expect(lo(p2)).to.be.closeTo(lo(p1) / 2, 1e-9);
      expect(lo(ph)).to.be.closeTo(lo(p1) * 2, 1e-9);
    }
    const best = (p: Float64Array) => Math.max(...p);
    expect(best(p2)).to.be.lessThan(best(p1));
    expect(best(ph)).to.be.greaterThan(best(p1));
    expect(p1.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
  });

  it('is numerically safe for large scores (softmax subtracts the largest)', () => {
    const cold = TextClassifier.train(data, { temperature: 1e-3 });
    const p = cold.classify('pay my bill');
    expect(p[0].label).to.equal('billing');
    expect(p[0].score).to.be.closeTo(1, 1e-9);
    for (const s of p) expect(Number.isFinite(s.score), s.label).to.equal(true);
  });

  it('classify lists every label with its probability, best first, and classifyVector agrees', () => {
    const r = m.classify('store bill');
    expect(r.map((s) => s.label).sort()).to.deep.equal([...m.labels]);
    for (let i = 1; i < r.length; i++) expect(r[i - 1].score).to.be.at.least(r[i].score);
    const p = m.probabilities(m.featurizer.transform('store bill'));
    for (const s of r) expect(s.score).to.equal(p[m.labels.indexOf(s.label)]);
  });

  it('reports the weights\' size in bytes', () => {
    expect(m.sizeBytes).to.equal((F * m.labels.length + m.labels.length) * 4);
  });
});

describe('mulberry32', () => {
  /** The published reference (Tommy Ettinger's mulberry32, as bryc's PRNG collection gives it). */
  function reference(a: number): () => number {
    return () => {
      let t = (a += 0x6D2B79F5);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('gives the reference sequence for several seeds', () => {
    for (const seed of [0, 1, 42, 123456789]) {
      const [mine, ref] = [mulberry32(seed), reference(seed)];
      for (let i = 0; i < 50; i++) expect(mine(), `seed ${seed}, draw ${i}`).to.equal(ref());
    }
  });

  it('stays in [0, 1) with a mean near ½', () => {
    const r = mulberry32(3);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) { const v = r(); expect(v).to.be.at.least(0).and.lessThan(1); sum += v; }
    expect(sum / 10_000).to.be.closeTo(0.5, 0.02);
  });
});
