import { expect } from 'chai';
import { join } from 'node:path';
import { ConversationState, MemoryStorage, TestAdapter, TranscriptLoggerMiddleware, type Activity, type TurnContext } from 'botbuilder';
import { Content } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';
import { MemoryCaseStore } from '../../src/cases/memoryCaseStore.js';
import { LowdbTranscriptStore } from '../../src/transcripts/lowdbTranscriptStore.js';
import { BotFrameworkHandoff } from '../../src/handoff/botFrameworkHandoff.js';
import { HandoffMiddleware } from '../../src/handoff/handoffMiddleware.js';
import { HandoffQueue } from '../../src/handoff/handoffState.js';
import { SensitiveDataMiddleware } from '../../src/privacy/sensitiveDataMiddleware.js';
import { parseCaseNumber } from '../../src/cases/caseNumber.js';
import { tempDir } from '../support/server.js';
import { transcriptLogger } from '../../src/transcripts/transcripts.js';

const content = Content.load(loadConfig({}).contentDir);

/**
 * A bot whose "agent" message opens a case and hands off (what the escalation dialog does),
 * with the production middleware order; everything else is echoed.
 */
async function rig(queue = new HandoffQueue(), options: { now?: () => Date } = {}) {
  const conversationState = new ConversationState(new MemoryStorage());
  const transcripts = await LowdbTranscriptStore.open(join(tempDir(), 'transcripts.json'));
  const cases = new MemoryCaseStore();
  const handoff = new BotFrameworkHandoff({ conversationState, transcripts, queue, now: options.now });
  const logic = async (ctx: TurnContext) => {
    if (ctx.activity.type !== 'message') return;
    if (ctx.activity.text === 'agent') {
      const record = await cases.open({ intent: 'escalate', team: 'tech_support', summary: 'No signal since the update', stepsTried: ['tech.restart'], conversationReference: { ...ctx.activity, user: ctx.activity.from, conversation: ctx.activity.conversation, channelId: ctx.activity.channelId } as never });
      await ctx.sendActivity(`Your case number is ${record.number}.`);
      await handoff.initiate(ctx, record);
    } else {
      await ctx.sendActivity(`bot: ${ctx.activity.text}`);
    }
    await conversationState.saveChanges(ctx);
  };
  const make = (conversationId: string) => {
    const adapter = new TestAdapter(logic, { channelId: 'webchat', conversation: { id: conversationId } } as never);
    adapter.use(new TranscriptLoggerMiddleware(transcriptLogger(transcripts)));
    adapter.use(new SensitiveDataMiddleware(content));
    adapter.use(new HandoffMiddleware({ conversationState, queue, content, now: options.now }));
    return adapter;
  };
  return { make, cases, transcripts, queue, conversationState };
}

/** An inspector: the reply's text matches `re`. */
const matches = (re: RegExp) => (a: Partial<Activity>) => { expect(a.text).to.match(re); };

/** An inspector: the `handoff.initiate` event for the case number `caseNumber()` (read when the event arrives). */
const initiated = (caseNumber: () => string) => (a: Partial<Activity>) => {
  expect(a.type).to.equal('event');
  expect(a.name).to.equal('handoff.initiate');
  expect((a.value as { caseNumber: string }).caseNumber).to.equal(caseNumber()).and.match(/^CS-/);
};

const status = (state: string): Partial<Activity> => ({ type: 'event', name: 'handoff.status', value: { state } });

describe('hand-off to a person', () => {
  it('sends handoff.initiate with case number, team, summary and the redacted transcript', async () => {
    const { make } = await rig();
    const adapter = make('shape-1');
    const sent: Partial<Activity>[] = [];
    await adapter.send('hi there').assertReply('bot: hi there')
      .send('my pin is 1234 and my email is jane.doe@example.com').assertReply(content.text('privacy.warning')).assertReply(matches(/^bot: /))
      .send('agent').assertReply((a) => { sent.push(a); }).assertReply((a) => { sent.push(a); })
      .startTest();
    const [shown, event] = sent;
    const caseNumber = /CS-\w{4}-\w{4}/.exec(shown.text!)![0];
    expect(parseCaseNumber(caseNumber).ok).to.equal(true);
    expect(event.type).to.equal('event');
    expect(event.name).to.equal('handoff.initiate');
    expect(event.value).to.deep.equal({ caseNumber, team: 'tech_support', intent: 'escalate', summary: 'No signal since the update', stepsTried: ['tech.restart'], contactMethod: undefined });
    expect(event.conversation!.id).to.equal('shape-1');
    expect(event.channelId).to.equal('webchat');
    expect(event.relatesTo!.user!.id, 'the customer').to.equal('user1');
    expect(event.relatesTo!.conversation.id).to.equal('shape-1');
    expect(event.attachments).to.have.length(1);
    const [att] = event.attachments!;
    expect(att).to.include({ contentType: 'application/json', name: 'Transcript' });
    const activities = (att.content as { activities: Activity[] }).activities;
    const texts = activities.map((a) => `${a.from.role}: ${a.text}`);
    expect(texts[0]).to.equal('user: hi there');
    expect(texts).to.include('bot: bot: hi there');
    expect(texts.at(-1)).to.equal('user: agent');
    const all = JSON.stringify(activities);
    expect(all).to.not.match(/1234|jane\.doe/);
    expect(all).to.include('[REDACTED:pin]');
  });

  it('answers a waiting customer with their place in the queue instead of the bot, until a person accepts', async () => {
    const queue = new HandoffQueue();
    const { make } = await rig(queue);
    const first = make('q-1'), second = make('q-2');
    let caseNumber = '';
    await first.send('agent').assertReply((a) => { caseNumber = /CS-\w{4}-\w{4}/.exec(a.text!)![0]; }).assertReply((a) => expect(a.name).to.equal('handoff.initiate')).startTest();
    await second.send('agent').assertReply(matches(/CS-/)).assertReply((a) => expect(a.name).to.equal('handoff.initiate')).startTest();
    expect(queue.size).to.equal(2);
    await first.send('hello?').assertReply((a) => {
      expect(a.text).to.equal(content.text('handoff.waiting_next', { caseNumber }));
      expect(caseNumber).to.match(/^CS-/);
      expect(a.suggestedActions!.actions.map((x) => x.title)).to.deep.equal([content.text('handoff.cancel_button')]);
    }).startTest();
    await second.send('anyone there').assertReply((a) => expect(a.text).to.match(/number 2 in the queue/)).startTest();
    // a person accepts the first chat: the bot says nothing to it, and the second moves up
    await first.send(status('accepted')).send('hi agent').startTest();
    expect(first.activeQueue).to.have.length(0);
    await second.send('still there?').assertReply((a) => expect(a.text).to.match(/next in the queue/)).startTest();
    // the person finishes: the bot is back
    await first.send(status('completed')).assertReply(content.text('handoff.completed', { caseNumber })).send('thanks').assertReply('bot: thanks').startTest();
  });

  it('lets the customer leave the queue with "never mind" or the button, keeping the case', async () => {
    const { make, queue, cases } = await rig();
    for (const [conv, words] of [['c-1', 'never mind'], ['c-2', 'Cancel'], ['c-3', content.text('handoff.cancel_button')]] as const) {
      const adapter = make(conv);
      let caseNumber = '';
      await adapter.send('agent').assertReply((a) => { caseNumber = /CS-\w{4}-\w{4}/.exec(a.text!)![0]; }).assertReply(initiated(() => caseNumber)).startTest();
      expect(queue.size, 'queued').to.equal(1);
      await adapter.send(words).assertReply((a) => expect(a.text).to.equal(content.text('handoff.cancelled', { caseNumber })))
        .send('billing').assertReply('bot: billing')
        .startTest();
      expect(queue.size, 'left the queue').to.equal(0);
      expect((await cases.get(caseNumber))?.status, 'the case stays open').to.equal('open');
    }
    expect(queue.size).to.equal(0);
  });

  it('gives the chat back to the bot when the hand-off fails, with the case number', async () => {
    const { make } = await rig();
    const adapter = make('fail-1');
    let caseNumber = '';
    await adapter.send('agent').assertReply((a) => { caseNumber = /CS-\w{4}-\w{4}/.exec(a.text!)![0]; }).assertReply(initiated(() => caseNumber)).startTest();
    await adapter.send(status('failed')).assertReply(content.text('handoff.failed', { caseNumber }))
      .send('hello').assertReply('bot: hello').startTest();
  });

  it('ignores a status event for a conversation that is not waiting, and never wedges after a lost one', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const { make } = await rig(new HandoffQueue(), { now: () => now });
    const idle = make('idle-1');
    await idle.send(status('accepted')).send('hello').assertReply('bot: hello').startTest();
    const lost = make('lost-1');
    let caseNumber = '';
    await lost.send('agent').assertReply((a) => { caseNumber = /CS-\w{4}-\w{4}/.exec(a.text!)![0]; }).assertReply(initiated(() => caseNumber))
      .send('hi').assertReply((a) => expect(a.text).to.equal(content.text('handoff.waiting_next', { caseNumber }))).startTest();
    now = new Date('2026-01-02T01:00:00Z');
    await lost.send('hello again').assertReply('bot: hello again').startTest();
  });
});
