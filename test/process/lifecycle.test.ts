import { expect } from 'chai';
import { openEmbeddedStores } from '../../src/storage/embedded/index.js';
import { conversationStateKey } from '../../src/storage/stateStore.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { activity, request, startFakeConnector, tempDir } from '../support/server.js';
import { startProcess } from '../support/process.js';

describe('service process lifecycle', function () {
  // real processes: start-up trains the classifier, which takes long on a loaded machine
  this.timeout(120_000);
  it('on SIGTERM finishes in-flight turns, flushes state and exits 0', async () => {
    const dataDir = tempDir();
    // the connector holds every reply unanswered: each turn stays in flight, awaiting its send,
    // until the test releases it, well after SIGTERM
    const connector = await startFakeConnector({ hold: true });
    const bot = await startProcess({ DATA_DIR: dataDir });
    try {
      const ids = Array.from({ length: 5 }, (_, i) => `shutdown-${i}`);
      const pending = ids.map((id) => request('POST', `${bot.base}/api/messages`, activity(id, 'I forgot my password', { deliveryMode: undefined, serviceUrl: connector.url })));
      const replied = () => new Set(connector.posted.map((p) => p.conversation?.id));
      for (const t0 = Date.now(); replied().size < ids.length;) {
        if (Date.now() - t0 > 15_000) throw new Error(`only ${replied().size} of ${ids.length} turns are sending (typing, then the reply): ${JSON.stringify(connector.posted.map((p) => [p.type, p.conversation?.id]))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      bot.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      expect(bot.child.exitCode, 'still waiting for its turns').to.equal(null);
      connector.release();
      const results = await Promise.all(pending);
      const code = await bot.exited;
      expect(code, bot.log()).to.equal(0);
      // every turn got a whole answer, sent its reply, and its state is on disk
      expect(results.map((r) => r.status)).to.deep.equal(ids.map(() => 200));
      for (const id of ids) expect(connector.posted.filter((p) => p.type === 'message' && p.conversation?.id === id), `${id} answered`).to.have.length.greaterThan(0);
      expect(bot.log()).to.match(/"msg":"stopped"/);
      const stores = await openEmbeddedStores(dataDir);
      try {
        const saved = await stores.state.read(ids.map((id) => conversationStateKey('emulator', id)));
        for (const id of ids) expect(saved, `${id} saved`).to.have.property(conversationStateKey('emulator', id));
      } finally { await stores.close(); }
    } finally {
      connector.release();
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
      await connector.close();
    }
  });

  it('logs JSON lines with a request id and never the message text at info', async () => {
    const bot = await startProcess({ DATA_DIR: tempDir() });
    await request('POST', `${bot.base}/api/messages`, activity('log-1', 'my secret phrase is purple-elephant'));
    bot.child.kill('SIGTERM');
    await bot.exited;
    const lines = bot.log().trim().split('\n').map((l) => JSON.parse(l));
    const req = lines.find((l) => l.msg === 'request' && l.path === '/api/messages');
    expect(req.reqId).to.be.a('string');
    expect(req.status).to.equal(200);
    expect(bot.log()).to.not.include('purple-elephant');
  });

  it('refuses to start on a corrupt state file, naming it, and leaves it untouched', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'state.json'), 'not json');
    const r = spawnSync(process.execPath, ['--no-deprecation', '--import', 'tsx', 'src/index.ts'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir }, encoding: 'utf8', timeout: 30000,
    });
    expect(r.status).to.equal(1);
    expect(r.stdout + r.stderr).to.include(join(dataDir, 'state.json')).and.to.match(/not valid JSON/);
    expect(readFileSync(join(dataDir, 'state.json'), 'utf8')).to.equal('not json');
  });

  it('refuses to start with an invalid setting, naming the variable', () => {
    const r = spawnSync(process.execPath, ['--no-deprecation', '--import', 'tsx', 'src/index.ts'], {
      env: { ...process.env, PORT: 'eighty', DATA_DIR: tempDir() }, encoding: 'utf8', timeout: 30000,
    });
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.include('PORT');
  });
});
