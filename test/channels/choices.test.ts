import { expect } from 'chai';
import { matchChoice } from '../../src/channels/render.js';

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
