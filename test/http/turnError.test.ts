import { expect } from 'chai';
import { startServer, say, type TestServer } from '../support/server.js';
import { conversationStateKey } from '../../src/storage/stateStore.js';

describe('turn errors', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.close(); });

  it('apologise, clear the broken conversation state, and the next message works', async () => {
    await say(srv.base, 'err-1', 'hi');
    const storage = srv.app.stores.state;
    const keys = [conversationStateKey('emulator', 'err-1')];
    expect(Object.keys(await storage.read(keys)), 'the conversation has state').to.deep.equal(keys);
    // break the dialog state the way a bad deploy or a hand-edited file would
    await storage.write(Object.fromEntries(keys.map((k) => [k, { DialogState: { dialogStack: [{ id: 'no-such-dialog', state: {} }] }, eTag: '*' }])));
    const broken = await say(srv.base, 'err-1', 'help');
    expect(broken.status).to.equal(200);
    expect(broken.texts.join(' ')).to.match(/something went wrong/i);
    expect(await storage.read(keys), 'the broken state was cleared').to.deep.equal({});
    const next = await say(srv.base, 'err-1', 'what can you do');
    expect(next.texts.join(' ')).to.match(/here's what i can help with/i);
  });
});
