import { expect } from 'chai';
import { looksLikeCard, luhnValid, MAX_REDACT_DEPTH, redact, redactActivity, redactDeep, secretsIn, TOO_DEEP } from '../../src/privacy/redact.js';

// The phrasings (secrets and ordinary sentences) are in test/fixtures/redaction-corpus.yml,
// checked by corpus.test.ts; this file pins the pieces: card networks, masks, activities, depth.

describe('redaction', () => {
  const MASKED: Array<[string, string, string]> = [
    ['mail me at john.doe@example.com', 'email', 'mail me at ••••.•••@••••••e.com'],
    ['JANE+bills@mail.example.co.uk thanks', 'email', '••••+•••••@••••.•••••••.co.uk thanks'],
    ['call me on (555) 123-4567', 'phone', 'call me on (•••) •••-4567'],
    ['my number is 555.123.4567', 'phone', 'my number is •••.•••.4567'],
    ['text +1 555 123 4567 pls', 'phone', 'text +• ••• ••• 4567 pls'],
    ['5551234567', 'phone', '••••••4567'],
  ];
  for (const [input, kind, expected] of MASKED) {
    it(`masks the ${kind} in "${input}" except its last characters`, () => {
      const r = redact(input);
      expect(r.found).to.deep.equal([kind]);
      expect(r.text).to.equal(expected);
      expect(secretsIn(input), 'contact details are not secrets').to.deep.equal([]);
    });
  }

  it('checks the Luhn digit', () => {
    for (const n of ['4111111111111111', '378282246310005', '6011111111111117', '490154203237518', '8901260882290012340']) expect(luhnValid(n), n).to.equal(true);
    for (const n of ['4111111111111112', '378282246310006', '8901260882290012345', '']) expect(luhnValid(n), n).to.equal(false);
    expect(redact('ref 4111 1111 1111 1112').found).to.not.include('card');
  });

  // [number, network]: the networks' published test numbers, one per prefix range and length
  const CARDS: Array<[string, string]> = [
    ['4222222222222', 'Visa 13'], ['4111111111111111', 'Visa 16'], ['4012888888881881', 'Visa 16'], ['4111111111111111110', 'Visa 19'],
    ['5105105105105100', 'Mastercard 51'], ['5200828282828210', 'Mastercard 52'], ['5300000000000006', 'Mastercard 53'],
    ['5425233430109903', 'Mastercard 54'], ['5555555555554444', 'Mastercard 55'], ['2221000000000009', 'Mastercard 2221'],
    ['2223003122003222', 'Mastercard 2223'], ['2500000000000001', 'Mastercard 25xx'], ['2720990000000007', 'Mastercard 2720'],
    ['378282246310005', 'American Express 37'], ['340000000000009', 'American Express 34'],
    ['6011111111111117', 'Discover 6011'], ['6500000000000002', 'Discover 65'], ['6445644564456445', 'Discover 644'],
    ['6200000000000005', 'UnionPay 16'], ['6205500000000000004', 'UnionPay 19'],
    ['3530111333300000', 'JCB 3530'], ['3566002020360505', 'JCB 3566'],
    ['30569309025904', 'Diners 305'], ['36227206271667', 'Diners 36'], ['38520000023237', 'Diners 38'], ['3056930009020004', 'Diners 16'],
  ];
  for (const [n, network] of CARDS) {
    it(`takes ${n} for a card (${network})`, () => {
      expect(luhnValid(n)).to.equal(true);
      expect(looksLikeCard(n)).to.equal(true);
      expect(redact(`card ${n}`)).to.deep.equal({ text: 'card [REDACTED:card]', found: ['card'] });
    });
  }

  // Luhn-valid numbers that are not cards: the prefix or the length says so
  const NOT_CARDS: Array<[string, string]> = [
    ['490154203237518', 'IMEI (15 digits starting with 4: no Visa has 15)'],
    ['352099001761481', 'IMEI (35…, 15 digits)'],
    ['356938035643809', 'IMEI'],
    ['8901260882290012340', 'SIM ICCID (19 digits starting with 89)'],
    ['89014103211118510720', 'SIM ICCID (20 digits)'],
    ['1000000000000008', '16 digits, no network starts with 1'],
    ['1234567890123452', '16 digits, no network starts with 1'],
    ['5600000000000003', 'Maestro-like 56, not Mastercard 51–55'],
    ['2220990000000002', 'below the Mastercard 2221 range'],
    ['2721000000000004', 'above the Mastercard 2720 range'],
    ['37828224631003', 'American Express prefix with 14 digits'],
    ['3400000000000000', 'American Express prefix with 16 digits'],
    ['5555555555555555556', 'Mastercard prefix with 19 digits'],
  ];
  for (const [n, why] of NOT_CARDS) {
    it(`leaves ${n} alone: ${why}`, () => {
      expect(luhnValid(n), 'Luhn-valid, so only the network rule keeps it').to.equal(true);
      expect(looksLikeCard(n)).to.equal(false);
      expect(redact(`number ${n}`)).to.deep.equal({ text: `number ${n}`, found: [] });
    });
  }

  it('hides several secrets in one message', () => {
    const r = redact('pw: abc123 and pin 9999, card 4111111111111111, mail a@b.com');
    expect(r.found).to.include.members(['password', 'pin', 'card', 'email']);
    expect(r.text).to.equal('pw: [REDACTED:password] and pin [REDACTED:pin], card [REDACTED:card], mail •@b.com');
  });

  it('redacts what people wrote in an activity, and leaves ids and addresses alone', () => {
    const a = { type: 'message', id: '5551234567', conversation: { id: 'c-5551234567' }, serviceUrl: 'http://127.0.0.1:9/', text: 'pin 1234', value: { note: 'ssn 123-45-6789' } };
    const r = redactActivity(a);
    expect(r).to.deep.equal({ ...a, text: 'pin [REDACTED:pin]', value: { note: 'ssn [REDACTED:ssn]' } });
    expect(a.text, 'the original is not changed').to.equal('pin 1234');
  });
});

describe('redactDeep', () => {
  const nest = (levels: number, leaf: unknown) => {
    let v: unknown = leaf;
    for (let i = 0; i < levels; i++) v = { a: v };
    return v;
  };
  const depthOf = (v: unknown) => { let d = 0; while (v && typeof v === 'object') { v = (v as { a: unknown }).a; d++; } return { d, leaf: v }; };

  it('survives 4,000 levels of nesting (the start-up crash) and cuts what is deeper than the limit', () => {
    const out = redactDeep(nest(4000, 'pin 1234'));
    const { d, leaf } = depthOf(out);
    expect(d).to.equal(MAX_REDACT_DEPTH);
    expect(leaf).to.equal(TOO_DEEP);
  });

  it('keeps and redacts everything up to the limit', () => {
    const out = redactDeep(nest(MAX_REDACT_DEPTH, 'pin 1234'));
    expect(depthOf(out)).to.deep.equal({ d: MAX_REDACT_DEPTH, leaf: 'pin [REDACTED:pin]' });
    expect(depthOf(redactDeep(nest(MAX_REDACT_DEPTH + 1, 'x'))).leaf).to.equal(TOO_DEEP);
  });

  it('keeps key order, arrays, numbers, booleans, nulls and a "__proto__" key as data', () => {
    const input = JSON.parse('{"z":1,"a":["pin 1234",null,true,{"k":"ssn 123-45-6789"}],"m":"hello","__proto__":{"x":"pw: abc123"}}');
    const out = redactDeep(input) as Record<string, unknown>;
    expect(Object.keys(out)).to.deep.equal(['z', 'a', 'm', '__proto__']);
    expect(JSON.stringify(out)).to.equal('{"z":1,"a":["pin [REDACTED:pin]",null,true,{"k":"ssn [REDACTED:ssn]"}],"m":"hello","__proto__":{"x":"pw: [REDACTED:password]"}}');
    expect(Object.getPrototypeOf(out)).to.equal(Object.prototype);
  });

  it('copies an object shared twice (or a cycle) once, without looping', () => {
    const shared = { note: 'pin 1234' };
    const cyclic: Record<string, unknown> = { text: 'pw: abc123' };
    cyclic.self = cyclic;
    const out = redactDeep({ a: shared, b: shared, c: cyclic }) as { a: object; b: object; c: Record<string, unknown> };
    expect(out.a).to.equal(out.b);
    expect(out.a).to.deep.equal({ note: 'pin [REDACTED:pin]' });
    expect(out.c.self).to.equal(out.c);
    expect(out.c.text).to.equal('pw: [REDACTED:password]');
  });

  it('caps the depth of an activity field the same way (channelData nested 4,000 levels)', () => {
    const a = { type: 'message', id: 'x', text: 'hi', channelData: nest(4000, 'card 4111111111111111') };
    const r = redactActivity(a) as typeof a;
    expect(depthOf(r.channelData).leaf).to.equal(TOO_DEEP);
    expect(JSON.stringify(r)).to.not.include('4111');
  });
});
