import { expect } from 'chai';
import fc from 'fast-check';
import { ALPHABET, checkCharacter, generateCaseNumber, parseCaseNumber } from '../../src/cases/caseNumber.js';

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
