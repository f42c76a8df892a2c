import { expect } from 'chai';
import { matchChoice } from '../../src/channels/render.js';
import { choiceFromValue, offeredChoices } from '../../src/channels/choices.js';

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

describe('matchChoice(): the words around a choice, and how close a typo may be', () => {
  const table: Array<[string, string | undefined]> = [
    ["I'd like option 3", 'Reset password'],
    ['i want the billing one please', 'Billing'],
    ["let's go with 4", 'App problems'],
    ["I'll take number 5 thanks", 'Billing'],
    ['give me #5', 'Billing'],
    ['choose no. 2', 'Forgot username'],
    ['nr 3', 'Reset password'],
    ['3 thx', 'Reset password'],
    ['pick 2!', 'Forgot username'],
    ['(2)', 'Forgot username'],
    ['# 2', 'Forgot username'],
    ['02', 'Forgot username'],
    ['12', undefined],
    ['100', undefined],
    ['Talk to a persön', 'Talk to a person'], // accents typed or not
    ['‘Forgot username’', 'Forgot username'], // curly quotes
    ['forgot   username', 'Forgot username'],
    ['bilin', undefined], // two edits away from a 7-letter option: too far
    ['talk to a persn', 'Talk to a person'], // 16 letters allow two edits
    ['tlak to a person', 'Talk to a person'], // a swap counts as one edit
    ['talk to a prsn', 'Talk to a person'],
    ['talk t a prsn', undefined], // three
    ['forgot', undefined], // a word of an option is not the option
    // every lead-in and closing word people use, alone and stacked
    ['I would like 2', 'Forgot username'],
    ['i want 2', 'Forgot username'],
    ['I pick 2', 'Forgot username'],
    ['i choose 2', 'Forgot username'],
    ['I take 2', 'Forgot username'],
    ["i'll go with 2", 'Forgot username'],
    ["I'll pick 2", 'Forgot username'],
    ['go with 2', 'Forgot username'],
    ['show me 2', 'Forgot username'],
    ['select 2', 'Forgot username'],
    ['choice 2', 'Forgot username'],
    ['num 2', 'Forgot username'],
    ['no 2', 'Forgot username'],
    ['nr. 2', 'Forgot username'],
    ['the 2', 'Forgot username'],
    ['2 pls', 'Forgot username'],
    ['2 plz', 'Forgot username'],
    ['2 thanks', 'Forgot username'],
    ['2 thank you', 'Forgot username'],
    ['2 option', 'Forgot username'],
    ['2please', 'Forgot username'],
    ['option 2 please thanks', 'Forgot username'],
    ['I want to pick the option 2', undefined], // "to" is not a lead-in: a sentence, left to the recognizer
    ['2 or 3', undefined],
    ['2?', 'Forgot username'],
    ['#2)', 'Forgot username'],
  ];
  for (const [typed, expected] of table) {
    it(`${JSON.stringify(typed)} → ${expected ?? '(left as text)'}`, () => {
      expect(matchChoice(typed, MENU)?.value).to.equal(expected);
    });
  }

  it('reads numbers only up to 80 characters of text (a long message is not an answer)', () => {
    const eighty = `option 2${' please'.repeat(8)}${' thx'.repeat(4)}`;
    expect(eighty).to.have.length(80);
    expect(matchChoice(eighty, MENU)?.value).to.equal('Forgot username');
    expect(matchChoice(`${eighty} one`, MENU)).to.equal(undefined);
  });

  it('never fuzzes options shorter than four letters', () => {
    const yesNo = [{ title: 'Yes', value: 'yes' }, { title: 'No', value: 'no' }];
    expect(matchChoice('yess', yesNo)).to.equal(undefined);
    expect(matchChoice('yes', yesNo)?.value).to.equal('yes');
    expect(matchChoice('nah', yesNo)).to.equal(undefined);
  });

  it('lets one typo through even for short options of four or five letters', () => {
    const short = [{ title: 'Store', value: 'store' }, { title: 'Email', value: 'email' }];
    expect(matchChoice('stor', short)?.value).to.equal('store');
    expect(matchChoice('emial', short)?.value).to.equal('email');
    expect(matchChoice('stoer', short)?.value).to.equal('store');
    expect(matchChoice('stro', short), 'a swap and a missing letter: two edits').to.equal(undefined);
    expect(matchChoice('sotre', short)?.value).to.equal('store');
    expect(matchChoice('st', short)).to.equal(undefined);
    expect(matchChoice('storefront', short)).to.equal(undefined);
  });
});

describe('offeredChoices(): the choices an outgoing activity offers, from whatever form it has', () => {
  const KEY = Symbol('offered');
  const pairs = (a: object) => offeredChoices(a as never, KEY).map((c) => [c.title, c.value]);

  it('prefers the metadata render() attached', () => {
    const a = { type: 'message', text: '1. X\n2. Y', [KEY]: [{ title: 'A', value: 'a' }] };
    expect(pairs(a)).to.deep.equal([['A', 'a']]);
    expect(pairs({ type: 'message', text: '1. X\n2. Y', [KEY]: [] }), 'empty metadata is ignored').to.deep.equal([['X', 'X'], ['Y', 'Y']]);
  });

  it('reads suggested actions: imBack, postBack and messageBack; value, else text, else title', () => {
    const a = {
      type: 'message',
      suggestedActions: {
        to: [], actions: [
          { type: 'imBack', title: 'Website', value: 'website' },
          { type: 'postBack', title: 'App', value: 'app' },
          { type: 'messageBack', title: 'Store', text: 'store', value: { id: 3 } },
          { type: 'messageBack', title: 'Email' },
          { type: 'openUrl', title: 'Our site', value: 'https://example.com' },
          { type: 'imBack', value: 'no title' },
          null,
        ],
      },
    };
    expect(pairs(a)).to.deep.equal([['Website', 'website'], ['App', 'app'], ['Store', 'store'], ['Email', 'Email']]);
  });

  it('reads hero and thumbnail card buttons when there are no suggested actions', () => {
    const a = { type: 'message', suggestedActions: { actions: [] }, attachments: [null, { contentType: 'application/vnd.microsoft.card.hero' }, { contentType: 'application/vnd.microsoft.card.thumbnail', content: { buttons: [{ type: 'imBack', title: 'Yes', value: 'yes' }] } }] };
    expect(pairs(a)).to.deep.equal([['Yes', 'yes']]);
  });

  it('reads Adaptive Card submit actions, nested anywhere, with Teams\' imBack value, its text, plain data, or the title', () => {
    const card = {
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: 'Pick one' },
        { type: 'ColumnSet', columns: [{ type: 'Column', items: [{ type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'A', data: { msteams: { type: 'imBack', value: 'a' } } }] }] }] },
      ],
      actions: [
        { type: 'Action.Submit', title: 'B', data: { msteams: { type: 'messageBack', text: 'b' } } },
        { type: 'Action.Submit', title: 'C', data: 'c' },
        { type: 'Action.Submit', title: 'D', data: { other: 1 } },
        { type: 'Action.Submit', title: 'E' },
        { type: 'Action.OpenUrl', title: 'F', url: 'https://example.com' },
        { type: 'Action.Submit', data: 'untitled' },
      ],
    };
    const a = { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] };
    expect(pairs(a)).to.deep.equal([['A', 'a'], ['B', 'b'], ['C', 'c'], ['D', 'D'], ['E', 'E']]);
    const noSubmit = { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { body: [{ type: 'TextBlock', text: 'hi' }] } }, { contentType: 'application/vnd.microsoft.card.hero', content: { buttons: [{ type: 'imBack', title: 'Later', value: 'later' }] } }] };
    expect(pairs(noSubmit), 'a card without submits: the next attachment').to.deep.equal([['Later', 'later']]);
  });

  it('reads numbered lines closing a text, numbered from 1 without gaps, unescaping Slack entities', () => {
    expect(pairs({ type: 'message', text: 'Pick one:\n\n1. Billing &amp; payments\n2) A &lt;b&gt;\n  \n' })).to.deep.equal([['Billing & payments', 'Billing & payments'], ['A <b>', 'A <b>']]);
    expect(pairs({ type: 'message', text: 'Intro\n1. a\n2. b\nThanks' }), 'not closing the text').to.deep.equal([]);
    expect(pairs({ type: 'message', text: '1. only one' })).to.deep.equal([]);
    expect(pairs({ type: 'message', text: '1. a\n3. b' }), 'a gap').to.deep.equal([]);
    expect(pairs({ type: 'message', text: '0. a\n1. b' })).to.deep.equal([]);
    expect(pairs({ type: 'message', text: 'x\n1.a\n2.b' }), 'no space after the number').to.deep.equal([]);
    expect(pairs({ type: 'message' })).to.deep.equal([]);
    expect(pairs({ type: 'message', text: '9. a\n10. b\n1. c\n2. d' }), 'numbered lines that do not run from 1').to.deep.equal([]);
  });
});
