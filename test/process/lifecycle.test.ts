import { expect } from 'chai';
import { openEmbeddedStores } from '../../src/storage/embedded/index.js';
import { conversationStateKey } from '../../src/storage/stateStore.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { activity, request, tempDir } from '../support/server.js';
import { startProcess } from '../support/process.js';

describe('service process lifecycle', () => {
  it('on SIGTERM finishes in-flight turns, flushes state and exits 0', async () => {
    const dataDir = tempDir();
    const bot = await startProcess({ DATA_DIR: dataDir });
    const pending = Array.from({ length: 20 }, (_, i) => request('POST', `${bot.base}/api/messages`, activity(`shutdown-${i}`, 'I forgot my password')));
    await new Promise((r) => setTimeout(r, 5));
    bot.child.kill('SIGTERM');
    const results = await Promise.allSettled(pending);
    const code = await bot.exited;
    expect(code, bot.log()).to.equal(0);
    // every request that reached the server got a whole answer, none was cut off
    const answered = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ status: number }>).value.status);
    for (const s of answered) expect(s).to.equal(200);
    expect(bot.log()).to.match(/"msg":"stopped"/);
    const stores = await openEmbeddedStores(dataDir);
    try {
      const keys = Array.from({ length: 20 }, (_, i) => conversationStateKey('emulator', `shutdown-${i}`));
      expect(Object.keys(await stores.state.read(keys)).length, 'every answered turn saved its state').to.equal(answered.length);
    } finally { await stores.close(); }
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
