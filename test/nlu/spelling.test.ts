import { expect } from 'chai';
import { englishWords } from '../../src/nlu/natural.js';
import { SpellingCorrector } from '../../src/nlu/spelling.js';
import { IntentRecognizer } from '../../src/nlu/recognizer.js';

const VOCAB = ['password', 'password', 'account', 'store', 'store', 'sim', 'plans', 'login', 'username', 'bill'];

describe('spelling correction', () => {
  const plain = new SpellingCorrector(VOCAB);
  const withDictionary = new SpellingCorrector(VOCAB, englishWords());

  // turn table: [typed, corrected without the dictionary, corrected with it]
  const rows: Array<[string, string, string]> = [
    ['pasword', 'password', 'password'], // a letter missing
    ['passowrd', 'password', 'password'], // two letters swapped
    ['acount', 'account', 'account'],
    ['usernmae', 'username', 'username'],
    ['story', 'store', 'story'], // a word, not a typo of "store"
    ['plants', 'plans', 'plants'],
    ['swim', 'sim', 'swim'],
    ['bill', 'bill', 'bill'], // in the vocabulary
    ['zzzzqqq', 'zzzzqqq', 'zzzzqqq'], // nothing close
  ];
  for (const [typed, without, withDict] of rows) {
    it(`"${typed}" → "${without}" by edit distance, "${withDict}" with the English word list`, () => {
      expect(plain.correct(typed)).to.equal(without);
      expect(withDictionary.correct(typed)).to.equal(withDict);
    });
  }

  it('loads the English word list natural ships (lower-cased letters only)', () => {
    const words = englishWords();
    expect(words.size).to.be.greaterThan(50_000);
    for (const w of ['story', 'swim', 'plants', 'store', 'phone']) expect(words.has(w), w).to.equal(true);
    for (const w of ['pasword', 'acount', 'loggin']) expect(words.has(w), w).to.equal(false);
    expect([...words].every((w) => /^[a-z]+$/.test(w))).to.equal(true);
  });

  it('keeps everyday questions that share letters with intent words out of scope', () => {
    const r = IntentRecognizer.fromDirectory('intents', { threshold: 0.35 });
    for (const text of ['tell me a story', 'can you swim', 'why are my plants dying']) {
      expect(Object.entries(r.recognizeText(text).intents).sort((a, b) => b[1]!.score - a[1]!.score)[0][0], text).to.equal('none');
    }
    expect(r.lexiconMs).to.be.a('number');
  });
});
