import { expect } from 'chai';
import { WebSocket } from 'ws';
import { startServer, request, type TestServer } from '../support/server.js';
import { DirectLineTokens } from '../../src/directline/tokens.js';

const SECRET = 'limits-test-secret-0123456789abcdef';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function wsOpen(url: string): Promise<{ status: number | 'open'; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => resolve({ status: 'open', ws }));
    ws.on('unexpected-response', (_req, res) => { resolve({ status: res.statusCode ?? 0 }); res.resume(); });
    ws.on('error', () => undefined);
  });
}

/** Limits on what one client can ask of the Direct Line endpoint (issue 14, finding 7 and 12). */
describe('Direct Line limits', () => {
  let srv: TestServer;
  const dl = () => `${srv.base}/v3/directline`;
  before(async () => {
    srv = await startServer({
      DIRECTLINE_TOKEN_SECRET: SECRET, RATE_LIMIT_TOKENS_PER_MINUTE: '5', RATE_LIMIT_MESSAGES_PER_MINUTE: '4',
      DIRECTLINE_SOCKETS_PER_CONVERSATION: '2', DIRECTLINE_CONVERSATION_HOURS: '1',
    });
  });
  after(async () => { await srv.close(); });

  it('limits tokens per address with 429, Retry-After and a reason', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) { last = await request('POST', `${srv.base}/api/directline/token`, {}); statuses.push(last.status); }
    expect(statuses).to.deep.equal([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(last!.headers['retry-after'])).to.be.within(1, 60);
    expect(last!.json.message).to.match(/Too many chat tokens/);
    expect((await request('GET', `${srv.base}/healthz`)).status, 'other routes still serve').to.equal(200);
  });

  it('limits messages per conversation, without storing the refused one', async () => {
    const tokens = new DirectLineTokens(SECRET, 1800);
    const t = tokens.issue('limits-conv-1', 'dl_limits');
    const url = `${dl()}/conversations/limits-conv-1/activities`;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request('POST', url, { type: 'message', text: `hello ${i}` }, bearer(t.token))).status);
    expect(statuses).to.deep.equal([200, 200, 200, 200, 429]);
    const h = await request('GET', url, undefined, bearer(t.token));
    expect(h.json.activities.filter((a: { from: { role: string } }) => a.from.role === 'user').map((a: { text: string }) => a.text)).to.deep.equal(['hello 0', 'hello 1', 'hello 2', 'hello 3']);
  });

  it('allows at most N open streams per conversation', async () => {
    const t = new DirectLineTokens(SECRET, 1800).issue('limits-conv-ws', 'dl_ws');
    const url = `${srv.base.replace('http', 'ws')}/v3/directline/conversations/limits-conv-ws/stream?t=${t.token}`;
    const a = await wsOpen(url), b = await wsOpen(url), c = await wsOpen(url);
    expect([a.status, b.status, c.status]).to.deep.equal(['open', 'open', 429]);
    a.ws!.close();
    await new Promise((r) => setTimeout(r, 100));
    const d = await wsOpen(url);
    expect(d.status, 'a closed stream frees its place').to.equal('open');
    b.ws!.close(); d.ws!.close();
  });

  it('stops an old token once a refreshed one has been used', async () => {
    const t = new DirectLineTokens(SECRET, 1800).issue('limits-conv-refresh', 'dl_refresh');
    const url = `${dl()}/conversations/limits-conv-refresh/activities`;
    expect((await request('POST', url, { type: 'message', text: 'hi' }, bearer(t.token))).status).to.equal(200);
    const r = await request('POST', `${dl()}/tokens/refresh`, {}, bearer(t.token));
    expect(r.status).to.equal(200);
    expect((await request('GET', url, undefined, bearer(t.token))).status, 'old token still fine until the new one is used').to.equal(200);
    expect((await request('GET', url, undefined, bearer(r.json.token))).status).to.equal(200);
    const old = await request('GET', url, undefined, bearer(t.token));
    expect(old.status).to.equal(401);
    expect(old.json.error.message).to.match(/replaced by a refreshed one/);
  });

  it('refreshes only within the conversation\'s lifetime, not for ever', async () => {
    // a token whose conversation started 2 hours ago (the lifetime here is 1 hour)
    const past = new DirectLineTokens(SECRET, 1800, () => Date.now() - 2 * 3600_000).issue('limits-conv-old', 'dl_old');
    const stillValid = new DirectLineTokens(SECRET, 1800).issue('limits-conv-old', 'dl_old', { gen: past.claims.gen, cst: past.claims.cst });
    const r = await request('POST', `${dl()}/tokens/refresh`, {}, bearer(stillValid.token));
    expect(r.status).to.equal(403);
    expect(r.json.error.code).to.equal('ConversationExpired');
    let token = new DirectLineTokens(SECRET, 1800).issue('limits-conv-chain', 'dl_chain').token;
    for (let i = 0; i < 3; i++) {
      const next = await request('POST', `${dl()}/tokens/refresh`, {}, bearer(token));
      expect(next.status).to.equal(200);
      expect(next.json.expires_in).to.be.at.most(3600);
      token = next.json.token;
    }
  });

  it('refuses a Direct Line activity with a null entity (it used to crash the turn and wipe its state)', async () => {
    const t = new DirectLineTokens(SECRET, 1800).issue('limits-conv-null', 'dl_null');
    const r = await request('POST', `${dl()}/conversations/limits-conv-null/activities`, { type: 'message', text: 'hi', entities: [null] }, bearer(t.token));
    expect(r.status).to.equal(400);
    expect(r.json.error.message).to.match(/entities/);
  });
});
