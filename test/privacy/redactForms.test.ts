import { expect } from 'chai';
import { looksLikeCard, luhnValid, MAX_REDACT_DEPTH, redact, redactActivity, redactDeep, secretsIn, TOO_DEEP, type SensitiveKind } from '../../src/privacy/redact.js';

// Fixed examples of the forms the mutation report showed unguarded: each separator and value
// shape after a label, values written before their label, where a value ends, PINs, SSNs and CVVs
// that are and are not one, cards with what follows them. [typed, stored, kinds found].
const FORMS: Array<[string, string, SensitiveKind[]]> = [
  // a quoted passphrase is the value even when its first word is a complaint word; a lone quoted complaint is not
  ['my password is "correct horse battery"', 'my password is "[REDACTED:password]"', ['password']],
  ['it says my password is "incorrect"', 'it says my password is "incorrect"', []],
  // an Amex typed in threes; other runs of threes that are no card stay
  ['amex 378 282 246 310 005', 'amex [REDACTED:card]', ['card']],
  ['order 123 456 789 012 345 shipped', 'order 123 456 789 012 345 shipped', []],
  ['password: always', 'password: [REDACTED:password]', ['password']],
  ['password: forgot', 'password: forgot', []],
  ['pw: wrong', 'pw: wrong', []],
  ['pw: now1', 'pw: [REDACTED:password]', ['password']],
  ['my password\'s Tr0ub4dor', 'my password\'s [REDACTED:password]', ['password']],
  ['the password i used was hunter2x', 'the password i used was [REDACTED:password]', ['password']],
  ['pwd - abc123', 'pwd - [REDACTED:password]', ['password']],
  ['pw — abc123', 'pw — [REDACTED:password]', ['password']],
  ['password Hunter22', 'password [REDACTED:password]', ['password']],
  ['password hunter', 'password hunter', []],
  ['password reset', 'password reset', []],
  ['password abc1', 'password [REDACTED:password]', ['password']],
  ['password ab1', 'password ab1', []],
  ['password HelloWorld', 'password [REDACTED:password]', ['password']],
  ['password ABCdEF', 'password [REDACTED:password]', ['password']],
  ['pass Abc123!', 'pass [REDACTED:password]', ['password']],
  ['pass along!', 'pass along!', []],
  ['pass aaa10!', 'pass [REDACTED:password]', ['password']],
  ['pass abc12', 'pass abc12', []],
  ['pass 12345678', 'pass 12345678', []],
  ['pass abc123', 'pass [REDACTED:password]', ['password']],
  ['pw hello', 'pw [REDACTED:password]', ['password']],
  ['passwd xyz', 'passwd [REDACTED:password]', ['password']],
  ['p/w secret1', 'p/w [REDACTED:password]', ['password']],
  ['new password Abc123', 'new password [REDACTED:password]', ['password']],
  ['password \"x y z\"', 'password \"[REDACTED:password]\"', ['password']],
  ['password is \"abc123', 'password is \"[REDACTED:password]', ['password']],
  ['password is \"\"', 'password is \"\"', []],
  ['password is \"abc\ndef\"', 'password is \"[REDACTED:password]\ndef\"', ['password']],
  ['password is \'hunter2\'', 'password is \'[REDACTED:password]\'', ['password']],
  ['password is «hunter2»', 'password is «[REDACTED:password]»', ['password']],
  ['password is (hunter2)', 'password is ([REDACTED:password])', ['password']],
  ['my password is purple monkey dishwasher and it doesn\'t work', 'my password is [REDACTED:password] and it doesn\'t work', ['password']],
  ['my password is purple monkey dishwasher but it doesn\'t work', 'my password is [REDACTED:password] but it doesn\'t work', ['password']],
  ['my password is purple monkey\nit doesn\'t work', 'my password is [REDACTED:password]\nit doesn\'t work', ['password']],
  ['my password is abc123.', 'my password is [REDACTED:password].', ['password']],
  ['my password is abc123, thanks', 'my password is [REDACTED:password], thanks', ['password']],
  ['my password is a1 b2 c3 d4 e5 f6 g7 h8 i9 j10 k11 l12 m13 n14', 'my password is [REDACTED:password] m13 n14', ['password']],
  ['my password is hunter2 - it fails', 'my password is [REDACTED:password] - it fails', ['password']],
  ['my password is hunter2 i think it is', 'my password is [REDACTED:password] i think it is', ['password']],
  ['password is hunter2x   \nnext line', 'password is [REDACTED:password]   \nnext line', ['password']],
  ['password:\n1. Go to settings', 'password:\n1. Go to settings', []],
  ['pin \"1234\"', 'pin \"[REDACTED:pin]\"', ['pin']],
  ['pin 1234a', 'pin 1234a', []],
  ['pin 1234abc', 'pin 1234abc', []],
  ['pin 12-34', 'pin [REDACTED:pin]', ['pin']],
  ['pin 1 2 3 4', 'pin [REDACTED:pin]', ['pin']],
  ['pin 1234 5678 9012 3456', 'pin 1234 5678 9012 3456', []],
  ['pin 123', 'pin 123', []],
  ['pin: 1234.', 'pin: [REDACTED:pin].', ['pin']],
  ['ssn 123 45 6789', 'ssn [REDACTED:ssn]', ['ssn']],
  ['ssn 123456789', 'ssn [REDACTED:ssn]', ['ssn']],
  ['ssn 12345678', 'ssn 12345678', []],
  ['cvv 12345', 'cvv 12345', []],
  ['cvv 123', 'cvv [REDACTED:card]', ['card']],
  ['cvv 1234', 'cvv [REDACTED:card]', ['card']],
  ['card 4111 1111 1111 1111 123', 'card [REDACTED:card]', ['card']],
  ['card 4111 1111 1111 1111 1234', 'card [REDACTED:card]', ['card']],
  ['card 4111 1111 1111 1111 12345', 'card [REDACTED:card] 12345', ['card']],
  ['card 4111 1111 1111 1111 123 456', 'card [REDACTED:card]', ['card']],
  ['card 4111 1111 1111 1111 12', 'card [REDACTED:card] 12', ['card']],
  ['card 4111-1111-1111-1111 exp 12/28 cvv 123', 'card [REDACTED:card] cvv [REDACTED:card]', ['card']],
  ['the answer is fluffy', 'the answer is [REDACTED:security_answer]', ['security_answer']],
  ['the answer: fluffy', 'the answer: [REDACTED:security_answer]', ['security_answer']],
  ['the answer fluffy', 'the answer fluffy', []],
  ['my first pet\'s name Rex', 'my first pet\'s name Rex', []],
  ['my first pet\'s name was Rex', 'my first pet\'s name was [REDACTED:security_answer]', ['security_answer']],
  ['mother\'s maiden name Smith', 'mother\'s maiden name [REDACTED:security_answer]', ['security_answer']],
  ['security answer - fluffy', 'security answer - [REDACTED:security_answer]', ['security_answer']],
  ['security answer: forgot', 'security answer: forgot', []],
  ['my security answer is wrong', 'my security answer is wrong', []],
  ['\"hunter2\" is my password', '\"[REDACTED:password]\" is my password', ['password']],
  ['abc is my pass', 'abc is my pass', []],
  ['abc123x is my pass', '[REDACTED:password] is my pass', ['password']],
  ['1234 is my pin', '[REDACTED:pin] is my pin', ['pin']],
  ['123456789 is my ssn', '[REDACTED:ssn] is my ssn', ['ssn']],
  ['I think purple monkey is my password', 'I think [REDACTED:password] is my password', ['password']],
  ['one two three four five six is my password', 'one [REDACTED:password] is my password', ['password']],
  ['yes, bluebird is my password', 'yes, [REDACTED:password] is my password', ['password']],
  ['\"abc def\" is my password', '\"[REDACTED:password]\" is my password', ['password']],
  ['\'ab\' is my password', '\'[REDACTED:password]\' is my password', ['password']],
  ['I typed hunter2 as my password', 'I typed [REDACTED:password] as my password', ['password']],
  ['I used 1234 as my pin', 'I used [REDACTED:pin] as my pin', ['pin']],
  ['I used abc as my pass', 'I used abc as my pass', []],
  ['I used Abc123! as my pass', 'I used [REDACTED:password] as my pass', ['password']],
  ['Fluffy was my first pet\'s name', '[REDACTED:security_answer] was my first pet\'s name', ['security_answer']],
  ['card 4111_1111_1111_1111_123', 'card [REDACTED:card]', ['card']],
  ['card 4111–1111–1111–1111–123', 'card [REDACTED:card]', ['card']],
  ['ref 4111-1111-1111-1111-1111-1111', 'ref [REDACTED:card]-1111-1111', ['card']],
  ['card 4111-1111-1111-1111-1234', 'card [REDACTED:card]', ['card']],
  ['ref 12 4111 1111 1111 1111', 'ref 12 [REDACTED:card]', ['card']],
  ['2230000000000008', '[REDACTED:card]', ['card']],
  ['my password is foo.bar baz qux', 'my password is [REDACTED:password]', ['password']],
  ['pin 1234 please', 'pin [REDACTED:pin] please', ['pin']],
  ['my first pet\'s name: no', 'my first pet\'s name: [REDACTED:security_answer]', ['security_answer']],
  ['my first pet\'s name - Rex', 'my first pet\'s name - Rex', []],
  ['[REDACTED:password] is my password', '[REDACTED:password] is my password', []],
  ['this is my password', 'this is my password', []],
  ['which is my password', 'which is my password', []],
  ['I think Mister Fluffy was my first pet\'s name', 'I think [REDACTED:security_answer] was my first pet\'s name', ['security_answer']],
  ['"1234" is my pin', '"[REDACTED:pin]" is my pin', ['pin']],
  ['my pass is blue, room 5', 'my pass is blue, room 5', []],
  ['my password\'s bluebird', 'my password\'s [REDACTED:password]', ['password']],
  ['the password i used was bluebird', 'the password i used was [REDACTED:password]', ['password']],
  ['open the file pw.txt', 'open the file pw.txt', []],
  ['password: "always"', 'password: "[REDACTED:password]"', ['password']],
  ['the answer "fluffy"', 'the answer "[REDACTED:security_answer]"', ['security_answer']],
  ['the answer"fluffy"', 'the answer"[REDACTED:security_answer]"', ['security_answer']],
  ['call 555 4111 1111 1111 1111', 'call 555 [REDACTED:card]', ['card']],
];

describe('redaction: fixed forms (stored text and kinds found, exactly)', () => {
  for (const [typed, stored, found] of FORMS) {
    it(`${JSON.stringify(typed)} → ${JSON.stringify(stored)}`, () => {
      expect(redact(typed)).to.deep.equal({ text: stored, found });
    });
  }

  it('names only secrets, not contact details, for the warning', () => {
    expect(secretsIn('pw: abc123 and mail me at a@b.com or 555-123-4567')).to.deep.equal(['password']);
    expect(secretsIn('pin 1234, ssn 123-45-6789')).to.have.members(['pin', 'ssn']);
  });

  it('measures the 200-character bound from the value, not from the start of the text', () => {
    const before = 'x'.repeat(250);
    expect(redact(`${before} password: abc123, thanks`).text).to.equal(`${before} password: [REDACTED:password], thanks`);
    expect(redact(`password: x1${'a'.repeat(300)}`)).to.deep.equal({ text: 'password: [REDACTED:password]', found: ['password'] });
  });

  it('looks for a closing quote within the bound only', () => {
    expect(redact(`password is "${'a'.repeat(250)}" ok`).text).to.equal('password is "[REDACTED:password] ok');
  });

  it('reads a PIN\'s digits over 40 characters at most', () => {
    const gap = ' '.repeat(40);
    expect(redact(`pin 1234${gap}5678`).text).to.equal(`pin [REDACTED:pin]${gap}5678`);
  });

  it('hides the rest of a word cut at the 200-character bound, once', () => {
    const long = `x1${'a'.repeat(300)}`;
    expect(redact(`password: ${long} end`)).to.deep.equal({ text: 'password: [REDACTED:password] end', found: ['password'] });
  });
});

describe('card networks: bounds of prefix and length', () => {
  // Luhn-valid numbers at the edges of each network's lengths and prefixes
  const CARDS = ['6011000000000000001', '601100000000000004', '6490000000000004', '3528000000000007', '3528000000000000007', '3589000000000003',
    '3600000000000000004', '2300000000000003', '2710000000000007'];
  const NOT_CARDS = ['601100000000001', '60110000000000000004', '650000000000003', '620000000000000', '62000000000000000005', '3527000000000008',
    '35280000000000000007', '3000000000007', '36000000000000000008', '27200000000000001', '1065000000000000', '1062000000000003',
    '1035280000000005', '1300000000000005', '6400000000000003', '6430000000000007'];
  for (const n of CARDS) {
    it(`takes ${n} (${n.length} digits) for a card`, () => {
      expect(luhnValid(n)).to.equal(true);
      expect(looksLikeCard(n)).to.equal(true);
      expect(redact(`card ${n}`).text).to.equal('card [REDACTED:card]');
    });
  }
  for (const n of NOT_CARDS) {
    it(`leaves ${n} (${n.length} digits) alone`, () => {
      expect(luhnValid(n)).to.equal(true);
      expect(looksLikeCard(n)).to.equal(false);
      expect(redact(`ref ${n}`)).to.deep.equal({ text: `ref ${n}`, found: [] });
    });
  }
});

describe('redactDeep and activities: the limits exactly', () => {
  const nest = (levels: number, leaf: unknown) => {
    let v: unknown = leaf;
    for (let i = 0; i < levels; i++) v = { a: v };
    return v;
  };
  const depthOf = (v: unknown) => { let d = 0; while (v && typeof v === 'object') { v = (v as { a: unknown }).a; d++; } return { d, leaf: v }; };

  it('cuts an activity field one level sooner than a bare value (the activity is the first level)', () => {
    const kept = redactActivity({ type: 'message', channelData: nest(MAX_REDACT_DEPTH - 1, 'pin 1234') }) as { channelData: unknown };
    expect(depthOf(kept.channelData)).to.deep.equal({ d: MAX_REDACT_DEPTH - 1, leaf: 'pin [REDACTED:pin]' });
    const cut = redactActivity({ type: 'message', channelData: nest(MAX_REDACT_DEPTH, 'pin 1234') }) as { channelData: unknown };
    expect(depthOf(cut.channelData)).to.deep.equal({ d: MAX_REDACT_DEPTH - 1, leaf: TOO_DEEP });
  });

  it('makes a "__proto__" key an ordinary property, as JSON.parse does', () => {
    const input = JSON.parse('{"__proto__":"pin 1234"}') as object;
    const out = redactDeep(input) as object;
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')).to.deep.equal({ ...Object.getOwnPropertyDescriptor(input, '__proto__'), value: 'pin [REDACTED:pin]' });
  });
});
