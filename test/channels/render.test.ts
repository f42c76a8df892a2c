import { expect } from 'chai';
import { render, channelStyle, OFFERED_CHOICES, type Reply } from '../../src/channels/render.js';
import { forSlack, splitForSlack, toSlackText, SLACK_MAX_TEXT } from '../../src/channels/slack.js';
import { offeredChoices } from '../../src/channels/choices.js';

const MENU: Reply = {
  text: 'Here is what I can do:\n\n• Sign in\n• Billing & payments',
  choices: [{ title: 'Sign-in help', value: 'sign in' }, { title: 'Forgot username', value: 'Forgot username' }, { title: 'Billing & <payments>', value: 'billing' }],
  links: [{ title: 'Reset your password', url: 'https://example.test/reset?a=1&b=2' }],
};
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

describe('render() per channel', () => {
  it('keeps the old contract: text only gives a plain message on every channel', () => {
    for (const ch of ['emulator', 'webchat', 'directline', 'msteams', 'slack', 'console', 'telegram', undefined]) {
      const a = render({ text: 'Hello' }, ch);
      expect(a.type, String(ch)).to.equal('message');
      expect(a.text, String(ch)).to.equal('Hello');
      expect(a.attachments ?? [], String(ch)).to.have.length(0);
      expect(a.suggestedActions, String(ch)).to.equal(undefined);
    }
  });

  it('maps channels to styles', () => {
    expect(['emulator', 'webchat', 'directline', 'msteams', 'slack', 'console', 'line', undefined].map(channelStyle))
      .to.deep.equal(['suggested', 'suggested', 'suggested', 'card', 'slack', 'text', 'text', 'text']);
  });

  for (const ch of ['emulator', 'webchat', 'directline']) {
    it(`${ch}: suggested imBack actions and markdown links`, () => {
      const a = render(MENU, ch);
      expect(a.suggestedActions!.actions).to.deep.equal(MENU.choices!.map((c) => ({ type: 'imBack', title: c.title, value: c.value })));
      expect(a.text).to.equal(`${MENU.text}\n\n[Reset your password](https://example.test/reset?a=1&b=2)`);
      expect(a.textFormat).to.equal('markdown');
      expect(a.attachments ?? []).to.have.length(0);
    });
  }

  it('msteams: an Adaptive Card 1.5 with one TextBlock per line, imBack submits, markdown links, a summary', () => {
    const a = render(MENU, 'msteams');
    expect(a.suggestedActions).to.equal(undefined);
    expect(a.attachments).to.have.length(1);
    const card = a.attachments![0];
    expect(card.contentType).to.equal(ADAPTIVE);
    expect(card.content.version).to.equal('1.5');
    const blocks = card.content.body.filter((b: any) => b.type === 'TextBlock');
    expect(blocks.map((b: any) => b.text)).to.deep.equal(['Here is what I can do:', '• Sign in', '• Billing & payments', '[Reset your password](https://example.test/reset?a=1&b=2)']);
    expect(blocks.every((b: any) => b.wrap === true)).to.equal(true);
    const actions = card.content.body.filter((b: any) => b.type === 'ActionSet').flatMap((s: any) => s.actions);
    expect(actions).to.deep.equal(MENU.choices!.map((c) => ({ type: 'Action.Submit', title: c.title, data: { msteams: { type: 'imBack', value: c.value } } })));
    expect(a.summary).to.include('1. Sign-in help');
  });

  it('msteams: more than six choices go into rows of at most six, none dropped', () => {
    const choices = Array.from({ length: 8 }, (_, i) => ({ title: `Option ${i + 1}`, value: `v${i + 1}` }));
    const card = render({ text: 'Pick', choices }, 'msteams').attachments![0].content;
    const sets = card.body.filter((b: any) => b.type === 'ActionSet');
    expect(sets.map((s: any) => s.actions.length)).to.deep.equal([6, 2]);
  });

  it('msteams: text without choices is a markdown message, not a card', () => {
    const a = render({ text: 'Done.', links: [{ title: 'Bill', url: 'https://example.test/bill' }] }, 'msteams');
    expect(a.attachments ?? []).to.have.length(0);
    expect(a.text).to.equal('Done.\n\n[Bill](https://example.test/bill)');
  });

  it('slack: escaped mrkdwn, <url|text> links, numbered choices, the same text in channelData, never a card', () => {
    const a = render(MENU, 'slack');
    expect(a.attachments ?? []).to.have.length(0);
    expect(a.suggestedActions).to.equal(undefined);
    expect(a.text).to.equal('Here is what I can do:\n\n• Sign in\n• Billing &amp; payments\n\n<https://example.test/reset?a=1&b=2|Reset your password>\n\n1. Sign-in help\n2. Forgot username\n3. Billing &amp; &lt;payments&gt;');
    expect(a.channelData).to.deep.equal({ text: a.text, mrkdwn: true });
  });

  it('slack: converts markdown links and bold a dialog wrote into mrkdwn', () => {
    expect(toSlackText('See **this** [page](https://example.test/x) & more')).to.equal('See *this* <https://example.test/x|page> &amp; more');
  });

  for (const ch of ['console', 'telegram', undefined]) {
    it(`${String(ch)}: plain text with numbered choices and "title: url" links`, () => {
      const a = render(MENU, ch);
      expect(a.text).to.equal(`${MENU.text}\n\nReset your password: https://example.test/reset?a=1&b=2\n\n1. Sign-in help\n2. Forgot username\n3. Billing & <payments>`);
      expect(a.attachments ?? []).to.have.length(0);
    });
  }

  it('puts exactly one blank line between the text and the choices when there are no links', () => {
    const choices = [{ title: 'A', value: 'a' }, { title: 'B', value: 'b' }];
    expect(render({ text: 'Pick', choices }, 'console').text).to.equal('Pick\n\n1. A\n2. B');
    expect(render({ text: 'Pick', choices }, 'slack').text).to.equal('Pick\n\n1. A\n2. B');
  });

  it('attaches the offered choices as metadata that never reaches JSON', () => {
    for (const ch of ['emulator', 'msteams', 'slack', 'console']) {
      const a = render(MENU, ch) as any;
      expect(a[OFFERED_CHOICES], ch).to.deep.equal(MENU.choices);
      expect(JSON.stringify(a)).to.not.include('offeredChoices');
    }
  });

  it('reads offered choices back from any form (for replies made without render())', () => {
    const strip = (a: any) => { const c = { ...a }; delete c[OFFERED_CHOICES]; return c; };
    const titles = (ch: string) => offeredChoices(strip(render(MENU, ch)), OFFERED_CHOICES).map((c) => c.title);
    expect(titles('emulator')).to.deep.equal(['Sign-in help', 'Forgot username', 'Billing & <payments>']);
    expect(titles('msteams')).to.deep.equal(['Sign-in help', 'Forgot username', 'Billing & <payments>']);
    expect(titles('slack')).to.deep.equal(['Sign-in help', 'Forgot username', 'Billing & <payments>']);
    expect(titles('console')).to.deep.equal(['Sign-in help', 'Forgot username', 'Billing & <payments>']);
    expect(offeredChoices({ type: 'message', text: 'My top 3 tips:\n1. restart' }, OFFERED_CHOICES)).to.deep.equal([]);
    expect(offeredChoices({ type: 'message', text: 'Steps\n2. this\n3. that' }, OFFERED_CHOICES)).to.deep.equal([]);
  });
});

describe('Slack limits and the Slack guard', () => {
  it('splits long text at paragraph or sentence breaks, within the limit, keeping every word', () => {
    const para = 'This is a sentence about your bill. '.repeat(60).trim();
    const text = [para, para, para].join('\n\n');
    const parts = splitForSlack(text);
    expect(parts.length).to.be.greaterThan(1);
    for (const p of parts) expect(p.length).to.be.at.most(SLACK_MAX_TEXT);
    expect(parts.join(' ').replace(/\s+/g, ' ')).to.equal(text.replace(/\s+/g, ' '));
    expect(parts[0].endsWith('.')).to.equal(true);
  });

  it('never cuts inside a <url|text> link, and trims past the part limit with an ellipsis', () => {
    const link = '<https://example.test/a|a link with words>';
    const text = `${'x'.repeat(95)} ${link} tail`;
    const parts = splitForSlack(text, 110, 5);
    expect(parts.some((p) => p.includes(link))).to.equal(true);
    const huge = 'word '.repeat(10_000);
    const capped = splitForSlack(huge, 100, 3);
    expect(capped).to.have.length(3);
    expect(capped[2].endsWith('…')).to.equal(true);
    expect(capped[2].length).to.be.at.most(100);
  });

  it('turns cards and suggested actions made elsewhere into numbered text, and drops typing', () => {
    const card = render(MENU, 'msteams');
    const [out] = forSlack(card);
    expect(out.attachments).to.equal(undefined);
    expect(out.text).to.include('Here is what I can do:').and.include('1. Sign-in help').and.include('3. Billing &amp; &lt;payments&gt;');
    expect((out.channelData as any).text).to.equal(out.text);
    const [fromSuggested] = forSlack(render(MENU, 'webchat'));
    expect(fromSuggested.suggestedActions).to.equal(undefined);
    expect(fromSuggested.text).to.include('<https://example.test/reset?a=1&b=2|Reset your password>').and.include('2. Forgot username');
    const hero = { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.hero', content: { title: 'Pick one', buttons: [{ type: 'imBack', title: 'A', value: 'a' }, { type: 'imBack', title: 'B', value: 'b' }] } }] };
    expect(forSlack(hero as any)[0].text).to.equal('Pick one\n\n1. A\n2. B');
    expect(forSlack({ type: 'typing' })).to.deep.equal([]);
  });

  it('splits a long rendered reply into several messages, choices on the last one', () => {
    const long = render({ text: 'Step one is this. '.repeat(400), choices: MENU.choices }, 'slack');
    const parts = forSlack(long);
    expect(parts.length).to.be.greaterThan(1);
    for (const p of parts) { expect(p.text!.length).to.be.at.most(SLACK_MAX_TEXT); expect((p.channelData as any).text).to.equal(p.text); }
    expect(parts.at(-1)!.text).to.match(/1\. Sign-in help/);
    expect((parts.at(-1) as any)[OFFERED_CHOICES]).to.have.length(3);
    expect((parts[0] as any)[OFFERED_CHOICES]).to.equal(undefined);
  });
});
