import { expect } from 'chai';
import { ConversationState, MemoryStorage, MemoryTranscriptStore, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { Content } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import type { CaseRecord } from '../../src/cases/types.js';
import { BotFrameworkHandoff } from '../../src/handoff/botFrameworkHandoff.js';
import { HandoffMiddleware } from '../../src/handoff/handoffMiddleware.js';
import { handoffAccessor, HandoffQueue } from '../../src/handoff/handoffState.js';

const content = Content.load(loadConfig({}).contentDir);
const CASE = 'CS-4K7P-2M9Q';
const T0 = new Date('2026-03-01T10:00:00Z');
const DAY = 24 * 3_600_000;

const record = (number = CASE): CaseRecord => ({ number, intent: 'escalate', team: 'tech_support', summary: 'No signal', stepsTried: ['tech.restart'], contactMethod: 'live_chat' } as CaseRecord);
const status = (state: unknown): Partial<Activity> => ({ type: 'event', name: 'handoff.status', value: { state } });

/**
 * The hand-off state machine alone: the middleware in front of a bot that hands off on "agent"
 * (with the real `BotFrameworkHandoff`) and otherwise echoes, recording what reached it.
 */
function rig(options: { maxWaitMs?: number } = {}) {
  let now = T0;
  const conversationState = new ConversationState(new MemoryStorage());
  const queue = new HandoffQueue();
  const transcripts = new MemoryTranscriptStore();
  const handoff = new BotFrameworkHandoff({ conversationState, transcripts, queue, now: () => now });
  const reached: string[] = [];
  const warnings: string[] = [];
  const logged: unknown[] = [];
  const logger = { warn: (fields: unknown, msg: string) => { warnings.push(msg); logged.push(fields); } } as unknown as Logger;
  const make = (conversationId: string, channelId = 'webchat') => {
    const adapter = new TestAdapter(async (ctx: TurnContext) => {
      reached.push(ctx.activity.text ?? ctx.activity.name ?? ctx.activity.type);
      if (ctx.activity.text === 'agent') await handoff.initiate(ctx, record());
      else if (ctx.activity.type === 'message') await ctx.sendActivity(`bot: ${ctx.activity.text}`);
      await conversationState.saveChanges(ctx);
    }, { channelId, conversation: { id: conversationId } } as never);
    adapter.use(new HandoffMiddleware({ conversationState, queue, content, logger, now: () => now, maxWaitMs: options.maxWaitMs }));
    return adapter;
  };
  /** A conversation that has just been handed off (its initiate event consumed). */
  const waiting = async (conversationId: string, channelId = 'webchat') => {
    const adapter = make(conversationId, channelId);
    await adapter.send('agent').assertReply((a) => expect(a.name).to.equal('handoff.initiate')).startTest();
    return adapter;
  };
  const stored = async (adapter: TestAdapter, conversationId: string) => {
    let state: unknown;
    await adapter.processActivity({ type: 'event', name: 'peek', channelId: 'webchat', conversation: { id: conversationId } } as Activity, async () => undefined);
    const ctx = { activity: { channelId: 'webchat', conversation: { id: conversationId } }, turnState: new Map() } as unknown as TurnContext;
    await conversationState.load(ctx, true);
    state = await handoffAccessor(conversationState).get(ctx);
    return state as { status: string; caseNumber: string; since: string } | undefined;
  };
  return { make, waiting, queue, reached, warnings, logged, stored, transcripts, handoff, conversationState, setNow: (d: Date) => { now = d; } };
}

const waitingNext = content.text('handoff.waiting_next', { caseNumber: CASE });

describe('HandoffMiddleware: the customer waiting for a person', () => {
  it('refuses to start without what it needs, naming the class and the parameter', () => {
    const conversationState = new ConversationState(new MemoryStorage());
    const queue = new HandoffQueue();
    expect(() => new HandoffMiddleware(undefined as never)).to.throw('[HandoffMiddleware]: Missing parameter. conversationState is required');
    expect(() => new HandoffMiddleware({ queue, content } as never)).to.throw('[HandoffMiddleware]: Missing parameter. conversationState is required');
    expect(() => new HandoffMiddleware({ conversationState, content } as never)).to.throw('[HandoffMiddleware]: Missing parameter. queue is required');
    expect(() => new HandoffMiddleware({ conversationState, queue } as never)).to.throw('[HandoffMiddleware]: Missing parameter. content is required');
  });

  it('lets everything through to the bot while nobody waits; a stray status event reaches no one', async () => {
    const { make, reached } = rig();
    const adapter = make('idle');
    await adapter.send('hello').assertReply('bot: hello').send(status('accepted')).send('again').assertReply('bot: again').startTest();
    expect(reached).to.deep.equal(['hello', 'again']);
  });

  it('answers a waiting customer with their place instead of the bot, with a button to stop waiting', async () => {
    const { waiting, reached, queue } = rig();
    const first = await waiting('w-1');
    await first.send('hello?').assertReply((a) => {
      expect(a.text).to.equal(waitingNext);
      expect(a.suggestedActions!.actions.map((x) => [x.title, x.value])).to.deep.equal([[content.text('handoff.cancel_button'), content.text('handoff.cancel_button')]]);
    }).startTest();
    expect(reached).to.deep.equal(['agent'], 'the bot never saw "hello?"');
    const second = await waiting('w-2');
    await second.send('how long?').assertReply((a) => expect(content.list('handoff.waiting', { position: 2, caseNumber: CASE })).to.include(a.text)).startTest();
    expect(queue.size).to.equal(2);
  });

  it('renders the waiting message for the channel (numbered choice on Slack, no buttons)', async () => {
    const { waiting } = rig();
    const slack = await waiting('s-1', 'slack');
    await slack.send('hello?').assertReply((a) => {
      expect(a.suggestedActions).to.equal(undefined);
      expect(a.text).to.include('1. Stop waiting');
    }).startTest();
  });

  it('lets other activity types and other events through while waiting', async () => {
    const { waiting, reached } = rig();
    const adapter = await waiting('other-1');
    await adapter.send({ type: 'conversationUpdate', membersAdded: [{ id: 'x', name: 'x' }] } as Partial<Activity>)
      .send({ type: 'event', name: 'webchat/join' } as Partial<Activity>).startTest();
    expect(reached).to.deep.equal(['agent', 'conversationUpdate', 'webchat/join']);
  });

  const CANCELS = ['  cancel ', 'Cancel.', 'never mind', 'Never  mind!', 'nevermind', 'nvm', 'forget it', 'stop', 'stop waiting', 'STOP WAITING', 'quit', 'leave queue', 'leave the queue', 'no thanks', 'Stop waiting'];
  for (const words of CANCELS) {
    it(`"${words}" leaves the queue, keeping the case number`, async () => {
      const { waiting, queue, reached } = rig();
      const adapter = await waiting('c-1');
      await adapter.send(words).assertReply(content.text('handoff.cancelled', { caseNumber: CASE })).send('billing').assertReply('bot: billing').startTest();
      expect(queue.size).to.equal(0);
      expect(reached).to.deep.equal(['agent', 'billing']);
    });
  }

  for (const words of ['cancel my plan', 'please stop', 'stop it now', 'never mind that, is anyone there', 'quitting']) {
    it(`"${words}" is not a request to leave: the customer stays in the queue`, async () => {
      const { waiting, queue } = rig();
      const adapter = await waiting('n-1');
      await adapter.send(words).assertReply(waitingNext).startTest();
      expect(queue.size).to.equal(1);
    });
  }

  it('accepted: the person has the chat, the bot stays quiet and the queue moves up', async () => {
    const { waiting, queue, reached, stored } = rig();
    const first = await waiting('a-1');
    const second = await waiting('a-2');
    await first.send(status('accepted')).send('hi, are you a person?').startTest();
    expect(first.activeQueue, 'nothing sent').to.have.length(0);
    expect((await stored(first, 'a-1'))?.status).to.equal('with_agent');
    expect(reached).to.deep.equal(['agent', 'agent']);
    expect(queue.size).to.equal(1);
    await second.send('still there?').assertReply(waitingNext).startTest();
  });

  it('completed or failed: the bot is back, saying so with the case number', async () => {
    for (const [state, key] of [['completed', 'handoff.completed'], ['failed', 'handoff.failed']] as const) {
      const { waiting, queue } = rig();
      const adapter = await waiting(`${state}-1`);
      if (state === 'completed') await adapter.send(status('accepted')).startTest();
      await adapter.send(status(state)).assertReply(content.text(key, { caseNumber: CASE })).send('thanks').assertReply('bot: thanks').startTest();
      expect(queue.size).to.equal(0);
    }
  });

  it('ignores a status it does not know (logging it), and the customer keeps waiting', async () => {
    const { waiting, warnings, logged, queue } = rig();
    const adapter = await waiting('u-1');
    await adapter.send(status('transferred')).send({ type: 'event', name: 'handoff.status' } as Partial<Activity>).startTest();
    expect(adapter.activeQueue).to.have.length(0);
    expect(warnings).to.deep.equal(['handoff.status event with an unknown state ignored', 'handoff.status event with an unknown state ignored']);
    expect(logged[0]).to.deep.equal({ conversationId: 'u-1' });
    await adapter.send('hello?').assertReply(waitingNext).startTest();
    expect(queue.size).to.equal(1);
  });

  it('gives the chat back to the bot after the longest wait (24 hours by default), never wedging it', async () => {
    const { waiting, setNow, warnings, logged, queue } = rig();
    const adapter = await waiting('x-1');
    setNow(new Date(T0.getTime() + DAY));
    await adapter.send('still waiting').assertReply(waitingNext).startTest();
    setNow(new Date(T0.getTime() + DAY + 1));
    await adapter.send('hello again').assertReply('bot: hello again').send('and again').assertReply('bot: and again').startTest();
    expect(warnings).to.deep.equal(['hand-off wait expired; the bot answers again']);
    expect(logged).to.deep.equal([{ conversationId: 'x-1', caseNumber: CASE }]);
    expect(queue.size).to.equal(0);
  });

  it('takes a shorter longest wait when configured', async () => {
    const { waiting, setNow } = rig({ maxWaitMs: 60_000 });
    const adapter = await waiting('x-2');
    setNow(new Date(T0.getTime() + 60_001));
    await adapter.send('hello').assertReply('bot: hello').startTest();
  });
});

describe('BotFrameworkHandoff: handing a conversation to a person', () => {
  it('refuses to start without what it needs, naming the class and the parameter', () => {
    const conversationState = new ConversationState(new MemoryStorage());
    const transcripts = new MemoryTranscriptStore();
    const queue = new HandoffQueue();
    expect(() => new BotFrameworkHandoff(undefined as never)).to.throw('[BotFrameworkHandoff]: Missing parameter. conversationState is required');
    expect(() => new BotFrameworkHandoff({ transcripts, queue } as never)).to.throw('[BotFrameworkHandoff]: Missing parameter. conversationState is required');
    expect(() => new BotFrameworkHandoff({ conversationState, queue } as never)).to.throw('[BotFrameworkHandoff]: Missing parameter. transcripts is required');
    expect(() => new BotFrameworkHandoff({ conversationState, transcripts } as never)).to.throw('[BotFrameworkHandoff]: Missing parameter. queue is required');
  });

  it('refuses a record without a number', async () => {
    const { handoff } = rig();
    const adapter = new TestAdapter(async (ctx) => {
      let error: unknown;
      try { await handoff.initiate(ctx, {} as CaseRecord); } catch (err) { error = err; }
      expect(String(error)).to.include('[BotFrameworkHandoff]: Missing parameter. record is required');
      await ctx.sendActivity('checked');
    });
    await adapter.send('agent').assertReply('checked').startTest();
  });

  it('queues the conversation from now, saved at once, and sends the event with everything the person needs', async () => {
    const { waiting, stored, queue } = rig();
    const adapter = await waiting('q-1');
    expect(await stored(adapter, 'q-1')).to.deep.equal({ status: 'waiting', caseNumber: CASE, since: T0.toISOString() });
    expect(queue.position('webchat/q-1', new Date(0)), 'already in the queue under its channel and id').to.equal(1);
    expect(queue.size).to.equal(1);
  });

  it('sends the transcript read from the store plus the current message once, redacted', async () => {
    const { handoff, transcripts } = rig();
    const conversation = { id: 't-1' };
    const earlier: Partial<Activity>[] = [
      { type: 'message', id: 'm1', text: 'my pin is 1234', from: { id: 'u', role: 'user' } as never, timestamp: new Date('2026-03-01T09:00:00Z') },
      { type: 'message', id: 'm2', text: 'Let us try that', from: { id: 'bot', role: 'bot' } as never, timestamp: new Date('2026-03-01T09:00:01Z') },
    ];
    for (const a of earlier) await transcripts.logActivity({ ...a, channelId: 'webchat', conversation } as Activity);
    const events: Partial<Activity>[] = [];
    const adapter = new TestAdapter(async (ctx) => { events.push(await handoff.initiationEvent(ctx, record())); }, { channelId: 'webchat', conversation } as never);
    await adapter.send({ type: 'message', id: 'm3', text: 'agent please' } as Partial<Activity>).startTest();
    // the same activity already in the store (the logger was quicker) is not sent twice
    await transcripts.logActivity({ type: 'message', id: 'm4', text: 'agent now', channelId: 'webchat', conversation, from: { id: 'u', role: 'user' }, timestamp: new Date('2026-03-01T09:00:02Z') } as Activity);
    await adapter.send({ type: 'message', id: 'm4', text: 'agent now' } as Partial<Activity>).startTest();
    // an event that starts a hand-off is not a line of the transcript
    await adapter.send({ type: 'event', id: 'e1', name: 'escalate' } as Partial<Activity>).startTest();
    const texts = events.map((e) => ((e.attachments![0].content as { activities: Activity[] }).activities).map((a) => a.text));
    expect(texts[0]).to.deep.equal(['my pin is [REDACTED:pin]', 'Let us try that', 'agent please']);
    expect(texts[1]).to.deep.equal(['my pin is [REDACTED:pin]', 'Let us try that', 'agent now']);
    expect(texts[2]).to.deep.equal(['my pin is [REDACTED:pin]', 'Let us try that', 'agent now']);
    expect(events[0].value).to.deep.equal({ caseNumber: CASE, team: 'tech_support', intent: 'escalate', summary: 'No signal', stepsTried: ['tech.restart'], contactMethod: 'live_chat' });
  });
});
