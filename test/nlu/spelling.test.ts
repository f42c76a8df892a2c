import { expect } from 'chai';
import { englishWords } from '../../src/nlu/natural.js';
import { MAX_CORRECTED_WORD, SpellingCorrector } from '../../src/nlu/spelling.js';
import { sharedRecognizer } from '../support/recognizer.js';

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

  /** A corrector whose index lookups are counted: the work a correction costs, without a clock. */
  function counted(vocab: string[]): { corrector: SpellingCorrector; lookups: () => number } {
    const corrector = new SpellingCorrector(vocab);
    let n = 0;
    for (const field of ['freq', 'deletes'] as const) {
      const map = (corrector as unknown as Record<string, Map<string, unknown>>)[field]!;
      const get = map.get.bind(map), has = map.has.bind(map);
      map.get = (k: string) => { n++; return get(k); };
      map.has = (k: string) => { n++; return has(k); };
    }
    return { corrector, lookups: () => n };
  }

  it('reads a 2,000-character "word" as typed, without building its deletions (it took 12 s)', () => {
    const { corrector, lookups } = counted(VOCAB);
    const word = 'pasword'.repeat(300).slice(0, 2000);
    expect(corrector.correct(word)).to.equal(word);
    expect(lookups()).to.equal(0);
  });

  it('caps the work for the longest word it still corrects: n + n(n−1) probes at most', () => {
    const long = ['internationalisation', 'telecommunications'];
    const { corrector, lookups } = counted([...VOCAB, ...long]);
    const word = 'internationalisatoin'; // 20 letters, two swapped
    expect(corrector.correct(word)).to.equal('internationalisation');
    const n = word.length;
    expect(lookups()).to.be.at.most(2 * (1 + n + n * (n - 1)));
    expect(lookups()).to.be.greaterThan(n); // it did look
  });

  it('skips words longer than MAX_CORRECTED_WORD even when the vocabulary has long words', () => {
    const longWord = 'a'.repeat(MAX_CORRECTED_WORD + 1);
    const typo = 'a'.repeat(MAX_CORRECTED_WORD) + 'b';
    const corrector = new SpellingCorrector([...VOCAB, longWord]);
    expect(corrector.correct(typo)).to.equal(typo);
    const within = new SpellingCorrector([...VOCAB, 'a'.repeat(MAX_CORRECTED_WORD - 1) + 'c']);
    expect(within.correct('a'.repeat(MAX_CORRECTED_WORD - 1) + 'd'), 'a word at the cap is still corrected').to.equal('a'.repeat(MAX_CORRECTED_WORD - 1) + 'c');
  });

  it('skips words more than two letters longer than any vocabulary word (they cannot be two edits away)', () => {
    const { corrector, lookups } = counted(VOCAB); // longest: "username", 8 letters
    expect(corrector.correct('usernamesxx')).to.equal('usernamesxx');
    expect(lookups()).to.equal(0);
    expect(corrector.correct('usernamee'), 'nine letters: still looked at').to.equal('username');
    expect(lookups()).to.be.greaterThan(0);
  });

  it('corrects a message within a budget of lookups; known words do not use it up', () => {
    const { corrector, lookups } = counted(VOCAB);
    expect(corrector.correctAll(['pasword', 'bill', 'acount', 'usernmae'], 2)).to.deep.equal(['password', 'bill', 'account', 'usernmae']);
    const spent = lookups();
    expect(corrector.correctAll(['pasword', 'acount', 'usernmae'], 0), 'cached answers cost no budget').to.deep.equal(['password', 'account', 'usernmae']);
    expect(corrector.correctAll(['zzzzqqq', 'zzzzqqqq'], 1)).to.deep.equal(['zzzzqqq', 'zzzzqqqq']);
    expect(lookups()).to.be.greaterThan(spent);
    const words = Array.from({ length: 1000 }, (_, i) => `qq${i.toString(36).replace(/\d/g, 'x')}zz`);
    const before = lookups();
    corrector.correctAll(words);
    expect(lookups() - before, 'a wall of made-up words costs at most the budget').to.be.at.most(200 * (1 + 9 + 9 * 8 + 10));
  });

  it('loads the English word list natural ships (lower-cased letters only)', () => {
    const words = englishWords();
    expect(words.size).to.be.greaterThan(50_000);
    for (const w of ['story', 'swim', 'plants', 'store', 'phone']) expect(words.has(w), w).to.equal(true);
    for (const w of ['pasword', 'acount', 'loggin']) expect(words.has(w), w).to.equal(false);
    expect([...words].every((w) => /^[a-z]+$/.test(w))).to.equal(true);
  });

  it('keeps everyday questions that share letters with intent words out of scope', () => {
    const r = sharedRecognizer();
    for (const text of ['tell me a story', 'can you swim', 'why are my plants dying']) {
      expect(Object.entries(r.recognizeText(text).intents).sort((a, b) => b[1]!.score - a[1]!.score)[0][0], text).to.equal('none');
    }
    expect(r.lexiconMs).to.be.a('number');
  });
});
