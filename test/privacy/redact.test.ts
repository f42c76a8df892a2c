import { expect } from 'chai';
import { luhnValid, redact, redactActivity, secretsIn } from '../../src/privacy/redact.js';

/** [what the customer typed, kind that must be found, the secret that must be gone] */
const SECRETS: Array<[string, string, string]> = [
  ['my password is hunter2', 'password', 'hunter2'],
  ['My Password Is Tr0ub4dor&3', 'password', 'Tr0ub4dor&3'],
  ['pw: s3cret!', 'password', 's3cret!'],
  ['PW=abc123', 'password', 'abc123'],
  ['pwd hunter22', 'password', 'hunter22'],
  ['passwd: letmein', 'password', 'letmein'],
  ['my pass word is bluebird', 'password', 'bluebird'],
  ['the password i used was Summer2024!', 'password', 'Summer2024!'],
  ['password - Xy9#kq', 'password', 'Xy9#kq'],
  ['my new password is "bluebird77"', 'password', 'bluebird77'],
  ['password:hunter2', 'password', 'hunter2'],
  ['Password = "Tango Mango"', 'password', 'Tango'],
  ['i tried password: qwerty and it failed', 'password', 'qwerty'],
  ['passphrase is tangerine', 'password', 'tangerine'],
  ['old password was p@ssw0rd', 'password', 'p@ssw0rd'],
  ['pin 1234', 'pin', '1234'],
  ['PIN: 987654', 'pin', '987654'],
  ['my pin is 0000', 'pin', '0000'],
  ['pin# 4321', 'pin', '4321'],
  ['pin code 5566', 'pin', '5566'],
  ['account pin is 2468', 'pin', '2468'],
  ['my passcode is 13579', 'pin', '13579'],
  ['security pin = 1122', 'pin', '1122'],
  ['transfer pin 775533', 'pin', '775533'],
  ['card 4111 1111 1111 1111 please', 'card', '4111 1111 1111 1111'],
  ['4111-1111-1111-1111', 'card', '4111-1111-1111-1111'],
  ['my visa is 4242424242424242', 'card', '4242424242424242'],
  ['amex 3782 822463 10005', 'card', '3782 822463 10005'],
  ['mastercard 5555 5555 5555 4444 exp 12/28', 'card', '5555 5555 5555 4444'],
  ['ssn 123-45-6789', 'ssn', '123-45-6789'],
  ['my social is 123 45 6789', 'ssn', '123 45 6789'],
  ['SSN: 123456789', 'ssn', '123456789'],
  ['social security number 234567890', 'ssn', '234567890'],
  ["my mother's maiden name is Smith", 'security_answer', 'Smith'],
  ['mothers maiden name: Johnson', 'security_answer', 'Johnson'],
  ['maiden name was Garcia, can you check', 'security_answer', 'Garcia'],
  ['security answer fluffy', 'security_answer', 'fluffy'],
  ['my security question answer is Springfield Elementary', 'security_answer', 'Springfield Elementary'],
  ["the answer to my security question is blue car", 'security_answer', 'blue car'],
  ["first pet's name was Rex.", 'security_answer', 'Rex'],
  ['secret answer: pizza', 'security_answer', 'pizza'],
  ['my security answer is that I like dogs, thanks', 'security_answer', 'I like dogs'],
  ['security answer is the name of my first dog', 'security_answer', 'first dog'],
];

/** Messages with nothing to hide: they must come back exactly as typed, with no warning. */
const UNTOUCHED = [
  'I forgot my password',
  'my password is not working',
  'My password is wrong',
  'password reset not working',
  'my password is expired',
  'the password is too long?',
  'I need a new pin',
  'my pin is locked',
  'what is my case CS-4K7P-2M9Q',
  'order 123 has not arrived',
  'order #482',
  'my bill on 2026-11-21 was wrong',
  'since 11/21/2026 no signal',
  'I paid $1,234.56 last month',
  'i forgot my security answer',
  'what is my mothers maiden name question for?',
  'reset my security question',
  'my security answer is not accepted',
  "my mother's maiden name is wrong on the account?",
  'pass the phone to my wife',
  'the boarding pass is fine',
  'I have 2 lines and 3 phones',
  'IMEI 35-209900-176148-1',
  'SIM 8901260882290012345',
  'my password isnt working',
  'zip 98004',
];

describe('redaction', () => {
  for (const [input, kind, secret] of SECRETS) {
    it(`hides the ${kind} in "${input}"`, () => {
      const r = redact(input);
      expect(r.found, r.text).to.include(kind);
      expect(r.text).to.not.include(secret);
      expect(r.text).to.include(`[REDACTED:${kind}]`);
      expect(secretsIn(input)).to.include(kind);
    });
  }

  for (const input of UNTOUCHED) {
    it(`leaves "${input}" untouched`, () => {
      expect(redact(input)).to.deep.equal({ text: input, found: [] });
    });
  }

  const MASKED: Array<[string, string, string]> = [
    ['mail me at john.doe@example.com', 'email', 'mail me at ••••.•••@••••••e.com'],
    ['JANE+bills@mail.example.co.uk thanks', 'email', '••••+•••••@••••.•••••••.co.uk thanks'],
    ['call me on (555) 123-4567', 'phone', 'call me on (•••) •••-4567'],
    ['my number is 555.123.4567', 'phone', 'my number is •••.•••-4567'.replace('-', '.')],
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

  it('does not take a 16-digit number that fails Luhn for a card', () => {
    expect(luhnValid('4111111111111111')).to.equal(true);
    expect(luhnValid('4111111111111112')).to.equal(false);
    expect(redact('ref 4111 1111 1111 1112').found).to.not.include('card');
  });

  it('hides several secrets in one message', () => {
    const r = redact('pw: abc123 and pin 9999, card 4111111111111111, mail a@b.com');
    expect(r.found).to.include.members(['password', 'pin', 'card', 'email']);
    expect(r.text).to.not.match(/abc123|9999|4111111111111111|a@b/);
  });

  it('redacts what people wrote in an activity, and leaves ids and addresses alone', () => {
    const a = { type: 'message', id: '5551234567', conversation: { id: 'c-5551234567' }, serviceUrl: 'http://127.0.0.1:9/', text: 'pin 1234', value: { note: 'ssn 123-45-6789' } };
    const r = redactActivity(a);
    expect(r).to.deep.equal({ ...a, text: 'pin [REDACTED:pin]', value: { note: 'ssn [REDACTED:ssn]' } });
    expect(a.text, 'the original is not changed').to.equal('pin 1234');
  });
});
