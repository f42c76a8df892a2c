import { expect } from 'chai';
import { WebSocket } from 'ws';
import { startServer, request, tempDir, type TestServer } from '../support/server.js';
import { nodeDirectLine, collect, first } from './client.js';

const isBot = (a: any) => a.type === 'message' && a.from?.role === 'bot';
const isUser = (a: any) => a.type === 'message' && a.from?.role === 'user';

async function newToken(base: string): Promise<{ token: string; conversationId: string; userId: string; expires_in: number }> {
  const r = await request('POST', `${base}/api/directline/token`, {});
  expect(r.status).to.equal(200);
  return r.json;
}

/**
 * Direct Line 3.0 with Microsoft's own client (`botframework-directlinejs`) against the real
 * server: the same bot answers as on /api/messages, in-process.
 */
describe('Direct Line 3.0 with botframework-directlinejs', () => {
  let srv: TestServer;
  let domain: string;
  before(async () => { srv = await startServer(); domain = `${srv.base}/v3/directline`; });
  after(async () => { await srv.close(); });

  it('starts, greets, sends and polls with watermarks (webSocket: false)', async () => {
    const t = await newToken(srv.base);
    expect(t.userId).to.match(/^dl_/);
    expect(t.expires_in).to.equal(1800);
    const dl = nodeDirectLine({ domain, token: t.token, webSocket: false, pollingInterval: 200 });
    const c = collect(dl);
    try {
      await c.until((all) => all.some(isBot), 'the welcome');
      expect(c.received.find(isBot).text).to.match(/T-Mobile Support Assistant/);
      // the client claims to be someone else: the server sends it as the token's user anyway
      const id = await first<string>(dl.postActivity({ type: 'message', text: 'I cant log in to my account', from: { id: 'someone-else' } } as any));
      expect(id).to.equal(`${t.conversationId}|0000001`);
      // welcome, the billing answer and its follow-up question
    await c.until((all) => all.filter(isBot).length >= 2, 'the answer');
      const echo = c.received.find(isUser);
      expect(echo.text).to.equal('I cant log in to my account');
      expect(echo.from.id).to.equal(t.userId);
      expect(echo.channelId).to.equal('directline');
      const answer = c.received.filter(isBot)[1];
      expect(answer.text).to.match(/sign/i);
      expect(answer.replyToId).to.equal(id);
      expect(answer.id).to.match(new RegExp(`^${t.conversationId}\\|\\d{7}$`));
      expect(Number((dl as any).watermark)).to.equal(c.received.length);
    } finally { c.stop(); }
  });

  it('reconnects to a conversation: all history without a watermark, only what is new with one', async () => {
    const t = await newToken(srv.base);
    const dl = nodeDirectLine({ domain, token: t.token, webSocket: false, pollingInterval: 200 });
    const c = collect(dl);
    await c.until((all) => all.some(isBot), 'the welcome');
    await first(dl.postActivity({ type: 'message', text: 'my bill is wrong', from: { id: 'x' } } as any));
    // welcome, the billing answer and its follow-up question
    await c.until((all) => all.filter(isBot).length >= 3, 'the answer and its follow-up');
    const watermark = (dl as any).watermark as string;
    c.stop();

    const again = collect(nodeDirectLine({ domain, token: t.token, conversationId: t.conversationId, webSocket: false, pollingInterval: 200 }));
    try {
      await again.until((all) => all.length >= c.received.length, 'the history');
      expect(again.received.map((a) => a.text)).to.deep.equal(c.received.map((a) => a.text));
    } finally { again.stop(); }

    const later = nodeDirectLine({ domain, token: t.token, conversationId: t.conversationId, watermark, webSocket: false, pollingInterval: 200 });
    const l = collect(later);
    try {
      await first(later.postActivity({ type: 'message', text: 'help', from: { id: 'x' } } as any));
      await l.until((all) => all.some(isBot), 'the new answer');
      expect(l.received.map((a) => a.text)).to.not.include('my bill is wrong');
      expect(l.received[0].text).to.equal('help');
    } finally { l.stop(); }
  });

  it('refreshes a token: the new one works on the same conversation, for the same user', async () => {
    const t = await newToken(srv.base);
    const dl = nodeDirectLine({ domain, token: t.token, webSocket: false, pollingInterval: 200 });
    const c = collect(dl);
    try {
      await c.until((all) => all.some(isBot), 'the welcome');
      const fresh = await first<string>((dl as any).refreshToken());
      expect(fresh).to.be.a('string').and.not.equal(t.token);
      const r = await request('GET', `${domain}/conversations/${t.conversationId}/activities`, undefined, { authorization: `Bearer ${fresh}` });
      expect(r.status).to.equal(200);
      expect(r.json.activities.length).to.be.greaterThan(0);
      const raw = await request('POST', `${domain}/tokens/refresh`, undefined, { authorization: `Bearer ${fresh}` });
      expect(raw.status).to.equal(200);
      expect(raw.json).to.include({ conversationId: t.conversationId, expires_in: 1800 });
    } finally { c.stop(); }
  });

  it('streams over a WebSocket on streamUrl (webSocket: true)', async () => {
    const t = await newToken(srv.base);
    const dl = nodeDirectLine({ domain, token: t.token, webSocket: true });
    const c = collect(dl);
    try {
      await c.until((all) => all.some(isBot), 'the welcome over the socket');
      await first(dl.postActivity({ type: 'message', text: 'how do I reset my password', from: { id: 'x' } } as any));
      await c.until((all) => all.filter(isBot).length >= 2, 'the answer over the socket');
      expect(c.received.filter(isBot)[1].text).to.match(/password/i);
      expect(srv.app.directLine.sockets(), 'open sockets on the server').to.be.greaterThan(0);
    } finally { c.stop(); }
  });

  it('sends typing indicators over the socket but keeps them out of the history', async () => {
    const t = await newToken(srv.base);
    const start = await request('POST', `${domain}/conversations`, {}, { authorization: `Bearer ${t.token}` });
    expect(start.status).to.equal(201);
    expect(start.json.streamUrl).to.match(/^ws:\/\/127\.0\.0\.1:\d+\/v3\/directline\/conversations\/[^/]+\/stream\?watermark=/);
    const frames: any[] = [];
    const ws = new WebSocket(start.json.streamUrl);
    ws.on('message', (m) => frames.push(JSON.parse(String(m))));
    await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
    try {
      const typing = await request('POST', `${domain}/conversations/${t.conversationId}/activities`, { type: 'typing', from: { id: 'x' } }, { authorization: `Bearer ${t.token}` });
      expect(typing.status).to.equal(200);
      for (let i = 0; i < 200 && !frames.some((f) => f.activities.some((a: any) => a.type === 'typing')); i++) await new Promise((r) => setTimeout(r, 25));
      expect(frames[0].activities[0].text).to.match(/T-Mobile/); // what it missed, first
      expect(frames.some((f) => f.activities.some((a: any) => a.type === 'typing'))).to.equal(true);
      expect(frames.every((f) => typeof f.watermark === 'string')).to.equal(true);
      const history = await request('GET', `${domain}/conversations/${t.conversationId}/activities`, undefined, { authorization: `Bearer ${t.token}` });
      expect(history.json.activities.map((a: any) => a.type)).to.not.include('typing');
    } finally { ws.close(); }
  });

  it('messages a customer proactively with sendProactive (as the case API will)', async () => {
    const t = await newToken(srv.base);
    await request('POST', `${domain}/conversations`, {}, { authorization: `Bearer ${t.token}` });
    expect(await srv.app.directLine.service.reference(t.conversationId), 'nothing stored before the customer writes').to.equal(undefined);
    await request('POST', `${domain}/conversations/${t.conversationId}/activities`, { type: 'message', text: 'hello' }, { authorization: `Bearer ${t.token}` });
    const ref = (await srv.app.directLine.service.reference(t.conversationId))!;
    const ids = await srv.app.directLine.sendProactive(ref, ['Good news: your case CS-0000-0000 is resolved.']);
    expect(ids[0]).to.match(new RegExp(`^${t.conversationId}\\|`));
    const r = await request('GET', `${domain}/conversations/${t.conversationId}/activities`, undefined, { authorization: `Bearer ${t.token}` });
    expect(r.json.activities.at(-1)).to.include({ text: 'Good news: your case CS-0000-0000 is resolved.' });
    expect(r.json.activities.at(-1).from.role).to.equal('bot');
    let refused: Error | undefined;
    try { await srv.app.directLine.sendProactive({ ...ref, serviceUrl: 'https://smba.trafficmanager.net/amer/' }, ['x']); } catch (e) { refused = e as Error; }
    expect(refused?.message).to.match(/not a Direct Line conversation/);
  });
});

describe('Direct Line conversations survive a restart', () => {
  it('keeps history and accepts the same token after the server restarts on the same DATA_DIR', async () => {
    const dataDir = tempDir();
    let srv = await startServer({ DATA_DIR: dataDir });
    const t = await newToken(srv.base);
    const auth = { authorization: `Bearer ${t.token}` };
    await request('POST', `${srv.base}/v3/directline/conversations`, {}, auth);
    await request('POST', `${srv.base}/v3/directline/conversations/${t.conversationId}/activities`, { type: 'message', text: 'I forgot my username' }, auth);
    await srv.close();

    srv = await startServer({ DATA_DIR: dataDir });
    try {
      const r = await request('GET', `${srv.base}/v3/directline/conversations/${t.conversationId}/activities`, undefined, auth);
      expect(r.status).to.equal(200);
      expect(r.json.activities.map((a: any) => a.text)).to.include('I forgot my username');
      expect(r.json.activities.length).to.be.at.least(3);
      const again = await request('POST', `${srv.base}/v3/directline/conversations`, {}, auth);
      expect(again.status).to.equal(200);
    } finally { await srv.close(); }
  });
});
