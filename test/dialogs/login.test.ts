import { expect } from 'chai';
import { Chat, play, head, b, m, t, content } from './harness.js';
import { LOGIN_STEPS } from '../../dialogs/loginDialog.js';

/**
 * Step `i` (0-based) of a walk, word for word as the troubleshooting dialog numbers it
 * ("Step 2 of 5: re-enter your username…"): the wording is content, the step and its place are
 * what the dialog decides.
 */
const stepText = (steps: string[], i: number) => t(`${steps[i]}.text`, { n: i + 1, total: steps.length });
const stepLabel = (key: string) => t(`${key}.label`);

describe('login help dialog', () => {
  it('asks website or app, gives the steps, and ends when they worked', async () => {
    const chat = await Chat.open();
    await play(chat, [
      ["I can't log in", head('login.ask_path'), [b('website'), b('app')]],
      ['the website', head('login.signin.website'), [b('yes'), b('no'), b('forgot_username'), b('password_reset')]],
      ['yes', head('login.success')],
    ]);
  });

  it('skips the question when the message names the platform (entity) and reads typed numbers', async () => {
    const chat = await Chat.open({ channelId: 'slack' });
    const turn = await chat.say("can't sign in on my iphone");
    expect(turn.text).to.include(head('login.signin.app')).and.not.include(head('login.ask_path'));
    await play(chat, [['1', head('login.success')]]);
    const web = await Chat.open();
    expect((await web.say('cant log in on the website')).text).to.include(head('login.signin.website'));
  });

  for (const path of ['website', 'app'] as const) {
    const steps = LOGIN_STEPS[path];
    steps.forEach((key, i) => {
      it(`${path}: troubleshooting step ${i + 1} (${key.split('.').pop()}) fixes it`, async () => {
        const chat = await Chat.open();
        await play(chat, [["I can't log in", head('login.ask_path')], [b(path), head(`login.signin.${path}`)], ['no', stepText(steps, 0)]]);
        for (let k = 1; k <= i; k++) await play(chat, [['no, still stuck', stepText(steps, k)]]);
        await play(chat, [['yes that fixed it', head('troubleshoot.fixed')]]);
        const after = await chat.say('hello');
        expect(after.text).to.not.include(head('troubleshoot.ask_fixed'));
      });
    });

    it(`${path}: every step failed → escalation with the steps tried, case stored before its number is shown`, async () => {
      const chat = await Chat.open();
      await play(chat, [["I can't log in", head('login.ask_path')], [b(path), head(`login.signin.${path}`)], ['no', stepText(steps, 0)]]);
      for (let k = 1; k < steps.length; k++) await play(chat, [['nope', stepText(steps, k)]]);
      await play(chat, [['still not working', head('troubleshoot.exhausted'), [b('live_chat'), b('callback'), b('phone'), b('text'), b('social'), b('store'), b('email')]]]);
      const done = await chat.say(b('live_chat'));
      const number = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(done.text)?.[0];
      expect(number, done.text).to.be.a('string');
      const record = (await chat.cases.get(number!))!;
      expect(record).to.include({ intent: 'login_help', contactMethod: 'live_chat', channelId: 'webchat', userId: 'user-1' });
      expect(record.stepsTried).to.deep.equal(steps.map(stepLabel));
      expect(record.summary).to.include(t(`platform.${path}`));
      expect(chat.recordingHandoff.calls).to.have.length(1);
      expect(chat.recordingHandoff.calls[0].storedFirst).to.equal(true);
      expect(chat.recordingHandoff.calls[0].record.number).to.equal(number);
    });
  }

  it('offers username and password recovery when the credentials are in doubt', async () => {
    const chat = await Chat.open();
    await play(chat, [["I can't log in", head('login.ask_path')], ['app', head('login.signin.app')], ['no', stepText(LOGIN_STEPS.app, 0)],
      ['no', stepText(LOGIN_STEPS.app, 1), [b('forgot_username'), b('password_reset')]],
      [b('password_reset'), head('recovery.password.steps')]]);
    const other = await Chat.open();
    await play(other, [["I can't log in", head('login.ask_path')], ['website', head('login.signin.website')], ['I forgot my username', head('recovery.username.steps')]]);
  });

  it('answers help mid-dialog and asks the same question again', async () => {
    const chat = await Chat.open();
    await play(chat, [["I can't log in", head('login.ask_path')], ['help', head('help.in_dialog'), [b('website'), b('app')]], ['app', head('login.signin.app')]]);
  });

  it('cancels with "never mind" and starts over with "start over"', async () => {
    const chat = await Chat.open();
    await play(chat, [["I can't log in", head('login.ask_path')], ['never mind', head('cancel.done'), [m('login_help'), m('escalate')]]]);
    const next = await chat.say('website');
    expect(next.text).to.not.include(head('login.signin.website'));
    const again = await Chat.open();
    await play(again, [["I can't log in", head('login.ask_path')], ['website', head('login.signin.website')], ['start over', head('cancel.done')]]);
  });

  it('"talk to a person" mid-troubleshooting escalates and passes the steps already tried', async () => {
    const chat = await Chat.open();
    await play(chat, [["I can't log in", head('login.ask_path')], ['website', head('login.signin.website')], ['no', stepText(LOGIN_STEPS.website, 0)],
      ['no', stepText(LOGIN_STEPS.website, 1)], ['I want to talk to a person', head('escalate.ask_method')],
      ['call me back', head('escalate.ask_callback_time')]]);
    const done = await chat.say('in the afternoon');
    const number = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(done.text)![0];
    const record = (await chat.cases.get(number))!;
    expect(record).to.include({ intent: 'login_help', contactMethod: 'callback', callbackWindow: b('callback_afternoon') });
    expect(record.stepsTried).to.deep.equal([stepLabel(LOGIN_STEPS.website[0])]);
  });

  it('switches topic on a clearly different request', async () => {
    const chat = await Chat.open();
    await play(chat, [["I can't log in", head('login.ask_path')], ['website', head('login.signin.website')],
      ['actually how much data have I used this month', head('self_service.data_usage.info')]]);
  });

  it('offers a person when the customer is frustrated, in words they can type back; "keep going" goes back to the question', async () => {
    const chat = await Chat.open();
    await play(chat, [["I can't log in", head('login.ask_path')], ['website', head('login.signin.website')], ['no', stepText(LOGIN_STEPS.website, 0)],
      ["I've tried that already, this is useless", head('offer_human.ask'), [b('yes_person'), b('keep_going')]],
      ['keep going', head('offer_human.keep_going')]]);
    const again = await chat.say('no');
    expect(again.text).to.include(stepText(LOGIN_STEPS.website, 1));
    await play(chat, [['wtf', head('offer_human.ask')], ['yes', head('escalate.ask_method')]]);
    const done = await chat.say('phone');
    const number = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(done.text)![0];
    expect((await chat.cases.get(number))!.stepsTried).to.deep.equal([stepLabel(LOGIN_STEPS.website[0])]);
  });

  it('resumes mid-troubleshooting after a restart (state read back from lowdb)', async () => {
    const chat = await Chat.open();
    await play(chat, [["I can't log in", head('login.ask_path')], ['website', head('login.signin.website')], ['no', stepText(LOGIN_STEPS.website, 0)]]);
    await chat.restart();
    await play(chat, [['no', stepText(LOGIN_STEPS.website, 1)], ['fixed', head('troubleshoot.fixed')]]);
    expect(content.has('login.steps.cache.text')).to.equal(true);
  });
});
