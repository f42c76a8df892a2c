import { expect } from 'chai';
import { startServer, startFakeConnector, request, say, type TestServer } from '../support/server.js';
import { reference } from '../support/cases.js';
import { checkCharacter, parseCaseNumber } from '../../src/cases/caseNumber.js';
import type { CaseRecord } from '../../src/cases/types.js';

const TOKEN = 'test-admin-token-5f1c';
const auth = { authorization: `Bearer ${TOKEN}` };

/** A valid number that no case has. */
function unusedNumber(): string {
  const d = 'ZZZZZZZ';
  return `CS-${d.slice(0, 4)}-${d.slice(4)}${checkCharacter(d)}`;
}

/** Each test that changes a case opens its own, so no test depends on another having run (or not). */
describe('admin API (restify, bearer token)', () => {
  let srv: TestServer;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  /** Read by many tests, changed by none. */
  let opened: CaseRecord;

  /** A case of its own, from a real conversation through /api/messages (so it has a transcript), replies going to the loopback connector. */
  async function openCase(conversationId: string, summary = 'Cannot sign in'): Promise<CaseRecord> {
    await say(srv.base, conversationId, 'hello');
    return srv.app.stores.cases.open({
      intent: 'login_help', summary, stepsTried: ['login.reset'],
      conversationReference: { ...reference(`user-${conversationId}`, 'emulator', conversationId), serviceUrl: connector.url },
    });
  }

  before(async () => {
    srv = await startServer({ ADMIN_TOKEN: TOKEN });
    connector = await startFakeConnector();
    await say(srv.base, 'adm-1', 'hello');
    await say(srv.base, 'adm-1', 'my password is hunter2 and I still cannot sign in, mail me at jane.doe@example.com');
    opened = await srv.app.stores.cases.open({
      intent: 'login_help', summary: 'Cannot sign in', stepsTried: ['login.reset'],
      conversationReference: { ...reference('user-adm-1', 'emulator', 'adm-1'), serviceUrl: connector.url },
    });
  });
  after(async () => { await connector.close(); await srv.close(); });

  describe('401 without the right token', () => {
    const cases: Array<[string, Record<string, string>]> = [
      ['no Authorization header', {}],
      ['a wrong token', { authorization: 'Bearer nope' }],
      ['the token with one character changed', { authorization: `Bearer ${TOKEN.slice(0, -1)}x` }],
      ['a longer token with the right prefix', { authorization: `Bearer ${TOKEN}x` }],
      ['Basic instead of Bearer', { authorization: `Basic ${TOKEN}` }],
      ['the token without the scheme', { authorization: TOKEN }],
    ];
    for (const [what, headers] of cases) {
      it(`for ${what}, on every route`, async () => {
        const before = await srv.app.stores.cases.get(opened.number);
        for (const [method, path, body] of [['GET', '/api/cases'], ['GET', `/api/cases/${opened.number}`], ['PATCH', `/api/cases/${opened.number}`, { status: 'closed' }]] as const) {
          const r = await request(method, `${srv.base}${path}`, body, headers);
          expect(r.status, `${method} ${path}`).to.equal(401);
          expect(r.json).to.have.property('code', 'Unauthorized');
          expect(r.json.message).to.be.a('string');
          expect(r.body).to.not.include('Cannot sign in');
        }
        expect(await srv.app.stores.cases.get(opened.number)).to.deep.equal(before);
      });
    }
  });

  const BAD_QUERIES: Array<[string, RegExp]> = [
    ['status=done', /status.*open, pending, resolved, closed/],
    ['limit=0', /limit/],
    ['limit=abc', /limit/],
    ['limit=501', /limit/],
    ['cursor=CS-1234', /cursor.*8 characters/],
    ['colour=red', /Unknown query parameter "colour"/],
    ['status=open&status=closed', /once/],
  ];
  for (const [query, reason] of BAD_QUERIES) {
    it(`GET /api/cases?${query} → 400 with the reason`, async () => {
      const r = await request('GET', `${srv.base}/api/cases?${query}`, undefined, auth);
      expect(r.status).to.equal(400);
      expect(r.json.code).to.equal('BadQuery');
      expect(r.json.message).to.match(reason);
    });
  }

  it('GET /api/cases/{number} → the case with its redacted transcript, both sides', async () => {
    const r = await request('GET', `${srv.base}/api/cases/${opened.number}`, undefined, auth);
    expect(r.status).to.equal(200);
    expect(r.json).to.include({ number: opened.number, status: 'open', intent: 'login_help', summary: 'Cannot sign in', userId: 'user-adm-1' });
    expect(r.json).to.not.have.property('conversationReference');
    const t: Array<{ from: { role: string }; text: string; timestamp: string }> = r.json.transcript;
    expect(t.length).to.be.greaterThan(3);
    expect(t.map((a) => a.from.role)).to.include.members(['user', 'bot']);
    expect(t[0]).to.include({ text: 'hello' });
    expect(t[0].from.role).to.equal('user');
    for (const a of t) expect(Date.parse(a.timestamp), 'ISO timestamp').to.not.be.NaN;
    const said = t.find((a) => a.from.role === 'user' && /sign in/.test(a.text))!;
    expect(said.text).to.include('[REDACTED:password]').and.not.include('hunter2').and.not.include('jane.doe');
    expect(r.body).to.not.include('hunter2');
  });

  it('GET /api/cases/{number} reads the number leniently (lower case, no dashes)', async () => {
    const r = await request('GET', `${srv.base}/api/cases/${opened.number.toLowerCase().replace(/-/g, '')}`, undefined, auth);
    expect(r.status).to.equal(200);
    expect(r.json.number).to.equal(opened.number);
  });

  it('GET /api/cases/{number} → 400 for a malformed number or a wrong check character, with the reason', async () => {
    const short = await request('GET', `${srv.base}/api/cases/CS-12`, undefined, auth);
    expect(short.status).to.equal(400);
    expect(short.json).to.deep.equal({ code: 'BadCaseNumber', message: (parseCaseNumber('CS-12') as { message: string }).message });
    const typo = opened.number.slice(0, -1) + (opened.number.endsWith('0') ? '1' : '0');
    const t = await request('GET', `${srv.base}/api/cases/${typo}`, undefined, auth);
    expect(t.status).to.equal(400);
    expect(t.json.message).to.match(/mistyped|swapped/);
  });

  it('GET /api/cases/{number} → 404 for a well-formed number that does not exist', async () => {
    const r = await request('GET', `${srv.base}/api/cases/${unusedNumber()}`, undefined, auth);
    expect(r.status).to.equal(404);
    expect(r.json.code).to.equal('CaseNotFound');
  });

  it('PATCH adds a note (redacted) and changes status without telling the customer', async () => {
    const mine = await openCase('adm-note');
    const before = connector.posted.length;
    const r = await request('PATCH', `${srv.base}/api/cases/${mine.number}`, { status: 'pending', note: 'Called; customer read out pin 4321', author: 'agent-7' }, auth);
    expect(r.status).to.equal(200);
    expect(r.json.status).to.equal('pending');
    expect(r.json.notes).to.have.length(1);
    expect(r.json.notes[0]).to.include({ author: 'agent-7', text: 'Called; customer read out pin [REDACTED:pin]' });
    expect(r.json).to.not.have.property('notified');
    const stored = (await srv.app.stores.cases.get(mine.number))!;
    expect(stored.status).to.equal('pending');
    expect(stored.notes.map((n) => n.text)).to.deep.equal(['Called; customer read out pin [REDACTED:pin]']);
    await new Promise((r) => setTimeout(r, 100));
    expect(connector.posted.length, 'nothing sent to the customer').to.equal(before);
  });

  const BAD_PATCHES: Array<[string, string | object, RegExp, number?]> = [
    ['invalid JSON', '{"status": ', /JSON/i],
    ['a JSON array', '[1]', /JSON object/],
    ['an unknown status', { status: 'done' }, /status.*open, pending, resolved, closed/],
    ['an empty note', { note: '  ' }, /note/],
    ['nothing to change', {}, /status.*note/],
    ['an unknown field', { priority: 'high' }, /Unknown field "priority"/],
  ];
  for (const [what, body, reason] of BAD_PATCHES) {
    it(`PATCH with ${what} → 400 with the reason, and the case is unchanged`, async () => {
      const before = await srv.app.stores.cases.get(opened.number);
      const r = await request('PATCH', `${srv.base}/api/cases/${opened.number}`, body, auth);
      expect(r.status).to.equal(400);
      expect(r.json.message).to.match(reason);
      expect(await srv.app.stores.cases.get(opened.number)).to.deep.equal(before);
    });
  }

  it('PATCH with a non-JSON body → 415', async () => {
    const r = await request('PATCH', `${srv.base}/api/cases/${opened.number}`, 'status=resolved', { ...auth, 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).to.equal(415);
  });

  it('PATCH → 400 for a malformed number and 404 for an unknown one', async () => {
    const bad = await request('PATCH', `${srv.base}/api/cases/not-a-case`, { status: 'closed' }, auth);
    expect(bad.status).to.equal(400);
    expect(bad.json.code).to.equal('BadCaseNumber');
    const missing = await request('PATCH', `${srv.base}/api/cases/${unusedNumber()}`, { status: 'closed' }, auth);
    expect(missing.status).to.equal(404);
  });

  it('PATCH status resolved tells the customer proactively through the stored reference', async () => {
    const mine = await openCase('adm-resolve');
    const before = connector.posted.length;
    const r = await request('PATCH', `${srv.base}/api/cases/${mine.number}`, { status: 'resolved' }, auth);
    expect(r.status).to.equal(200);
    expect(r.json).to.include({ status: 'resolved', notified: true });
    const posted = await connector.waitFor(before + 1);
    const msg = posted.slice(before).find((p) => p.type === 'message');
    expect(msg, 'proactive message').to.exist;
    expect(msg._path).to.match(/^\/v3\/conversations\/adm-resolve\/activities/);
    expect(msg.text).to.include(mine.number).and.match(/resolved/);
    // to the customer of that case, in their conversation
    expect(msg.recipient?.id).to.equal('user-adm-resolve');
    expect(msg.conversation?.id).to.equal('adm-resolve');
    // resolving again changes nothing and notifies nobody
    const again = await request('PATCH', `${srv.base}/api/cases/${mine.number}`, { status: 'resolved' }, auth);
    expect(again.status).to.equal(200);
    expect(again.json).to.not.have.property('notified');
    await new Promise((r) => setTimeout(r, 100));
    expect(connector.posted.slice(before).filter((p) => p.type === 'message'), 'told once').to.have.length(1);
    // and the proactive message is in the transcript, from the bot, after the customer's hello
    await srv.app.stores.flush();
    const show = await request('GET', `${srv.base}/api/cases/${mine.number}`, undefined, auth);
    const transcript: Array<{ from: { role: string }; text: string }> = show.json.transcript;
    expect(transcript.map((a) => [a.from.role, a.text])).to.deep.include(['user', 'hello']);
    expect(transcript.at(-1)!.text).to.equal(msg.text);
    expect(transcript.at(-1)!.from.role).to.equal('bot');
  });

  it('reports notified: false when the channel refuses the message, and still resolves', async () => {
    const unreachable = await srv.app.stores.cases.open({ intent: 'billing', summary: 'x', stepsTried: [], conversationReference: { ...reference('gone'), serviceUrl: `${connector.url}gone/` } });
    const r = await request('PATCH', `${srv.base}/api/cases/${unreachable.number}`, { status: 'resolved' }, auth);
    expect(r.status).to.equal(200);
    expect(r.json).to.include({ status: 'resolved', notified: false });
  });

  it('still serves after bad input', async () => {
    expect((await request('PATCH', `${srv.base}/api/cases/${opened.number}`, '{"status": ', auth)).status).to.equal(400);
    expect((await request('GET', `${srv.base}/api/cases?limit=abc`, undefined, auth)).status).to.equal(400);
    expect((await request('GET', `${srv.base}/healthz`)).status).to.equal(200);
    expect((await say(srv.base, 'adm-2', 'hello')).status).to.equal(200);
  });
});

/** Listing and paging, on a server of their own whose five cases (one closed) no test changes. */
describe('admin API: listing cases', () => {
  let srv: TestServer;
  const numbers: string[] = [];
  before(async () => {
    srv = await startServer({ ADMIN_TOKEN: TOKEN });
    for (let i = 0; i < 5; i++) numbers.push((await srv.app.stores.cases.open({ intent: 'billing', summary: `case ${i}`, stepsTried: [], conversationReference: reference(`lister-${i}`) })).number);
    await srv.app.stores.cases.updateStatus(numbers[2], 'closed');
  });
  after(async () => { await srv.close(); });

  it('GET /api/cases lists cases, newest first, without conversation references', async () => {
    const r = await request('GET', `${srv.base}/api/cases`, undefined, auth);
    expect(r.status).to.equal(200);
    expect(r.json.cases).to.have.length(5);
    expect(r.json.cases.map((c: CaseRecord) => c.number)).to.have.members(numbers);
    const created = r.json.cases.map((c: CaseRecord) => c.createdAt);
    expect(created, 'newest first').to.deep.equal([...created].sort().reverse());
    expect(r.json.cases[0]).to.not.have.property('conversationReference');
    expect(r.json).to.not.have.property('nextCursor');
  });

  it('GET /api/cases pages with limit and cursor, and filters by status', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await request('GET', `${srv.base}/api/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, auth);
      expect(r.status).to.equal(200);
      expect(r.json.cases.length).to.be.at.most(2);
      seen.push(...r.json.cases.map((c: CaseRecord) => c.number));
      cursor = r.json.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).to.equal(3);
    expect(seen, 'every case once').to.have.members(numbers);
    const open = await request('GET', `${srv.base}/api/cases?status=open`, undefined, auth);
    expect(open.json.cases.map((c: CaseRecord) => c.number)).to.have.members(numbers.filter((_, k) => k !== 2));
    const closed = await request('GET', `${srv.base}/api/cases?status=closed&limit=10`, undefined, auth);
    expect(closed.status).to.equal(200);
    expect(closed.json.cases.map((c: CaseRecord) => c.number)).to.deep.equal([numbers[2]]);
    const pending = await request('GET', `${srv.base}/api/cases?status=pending`, undefined, auth);
    expect(pending.json.cases).to.deep.equal([]);
  });

});

describe('admin API without ADMIN_TOKEN', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.close(); });

  it('is disabled, never open: every request is refused with the reason', async () => {
    const c = await srv.app.stores.cases.open({ intent: 'billing', summary: 'x', stepsTried: [], conversationReference: reference('u') });
    for (const headers of [{}, { authorization: 'Bearer ' }, { authorization: 'Bearer anything' }] as Array<Record<string, string>>) {
      for (const [method, path] of [['GET', '/api/cases'], ['GET', `/api/cases/${c.number}`], ['PATCH', `/api/cases/${c.number}`]] as const) {
        const r = await request(method, `${srv.base}${path}`, method === 'PATCH' ? { status: 'closed' } : undefined, headers);
        expect(r.status, `${method} ${path}`).to.equal(403);
        expect(r.json).to.deep.equal({ code: 'AdminApiDisabled', message: 'The admin API is disabled: set ADMIN_TOKEN on the server to enable it.' });
      }
    }
    expect((await srv.app.stores.cases.get(c.number))!.status).to.equal('open');
  });
});
