import { expect } from 'chai';
import { Chat, play, head, b, t } from './harness.js';
import { APP_STEPS } from '../../dialogs/appInstallDialog.js';

const CASE = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/;
/** Step `i` (0-based), word for word as the dialog gives it: numbered "Step 2 of 5", naming the device's store. */
const stepText = (i: number, device: 'ios' | 'android') => t(`${APP_STEPS[i]}.text`, { n: i + 1, total: APP_STEPS.length, store: t(`app_install.store.${device}`) });

describe('app install dialog', () => {
  it('asks iPhone/iPad or Android, says where to get it, and ends when it works', async () => {
    const chat = await Chat.open();
    await play(chat, [["the app won't install", head('app_install.ask_device'), [b('ios'), b('android')]],
      ['android', head('app_install.get.android'), [b('yes'), b('no')]], ['yes', head('app_install.success')]]);
  });

  it('skips the question when the device is in the message', async () => {
    const chat = await Chat.open();
    const turn = await chat.say('how do I download the app on my iphone');
    expect(turn.text).to.include(head('app_install.get.ios')).and.not.include(head('app_install.ask_device'));
  });

  APP_STEPS.forEach((key, i) => {
    it(`troubleshooting step ${i + 1} (${key.split('.').pop()}) fixes it`, async () => {
      const chat = await Chat.open();
      await play(chat, [["app won't install", head('app_install.ask_device')], ['iPhone', head('app_install.get.ios')], ['no', stepText(0, 'ios')]]);
      for (let k = 1; k <= i; k++) await play(chat, [['no', stepText(k, 'ios')]]);
      await play(chat, [['yes', head('troubleshoot.fixed')]]);
    });
  });

  it('names the right store in the steps and escalates with every step tried', async () => {
    const chat = await Chat.open();
    await play(chat, [["app won't install", head('app_install.ask_device')], ['2', head('app_install.get.android')], ['no', stepText(0, 'android')]]);
    const seen: string[] = [];
    for (let k = 1; k < APP_STEPS.length; k++) seen.push((await play(chat, [['still stuck', stepText(k, 'android')]])).text);
    expect(seen.join('\n')).to.include(t('app_install.store.android')).and.not.include('{store}');
    await play(chat, [['no', head('troubleshoot.exhausted')]]);
    const done = await chat.say('Visit a store');
    const record = (await chat.cases.get(CASE.exec(done.text)![0]))!;
    expect(record).to.include({ intent: 'app_install', contactMethod: 'store' });
    expect(record.stepsTried).to.deep.equal(APP_STEPS.map((k) => t(`${k}.label`)));
  });

  it('interruption (help), cancel, and resume after a restart', async () => {
    const chat = await Chat.open();
    await play(chat, [["app won't install", head('app_install.ask_device')], ['what can I say here?', head('help.in_dialog')], ['android', head('app_install.get.android')]]);
    await chat.restart();
    await play(chat, [['no', stepText(0, 'android')], ['forget it', head('cancel.done')]]);
  });
});
