import { expect } from 'chai';
import { TestAdapter, type TurnContext } from 'botbuilder';
import { Content } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';
import { SensitiveDataMiddleware } from '../../src/privacy/sensitiveDataMiddleware.js';

describe('SensitiveDataMiddleware', () => {
  const content = Content.load(loadConfig({}).contentDir);
  const warning = content.text('privacy.warning');
  const seen: string[] = [];
  const adapter = () => new TestAdapter(async (ctx: TurnContext) => { seen.push(ctx.activity.text); await ctx.sendActivity(`echo: ${ctx.activity.text}`); })
    .use(new SensitiveDataMiddleware(content));

  const TURNS: Array<[string, boolean]> = [
    ['my password is hunter2 and it fails', true],
    ['pin 1234', true],
    ['card 4111 1111 1111 1111', true],
    ['ssn 123-45-6789', true],
    ["my mother's maiden name is Smith", true],
    ['my password is not working', false],
    ['email me at a@b.com', false],
    ['what is CS-4K7P-2M9Q', false],
  ];
  for (const [text, warns] of TURNS) {
    it(`${warns ? 'warns, then carries on,' : 'just carries on'} for "${text}"`, async () => {
      seen.length = 0;
      let flow = adapter().send(text);
      if (warns) flow = flow.assertReply(warning);
      await flow.assertReply((a) => {
        expect(a.text).to.match(/^echo: /);
        if (warns) expect(a.text).to.include('[REDACTED:');
        else expect(a.text).to.equal(`echo: ${text}`);
      }).startTest();
      expect(seen).to.have.length(1);
    });
  }

  it('never asks for a secret itself: the warning says it will not', () => {
    expect(warning).to.match(/never ask/i);
  });
});

describe('the bot never asks for a secret', () => {
  const content = Content.load(loadConfig({}).contentDir);
  const ASKS = /\b(?:what(?:'s| is)|send|tell|give|enter|type|share|provide|confirm|need|reply with)\b[^.?!]{0,30}\b(?:your|the)\s+(?:full\s+)?(?:password|pin|passcode|card number|credit card|social security|ssn|security answer|maiden name)/i;
  it('in any message of any content file', () => {
    for (const key of content.keys()) {
      for (const text of content.list(key)) {
        // "never ask you for your password" is a promise, not a request
        if (/\bnever\b|\bdon't\b|\bdo not\b|\bwon't\b/i.test(text)) continue;
        expect(text, key).to.not.match(ASKS);
      }
    }
  });
});
