import { expect } from 'chai';
import { AutoSaveStateMiddleware, TestAdapter, TranscriptLoggerMiddleware, type Activity, type TurnContext } from 'botbuilder';
import { Content } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { handoffInitiationEvent } from '../../src/handoff/botFrameworkHandoff.js';
import { HandoffMiddleware } from '../../src/handoff/handoffMiddleware.js';
import { LiveHandoff } from '../../src/handoff/liveHandoff.js';
import { LiveChat, DESK_TOPIC, type DeskEvent } from '../../src/handoff/liveChat.js';
import { handoffAccessor } from '../../src/handoff/handoffState.js';
import { ConditionalConversationState } from '../../src/storage/conditionalState.js';
import type { Stores } from '../../src/storage/stores.js';
import { tempStores } from '../support/stores.js';
import { SensitiveDataMiddleware } from '../../src/privacy/sensitiveDataMiddleware.js';
import { parseCaseNumber } from '../../src/cases/caseNumber.js';
import { transcriptLogger } from '../../src/transcripts/transcripts.js';

const content = Content.load(loadConfig({}).contentDir);
const T0 = Date.parse('2026-03-02T10:00:00.000Z');

/** Someone signed in, available, serving `teams`, seen at `at`. */
async function agentOnDuty(stores: Stores, username: string, at: number, teams = ['general', 'technical'] as const): Promise<void> {
  const iso = new Date(at).toISOString();
  await stores.staff.create({ username, displayName: username, role: 'agent', teams: [...teams], passwordHash: 'scrypt$x', availability: 'available', createdAt: iso, updatedAt: iso });
  await stores.deskSessions.create({ id: `s-${username}`, username, csrfToken: 'c', createdAt: iso, expiresAt: new Date(at + 3_600_000).toISOString(), lastSeen: iso });
}

/**
 * The bot's side of a hand-off with the production middleware order, on real embedded stores: a
 * bot whose "agent" message opens a case and asks the live chat for a person (what the escalation
 * dialog does); everything else is echoed. `handBack` is recorded (the real one starts a dialog).
 */
async function rig(options: { trusted?: boolean; waitLimitMs?: number } = {}) {
  let now = T0;
  const stores = await tempStores();
  const conversationState = new ConditionalConversationState(stores.state);
  const live = new LiveChat({ stores, content, logger: createLogger('silent'), options: { maxChatsPerAgent: 3, waitLimitMs: options.waitLimitMs ?? 600_000, presenceMs: 90_000, now: () => new Date(now) } });
  const handedBack: Array<{ conversationId: string; dialogId?: string }> = [];
  live.attachBot(async (ctx, then) => {
    await handoffAccessor(conversationState).delete(ctx);
    handedBack.push({ conversationId: ctx.activity.conversation.id, dialogId: then?.dialogId });
  });
  const handoff = new LiveHandoff(live, conversationState);
  const outcomes: unknown[] = [];
  const events: DeskEvent[] = [];
  stores.bus.subscribe(DESK_TOPIC, (e) => events.push(e as DeskEvent));
  const logic = async (ctx: TurnContext) => {
    if (ctx.activity.type !== 'message') return;
    if (ctx.activity.text === 'agent') {
      const record = await stores.cases.open({ intent: 'escalate', team: 'tech_support', summary: 'No signal since the update', stepsTried: ['tech.restart'], conversationReference: { ...ctx.activity, user: ctx.activity.from, conversation: ctx.activity.conversation, channelId: ctx.activity.channelId } as never });
      await ctx.sendActivity(`Your case number is ${record.number}.`);
      outcomes.push(await handoff.initiate(ctx, record));
    } else {
      await ctx.sendActivity(`bot: ${ctx.activity.text}`);
    }
  };
  const make = (conversationId: string) => {
    const adapter = new TestAdapter(logic, { channelId: 'webchat', conversation: { id: conversationId } } as never);
    adapter.use(new AutoSaveStateMiddleware(conversationState));
    adapter.use(new TranscriptLoggerMiddleware(transcriptLogger(stores.transcripts)));
    adapter.use(new SensitiveDataMiddleware(content));
    adapter.use(new HandoffMiddleware({ conversationState, live, content, statusEventsTrusted: options.trusted ?? false }));
    return adapter;
  };
  /** A conversation that has just asked for a person; resolves with its case number. */
  const waiting = async (conversationId: string) => {
    const adapter = make(conversationId);
    let caseNumber = '';
    await adapter.send('agent').assertReply((a) => { caseNumber = /CS-\w{4}-\w{4}/.exec(a.text!)![0]; }).startTest();
    return { adapter, caseNumber };
  };
  return { stores, live, make, waiting, outcomes, events, handedBack, setNow: (t: number) => { now = t; } };
}

const status = (state: string, agentName?: string): Partial<Activity> => ({ type: 'event', name: 'handoff.status', value: { state, agentName } });
const agent = { username: 'sam', displayName: 'Sam Lee' };

describe('hand-off to a person: the bot\'s side', () => {
  it('queues the customer when someone is on duty, and answers with their place in their team\'s queue instead of the bot', async () => {
    const { stores, waiting, outcomes, events, setNow } = await rig();
    await agentOnDuty(stores, 'sam', T0);
    const first = await waiting('q-1');
    setNow(T0 + 1000);
    const second = await waiting('q-2');
    expect(outcomes).to.deep.equal([{ kind: 'queued', position: 1 }, { kind: 'queued', position: 2 }]);
    expect((await stores.handoffs.get(first.caseNumber))).to.include({ status: 'waiting', team: 'technical', channelId: 'webchat', conversationId: 'q-1', via: 'desk' });
    await first.adapter.send('hello?').assertReply((a) => {
      expect(a.text).to.equal(content.text('handoff.waiting_next', { caseNumber: first.caseNumber }));
      expect(a.suggestedActions!.actions.map((x) => x.title)).to.deep.equal([content.text('handoff.cancel_button')]);
    }).startTest();
    await second.adapter.send('anyone there').assertReply((a) => expect(a.text).to.match(/number 2 in the queue/)).startTest();
    expect(events.some((e) => e.kind === 'queue'), 'desk pages hear of the queue').to.equal(true);
  });

  it('says at once that nobody is on duty, queuing nothing', async () => {
    const { stores, waiting, outcomes } = await rig();
    // signed in but away, serving another team, or last seen too long ago: none of them counts
    await agentOnDuty(stores, 'away', T0);
    await stores.staff.update('away', { availability: 'away' }, new Date(T0).toISOString());
    await agentOnDuty(stores, 'biz', T0, ['business'] as never);
    await agentOnDuty(stores, 'gone', T0 - 5 * 60_000);
    const { adapter, caseNumber } = await waiting('nobody-1');
    expect(outcomes).to.deep.equal([{ kind: 'unavailable', reason: 'nobody', hours: undefined }]);
    expect(await stores.handoffs.get(caseNumber)).to.equal(undefined);
    await adapter.send('hello').assertReply('bot: hello').startTest();
  });

  it('keeps the bot silent while a person has the chat, sending every message to the agent\'s desk', async () => {
    const { stores, live, waiting, events } = await rig();
    await agentOnDuty(stores, 'sam', T0);
    const { adapter, caseNumber } = await waiting('live-1');
    await live.accept(caseNumber, agent);
    await adapter.send('my card is 4111 1111 1111 1111 and my email jane.doe@example.com').assertReply(content.text('privacy.warning')).startTest();
    await adapter.send('are you there?').startTest();
    expect(adapter.activeQueue, 'nothing from the bot').to.have.length(0);
    await new Promise((r) => setTimeout(r, 30));
    const messages = events.filter((e): e is Extract<DeskEvent, { kind: 'message' }> => e.kind === 'message');
    expect(messages.map((m) => [m.caseNumber, m.agent, m.message.from])).to.deep.equal([[caseNumber, 'sam', 'customer'], [caseNumber, 'sam', 'customer']]);
    expect(messages[0].message.text).to.match(/^my card is \[REDACTED:card\] and my email \S+\.com$/);
    expect(messages[0].message.text).to.not.match(/jane\.doe|4111/);
    expect(messages[1].message.text).to.equal('are you there?');
  });

  it('lets the customer leave the queue with "never mind" or the button: the hand-off ends, the case stays', async () => {
    const { stores, waiting } = await rig();
    await agentOnDuty(stores, 'sam', T0);
    for (const [conv, words] of [['c-1', 'never mind'], ['c-2', 'Cancel'], ['c-3', content.text('handoff.cancel_button')]] as const) {
      const { adapter, caseNumber } = await waiting(conv);
      await adapter.send(words).assertReply(content.text('handoff.cancelled', { caseNumber }))
        .send('billing').assertReply('bot: billing').startTest();
      expect(await stores.handoffs.get(caseNumber)).to.include({ status: 'ended', endReason: 'customer_left' });
      expect((await stores.cases.get(caseNumber))!.status).to.equal('open');
    }
    expect(await stores.handoffs.waiting()).to.deep.equal([]);
  });

  it('ends the hand-off when the customer leaves the conversation (endOfConversation, removed from it)', async () => {
    const { stores, live, waiting } = await rig();
    await agentOnDuty(stores, 'sam', T0);
    const a = await waiting('eoc-1');
    await a.adapter.send({ type: 'endOfConversation' } as Partial<Activity>).startTest();
    expect(await stores.handoffs.get(a.caseNumber)).to.include({ status: 'ended', endReason: 'customer_left' });
    const b = await waiting('removed-1');
    await live.accept(b.caseNumber, agent);
    await b.adapter.send({ type: 'conversationUpdate', membersRemoved: [{ id: 'user1' }], recipient: { id: 'bot' } } as Partial<Activity>).startTest();
    expect(await stores.handoffs.get(b.caseNumber)).to.include({ status: 'ended', endReason: 'customer_left' });
    expect((await stores.cases.get(b.caseNumber))!.notes.map((n) => n.text)).to.include(content.text('live.note.customer_left'));
  });

  it('gives the conversation back to the bot once the hand-off has ended elsewhere (the desk, a timeout)', async () => {
    const { stores, waiting } = await rig();
    await agentOnDuty(stores, 'sam', T0);
    const { adapter, caseNumber } = await waiting('ended-1');
    await stores.handoffs.change(caseNumber, { kind: 'end', reason: 'timed_out' }, new Date(T0).toISOString());
    await adapter.send('hello').assertReply('bot: hello').startTest();
  });

  it('ends a wait past the limit on the customer\'s next message and offers other ways, unless someone accepted first', async () => {
    const { stores, waiting, setNow, handedBack } = await rig({ waitLimitMs: 60_000 });
    await agentOnDuty(stores, 'sam', T0);
    const { adapter, caseNumber } = await waiting('limit-1');
    setNow(T0 + 61_000);
    await adapter.send('still waiting...').assertReply(content.text('live.timeout')).startTest();
    expect(await stores.handoffs.get(caseNumber)).to.include({ status: 'ended', endReason: 'timed_out' });
    expect(handedBack).to.deep.equal([{ conversationId: 'limit-1', dialogId: 'liveChatAlternativesDialog' }]);
  });

  it('ignores handoff.status from a channel that is not authenticated', async () => {
    const { stores, waiting } = await rig({ trusted: false });
    await agentOnDuty(stores, 'sam', T0);
    const { adapter, caseNumber } = await waiting('untrusted-1');
    await adapter.send(status('accepted')).startTest();
    expect((await stores.handoffs.get(caseNumber))!.status).to.equal('waiting');
    await adapter.send('hi').assertReply((a) => expect(a.text).to.match(/next in the queue/)).startTest();
  });

  it('follows a trusted contact centre: accepted (the bot falls silent), completed (the bot takes over), failed', async () => {
    const { stores, waiting, handedBack } = await rig({ trusted: true });
    await agentOnDuty(stores, 'sam', T0);
    const { adapter, caseNumber } = await waiting('trusted-1');
    await adapter.send(status('accepted', 'Dana Smith')).assertReply(content.text('live.joined', { name: 'Dana' })).startTest();
    expect((await stores.handoffs.get(caseNumber))!.agent).to.deep.equal({ username: 'connector', displayName: 'Dana Smith' });
    await adapter.send('hi Dana').startTest();
    expect(adapter.activeQueue).to.have.length(0);
    await adapter.send(status('completed')).assertReply((a) => expect(a.text).to.include(content.text('live.left', { name: 'Dana' }))).startTest();
    expect(handedBack.map((h) => h.dialogId)).to.deep.equal(['goodbyeDialog']);
    const other = await waiting('trusted-2');
    await other.adapter.send(status('failed')).assertReply(content.text('handoff.failed', { caseNumber: other.caseNumber }))
      .send('hello').assertReply('bot: hello').startTest();
    await other.adapter.send(status('bogus')).startTest();
  });

  it('builds handoff.initiate for a contact centre with the case and the redacted transcript', async () => {
    const { stores, make } = await rig();
    const adapter = make('shape-1');
    let event: Partial<Activity> | undefined;
    await adapter.send('hi there').assertReply('bot: hi there')
      .send('my pin is 1234 and my email is jane.doe@example.com').assertReply(content.text('privacy.warning')).assertReply((a) => expect(a.text).to.match(/^bot: /))
      .startTest();
    const probe = new TestAdapter(async (ctx) => {
      const record = await stores.cases.open({ intent: 'escalate', team: 'tech_support', summary: 'No signal since the update', stepsTried: ['tech.restart'], conversationReference: { channelId: 'webchat', conversation: { id: 'shape-1' }, user: { id: 'user1' } } as never });
      event = await handoffInitiationEvent(ctx, record, stores.transcripts);
      expect(parseCaseNumber((event.value as { caseNumber: string }).caseNumber).ok).to.equal(true);
    }, { channelId: 'webchat', conversation: { id: 'shape-1' } } as never);
    await probe.send('agent').startTest();
    expect(event!.type).to.equal('event');
    expect(event!.name).to.equal('handoff.initiate');
    expect(event!.value).to.deep.include({ team: 'tech_support', intent: 'escalate', summary: 'No signal since the update', stepsTried: ['tech.restart'] });
    const activities = (event!.attachments![0].content as { activities: Activity[] }).activities;
    const texts = activities.map((a) => `${a.from.role}: ${a.text}`);
    expect(texts[0]).to.equal('user: hi there');
    expect(texts).to.include('bot: bot: hi there');
    expect(JSON.stringify(activities)).to.not.match(/1234|jane\.doe/);
    expect(JSON.stringify(activities)).to.include('[REDACTED:pin]');
  });
});
