import { expect } from 'chai';
import net from 'node:net';
import { startServer, request, activity, say, type TestServer } from '../support/server.js';

/**
 * A channel connector that cannot be reached (finding 14): it used to cost 10–16 s a turn (about
 * 5 s of retries per reply) and then wiped the conversation's dialog state.
 */
describe('replies to a channel connector that refuses them', () => {
  let srv: TestServer;
  let connector: net.Server;
  let attempts = 0;
  let port = 0;
  before(async () => {
    srv = await startServer();
    // accepts each connection and drops it at once, counting them
    connector = net.createServer((socket) => { attempts++; socket.destroy(); });
    await new Promise<void>((r) => connector.listen(0, '127.0.0.1', () => r()));
    port = (connector.address() as net.AddressInfo).port;
  });
  after(async () => { connector.close(); await srv.close(); });

  it('tries the connector once (no retry storm), answers the request, and keeps the conversation where it was', async () => {
    const first = await say(srv.base, 'conn-1', 'I forgot my username');
    expect(first.texts.join('\n'), 'the dialog asks something').to.not.equal('');
    const question = first.texts.at(-1);
    attempts = 0;
    const r = await request('POST', `${srv.base}/api/messages`, activity('conn-1', 'yes', { deliveryMode: undefined, serviceUrl: `http://127.0.0.1:${port}/` }));
    expect(r.status).to.equal(200);
    expect(attempts, 'one attempt for the whole turn: the first failed reply ends it').to.equal(1);
    // the dialog state is the one before the failed turn: the same answer continues the dialog
    const again = await say(srv.base, 'conn-1', 'yes');
    expect(again.texts.join('\n')).to.not.match(/something went wrong/i);
    expect(again.texts.at(-1), 'not asked again from the start').to.not.equal(first.texts[0]);
    expect(question).to.be.a('string');
  });
});

describe('replies to a channel connector that never answers', () => {
  let srv: TestServer;
  let connector: net.Server;
  const held: net.Socket[] = [];
  before(async () => {
    srv = await startServer({ CONNECTOR_TIMEOUT_MS: '300' });
    // accepts and reads, never answers
    connector = net.createServer((socket) => { held.push(socket); socket.on('data', () => undefined); });
    await new Promise<void>((r) => connector.listen(0, '127.0.0.1', () => r()));
  });
  after(async () => { for (const s of held) s.destroy(); connector.close(); await srv.close(); });

  it('gives up after CONNECTOR_TIMEOUT_MS instead of holding the turn, once per turn', async () => {
    const port = (connector.address() as net.AddressInfo).port;
    const r = await request('POST', `${srv.base}/api/messages`, activity('conn-hang', 'hello', { channelId: 'webchat', deliveryMode: undefined, serviceUrl: `http://127.0.0.1:${port}/` }));
    expect(r.status).to.equal(200);
    // the typing indicator (sent alongside, its failure ignored) and the first reply; no retries
    expect(held.length).to.be.within(1, 2);
  });
});
