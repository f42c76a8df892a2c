import { expect } from 'chai';
import { Chat, play, head, b } from './harness.js';

const CASE = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/;

for (const [kind, opener, intent] of [['username', 'I forgot my username', 'forgot_username'], ['password', 'I forgot my password', 'password_reset']] as const) {
  describe(`${intent} dialog`, () => {
    const steps = head(`recovery.${kind}.steps`);
    const options = [b('yes'), b('code_missing'), b('locked'), b('no')];

    it('happy path: the recovery steps, then done', async () => {
      const chat = await Chat.open();
      const turn = await play(chat, [[opener, steps, options]]);
      expect(turn.text).to.match(/never ask you for/i);
      await play(chat, [['yes', head(`recovery.${kind}.success`)]]);
    });

    it('code never arrives: tips; it arrives after all', async () => {
      const chat = await Chat.open();
      await play(chat, [[opener, steps], ['the code never came', head('recovery.code_missing.tips'), [b('yes'), b('no')]], ['yes', head(`recovery.${kind}.success`)]]);
    });

    it('code never arrives: still nothing → a person, with what was tried', async () => {
      const chat = await Chat.open();
      await play(chat, [[opener, steps], [b('code_missing'), head('recovery.code_missing.tips')], ['no', head('escalate.ask_method')]]);
      const done = await chat.say('email');
      const record = (await chat.cases.get(CASE.exec(done.text)![0]))!;
      expect(record).to.include({ intent, contactMethod: 'email' });
      expect(record.stepsTried).to.deep.equal([head('recovery.code_missing.label')]);
      expect(done.text).to.include(head('escalate.method.email_find'));
    });

    it('locked out: the lock-out advice; a person, or try later', async () => {
      const chat = await Chat.open();
      await play(chat, [[opener, steps], ['my account is locked', head('recovery.locked.info'), [b('yes'), b('no')]], ['no', head('recovery.locked.later')]]);
      const other = await Chat.open();
      await play(other, [[opener, steps], ['3', head('recovery.locked.info')], ['yes', head('escalate.ask_method')]]);
    });

    it('did not work → a person', async () => {
      const chat = await Chat.open();
      await play(chat, [[opener, steps], ['no', head('recovery.not_worked')]]);
      const done = await chat.say('live chat');
      expect(done.text).to.match(CASE);
    });

    it('cancel, help, and resume after a restart', async () => {
      const chat = await Chat.open();
      await play(chat, [[opener, steps], ['help', head('help.in_dialog'), options]]);
      await chat.restart();
      await play(chat, [['yes', head(`recovery.${kind}.success`)]]);
      await play(chat, [[opener, steps], ['cancel', head('cancel.done')]]);
    });
  });
}
