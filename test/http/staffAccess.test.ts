import { expect } from 'chai';
import { request, startServer, type TestServer } from '../support/server.js';
import { addStaff, Agent, ADMIN_TOKEN } from '../support/desk.js';
import { adminTokenAuthenticator, requireSupervisor, staffOf } from '../../src/http/staffAccess.js';
import { HttpError } from '../../src/http/errors.js';
import type { Request, Response } from 'restify';

// Who gets into the supervisors' routes (insights, the review queue), through the real server:
// the admin token, or a supervisor's desk session (with the CSRF token for a change); an agent
// is refused, anyone else asked to sign in. Every refusal says why, in the one JSON shape.

const CHALLENGE = 'Bearer realm="support-bot admin"';
const SIGN_IN = 'Send the admin token as "Authorization: Bearer <token>", or sign in as a supervisor.';

describe('supervisors\' routes: who gets in', function () {
  this.timeout(120_000);
  let srv: TestServer;
  let agent: Agent;
  let supervisor: Agent;
  before(async () => {
    srv = await startServer({ ADMIN_TOKEN });
    await addStaff(srv.base, { username: 'ana', displayName: 'Ana Agent', role: 'agent' });
    await addStaff(srv.base, { username: 'sol', displayName: 'Sol Super', role: 'supervisor' });
    agent = await Agent.login(srv.base, 'ana');
    supervisor = await Agent.login(srv.base, 'sol');
  });
  after(async () => { await srv?.close(); });

  const insights = (headers: Record<string, string>) => request('GET', `${srv.base}/api/insights?from=2026-03-02&to=2026-03-02`, undefined, headers);

  it('lets the admin token in, in any case of "Bearer" and with spaces around the token', async () => {
    for (const authorization of [`Bearer ${ADMIN_TOKEN}`, `bearer ${ADMIN_TOKEN}`, `BEARER   ${ADMIN_TOKEN}  `]) {
      expect((await insights({ authorization })).status, authorization).to.equal(200);
    }
  });

  it('answers 401 with a challenge to no credentials, and to credentials of another kind', async () => {
    for (const headers of [{}, { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` }, { authorization: `Bearer` }, { authorization: `Token ${ADMIN_TOKEN}` }, { authorization: `XBearer ${ADMIN_TOKEN}` }] as Array<Record<string, string>>) {
      const r = await insights(headers);
      expect([r.status, r.json], JSON.stringify(headers)).to.deep.equal([401, { code: 'Unauthorized', message: SIGN_IN }]);
      expect(r.headers['www-authenticate']).to.equal(CHALLENGE);
    }
  });

  it('answers 401 to a wrong token, and to the right one with more after it', async () => {
    for (const authorization of ['Bearer nope', `Bearer ${ADMIN_TOKEN}x`, `Bearer ${ADMIN_TOKEN.slice(0, -1)}`, `Bearer ${ADMIN_TOKEN} extra`]) {
      const r = await insights({ authorization });
      expect(r.status, authorization).to.equal(401);
      expect(r.json, authorization).to.deep.equal({ code: 'Unauthorized', message: authorization.endsWith('extra') ? SIGN_IN : 'The admin token is not valid.' });
      expect(r.headers['www-authenticate']).to.equal(CHALLENGE);
    }
  });

  it('answers 403 to an agent\'s session (signed in, but not a supervisor), naming the route', async () => {
    const r = await agent.get('/api/insights');
    expect([r.status, r.json]).to.deep.equal([403, { code: 'Forbidden', message: 'The insights API is for supervisors.' }]);
    const q = await agent.get('/api/review/queue');
    expect([q.status, q.json]).to.deep.equal([403, { code: 'Forbidden', message: 'The review queue is for supervisors.' }]);
  });

  it('lets a supervisor\'s session read', async () => {
    expect((await supervisor.get('/api/insights?from=2026-03-02&to=2026-03-02')).status).to.equal(200);
    expect((await supervisor.get('/api/review/queue')).status).to.equal(200);
  });

  it('asks a supervisor\'s session for the CSRF token on a change, and takes the change with it', async () => {
    const without = await request('POST', `${srv.base}/api/review/labels`, { messageIds: ['nope'], intent: 'billing' }, { cookie: supervisor.cookie });
    expect([without.status, without.json.code]).to.deep.equal([403, 'CsrfTokenMissing']);
    const wrong = await request('POST', `${srv.base}/api/review/labels`, { messageIds: ['nope'], intent: 'billing' }, { cookie: supervisor.cookie, 'x-csrf-token': 'wrong' });
    expect([wrong.status, wrong.json.code]).to.deep.equal([403, 'CsrfTokenWrong']);
    // past the access check: the label itself is refused (no such message), not the person
    const withIt = await supervisor.post('/api/review/labels', { messageIds: ['nope'], intent: 'billing' });
    expect(withIt.status, withIt.body).to.not.be.oneOf([401, 403]);
    expect(withIt.status, withIt.body).to.be.within(400, 499);
  });

  it('answers 401 to a session cookie that is no session, even with the admin token beside it', async () => {
    const r = await insights({ cookie: 'desk_session=not-a-session' });
    expect(r.status).to.equal(401);
    const both = await insights({ cookie: 'desk_session=not-a-session', authorization: `Bearer ${ADMIN_TOKEN}` });
    expect(both.status, 'the session is tried first, and a bad one is refused').to.equal(401);
  });

  it('tries the admin token when the cookie header holds no desk session', async () => {
    expect((await insights({ cookie: 'other=1', authorization: `Bearer ${ADMIN_TOKEN}` })).status).to.equal(200);
  });
});

describe('supervisors\' routes without ADMIN_TOKEN', function () {
  this.timeout(120_000);
  it('never open: a bearer token is not looked at, only a supervisor\'s session gets in', async () => {
    const srv = await startServer();
    try {
      const r = await request('GET', `${srv.base}/api/insights`, undefined, { authorization: `Bearer ${ADMIN_TOKEN}` });
      expect([r.status, r.json]).to.deep.equal([401, { code: 'Unauthorized', message: SIGN_IN }]);
    } finally { await srv.close(); }
  });
});

describe('supervisors\' access, as wired', () => {
  it('refuses to build the admin token check without a token', () => {
    expect(() => adminTokenAuthenticator('')).to.throw('[adminTokenAuthenticator]: Missing parameter. token is required');
  });

  it('closes the routes (403 Disabled, naming them) when no way to prove who one is is configured', async () => {
    const err = await new Promise<unknown>((resolve) => requireSupervisor([], 'The review queue')(undefined as unknown as Request, undefined as unknown as Response, resolve));
    expect(err).to.be.instanceOf(HttpError);
    expect(err).to.include({ status: 403, code: 'Disabled', message: 'The review queue is disabled: set ADMIN_TOKEN on the server (or sign in to the desk as a supervisor) to use it.' });
  });

  it('fails loudly when a route asks who the supervisor is without the check in front of it', () => {
    expect(() => staffOf({} as Request)).to.throw('[staffOf]: the route has no requireSupervisor step');
  });
});
