import { expect } from 'chai';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { request, tempDir } from '../support/server.js';
import { startProcess } from '../support/process.js';
import { CASE } from '../support/cases.js';
import { openEmbeddedStores } from '../../src/storage/embedded/index.js';

/**
 * Finding 13: Direct Line history used to be written on a 50 ms timer, so a `kill -9` lost the
 * last lines a customer had already been shown over the WebSocket (a case number among them).
 */
describe('Direct Line history is on disk before the customer sees it', () => {
  it('a case number shown over the WebSocket is in the history after kill -9 right after', async () => {
    const dataDir = join(tempDir(), 'data');
    const bot = await startProcess({ DATA_DIR: dataDir });
    let shown: string | undefined;
    let conversationId = '';
    try {
      const t = (await request('POST', `${bot.base}/api/directline/token`, {})).json;
      conversationId = t.conversationId;
      const auth = { authorization: `Bearer ${t.token}` };
      const start = await request('POST', `${bot.base}/v3/directline/conversations`, {}, auth);
      const ws = new WebSocket(start.json.streamUrl);
      const frames: Array<{ activities: Array<{ text?: string; from: { role: string }; suggestedActions?: { actions: Array<{ value: unknown }> } }> }> = [];
      const killed = new Promise<void>((resolve) => {
        ws.on('message', (m) => {
          const frame = JSON.parse(String(m));
          frames.push(frame);
          const hit = JSON.stringify(frame).match(CASE);
          // the moment the number reaches the customer, the process dies
          if (hit && !shown) { shown = hit[0]; bot.child.kill('SIGKILL'); resolve(); }
        });
      });
      await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
      const url = `${bot.base}/v3/directline/conversations/${conversationId}/activities`;
      let say = 'I want to talk to a person';
      for (let i = 0; i < 6 && !shown; i++) {
        const seen = frames.length;
        await request('POST', url, { type: 'message', text: say }, auth).catch(() => undefined);
        for (let w = 0; w < 100 && frames.length === seen && !shown; w++) await new Promise((r) => setTimeout(r, 30));
        const offer = frames.flatMap((f) => f.activities).filter((a) => a.from.role === 'bot' && a.suggestedActions?.actions?.length).at(-1);
        const v = offer?.suggestedActions?.actions[0].value;
        say = typeof v === 'string' ? v : 'phone';
      }
      await Promise.race([killed, new Promise((r) => setTimeout(r, 5000))]);
      ws.terminate();
    } finally {
      if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
      await bot.exited;
    }
    expect(shown, 'a case number was shown over the socket').to.match(CASE);
    const stores = await openEmbeddedStores(dataDir);
    try {
      const history = await stores.directLine.since(conversationId, 0);
      expect(JSON.stringify(history.activities)).to.include(shown!);
    } finally { await stores.close(); }
  });
});
