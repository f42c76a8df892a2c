import { expect } from 'chai';
import { Chat, play, head, b, m, t, type Row } from './harness.js';

/** `[customer writes, the first reply must start like]`: each question the seeds answer gets its own answer when asked directly. */
const DIRECT: Array<[string, string]> = [
  ['my account is locked', head('recovery.locked.info')],
  ['the reset code never arrives', head('recovery.code_missing.tips')],
  ['I never created a username', head('answer.create_username.text')],
  ['will they ask me security questions?', head('answer.verify_identity.text')],
  ['how do I clear my cache and cookies', head('troubleshoot.from_question')],
  ['does a VPN stop me signing in', head('troubleshoot.from_question')],
  ['it says my phone is not compatible', head('troubleshoot.from_question')],
  ['what are your hours', head('answer.hours.text')],
  ['do you have a help center', head('answer.help_center.text')],
  ['can I DM you on Twitter', head('answer.social.text')],
  ['I want to cancel my service', head('answer.cancel_service.text')],
  ['I want to switch carriers and keep my number', head('answer.port_out.text')],
  ['can I upgrade my phone yet', head('answer.device_upgrade.text')],
  ['is hotspot included', head('answer.hotspot.text')],
  ['roaming charges in canada', head('answer.roaming.text')],
  ['is the network down', head('answer.outage.text')],
  ['my netflix account', head('answer.other_company.text')],
  ['can someone call me back', head('escalate.ask_callback_time')],
];

describe('specific requests asked directly', () => {
  for (const [says, first] of DIRECT) {
    it(`"${says}"`, async () => {
      await play(await Chat.open(), [[says, first]]);
    });
  }
});

describe('walks that start where the customer is', () => {
  it('cache and cookies: the website walk, the named step first, the rest after it', async () => {
    const chat = await Chat.open();
    await play(chat, [['how do I clear my cache and cookies', /Step 1 of 5: clear your browser's cache and cookies/], ['no', /Step 2 of 5: check your internet connection/]]);
    const progress = await chat.say('no');
    expect(progress.text).to.match(/Step 3 of 5: re-enter your username/);
  });

  it('VPN on an unknown path: the steps both paths share', async () => {
    await play(await Chat.open(), [['I use a vpn, is that the problem?', /Step 1 of 4: if you use a VPN/]]);
  });

  it('VPN in the app: the app walk', async () => {
    await play(await Chat.open(), [['vpn stops the app signing in', /Step 1 of 5: if you use a VPN/], ['no', /Step 2 of 5/]]);
  });
});

describe('every question has an end', () => {
  /** `[how the question is reached, an answer it cannot match]`. */
  const QUESTIONS: Array<[string, Row[]]> = [
    ['sign-in path', [["I can't log in", head('login.ask_path')]]],
    ['did the sign-in steps work', [["I can't log in", head('login.ask_path')], ['website', head('login.signin.website')]]],
    ['troubleshooting step', [["I can't log in on the website", head('login.signin.website')], ['no', /Step 1 of 5/]]],
    ['app device', [['app problems', head('app_install.ask_device')]]],
    ['recovery outcome', [['forgot my password', head('recovery.password.steps')]]],
    ['self-service outcome', [['billing', head('self_service.billing.info')]]],
    ['specialist route', [['business account help', head('specialist.business.info')]]],
    ['contact method', [['talk to a person', head('escalate.ask_method')]]],
    ['goodbye solved', [['bye', head('goodbye.ask_solved')]]],
    ['goodbye person', [['bye', head('goodbye.ask_solved')], ['no', head('goodbye.ask_person')]]],
  ];
  for (const [what, reach] of QUESTIONS) {
    it(`${what}: two answers it cannot match offer a person or the main menu, and the topic ends`, async () => {
      const chat = await Chat.open();
      await play(chat, [...reach, ['purple monkey', t('prompt.retry')]]);
      const stuck = await chat.say('dishwasher zebra');
      expect(stuck.text).to.include(t('prompt.stuck'));
      expect(stuck.buttons).to.include.members([m('escalate'), m('login_help')]);
      await play(chat, [[m('billing'), head('self_service.billing.info')]]);
    });
  }

  it('"neither" gives up at once', async () => {
    await play(await Chat.open(), [["I can't log in", head('login.ask_path')], ['neither', t('prompt.none_fit'), [m('escalate')]]]);
  });

  it('"no thanks" leaves a question without a "no" button', async () => {
    await play(await Chat.open(), [['app problems', head('app_install.ask_device')], ['no thanks', head('cancel.done')]]);
  });
});

describe('call-back time window', () => {
  it('an offered window is stored by its label, typed words as typed (redacted)', async () => {
    const chat = await Chat.open();
    await play(chat, [['I forgot my password', head('recovery.password.steps')], ['no', head('escalate.ask_method')],
      [b('callback'), head('escalate.ask_callback_time'), [b('callback_asap'), b('callback_evening')]]]);
    const done = await chat.say(b('callback_evening'));
    const record = (await chat.cases.get(/CS-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(done.text)![0]))!;
    expect(record).to.include({ contactMethod: 'callback', callbackWindow: b('callback_evening'), intent: 'password_reset' });
    expect(done.text).to.include(b('callback_evening').toLowerCase());
  });
});

describe('goodbye when the problem is not solved', () => {
  it('a person first, then the rating; the case stays with the conversation', async () => {
    const chat = await Chat.open();
    await play(chat, [['bye', head('goodbye.ask_solved')], ['no', head('goodbye.ask_person')], ['yes please', head('escalate.ask_method')],
      ['phone', head('escalate.ask_describe')], ['my data stopped working', head('goodbye.ask_rating')], ['2', head('goodbye.bye_case')]]);
    const [entry] = await chat.feedback.list();
    expect(entry).to.include({ solved: false, rating: 2 });
    expect((await chat.cases.list()).cases[0].summary).to.equal('my data stopped working');
  });

  it('live chat: no rating, the customer waits for a person', async () => {
    const chat = await Chat.open();
    await play(chat, [['bye', head('goodbye.ask_solved')], ['no', head('goodbye.ask_person')], ['a person', head('escalate.ask_method')],
      ['live chat', head('escalate.ask_describe')]]);
    const done = await chat.say('skip');
    expect(done.text).to.not.include(head('goodbye.ask_rating'));
    expect(chat.recordingHandoff.calls).to.have.length(1);
    expect((await chat.feedback.list())[0]).to.include({ solved: false }).and.not.have.property('rating');
  });
});
