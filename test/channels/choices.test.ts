import { expect } from 'chai';
import { choiceFromValue, offeredChoices } from '../../src/channels/choices.js';

const MENU = ['Sign-in help', 'Forgot username', 'Reset password', 'App problems', 'Billing', 'Talk to a person'].map((t) => ({ title: t, value: t }));

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
