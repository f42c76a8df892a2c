import { expect } from 'chai';
import http from 'node:http';
import { startServer, request, type TestServer } from '../support/server.js';

const AZURE_SECRET = 'azure-direct-line-secret-abcdefghijklmnop';

/**
 * Azure Bot Service's Direct Line cannot be reached here, so the exchange is tested against a
 * loopback stand-in answering like `POST /v3/directline/tokens/generate` does (response shape
 * recorded from the Direct Line 3.0 reference: conversationId, token, expires_in).
 */
async function fakeAzure(status = 200) {
  const seen: Array<{ path?: string; auth?: string; body: any }> = [];
  const server = http.createServer((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      seen.push({ path: req.url, auth: req.headers.authorization, body: b ? JSON.parse(b) : undefined });
      if (req.method !== 'POST' || req.url !== '/v3/directline/tokens/generate') { res.writeHead(404); res.end(); return; }
      if (status !== 200) { res.writeHead(status, { 'content-type': 'application/json' }); res.end(JSON.stringify({ error: { code: 'BadArgument', message: 'Invalid secret' } })); return; }
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({
        conversationId: 'AbCdEfGhIjK123-us',
        token: 'ew0KICAiYWxnIjogIlJTMjU2IiwNCiAgImtpZCI6ICJ0ZXN0IiwNCiAgInR5cCI6ICJKV1QiDQp9.ew0KICAiYm90IjogInN1cHBvcnQtYm90Ig0KfQ.c2lnbmF0dXJl',
        expires_in: 3600,
      }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { domain: `http://127.0.0.1:${port}/v3/directline`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('token endpoint with Azure Bot Service Direct Line (AZURE_DIRECTLINE_SECRET)', () => {
  it('exchanges the secret server-side and gives the browser only a token, its conversation and the domain', async () => {
    const azure = await fakeAzure();
    const srv: TestServer = await startServer({ AZURE_DIRECTLINE_SECRET: AZURE_SECRET, AZURE_DIRECTLINE_DOMAIN: azure.domain });
    try {
      const r = await request('POST', `${srv.base}/api/directline/token`, {});
      expect(r.status).to.equal(200);
      expect(r.json).to.include({ conversationId: 'AbCdEfGhIjK123-us', expires_in: 3600, domain: azure.domain });
      expect(r.json.token).to.match(/^ew0K/);
      expect(r.json.userId).to.match(/^dl_/);
      expect(r.body).to.not.include(AZURE_SECRET);
      expect(azure.seen).to.have.length(1);
      expect(azure.seen[0].auth).to.equal(`Bearer ${AZURE_SECRET}`);
      expect(azure.seen[0].body.user.id).to.equal(r.json.userId);
      const page = await request('GET', `${srv.base}/`);
      expect(String(page.headers['content-security-policy'])).to.include(`connect-src 'self'`).and.include(new URL(azure.domain).origin);
    } finally { await srv.close(); await azure.close(); }
  });

  it('answers 502 with a reason when Azure refuses, and keeps serving', async () => {
    const azure = await fakeAzure(403);
    const srv: TestServer = await startServer({ AZURE_DIRECTLINE_SECRET: AZURE_SECRET, AZURE_DIRECTLINE_DOMAIN: azure.domain });
    try {
      const r = await request('POST', `${srv.base}/api/directline/token`, {});
      expect(r.status).to.equal(502);
      expect(r.json.message).to.match(/Azure Direct Line/);
      expect(r.body).to.not.include(AZURE_SECRET);
      expect((await request('GET', `${srv.base}/healthz`)).status).to.equal(200);
    } finally { await srv.close(); await azure.close(); }
  });
});
