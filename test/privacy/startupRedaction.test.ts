import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOO_DEEP } from '../../src/privacy/redact.js';
import { request, startServer, tempDir } from '../support/server.js';

// Issue 14, finding 1: a web-chat message whose channelData was nested ~4,000 levels was stored,
// and the next start-up died redacting it ("Maximum call stack size exceeded") until someone
// edited directline.json by hand.
describe('start-up over a stored message nested 4,000 levels deep', () => {
  it('starts, serves, and stores the message redacted with the over-deep part cut', async () => {
    let channelData: unknown = { note: 'card 4111 1111 1111 1111' };
    for (let i = 0; i < 4000; i++) channelData = { a: channelData };
    const dataDir = tempDir();
    const file = join(dataDir, 'directline.json');
    const message = { type: 'message', id: '0', text: 'my pin is 1234', from: { id: 'dl_u1', role: 'user' }, channelData };
    writeFileSync(file, JSON.stringify({
      conversations: { c1: { id: 'c1', userId: 'dl_u1', createdAt: new Date().toISOString(), lastActive: Date.now(), next: 1, activities: [message] } },
    }));

    const srv = await startServer({ DATA_DIR: dataDir });
    try {
      expect((await request('GET', `${srv.base}/healthz`)).status).to.equal(200);
      await srv.app.directLine.flush();
      const stored = JSON.parse(readFileSync(file, 'utf8')).conversations.c1.activities[0];
      expect(stored.text).to.equal('my pin is [REDACTED:pin]');
      let v = stored.channelData, depth = 0;
      while (v && typeof v === 'object') { v = v.a; depth++; }
      expect(v).to.equal(TOO_DEEP);
      expect(depth).to.be.lessThan(64);
      expect(JSON.stringify(stored)).to.not.include('4111');
    } finally {
      await srv.close();
    }
  });
});
