import { expect } from 'chai';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { TextClassifier, type LabelledText } from '../../src/nlu/classifier.js';
import { ModelCache, modelKey } from '../../src/nlu/modelCache.js';
import { loadConfig } from '../../src/config.js';
import { tempDir } from '../support/server.js';

const data: LabelledText[] = [
  ...['pay my bill', 'bill is too high', 'when is the bill due', 'pay bill online'].map((text) => ({ text, label: 'billing' })),
  ...['reset my password', 'forgot password', 'password reset link', 'change my password'].map((text) => ({ text, label: 'password' })),
  ...['store near me', 'find a store', 'store hours', 'closest store'].map((text) => ({ text, label: 'store' })),
];
const PROBES = ['pasword reset', 'how much is my bil', 'where is a shop', 'hello'];
const scores = (m: TextClassifier) => PROBES.map((t) => m.classify(t));
const models = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.model'));

describe('trained-model cache (MODEL_CACHE_DIR)', () => {
  it('trains and keeps a model the first time; a later cache on the folder loads it, with the same probabilities', () => {
    const dir = tempDir('models-');
    const first = new ModelCache(dir);
    const trained = first.train(data, { seed: 7 });
    expect(first.stats).to.deep.equal({ loaded: 0, trained: 1 });
    expect(models(dir)).to.have.length(1);
    const second = new ModelCache(dir);
    const loaded = second.train(data, { seed: 7 });
    expect(second.stats).to.deep.equal({ loaded: 1, trained: 0 });
    expect(scores(loaded)).to.deep.equal(scores(trained));
    expect(scores(loaded)).to.deep.equal(scores(TextClassifier.train(data, { seed: 7 })));
  });

  it('other examples or other settings are another model: trained, not loaded', () => {
    const dir = tempDir('models-');
    new ModelCache(dir).train(data, { seed: 7 });
    const cache = new ModelCache(dir);
    cache.train(data, { seed: 8 });
    cache.train([...data, { text: 'open a new line', label: 'plans' }], { seed: 7 });
    cache.train(data.map((e, i) => (i === 0 ? { ...e, text: 'pay my bil' } : e)), { seed: 7 });
    cache.train(data.map((e, i) => (i === 0 ? { ...e, label: 'store' } : e)), { seed: 7 });
    expect(cache.stats).to.deep.equal({ loaded: 0, trained: 4 });
    expect(new Set([
      modelKey(data, { seed: 7 }), modelKey(data, { seed: 8 }), modelKey(data, { seed: 7, featurizer: { language: 'es' } as never }),
      modelKey(data.slice(1), { seed: 7 }), modelKey([{ text: 'a\0b', label: 'c' }], {}), modelKey([{ text: 'a', label: 'b\0c' }], {}),
    ]).size).to.equal(6);
  });

  it('a damaged file, or one that holds another model, is reported and replaced by a trained model', () => {
    const dir = tempDir('models-');
    new ModelCache(dir).train(data, { seed: 7 });
    const [file] = models(dir);
    const good = readFileSync(join(dir, file));
    for (const bad of [Buffer.from('not a model'), good.subarray(0, good.length >> 1), serialize({ key: 'another', snapshot: {} })]) {
      writeFileSync(join(dir, file), bad);
      const problems: string[] = [];
      const cache = new ModelCache(dir, (p) => problems.push(p));
      expect(scores(cache.train(data, { seed: 7 }))).to.deep.equal(scores(TextClassifier.train(data, { seed: 7 })));
      expect(cache.stats).to.deep.equal({ loaded: 0, trained: 1 });
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(/could not be read .*training instead/);
      expect(new ModelCache(dir).train(data, { seed: 7 }) && readFileSync(join(dir, file)).equals(good), 'the file is whole again').to.equal(true);
    }
  });

  it('a folder it cannot write to costs training time only: the model is still served, the problem reported', () => {
    const blocker = join(tempDir('models-'), 'a-file');
    writeFileSync(blocker, 'in the way');
    const problems: string[] = [];
    const cache = new ModelCache(join(blocker, 'models'), (p) => problems.push(p));
    expect(scores(cache.train(data, {}))).to.deep.equal(scores(TextClassifier.train(data, {})));
    expect(problems.join('\n')).to.match(/could not be kept in .*a-file\/models/);
  });

  it('keeps the four newest models, and removes temporary files a dead writer left', () => {
    const dir = tempDir('models-');
    const cache = new ModelCache(dir);
    const stale = join(dir, 'x.model.123.abc.tmp');
    writeFileSync(stale, 'half');
    utimesSync(stale, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const fresh = join(dir, 'y.model.456.def.tmp');
    writeFileSync(fresh, 'another process is writing this now');
    const keys: string[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      cache.train(data, { seed });
      keys.push(modelKey(data, { seed }));
      const at = new Date(Date.now() - (10 - seed) * 1000);
      utimesSync(join(dir, `${keys.at(-1)}.model`), at, at);
    }
    expect(models(dir).sort()).to.deep.equal(keys.slice(2).map((k) => `${k}.model`).sort());
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).to.deep.equal(['y.model.456.def.tmp']);
  });

  it('MODEL_CACHE_DIR: <DATA_DIR>/model-cache by default, a folder of its own, or off', () => {
    expect(loadConfig({ DATA_DIR: '/srv/bot' }).modelCacheDir).to.equal('/srv/bot/model-cache');
    expect(loadConfig({ DATA_DIR: '/srv/bot', MODEL_CACHE_DIR: '/var/cache/bot' }).modelCacheDir).to.equal('/var/cache/bot');
    expect(loadConfig({ MODEL_CACHE_DIR: 'off' }).modelCacheDir).to.equal(undefined);
  });
});
