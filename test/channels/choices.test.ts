import { expect } from 'chai';
import { matchChoice } from '../../src/channels/render.js';
import { choiceFromValue } from '../../src/channels/choices.js';

const MENU = ['Sign-in help', 'Forgot username', 'Reset password', 'App problems', 'Billing', 'Talk to a person'].map((t) => ({ title: t, value: t }));
const VALUED = [{ title: 'iPhone or iPad', value: 'ios' }, { title: 'Android', value: 'android' }];

describe('matchChoice(): typed answers to offered choices', () => {
  const table: Array<[string, string | undefined]> = [
    ['2', 'Forgot username'],
    ['2.', 'Forgot username'],
    ['2)', 'Forgot username'],
    [' 2 ', 'Forgot username'],
    ['#2', 'Forgot username'],
    ['option 2', 'Forgot username'],
    ['Option 2 please', 'Forgot username'],
    ['number 6', 'Talk to a person'],
    ['forgot username', 'Forgot username'],
    ['FORGOT USERNAME!', 'Forgot username'],
    ['forgot usernme', 'Forgot username'],
    ['the billing one', 'Billing'],
    ['biling', 'Billing'],
    ['talk to a person please', 'Talk to a person'],
    ['sign in help', 'Sign-in help'],
    ['7', undefined],
    ['0', undefined],
    ['my bill is 200', undefined],
    ['2 lines on my plan', undefined],
    ['I forgot my username and my password', undefined],
    ['help', undefined],
    ['', undefined],
    ['bill', undefined],
  ];
  for (const [typed, expected] of table) {
    it(`${JSON.stringify(typed)} → ${expected ?? '(left as text)'}`, () => {
      expect(matchChoice(typed, MENU)?.value).to.equal(expected);
    });
  }

  it('answers with the value, matching either the title or the value', () => {
    expect(matchChoice('iphone or ipad', VALUED)?.value).to.equal('ios');
    expect(matchChoice('ios', VALUED)?.value).to.equal('ios');
    expect(matchChoice('1', VALUED)?.value).to.equal('ios');
    expect(matchChoice('andriod', VALUED)?.value).to.equal('android');
  });

  it('does not guess between two options that are equally close', () => {
    const twins = [{ title: 'Plan A', value: 'a' }, { title: 'Plan B', value: 'b' }];
    expect(matchChoice('plan c', twins)).to.equal(undefined);
    expect(matchChoice('plan b', twins)?.value).to.equal('b');
  });

  it('offers nothing when no choices were offered', () => {
    expect(matchChoice('1', [])).to.equal(undefined);
  });
});

describe('choiceFromValue(): a card submit with only `value` means what typing would', () => {
  const table: Array<[string, unknown, string | undefined]> = [
    ['Teams imBack data the client posted as value', { msteams: { type: 'imBack', value: 'Forgot username' } }, 'Forgot username'],
    ['messageBack text', { msteams: { type: 'messageBack', text: 'billing' } }, 'Billing'],
    ['a choice field with the option number', { choice: '2' }, 'Forgot username'],
    ['the option words under any key', { action: 'talk to a person' }, 'Talk to a person'],
    ['a plain string', 'reset password', 'Reset password'],
    ['one string that is no option is read as typed', { query: 'my bill is wrong' }, 'my bill is wrong'],
    ['several unrelated strings say nothing', { key: 'value', x: 'herocard' }, undefined],
    ['no strings', { n: 3, ok: true }, undefined],
    ['null', null, undefined],
    ['an array', ['Billing'], undefined],
    ['a string longer than anyone types as an answer', 'x'.repeat(500), undefined],
  ];
  for (const [what, value, expected] of table) it(what, () => expect(choiceFromValue(value, MENU)).to.equal(expected));

  it('with no choices on offer, only a single string is read', () => {
    expect(choiceFromValue({ choice: '2' }, [])).to.equal('2');
    expect(choiceFromValue({ a: 'x', b: 'y' }, [])).to.equal(undefined);
  });
});
