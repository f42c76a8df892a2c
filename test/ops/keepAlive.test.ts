import { expect } from 'chai';
import http from 'node:http';
import { startServer, type TestServer } from '../support/server.js';

/**
 * Idle keep-alive connections: the server keeps them longer than Node's default 5 s (and than a
 * load balancer's usual 60 s), so a client or balancer reusing an idle connection never races the
 * server closing it ("socket hang up"; the contract check hit it after a slow CLI step).
 */
describe('HTTP keep-alive', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.close(); });

  it('a connection left idle past 6 s (Node closes them after 5 s + 1 s) is still open and serves the next request', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () => new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
      const req = http.get(`${srv.base}/healthz`, { agent }, (res) => { res.resume(); res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket })); });
      req.on('error', reject);
    });
    try {
      const first = await get();
      let closedByServer = false;
      (first.socket as http.IncomingMessage['socket']).once('close', () => { closedByServer = true; });
      await new Promise((r) => setTimeout(r, 7000));
      expect(closedByServer, 'the server kept the idle connection').to.equal(false);
      const second = await get();
      expect(second.status).to.equal(200);
      expect(second.socket, 'the same connection was reused').to.equal(first.socket);
    } finally { agent.destroy(); }
  });
});
