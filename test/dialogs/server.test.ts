import { expect } from 'chai';
import { startServer, say, tempDir } from '../support/server.js';
import { head } from './harness.js';

const CASE = /\bCS-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b/;

describe('dialogs through the real server (restify + CloudAdapter + lowdb)', () => {
  it('a restarted server continues a conversation mid-dialog', async () => {
    const dir = tempDir();
    const first = await startServer({ DATA_DIR: dir });
    try {
      expect((await say(first.base, 'restart-1', "I can't log in")).texts.join('\n')).to.include(head('login.ask_path'));
      expect((await say(first.base, 'restart-1', 'website')).texts.join('\n')).to.include(head('login.signin.website'));
    } finally { await first.close(); }
    const second = await startServer({ DATA_DIR: dir });
    try {
      const r = await say(second.base, 'restart-1', 'no');
      expect(r.status).to.equal(200);
      expect(r.texts.join('\n')).to.include(head('login.troubleshoot_intro'));
    } finally { await second.close(); }
  });

  it('"I want to talk to a person", then the first button each turn, shows a case number within 6 turns', async () => {
    const srv = await startServer();
    try {
      let r = await say(srv.base, 'esc-1', 'I want to talk to a person');
      let all = r.texts.join('\n');
      for (let i = 0; i < 5 && !CASE.test(all); i++) {
        const first = r.messages.find((m) => m.suggestedActions?.actions?.length)?.suggestedActions.actions[0];
        r = await say(srv.base, 'esc-1', first?.value ?? 'live chat');
        all += '\n' + r.texts.join('\n');
      }
      const number = CASE.exec(all)?.[0];
      expect(number, all).to.be.a('string');
      const record = await srv.app.stores.cases.get(number!);
      expect(record).to.include({ contactMethod: 'live_chat', channelId: 'emulator', userId: 'user-esc-1' });
    } finally { await srv.close(); }
  });
});
