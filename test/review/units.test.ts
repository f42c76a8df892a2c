import { expect } from 'chai';
import { TextClassifier } from '../../src/nlu/classifier.js';
import { DOMAIN_TRAIN } from '../../src/nlu/recognizer.js';
import { loadIntents } from '../../src/nlu/intents.js';
import { loadConfig } from '../../src/config.js';
import { recognizer } from '../dialogs/harness.js';
import { reviewQueue, similarityFeaturizer } from '../../src/review/queue.js';
import type { OutcomeEvent } from '../../src/storage/outcomeStore.js';

const definitions = loadIntents(loadConfig({}).intentsDir);

describe('a classifier trained elsewhere (snapshot and restore)', function () {
  this.timeout(60_000);
  it('gives exactly the same probabilities as the one it came from, typos included', () => {
    const examples = definitions.flatMap((d) => d.examples.map((text) => ({ text, label: d.intent })));
    const trained = TextClassifier.train(examples, DOMAIN_TRAIN);
    // through structured clone, as a worker thread's message arrives
    const restored = TextClassifier.restore(structuredClone(trained.snapshot()));
    for (const text of ['cant loggin to the app', 'my bil is to high', 'wat is my balanse', 'purple monkey dishwasher', '🙂', 'esim activaton']) {
      expect(restored.classify(text), text).to.deep.equal(trained.classify(text));
    }
  });
});

describe('review queue grouping', () => {
  const featurizer = similarityFeaturizer(definitions.flatMap((d) => d.examples));
  let n = 0;
  const message = (text: string, extra: Partial<Extract<OutcomeEvent, { kind: 'message' }>> = {}): OutcomeEvent => ({
    id: `m${++n}`, kind: 'message', at: `2026-03-02T09:${String(n).padStart(2, '0')}:00.000Z`, started: '2026-03-02T09:00:00.000Z',
    channelId: 'emulator', conversationId: `c${n}`, reading: 'fallback', intent: 'none', score: 0.9, text,
    guesses: [{ intent: 'none', score: 0.9 }, { intent: 'tech_support', score: 0.06 }, { intent: 'billing', score: 0.04 }], ...extra,
  } as OutcomeEvent);

  it('puts alike phrasings together (identical once normalised, or similar to a member), biggest groups first', () => {
    const events = [
      message('my fone is kaput'), message('My fone is kaput!!'), message('the fone went kaput'), message('fone kaput'),
      message('my esim wont activate'), message('cant activate esim'),
      message('tell me a joke'), message('my phone bill'), message('my phone is broken'),
      // understood well: no text kept, never in the queue
      { ...message('x'), text: undefined } as OutcomeEvent,
      message('fone kaput again', { language: 'es' }),
    ];
    const groups = reviewQueue(events, new Set(['m8']), recognizer(), 0.35, featurizer);
    expect(groups.map((g) => [g.language, g.count, g.messages.map((m) => m.text).sort().join(' | ')])).to.deep.equal([
      ['en', 4, 'My fone is kaput!! | fone kaput | my fone is kaput | the fone went kaput'],
      ['en', 2, 'cant activate esim | my esim wont activate'],
      // one message each: newest first
      ['es', 1, 'fone kaput again'],
      ['en', 1, 'my phone is broken'],
      ['en', 1, 'tell me a joke'],
    ]);
    expect(groups[0].guesses).to.deep.equal([{ intent: 'none', score: 0.9 }, { intent: 'tech_support', score: 0.06 }, { intent: 'billing', score: 0.04 }]);
    expect(groups[0].messageIds.sort()).to.deep.equal(['m1', 'm2', 'm3', 'm4']);
    expect(groups[1].now).to.deep.include({ intent: 'tech_support', understood: true });
  });
});
