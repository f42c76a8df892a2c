import { expect } from 'chai';
import { AutoSaveStateMiddleware, ConversationState, MemoryStorage, MemoryTranscriptStore, TestAdapter, TranscriptLoggerMiddleware, type TurnContext } from 'botbuilder';
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

  describe('with conversation state: what one message says about the next', () => {
    /** The app's wiring (createBot.ts): state saved once per turn, redactor before the transcript logger, the warning after it. */
    function wired(storage = new MemoryStorage()) {
      const transcripts = new MemoryTranscriptStore();
      const state = new ConversationState(storage);
      const privacy = new SensitiveDataMiddleware(content, undefined, state);
      const seenByBot: string[] = [];
      const adapter = new TestAdapter(async (ctx: TurnContext) => { seenByBot.push(ctx.activity.text); await ctx.sendActivity(`echo: ${ctx.activity.text}`); })
        .use(new AutoSaveStateMiddleware(state))
        .use(privacy.redactor)
        .use(new TranscriptLoggerMiddleware(transcripts))
        .use(privacy);
      const logged = async () => (await transcripts.getTranscriptActivities('test', 'Convo1')).items
        .filter((a) => a.type === 'message' && a.from.role === 'user').map((a) => a.text);
      return { adapter, storage, seenByBot, logged };
    }

    // [typed, what the bot and the transcript see, warned?]
    const TURNS: Array<[string, string, boolean]> = [
      ['ok let me type my password', 'ok let me type my password', false],
      ['Hunter2!', '[REDACTED:password]', true],
      ['did that go through', 'did that go through', false],
      ['I can\'t log in on the app', 'I can\'t log in on the app', false],
      ['Tr0ub4dor&3', '[REDACTED:password]', true],
      ['my bill is wrong', 'my bill is wrong', false],
    ];

    it('hides the announced message and the token after sign-in talk, from the bot and from the transcript', async () => {
      const w = wired();
      let flow = w.adapter.send(TURNS[0]![0]);
      TURNS.forEach(([typed, stored, warns], i) => {
        if (i > 0) flow = flow.send(typed);
        if (warns) flow = flow.assertReply(warning);
        flow = flow.assertReply(`echo: ${stored}`);
      });
      await flow.startTest();
      expect(w.seenByBot).to.deep.equal(TURNS.map(([, stored]) => stored));
      // the transcript logger copies the message as the turn starts: the redactor must run before it
      expect(await w.logged()).to.deep.equal(TURNS.map(([, stored]) => stored));
    });

    it('keeps only flags in conversation state, never what was typed', async () => {
      const w = wired();
      await w.adapter.send('let me type my password').assertReply('echo: let me type my password').startTest();
      const saved = JSON.stringify(await w.storage.read(Object.keys((w.storage as unknown as { memory: object }).memory)));
      expect(saved).to.include('"privacy":{"expect":"password","signInTalk":2}');
      expect(saved).to.not.include('let me type');
    });

    it('remembers an announcement across a restart (state comes from storage)', async () => {
      const storage = new MemoryStorage();
      await wired(storage).adapter.send('here is my pin:').assertReply('echo: here is my pin:').startTest();
      const after = wired(storage);
      await after.adapter.send('4821').assertReply(warning).assertReply('echo: [REDACTED:pin]').startTest();
    });

    it('redacts and warns once per turn, whichever of the two runs first', async () => {
      const w = wired();
      await w.adapter.send('pin 1234').assertReply(warning).assertReply('echo: pin [REDACTED:pin]').startTest();
      expect(w.seenByBot).to.deep.equal(['pin [REDACTED:pin]']);
    });
  });

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
