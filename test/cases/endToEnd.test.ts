import { expect } from 'chai';
import { openEmbeddedStores } from '../../src/storage/embedded/index.js';
import { say, tempDir, startServer, type TestServer } from '../support/server.js';
import { startProcess } from '../support/process.js';

import { escalate } from '../support/cases.js';

describe('cases end to end through /api/messages', function () {
  // real processes: start-up trains the classifier, which takes long on a loaded machine
  this.timeout(120_000);
  it('a number shown to a customer is on disk even when the process is killed right after (SIGKILL)', async () => {
    const dataDir = tempDir();
    const bot = await startProcess({ DATA_DIR: dataDir });
    let number: string;
    try {
      number = await escalate(bot.base, 'e2e-kill');
    } finally {
      bot.child.kill('SIGKILL');
      await bot.exited;
    }
    // the killed process's stores, opened again as the next start would
    const stores = await openEmbeddedStores(dataDir);
    try { expect(await stores.cases.get(number)).to.include({ number }); } finally { await stores.close(); }
  });

  describe('with many customers escalating at once', () => {
    let srv: TestServer;
    before(async () => { srv = await startServer(); });
    after(async () => { await srv.close(); });

    it('shows every customer a distinct number that exists, with its owner', async () => {
      const convs = Array.from({ length: 24 }, (_, i) => `par-esc-${i}`);
      const numbers = await Promise.all(convs.map((c) => escalate(srv.base, c)));
      expect(new Set(numbers).size).to.equal(numbers.length);
      for (const [i, n] of numbers.entries()) {
        const record = await srv.app.stores.cases.get(n);
        expect(record, n).to.exist;
        expect(record!.conversationId).to.equal(convs[i]);
        expect(record!.userId).to.equal(`user-${convs[i]}`);
      }
    });

    it('tells another customer the same as for a number that does not exist', async () => {
      const number = await escalate(srv.base, 'owner-1');
      const other = await say(srv.base, 'intruder-1', `status of ${number}`);
      // well formed (its check character is right) but never issued
      const missing = 'CS-0000-0000';
      expect(await srv.app.stores.cases.get(missing)).to.equal(undefined);
      const none = await say(srv.base, 'intruder-2', `status of ${missing}`);
      expect(other.texts).to.deep.equal(none.texts.map((t) => t.replace(missing, number)));
      expect(other.texts.join('\n')).to.not.match(/\bis (open|pending|resolved|closed)\b|last updated/i);
    });
  });
});
