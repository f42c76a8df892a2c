import { expect } from 'chai';
import fc from 'fast-check';
import { luhnValid, redact, type SecretKind } from '../../src/privacy/redact.js';

// Generated secrets in generated sentences: whatever the value, the grouping and what surrounds
// it, the secret never survives; and redaction is idempotent on any text at all.

const digitsOf = (n: number, len: number) => String(n).padStart(len, '0');
const withLuhn = (body: string) => { for (let d = 0; d < 10; d++) if (luhnValid(body + d)) return body + d; throw new Error('unreachable'); };

const letters = fc.constantFrom(...'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ');
const symbol = fc.constantFrom('!', '@', '#', '$', '%', '&', '*', '?', '_', '');
/** Letters, digits and maybe a symbol, in any order: six characters or more. */
const password = fc.tuple(fc.array(letters, { minLength: 3, maxLength: 10 }), fc.integer({ min: 0, max: 99999 }), symbol, fc.boolean())
  .map(([ls, n, s, digitsFirst]) => (digitsFirst ? `${n}${ls.join('')}${s}` : `${ls.join('')}${n}${s}`))
  .filter((p) => p.length >= 6);
const pin = fc.tuple(fc.integer({ min: 4, max: 8 }), fc.integer({ min: 0, max: 99_999_999 })).map(([len, n]) => digitsOf(n % 10 ** len, len));
const syllable = fc.constantFrom('ka', 'lo', 'mi', 'zu', 're', 'ta', 'vo', 'ni', 'sha', 'bel');
/** Made-up names ("Kalomi Zure"): free text with no English word a complaint could start with. */
const answer = fc.array(fc.array(syllable, { minLength: 2, maxLength: 3 }).map((s) => s.join('')), { minLength: 1, maxLength: 3 })
  .map((ws) => ws.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' '));

const NETWORKS: Array<[prefix: string, length: number]> = [
  ['4', 13], ['4', 16], ['4', 19], ['51', 16], ['55', 16], ['2221', 16], ['2720', 16], ['34', 15], ['37', 15],
  ['6011', 16], ['65', 16], ['644', 16], ['62', 16], ['62', 19], ['3528', 16], ['3589', 16], ['300', 14], ['36', 14], ['38', 16],
];
const cardDigits = fc.tuple(fc.constantFrom(...NETWORKS), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 18, maxLength: 18 }))
  .map(([[prefix, len], ds]) => withLuhn(prefix + ds.join('').slice(0, len - 1 - prefix.length)));
const cardSep = fc.constantFrom(' ', '-', '.', '  ', ' - ', '–', '');
const card = fc.tuple(cardDigits, cardSep).map(([d, sep]) => ({ digits: d, typed: d.replace(/(\d{4})(?=\d)/g, `$1${sep}`) }));

const ssnDigits = fc.tuple(fc.integer({ min: 1, max: 899 }).filter((a) => a !== 666), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 9999 }))
  .map(([a, g, s]) => [digitsOf(a, 3), digitsOf(g, 2), digitsOf(s, 4)] as const);
const ssnSep = fc.constantFrom('-', '.', ' ', ' - ', '–', '—', ' – ');
const ssn = fc.tuple(ssnDigits, ssnSep).map(([[a, g, s], sep]) => ({ digits: a + g + s, typed: `${a}${sep}${g}${sep}${s}` }));

/** Ordinary words around the secret: no digits, no labels. */
const filler = fc.constantFrom('', 'hi', 'hello there', 'I need help', 'thanks', 'please check', 'can you help me', 'it keeps failing',
  'sorry', 'the app says error', 'ok', 'I am at the store', 'why does this happen');
const join = fc.constantFrom(' ', '. ', ', ', '\n', '! ');

interface Case { kind: SecretKind; text: string; secret: string; digits?: string }
const place = (template: string, x: string) => template.replace('{x}', x);

const cases: fc.Arbitrary<Case> = fc.oneof(
  fc.tuple(fc.constantFrom('my password is {x}', 'pw: {x}', 'password = "{x}"', '{x} is my password', 'I typed {x} as my password',
    'password({x})', 'my new password will be {x}', "my password's {x}", 'passwd -> {x}', 'password {x}', 'pass {x}', 'my password is: {x}',
    'the password i used was {x}', 'pwd {x}', 'Password => {x}'), password)
    .map(([t, p]) => ({ kind: 'password' as const, text: place(t, p), secret: p })),
  fc.tuple(fc.constantFrom('pin {x}', 'my pin is {x}', 'PIN: {x}', '{x} is my pin', 'passcode {x}', 'security pin = {x}'), pin)
    .map(([t, p]) => ({ kind: 'pin' as const, text: place(t, p), secret: p })),
  fc.tuple(fc.constantFrom('card {x}', '{x}', 'my visa is {x}', '{x} exp 12/28', 'card number: {x}'), card)
    .map(([t, c]) => ({ kind: 'card' as const, text: place(t, c.typed), secret: c.typed, digits: c.digits })),
  fc.tuple(fc.constantFrom('ssn {x}', 'my social is {x}', '{x}', 'SSN: {x}'), ssn)
    .map(([t, s]) => ({ kind: 'ssn' as const, text: place(t, s.typed), secret: s.typed, digits: s.digits })),
  fc.tuple(fc.constantFrom('my security answer is {x}', "my mother's maiden name is {x}", 'the answer is {x}', 'secret answer: {x}',
    '{x} is my security answer', 'first pet was {x}'), answer)
    .map(([t, a]) => ({ kind: 'security_answer' as const, text: place(t, a), secret: a })),
);

const sentence = fc.tuple(filler, join, cases, join, filler)
  .map(([before, j1, c, j2, after]) => ({ ...c, text: `${before}${before ? j1 : ''}${c.text}${after ? j2 : ''}${after}` }));

describe('redaction properties (fast-check)', () => {
  it('never lets a generated secret through, whatever surrounds it', () => {
    fc.assert(fc.property(sentence, (c) => {
      const r = redact(c.text);
      expect(r.found, `${c.text} → ${r.text}`).to.include(c.kind);
      expect(r.text, c.text).to.not.include(c.secret);
      if (c.digits) expect(r.text.replace(/\D/g, ''), `${c.text} → ${r.text}`).to.not.include(c.digits);
      for (const word of c.kind === 'security_answer' ? c.secret.split(' ') : []) expect(r.text, c.text).to.not.include(word);
    }), { numRuns: 2000 });
  });

  it('redacting twice gives what redacting once gives (generated sentences)', () => {
    fc.assert(fc.property(sentence, (c) => {
      const once = redact(c.text).text;
      expect(redact(once).text).to.equal(once);
    }), { numRuns: 1000 });
  });

  // pieces that interact: labels, separators, quotes, digit groups, markers, masks
  const PIECES = ['password', 'pw', 'pass', 'pin', 'ssn', 'social', 'cvv', 'card', 'answer', 'security', "mother's", 'maiden', 'name',
    'is', 'was', 'my', 'the', 'i', 'typed', 'as', "'s", ':', '=', '->', '-', '.', ',', '"', "'", '(', ')', '[', ']', '4111', '1111', '4242',
    '123', '45', '6789', '12/28', '555', '1234', 'exp', 'hunter2', 'Abc!23', 'and', 'it', 'fails', 'but', '[REDACTED:pin]', 'a@b.com',
    'x.y@mail.example.com', '(555)', '•••', 'CS-4K7P-2M9Q', '\n'];
  const soup = fc.array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom(' ', '', '  ', '-', '.')), { maxLength: 30 })
    .map((parts) => parts.map(([p, s]) => p + s).join(''));

  it('redacting twice gives what redacting once gives (any mix of labels, digits and punctuation)', () => {
    fc.assert(fc.property(soup, (text) => {
      const once = redact(text).text;
      expect(redact(once).text, JSON.stringify(text)).to.equal(once);
    }), { numRuns: 3000 });
  });

  it('redacting twice gives what redacting once gives (any string)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
      const once = redact(text).text;
      expect(redact(once).text).to.equal(once);
    }), { numRuns: 1000 });
  });
});
