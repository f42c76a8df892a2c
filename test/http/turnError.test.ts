import { expect } from 'chai';
import { startServer, say, type TestServer } from '../support/server.js';

describe('turn errors', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.close(); });

  it('apologise, clear the broken conversation state, and the next message works', async () => {
    await say(srv.base, 'err-1', 'hi');
    const storage = srv.app.storage;
    const keys = Object.keys((storage as any).db.data.items).filter((k) => k.includes('err-1'));
    expect(keys.length).to.be.greaterThan(0);
    // break the dialog state the way a bad deploy or a hand-edited file would
    await storage.write(Object.fromEntries(keys.map((k) => [k, { DialogState: { dialogStack: [{ id: 'no-such-dialog', state: {} }] }, eTag: '*' }])));
    const broken = await say(srv.base, 'err-1', 'help');
    expect(broken.status).to.equal(200);
    expect(broken.texts.join(' ')).to.match(/something went wrong/i);
    const next = await say(srv.base, 'err-1', 'what can you do');
    expect(next.texts.join(' ')).to.match(/here's what i can help with/i);
  });
});
