import { expect } from 'chai';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startServer, request, tempDir, type TestServer } from '../support/server.js';
import { storedText } from '../support/stores.js';
import { DirectLineTokens } from '../../src/directline/tokens.js';

const SECRET = 'test-directline-secret-0123456789abcdef';

interface Session { token: string; conversationId: string; userId: string }
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function startedSession(base: string): Promise<Session> {
  const t = (await request('POST', `${base}/api/directline/token`, {})).json as Session;
  const r = await request('POST', `${base}/v3/directline/conversations`, {}, bearer(t.token));
  expect(r.status).to.equal(201);
  return t;
}

function wsStatus(url: string): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => { ws.close(); resolve('open'); });
    ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); res.resume(); });
    ws.on('error', () => undefined);
  });
}

/**
 * Every refusal names its reason, and after each one the server still serves a real customer
 * (checked after every case).
 */
describe('Direct Line security and bad input', () => {
  let srv: TestServer;
  let a: Session;
  let b: Session;
  const dl = () => `${srv.base}/v3/directline`;

  before(async () => {
    srv = await startServer({ DIRECTLINE_TOKEN_SECRET: SECRET, MAX_BODY_BYTES: String(128 * 1024) });
    a = await startedSession(srv.base);
    b = await startedSession(srv.base);
  });
  after(async () => { await srv.close(); });
  afterEach(async () => {
    const r = await request('POST', `${dl()}/conversations/${a.conversationId}/activities`, { type: 'message', text: 'hello' }, bearer(a.token));
    expect(r.status, 'server still serves').to.equal(200);
    const h = await request('GET', `${dl()}/conversations/${a.conversationId}/activities`, undefined, bearer(a.token));
    expect(h.json.activities.at(-1).from.role, 'and the bot still answers').to.equal('bot');
  });

  const tamper = (t: string) => { const [h, p, s] = t.split('.'); return `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`; };
  const forgeClaims = (t: string, conv: string) => {
    const [h, p, s] = t.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    return `${h}.${Buffer.from(JSON.stringify({ ...claims, conv })).toString('base64url')}.${s}`;
  };

  const unauthorised: Array<[string, () => Record<string, string>, RegExp]> = [
    ['no token', () => ({}), /No Direct Line token/],
    ['a token that is not a JWT', () => bearer('not-a-token'), /malformed/],
    ['a token with a forged signature', () => bearer(tamper(a.token)), /signature is invalid/],
    ['a token whose claims were edited to another conversation', () => bearer(forgeClaims(a.token, b.conversationId)), /signature is invalid/],
    ['a token signed with another secret', () => bearer(new DirectLineTokens('some-other-secret-0123456789', 60).issue(a.conversationId, a.userId).token), /signature is invalid/],
    ['an expired token', () => bearer(new DirectLineTokens(SECRET, 60, () => Date.now() - 3600_000).issue(a.conversationId, a.userId).token), /expired/],
  ];
  for (const [name, headers, reason] of unauthorised) {
    it(`answers 401 with the reason for ${name}, on every route`, async () => {
      const calls = [
        request('POST', `${dl()}/conversations`, {}, headers()),
        request('GET', `${dl()}/conversations/${a.conversationId}`, undefined, headers()),
        request('GET', `${dl()}/conversations/${a.conversationId}/activities`, undefined, headers()),
        request('POST', `${dl()}/conversations/${a.conversationId}/activities`, { type: 'message', text: 'hi' }, headers()),
        request('POST', `${dl()}/tokens/refresh`, undefined, headers()),
      ];
      for (const r of await Promise.all(calls)) {
        expect(r.status).to.equal(401);
        expect(r.json.message).to.match(reason);
        expect(r.json.error.message).to.match(reason);
      }
    });
  }

  it('refuses a token for conversation B on conversation A with 403 (read, reconnect, post, stream)', async () => {
    const other = bearer(b.token);
    for (const r of [
      await request('GET', `${dl()}/conversations/${a.conversationId}/activities`, undefined, other),
      await request('GET', `${dl()}/conversations/${a.conversationId}?watermark=0`, undefined, other),
      await request('POST', `${dl()}/conversations/${a.conversationId}/activities`, { type: 'message', text: 'peek' }, other),
    ]) {
      expect(r.status).to.equal(403);
      expect(r.json.message).to.match(/another conversation/);
    }
    expect(await wsStatus(`${srv.base.replace('http', 'ws')}/v3/directline/conversations/${a.conversationId}/stream?t=${b.token}`)).to.equal(403);
    expect(await wsStatus(`${srv.base.replace('http', 'ws')}/v3/directline/conversations/${a.conversationId}/stream?t=${tamper(a.token)}`)).to.equal(401);
    expect(await wsStatus(`${srv.base.replace('http', 'ws')}/v3/directline/conversations/${a.conversationId}/stream?t=${a.token}`)).to.equal('open');
    const history = await request('GET', `${dl()}/conversations/${a.conversationId}/activities`, undefined, bearer(a.token));
    expect(history.json.activities.map((x: any) => x.text)).to.not.include('peek');
  });

  it('stores nothing for a conversation until its customer writes: the greeting is shown from nothing', async () => {
    const t = (await request('POST', `${srv.base}/api/directline/token`, {})).json as Session;
    const r = await request('GET', `${dl()}/conversations/${t.conversationId}/activities`, undefined, bearer(t.token));
    expect(r.status).to.equal(200);
    expect(r.json.activities).to.have.length(1);
    expect(r.json.activities[0].from.role).to.equal('bot');
    expect(r.json.watermark).to.equal('1');
    await request('POST', `${dl()}/conversations`, {}, bearer(t.token));
    expect(await srv.app.stores.directLine.get(t.conversationId), 'not stored after start').to.equal(undefined);
    expect(await srv.app.stores.directLine.conversationsOfUser(t.userId)).to.deep.equal([]);
    await request('POST', `${dl()}/conversations/${t.conversationId}/activities`, { type: 'message', text: 'hi' }, bearer(t.token));
    expect(await srv.app.stores.directLine.get(t.conversationId), 'stored from the first message').to.include({ userId: t.userId });
  });

  it('chooses the user id itself: a client cannot pick whose data it gets', async () => {
    const t = (await request('POST', `${srv.base}/api/directline/token`, { userId: a.userId, user: { id: a.userId } })).json as Session;
    expect(t.userId).to.match(/^dl_/).and.not.equal(a.userId);
    expect(t.conversationId).to.not.equal(a.conversationId);
    await request('POST', `${dl()}/conversations`, { user: { id: a.userId } }, bearer(t.token));
    await request('POST', `${dl()}/conversations/${t.conversationId}/activities`, { type: 'message', text: 'hi', from: { id: a.userId } }, bearer(t.token));
    const r = await request('GET', `${dl()}/conversations/${t.conversationId}/activities`, undefined, bearer(t.token));
    expect(r.json.activities.filter((x: any) => x.from.role === 'user').map((x: any) => x.from.id)).to.deep.equal([t.userId]);
  });

  const rejected: Array<[string, string, Record<string, string>, number, RegExp]> = [
    ['malformed JSON', '{"type": "message", "text": ', {}, 400, /json/i],
    ['a non-JSON content type', 'type=message&text=hi', { 'content-type': 'application/x-www-form-urlencoded' }, 415, /application\/json/],
    ['a JSON array', '[1,2,3]', {}, 400, /JSON object/],
    ['an activity without type', JSON.stringify({ text: 'hi' }), {}, 400, /"type"/],
    ['an unsupported activity type', JSON.stringify({ type: 'conversationUpdate', membersAdded: [{ id: 'x' }] }), {}, 400, /not accepted/],
    ['text that is not a string', JSON.stringify({ type: 'message', text: { a: 1 } }), {}, 400, /"text"/],
    ['an event without a name', JSON.stringify({ type: 'event' }), {}, 400, /"name"/],
    ['a hand-off status event (contact-centre only)', JSON.stringify({ type: 'event', name: 'handoff.status', value: { state: 'accepted' } }), {}, 400, /contact centre/],
    ['attachments that are not an array', JSON.stringify({ type: 'message', attachments: 'x' }), {}, 400, /"attachments"/],
    ['an oversized activity (40 KB)', JSON.stringify({ type: 'message', text: 'a'.repeat(40 * 1024) }), {}, 413, /largest accepted size is 32768 bytes/],
    ['a body over the server limit (200 KB)', JSON.stringify({ type: 'message', text: 'a'.repeat(200 * 1024) }), {}, 413, /size/i],
  ];
  for (const [name, body, headers, status, reason] of rejected) {
    it(`rejects ${name} with ${status} and a reason`, async () => {
      const r = await request('POST', `${dl()}/conversations/${a.conversationId}/activities`, body, { 'content-type': 'application/json', ...bearer(a.token), ...headers });
      expect(r.status).to.equal(status);
      expect(r.json?.message).to.match(reason);
    });
  }

  it('keeps nothing of a refused activity in the history', async () => {
    const c = await startedSession(srv.base);
    const post = (body: string) => request('POST', `${dl()}/conversations/${c.conversationId}/activities`, body, { 'content-type': 'application/json', ...bearer(c.token) });
    const refused = [
      JSON.stringify({ type: 'message', text: `refused-1 ${'a'.repeat(40 * 1024)}` }),
      JSON.stringify({ type: 'message', text: 'refused-2', attachments: 'x' }),
      JSON.stringify({ type: 'event', text: 'refused-3' }),
      JSON.stringify({ type: 'conversationUpdate', text: 'refused-4', membersAdded: [{ id: 'x' }] }),
      JSON.stringify({ type: 'event', name: 'handoff.status', text: 'refused-5', value: { state: 'accepted' } }),
    ];
    for (const body of refused) expect((await post(body)).status, body.slice(0, 80)).to.be.within(400, 499);
    expect((await post(JSON.stringify({ type: 'message', text: 'accepted-1' }))).status).to.equal(200);
    const r = await request('GET', `${dl()}/conversations/${c.conversationId}/activities`, undefined, bearer(c.token));
    const texts: string[] = r.json.activities.map((x: any) => x.text ?? '');
    expect(texts, 'the accepted one is there').to.include('accepted-1');
    expect(texts.filter((t) => t.includes('refused-')), 'none of the refused').to.deep.equal([]);
    await srv.app.stores.flush();
    expect(storedText(srv.config.dataDir)).to.not.contain('refused-');
  });

  it('never persists a secret the customer typed: history and directline.json hold it redacted, the customer is warned', async () => {
    const c = await startedSession(srv.base);
    const text = 'my password is Hunter2! and my card is 4111 1111 1111 1111';
    const r = await request('POST', `${dl()}/conversations/${c.conversationId}/activities`,
      { type: 'message', text, value: { note: 'pin 4321' }, channelData: { pasted: 'pw: Zebra#99' } }, bearer(c.token));
    expect(r.status).to.equal(200);
    const h = await request('GET', `${dl()}/conversations/${c.conversationId}/activities`, undefined, bearer(c.token));
    const mine = h.json.activities.find((x: any) => x.id === r.json.id);
    expect(mine.text).to.contain('[REDACTED:password]').and.contain('[REDACTED:card]');
    expect(h.json.activities.some((x: any) => x.from.role === 'bot' && /password|share/i.test(x.text ?? '')), 'privacy warning').to.equal(true);
    await srv.app.stores.flush();
    const onDisk = storedText(srv.config.dataDir);
    for (const secret of ['Hunter2', '4111 1111 1111 1111', '4321', 'Zebra#99']) expect(onDisk, secret).not.to.contain(secret);
  });

  it('keeps a secret the conversation gives away redacted in the history too (the message after "let me type my password")', async () => {
    const c = await startedSession(srv.base);
    const url = `${dl()}/conversations/${c.conversationId}/activities`;
    await request('POST', url, { type: 'message', text: 'ok let me type my password' }, bearer(c.token));
    const r = await request('POST', url, { type: 'message', text: 'Tr0ub4dor&3' }, bearer(c.token));
    expect(r.status).to.equal(200);
    const h = await request('GET', url, undefined, bearer(c.token));
    const mine = h.json.activities.find((x: any) => x.id === r.json.id);
    expect(mine, 'the echo is stored at the id the post answered').to.exist;
    expect(JSON.stringify(h.json)).to.not.include('Tr0ub4dor');
    await srv.app.stores.flush();
    expect(storedText(srv.config.dataDir)).to.not.include('Tr0ub4dor');
  });

  it('stores a generated secret with mode 0600 and reuses it after a restart', async () => {
    const dataDir = tempDir();
    const s1 = await startServer({ DATA_DIR: dataDir });
    const t = (await request('POST', `${s1.base}/api/directline/token`, {})).json as Session;
    await s1.close();
    const file = join(dataDir, 'secrets.json');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(Object.values(JSON.parse(readFileSync(file, 'utf8')))[0]).to.be.a('string').with.length.at.least(32);
    const s2 = await startServer({ DATA_DIR: dataDir });
    try {
      const r = await request('POST', `${s2.base}/v3/directline/conversations`, {}, bearer(t.token));
      expect(r.status).to.equal(201);
    } finally { await s2.close(); }
  });
});

describe('Direct Line token endpoint with ALLOWED_ORIGINS and a short TTL', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer({ ALLOWED_ORIGINS: 'https://shop.example, https://www.example', DIRECTLINE_TOKEN_TTL_SECONDS: '120' }); });
  after(async () => { await srv.close(); });

  it('gives an allowed origin a token with CORS headers and the configured lifetime', async () => {
    const r = await request('POST', `${srv.base}/api/directline/token`, {}, { origin: 'https://shop.example' });
    expect(r.status).to.equal(200);
    expect(r.headers['access-control-allow-origin']).to.equal('https://shop.example');
    expect(r.headers['cache-control']).to.equal('no-store');
    expect(r.json.expires_in).to.equal(120);
  });

  it('answers a preflight from an allowed origin', async () => {
    const r = await request('OPTIONS', `${srv.base}/v3/directline/conversations`, undefined, { origin: 'https://www.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' });
    expect(r.status).to.equal(204);
    expect(r.headers['access-control-allow-headers']).to.match(/authorization/);
  });

  it('refuses other origins with 403 and a reason, and still serves allowed ones', async () => {
    const r = await request('POST', `${srv.base}/api/directline/token`, {}, { origin: 'https://evil.example' });
    expect(r.status).to.equal(403);
    expect(r.json.message).to.match(/not allowed/);
    expect(r.headers['access-control-allow-origin']).to.equal(undefined);
    const ok = await request('POST', `${srv.base}/api/directline/token`, {}, { origin: 'https://www.example' });
    expect(ok.status).to.equal(200);
  });

  it('lets the bot\'s own page (same origin) ask for a token', async () => {
    const host = new URL(srv.base).host;
    const r = await request('POST', `${srv.base}/api/directline/token`, {}, { origin: `http://${host}` });
    expect(r.status).to.equal(200);
  });
});
