import { expect } from 'chai';
import { startServer, request, activity, say, type TestServer } from '../support/server.js';
import { loadConfig } from '../../src/config.js';
import { shapeProblem } from '../../src/http/body.js';
import { escalate } from '../support/cases.js';

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Regression tests for the hardening review (issue 14): each request below once crashed, froze or
 * bricked the server. Every one now gets a 4xx with a reason, and the server still serves after it.
 */
describe('hardening at the HTTP edge', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.close(); });
  afterEach(async () => {
    const h = await request('GET', `${srv.base}/healthz`);
    expect(h.status, '/healthz still answers').to.equal(200);
    const r = await say(srv.base, 'still-serving', 'hello');
    expect(r.status, 'a customer is still served').to.equal(200);
    expect(r.messages.length).to.be.greaterThan(0);
  });

  it('refuses a gzip body on /api/messages with 415 instead of crashing on a bad stream', async () => {
    const r = await request('POST', `${srv.base}/api/messages`, 'x', { 'content-encoding': 'gzip' });
    expect(r.status).to.equal(415);
    expect(r.json.code).to.equal('UnsupportedMediaType');
    expect(r.json.message).to.match(/uncompressed/);
  });

  it('refuses any other content encoding too', async () => {
    for (const enc of ['deflate', 'br', 'GZIP ']) {
      const r = await request('POST', `${srv.base}/api/messages`, JSON.stringify(activity('enc', 'hi')), { 'content-encoding': enc });
      expect(r.status, enc).to.equal(415);
    }
  });

  it('refuses a gzip body on the Direct Line activities route with 415', async () => {
    const t = (await request('POST', `${srv.base}/api/directline/token`, {})).json;
    expect((await request('POST', `${srv.base}/v3/directline/conversations`, {}, bearer(t.token))).status).to.equal(201);
    const r = await request('POST', `${srv.base}/v3/directline/conversations/${t.conversationId}/activities`, 'x', { ...bearer(t.token), 'content-encoding': 'gzip' });
    expect(r.status).to.equal(415);
    expect(r.json.error.code, 'Direct Line clients read error.code').to.equal('UnsupportedMediaType');
  });

  it('refuses an activity nested 4,000 levels deep with 400 and a reason, and stores nothing of it', async () => {
    const body = JSON.stringify(activity('deep', 'hi')).replace(/}$/, `,"channelData":${nested(4000)}}`);
    const r = await request('POST', `${srv.base}/api/messages`, body);
    expect(r.status).to.equal(400);
    expect(r.json.message).to.match(/nested more than 32 levels/);
    const page = await srv.app.stores.transcripts.getTranscriptActivities('emulator', 'deep');
    expect(page.items).to.have.length(0);
  });

  it('refuses a Direct Line activity with channelData nested 4,000 levels deep, after 30 ordinary ones', async () => {
    const t = (await request('POST', `${srv.base}/api/directline/token`, {})).json;
    await request('POST', `${srv.base}/v3/directline/conversations`, {}, bearer(t.token));
    const url = `${srv.base}/v3/directline/conversations/${t.conversationId}/activities`;
    for (let i = 0; i < 30; i++) expect((await request('POST', url, { type: 'typing' }, bearer(t.token))).status).to.equal(200);
    const r = await request('POST', url, `{"type":"message","text":"hi","channelData":${nested(4000)}}`, bearer(t.token));
    expect(r.status).to.equal(400);
    expect(r.json.error.message).to.match(/nested more than 32 levels/);
    const history = await request('GET', url, undefined, bearer(t.token));
    expect(JSON.stringify(history.json)).to.not.include('"a":{"a"');
  });

  it('with authentication off, refuses a serviceUrl that is not this machine (no requests to addresses a caller names)', async () => {
    for (const serviceUrl of ['http://10.0.0.7:3978/', 'https://example.com/', 'http://169.254.169.254/latest/']) {
      const r = await request('POST', `${srv.base}/api/messages`, activity('ssrf', 'hi', { deliveryMode: undefined, serviceUrl }));
      expect(r.status, serviceUrl).to.equal(400);
      expect(r.json.message).to.match(/loopback/);
    }
  });

  it('answers an unknown route and a wrong method in the one error shape', async () => {
    const r = await request('GET', `${srv.base}/no/such/route`);
    expect(r.status).to.equal(404);
    expect(r.json).to.have.keys('code', 'message');
    const m = await request('DELETE', `${srv.base}/healthz`);
    expect(m.status).to.equal(405);
    expect(m.json).to.have.keys('code', 'message');
  });
});

describe('one error handler: internals never reach the client', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer({ ADMIN_TOKEN: 'admin-token-for-tests-1234567890' }); });
  after(async () => { await srv.close(); });

  it('answers 500 with a generic message when a store throws, and keeps serving', async () => {
    const original = srv.app.stores.cases.list.bind(srv.app.stores.cases);
    srv.app.stores.cases.list = async () => { throw new RangeError('Maximum call stack size exceeded at /var/lib/secret/path'); };
    try {
      const r = await request('GET', `${srv.base}/api/cases`, undefined, bearer('admin-token-for-tests-1234567890'));
      expect(r.status).to.equal(500);
      expect(r.json).to.deep.equal({ code: 'InternalError', message: 'The request could not be processed; it has been logged.' });
      expect(r.body).to.not.match(/RangeError|secret|stack/);
      expect(r.headers['x-request-id']).to.be.a('string');
    } finally {
      srv.app.stores.cases.list = original;
    }
    const ok = await request('GET', `${srv.base}/api/cases`, undefined, bearer('admin-token-for-tests-1234567890'));
    expect(ok.status).to.equal(200);
  });
});

describe('authentication-off mode is for this machine only', () => {
  it('listens on 127.0.0.1 by default without MicrosoftAppId, on all interfaces with one', () => {
    expect(loadConfig({}).host).to.equal('127.0.0.1');
    expect(loadConfig({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'x' }).host).to.equal('0.0.0.0');
  });

  it('refuses a non-loopback HOST without MicrosoftAppId unless ALLOW_UNAUTHENTICATED=true, naming the variable', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).to.throw(/HOST: 0\.0\.0\.0 .*ALLOW_UNAUTHENTICATED=true/);
    expect(loadConfig({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' }).allowUnauthenticated).to.equal(true);
    expect(loadConfig({ HOST: 'localhost' }).host).to.equal('localhost');
  });
});

describe('shapeProblem bounds what a body may hold, iteratively', () => {
  const limits = { maxDepth: 32, maxArrayLength: 10, maxKeys: 5, maxStringLength: 20, maxNodes: 100 };
  const table: Array<[string, unknown, RegExp | undefined]> = [
    ['a flat activity', { type: 'message', text: 'hi' }, undefined],
    ['32 levels', JSON.parse(nested(31)), undefined],
    ['33 levels', JSON.parse(nested(33)), /nested more than 32/],
    ['100,000 levels (no stack overflow)', JSON.parse(nested(100_000)), /nested more than 32/],
    ['a long array', { a: Array.from({ length: 11 }, () => 1) }, /more than 10 items/],
    ['many keys', { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, /more than 5 keys/],
    ['a long string', { text: 'x'.repeat(21) }, /longer than 20 characters/],
    ['a long key', { ['k'.repeat(21)]: 1 }, /key in the body is longer/],
    ['too many values', Array.from({ length: 10 }, () => Array.from({ length: 10 }, () => 1)), /more than 100 values/],
  ];
  for (const [name, value, problem] of table) {
    it(`${problem ? 'refuses' : 'accepts'} ${name}`, () => {
      const p = shapeProblem(value, limits);
      if (problem) expect(p).to.match(problem);
      else expect(p).to.equal(undefined);
    });
  }
});

describe('activities that repeat one id (finding 6)', () => {
  let srv: TestServer;
  const TOKEN = 'admin-token-for-dup-ids-0123456789';
  before(async () => { srv = await startServer({ ADMIN_TOKEN: TOKEN }); });
  after(async () => { await srv.close(); });

  it('25 typing activities with id "dup", then live chat: the hand-off and the case show the real transcript, no loop', async () => {
    for (let i = 0; i < 25; i++) {
      const r = await request('POST', `${srv.base}/api/messages`, activity('dup-ids', undefined, { type: 'typing', id: 'dup' }));
      expect(r.status).to.be.within(200, 299);
    }
    await say(srv.base, 'dup-ids', 'my app keeps crashing', { id: 'dup' });
    const number = await escalate(srv.base, 'dup-ids');
    const c = await request('GET', `${srv.base}/api/cases/${number}`, undefined, { authorization: `Bearer ${TOKEN}` });
    expect(c.status).to.equal(200);
    const lines: Array<{ text?: string }> = c.json.transcript;
    expect(lines.length, 'not empty').to.be.greaterThan(3);
    expect(lines.length, 'no runaway paging').to.be.below(100);
    expect(lines.map((l) => l.text)).to.include('my app keeps crashing');
  });
});

describe('one clear name for each secret', () => {
  it('refuses the old names that differed by one underscore, naming the new ones', () => {
    expect(() => loadConfig({ DIRECTLINE_SECRET: 'x'.repeat(32) })).to.throw(/DIRECTLINE_SECRET: it was renamed to DIRECTLINE_TOKEN_SECRET/);
    expect(() => loadConfig({ DIRECT_LINE_SECRET: 'x'.repeat(32) })).to.throw(/DIRECT_LINE_SECRET: it was renamed to AZURE_DIRECTLINE_SECRET/);
    expect(loadConfig({ DIRECTLINE_TOKEN_SECRET: 'x'.repeat(32), AZURE_DIRECTLINE_SECRET: 'y' }).directLine).to.include({ secret: 'x'.repeat(32), azureSecret: 'y' });
  });
});
