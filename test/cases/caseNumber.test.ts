import { expect } from 'chai';
import fc from 'fast-check';
import { ALPHABET, CASE_NUMBER_IN_TEXT, checkCharacter, generateCaseNumber, parseCaseNumber } from '../../src/cases/caseNumber.js';

const FORMAT = /^CS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const data7 = fc.array(fc.constantFrom(...ALPHABET), { minLength: 7, maxLength: 7 }).map((a) => a.join(''));

describe('case numbers', () => {
  it('are CS-XXXX-XXXX in Crockford base32 with a valid check character', () => {
    for (let i = 0; i < 500; i++) {
      const n = generateCaseNumber();
      expect(n).to.match(FORMAT);
      expect(parseCaseNumber(n)).to.deep.equal({ ok: true, number: n });
    }
  });

  it('are not repeated in 20,000 draws (35 random bits)', () => {
    const seen = new Set(Array.from({ length: 20000 }, generateCaseNumber));
    expect(seen.size).to.equal(20000);
  });

  it('detect every single mistyped character', () => {
    fc.assert(fc.property(data7, fc.nat(7), fc.constantFrom(...ALPHABET), (d, pos, c) => {
      const good = d + checkCharacter(d);
      fc.pre(good[pos] !== c);
      const typo = good.slice(0, pos) + c + good.slice(pos + 1);
      return parseCaseNumber(typo).ok === false;
    }));
  });

  it('detect swaps of adjacent characters (except the few Luhn mod N cannot)', () => {
    let detected = 0, total = 0;
    fc.assert(fc.property(data7, fc.nat(6), (d, pos) => {
      const good = d + checkCharacter(d);
      fc.pre(good[pos] !== good[pos + 1]);
      const swapped = good.slice(0, pos) + good[pos + 1] + good[pos] + good.slice(pos + 2);
      total++;
      if (!parseCaseNumber(swapped).ok) detected++;
    }), { numRuns: 2000 });
    expect(detected / total).to.be.greaterThan(0.9);
  });

  it('read leniently: case, dashes, spaces, O→0, I/L→1', () => {
    const n = 'CS-' + (() => { const d = '0111ABC'; return d.slice(0, 4) + '-' + d.slice(4) + checkCharacter(d); })();
    for (const v of [n, n.toLowerCase(), n.replace(/-/g, ''), n.replace(/-/g, ' '), 'cs oIlL abc' + n.at(-1), ` ${n} `]) {
      expect(parseCaseNumber(v), v).to.deep.equal({ ok: true, number: n });
    }
  });

  it('tell a malformed number from a wrong check character', () => {
    expect(parseCaseNumber('CS-1234')).to.include({ ok: false, reason: 'format' });
    expect(parseCaseNumber('CS-UUUU-UUUU')).to.include({ ok: false, reason: 'format' });
    const d = 'ABCDEFG', good = d + checkCharacter(d);
    const bad = good.slice(0, 7) + ALPHABET[(ALPHABET.indexOf(good[7]) + 1) % 32];
    expect(parseCaseNumber(bad)).to.include({ ok: false, reason: 'check' });
  });
});

/**
 * Luhn mod 32 from its definition, written apart from the code under test: from the right,
 * every other character's value is doubled (the rightmost first), the base-32 digits of every
 * value are added, and the check character makes the total a multiple of 32.
 */
const CROCKFORD = [...'0123456789ABCDEFGHJKMNPQRSTVWXYZ'];
function luhn32(data: string): string {
  let total = 0;
  [...data].reverse().forEach((ch, i) => {
    const v = CROCKFORD.indexOf(ch) * (i % 2 === 0 ? 2 : 1);
    total += (v >> 5) + (v & 31);
  });
  return CROCKFORD[(32 - (total % 32)) % 32];
}

describe('case numbers: fixed examples', () => {
  // worked by hand: e.g. 4K7P2M9 → from the right 9·2=18, M=20, 2·2=4, P=22, 7·2=14, K=19, 4·2=8;
  // 105 mod 32 = 9, so the check is 32 − 9 = 23 = Q
  const KNOWN: Array<[string, string]> = [
    ['0000000', '0'],
    ['0000001', 'Y'], // 1·2 = 2 → 30
    ['0000010', 'Z'], // 1 → 31
    ['000000G', 'Z'], // G=16, 16·2 = 32 = "10" in base 32 → 1 + 0 = 1 → 31
    ['000000Z', '1'], // Z=31, 31·2 = 62 = "1U" → 1 + 30 = 31 → 1
    ['4K7P2M9', 'Q'], // the README's CS-4K7P-2M9Q
    ['ABCDEFG', 'G'], // 20 + 11 + 24 + 13 + 28 + 15 + 1 = 112 → 16
    ['ZZZZZZZ', '7'], // 7 · 31 = 217 → 25 → 7
  ];
  for (const [data, check] of KNOWN) {
    it(`${data} has the check character ${check}`, () => {
      expect(checkCharacter(data)).to.equal(check);
      expect(luhn32(data), 'the independent computation agrees').to.equal(check);
      const number = `CS-${data.slice(0, 4)}-${data.slice(4)}${check}`;
      expect(parseCaseNumber(number)).to.deep.equal({ ok: true, number });
    });
  }

  it('agrees with the independent Luhn mod 32 on any data, of any length', () => {
    const data = fc.array(fc.constantFrom(...CROCKFORD), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
    fc.assert(fc.property(data, (d) => checkCharacter(d) === luhn32(d)), { numRuns: 2000 });
  });

  it('refuses data outside the alphabet, naming the character', () => {
    for (const bad of ['ABCDEFU', 'abcdefg', 'I000000', '000 000']) {
      expect(() => checkCharacter(bad), bad).to.throw(/^checkCharacter: '.' is not a Crockford base32 character$/);
    }
    expect(() => checkCharacter('ABCDEFU')).to.throw("checkCharacter: 'U' is not a Crockford base32 character");
  });

  it('answers a malformed or mistyped number with the reason a customer can act on', () => {
    expect(parseCaseNumber('CS-4K7P-2M9')).to.deep.equal({ ok: false, reason: 'format', message: 'A case number has 8 characters after "CS-", like CS-4K7P-2M9Q.' });
    expect(parseCaseNumber('CS-4K7P-2M9QQ')).to.include({ ok: false, reason: 'format' });
    expect(parseCaseNumber('CS-4K7P-2U9Q')).to.deep.equal({ ok: false, reason: 'format', message: '"U" cannot appear in a case number.' });
    expect(parseCaseNumber('CS-4K7P-2M9R')).to.deep.equal({ ok: false, reason: 'check', message: 'That case number does not add up: one character may be mistyped or two swapped.' });
    expect(parseCaseNumber('CS-K47P-2M9Q'), 'two characters swapped').to.include({ ok: false, reason: 'check' });
  });

  it('reads the README number in every lenient form', () => {
    for (const typed of ['CS-4K7P-2M9Q', 'cs-4k7p-2m9q', 'CS4K7P2M9Q', '4K7P-2M9Q', 'cs 4k7p 2m9q', '  CS - 4K7P - 2M9Q\t', 'CS--4K7P--2M9Q', 'cs-4k7p-2m9q\n']) {
      expect(parseCaseNumber(typed), JSON.stringify(typed)).to.deep.equal({ ok: true, number: 'CS-4K7P-2M9Q' });
    }
    // O for 0 and I or L for 1: 0000001 → check Y
    for (const typed of ['CS-OOOO-OO1Y', 'cs-oooo-ooiy', 'CS-0000-00LY']) expect(parseCaseNumber(typed), typed).to.deep.equal({ ok: true, number: 'CS-0000-001Y' });
  });
});

describe('CASE_NUMBER_IN_TEXT: candidate case numbers in free text', () => {
  const found = (text: string) => [...text.matchAll(CASE_NUMBER_IN_TEXT)].map((m) => `${m[1]}-${m[2]}`);
  const table: Array<[string, string[]]> = [
    ['my case is CS-4K7P-2M9Q thanks', ['4K7P-2M9Q']],
    ['case cs-4k7p-2m9q?', ['4k7p-2m9q']],
    ['cs4k7p2m9q', ['4k7p-2m9q']],
    ['CS-4K7P2M9Q', ['4K7P-2M9Q']],
    ['Cs 4K7P 2M9Q', ['4K7P-2M9Q']],
    ['CS -- 4K7P  -  2M9Q.', ['4K7P-2M9Q']],
    ['CS-4K7P-2M9R (a typo: still a candidate)', ['4K7P-2M9R']],
    ['CS-4K7P-2M9Q and CS-0000-001Y', ['4K7P-2M9Q', '0000-001Y']],
    ['DOCS-4K7P-2M9Q', []], // "cs" inside a word
    ['CS-4K7P-2M9QX', []], // one character too many
    ['CS-4K7P-2M9', []], // one too few
    ['CS-4K7P-2M!Q', []],
    ['my bill is 1234 5678', []],
    ['', []],
  ];
  for (const [text, expected] of table) {
    it(`${JSON.stringify(text)} → ${expected.length ? expected.join(', ') : 'none'}`, () => {
      expect(found(text)).to.deep.equal(expected);
    });
  }
});
