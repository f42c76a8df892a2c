import { expect } from 'chai';
import { TextClassifier } from '../../src/nlu/classifier.js';
import { Featurizer } from '../../src/nlu/features.js';

const data = [
  ...['pay my bill', 'bill is too high', 'when is the bill due', 'pay bill online', 'my bill amount'].map((text) => ({ text, label: 'billing' })),
  ...['reset my password', 'forgot password', 'password reset link', 'change my password', 'new password please'].map((text) => ({ text, label: 'password' })),
  ...['store near me', 'find a store', 'store hours', 'closest store', 'visit a store'].map((text) => ({ text, label: 'store' })),
];

describe('text classifier', () => {
  it('trains reproducibly: same data and seed, same probabilities', () => {
    const a = TextClassifier.train(data), b = TextClassifier.train(data);
    expect(a.classify('pasword reset')).to.deep.equal(b.classify('pasword reset'));
  });

  it('returns a probability per label, summing to 1, best first', () => {
    const m = TextClassifier.train(data, { averageEpochs: 3 });
    const r = m.classify('how much is my bil');
    expect(r.map((x) => x.label).sort()).to.deep.equal(['billing', 'password', 'store']);
    expect(r[0].label).to.equal('billing');
    expect(r.reduce((s, x) => s + x.score, 0)).to.be.closeTo(1, 1e-9);
    for (const x of r) expect(x.score).to.be.within(0, 1);
    for (let i = 1; i < r.length; i++) expect(r[i - 1].score).to.be.at.least(r[i].score);
  });

  it('a higher class weight raises that class\'s probability on an ambiguous text', () => {
    const plain = TextClassifier.train(data).classify('store bill');
    const weighted = TextClassifier.train(data, { classWeight: { store: 5 } }).classify('store bill');
    const p = (r: typeof plain) => r.find((x) => x.label === 'store')!.score;
    expect(p(weighted)).to.be.greaterThan(p(plain));
  });

  it('the SVM solver fits every training text, is reproducible, and returns probabilities', () => {
    const m = TextClassifier.train(data, { solver: 'svm', temperature: 0.2 });
    for (const e of data) expect(m.classify(e.text)[0].label, e.text).to.equal(e.label);
    expect(m.classify('forgot my pasword')).to.deep.equal(TextClassifier.train(data, { solver: 'svm', temperature: 0.2 }).classify('forgot my pasword'));
    const r = m.classify('closest store to me');
    expect(r[0].label).to.equal('store');
    expect(r.reduce((s, x) => s + x.score, 0)).to.be.closeTo(1, 1e-9);
  });

  it('the SVM solver: a higher class weight raises that class\'s probability on an ambiguous text', () => {
    const p = (w: number) => TextClassifier.train(data, { solver: 'svm', classWeight: { store: w } }).classify('store bill').find((x) => x.label === 'store')!.score;
    expect(p(5)).to.be.greaterThan(p(1));
  });

  it('refuses to train on nothing, naming the class', () => {
    expect(() => TextClassifier.train([])).to.throw(/\[TextClassifier\]/);
  });
});

describe('featurizer', () => {
  it('ignores n-grams never seen in training and L2-normalises the vector', () => {
    const f = new Featurizer().fit(['pay my bill', 'reset password']);
    expect(f.transform('zzzz qqqq').idx.length).to.equal(0);
    const v = f.transform('pay the bill');
    expect(v.idx.length).to.be.greaterThan(0);
    expect([...v.val].reduce((s, x) => s + x * x, 0)).to.be.closeTo(1, 1e-5);
    expect(new Set(v.idx).size, 'each column once').to.equal(v.idx.length);
    expect(f.transform('pay the bill'), 'deterministic').to.deep.equal(v);
  });

  it('fitTransform gives the same vectors as fit then transform', () => {
    const texts = data.map((d) => d.text);
    const a = new Featurizer();
    const direct = a.fitTransform(texts);
    const b = new Featurizer().fit(texts);
    texts.forEach((t, i) => {
      const v = b.transform(t);
      expect([...v.idx]).to.deep.equal([...direct[i].idx]);
      expect([...v.val]).to.deep.equal([...direct[i].val]);
    });
  });
});
