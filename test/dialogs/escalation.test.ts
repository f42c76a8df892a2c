import { expect } from 'chai';
import { Content } from '../../src/content/content.js';
import { tempStores } from '../support/stores.js';
import type { OpenCaseInput } from '../../src/cases/types.js';
import type { CaseStore } from '../../src/storage/caseStore.js';
import { CONTACT_METHODS } from '../../dialogs/escalationDialog.js';
import { Chat, play, head, b, t, config, content, RecordingHandoff, type Row } from './harness.js';

const CASE = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/;
const METHODS = CONTACT_METHODS.map((id) => b(id));

describe('escalation dialog', () => {
  it('asks how, asks for a line when there is no topic, opens the case before showing its number, and hands over', async () => {
    const cases = (await tempStores()).cases;
    const chat = await Chat.open({ cases, handoff: new RecordingHandoff(cases) });
    await play(chat, [['I want to talk to a person', head('escalate.ask_method'), METHODS],
      [METHODS[0], head('escalate.ask_describe'), [b('skip')]]]);
    const done = await chat.say('my bill doubled this month');
    const number = CASE.exec(done.text)![0];
    const record = (await cases.get(number))!;
    expect(record).to.include({ intent: 'escalate', contactMethod: 'live_chat', summary: 'my bill doubled this month', channelId: 'webchat', userId: 'user-1', conversationId: 'conv-1' });
    expect(record.stepsTried).to.deep.equal([]);
    expect(chat.recordingHandoff.calls.map((c) => c.record.number)).to.deep.equal([number]);
    expect(chat.recordingHandoff.calls[0].storedFirst).to.equal(true);
  });

  it('shows the case number only after the store has it (ordering of store and send)', async () => {
    const events: string[] = [];
    const real = (await tempStores()).cases;
    // the real store, with the moment its open() resolves noted
    const cases: CaseStore = Object.assign(Object.create(real), {
      open: async (input: OpenCaseInput) => { const r = await real.open(input); events.push(`stored ${r.number}`); return r; },
    });
    const chat = await Chat.open({ cases });
    const origPush = chat.log.push.bind(chat.log);
    chat.log.push = (...items: string[]) => { events.push(...items); return origPush(...items); };
    await chat.say('talk to a person');
    await chat.say('phone');
    const done = await chat.say('skip');
    const number = CASE.exec(done.text)![0];
    const storedAt = events.indexOf(`stored ${number}`);
    const shownAt = events.findIndex((e) => e.startsWith('send:') && e.includes(number));
    expect(storedAt).to.be.within(0, shownAt - 1);
  });

  for (const method of CONTACT_METHODS) {
    it(`${method}: opens a case with that contact method and explains what happens next`, async () => {
      const chat = await Chat.open();
      await play(chat, [['can I speak to a human', head('escalate.ask_method')],
        ...(method === 'callback' ? [[b(method), head('escalate.ask_callback_time')] as Row, [b('callback_asap'), head('escalate.ask_describe')] as Row] : [[b(method), head('escalate.ask_describe')] as Row])]);
      const done = await chat.say(b('skip'));
      const number = CASE.exec(done.text)![0];
      const record = (await chat.cases.get(number))!;
      expect(record.contactMethod).to.equal(method);
      expect(record.summary).to.equal(t('case_summary.escalate'));
      if (method !== 'live_chat') expect(done.text).to.include(head('escalate.have_ready'));
      expect(chat.recordingHandoff.calls).to.have.length(method === 'live_chat' ? 1 : 0);
      // nothing invented: with no contact details configured, the bot says where to find them
      expect(done.text).to.not.match(/\b\d{3}[-. ]\d{3}[-. ]\d{4}\b|https?:\/\/|@\w+\.\w+/);
      if (method === 'social') expect(done.text).to.include(head('escalate.method.social_warning'));
    });
  }

  it('uses the phone number, hours and email from the brand file when they are set', async () => {
    const brand = { ...content.brand, phone: '1-800-555-0100', phoneHours: '8am to 10pm', email: 'care@example.com', social: { twitter: '@ExampleHelp' } };
    const withBrand = Content.load(config.contentDir);
    Object.assign(withBrand, { brand });
    const chat = await Chat.open({ content: withBrand });
    await chat.say('talk to a person');
    await chat.say('phone');
    const phone = await chat.say('skip');
    expect(phone.text).to.include('1-800-555-0100').and.include('8am to 10pm');
    await chat.say('talk to a person');
    await chat.say('email');
    expect((await chat.say('skip')).text).to.include('care@example.com');
    await chat.say('talk to a person');
    await chat.say('social media');
    expect((await chat.say('skip')).text).to.include('@ExampleHelp').and.include(head('escalate.method.social_warning'));
  });

  it('apologises with the case number when the live hand-off fails', async () => {
    const cases = (await tempStores()).cases;
    const handoff = new RecordingHandoff(cases);
    handoff.fail = true;
    const chat = await Chat.open({ cases, handoff });
    await play(chat, [['talk to a person', head('escalate.ask_method')], ['live chat', head('escalate.ask_describe')]]);
    const done = await chat.say('skip');
    const number = CASE.exec(done.text)![0];
    expect(done.text).to.include(t('escalate.handoff_failed', { number }));
    expect(chat.errors.map((e) => e.what)).to.deep.equal(['hand-off']);
    expect(await chat.cases.get(number)).to.exist;
  });

  it('help and cancel interrupt the description; frustration in it is just a description', async () => {
    const chat = await Chat.open();
    await play(chat, [['talk to a person', head('escalate.ask_method')], ['phone', head('escalate.ask_describe')], ['help', head('help.in_dialog')]]);
    const done = await chat.say('this app is useless, it crashes when I open billing');
    const record = (await chat.cases.get(CASE.exec(done.text)![0]))!;
    expect(record.summary).to.equal('this app is useless, it crashes when I open billing');
    const other = await Chat.open();
    await play(other, [['talk to a person', head('escalate.ask_method')], ['never mind', head('cancel.done')]]);
  });

  it('resumes after a restart between choosing and describing', async () => {
    const chat = await Chat.open();
    await play(chat, [['talk to a person', head('escalate.ask_method')], ['email', head('escalate.ask_describe')]]);
    await chat.restart();
    const done = await chat.say('skip');
    expect((await chat.cases.get(CASE.exec(done.text)![0]))!.contactMethod).to.equal('email');
  });
});
