import { expect } from 'chai';
import { startServer, request, type TestServer } from '../support/server.js';
import { storedText } from '../support/stores.js';
import { ADMIN_TOKEN, Agent, PASSWORD, WebCustomer, addStaff } from '../support/desk.js';

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** Every desk route, with a body for the ones that change something. */
const ROUTES: Array<[string, string, object?]> = [
  ['POST', '/api/desk/logout', {}],
  ['GET', '/api/desk/me'],
  ['POST', '/api/desk/availability', { availability: 'away' }],
  ['GET', '/api/desk/queue'],
  ['GET', '/api/desk/follow-ups'],
  ['POST', '/api/desk/follow-ups/CS-0000-0000/done', {}],
  ['GET', '/api/desk/cases/CS-0000-0000'],
  ['GET', '/api/desk/cases/CS-0000-0000/messages'],
  ['POST', '/api/desk/cases/CS-0000-0000/accept', {}],
  ['POST', '/api/desk/cases/CS-0000-0000/messages', { text: 'hi' }],
  ['POST', '/api/desk/cases/CS-0000-0000/transfer', { team: 'technical' }],
  ['POST', '/api/desk/cases/CS-0000-0000/end', {}],
  ['POST', '/api/desk/cases/CS-0000-0000/notes', { text: 'x' }],
  ['GET', '/api/desk/events'],
];

describe('desk accounts and sessions', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer({ ADMIN_TOKEN }); });
  after(async () => { await srv?.close(); });

  describe('POST /api/staff', () => {
    it('creates an account (201) without ever returning, storing or keeping the password in clear', async () => {
      const r = await addStaff(srv.base, { username: 'Casey', displayName: 'Casey Jones', role: 'supervisor' });
      expect(r.json).to.deep.include({ username: 'casey', displayName: 'Casey Jones', role: 'supervisor', teams: ['general', 'business', 'technical', 'international'], availability: 'away' });
      expect(r.json).to.not.have.property('passwordHash');
      expect(r.body).to.not.include(PASSWORD);
      await srv.app.stores.flush();
      const disk = storedText(srv.config.dataDir);
      expect(disk).to.include('"username":"casey"');
      expect(disk).to.not.include(PASSWORD);
      expect(disk).to.match(/"passwordHash":"scrypt\$32768\$8\$3\$/);
    });

    it('answers 409 for a username that exists (in any case)', async () => {
      await addStaff(srv.base, { username: 'dup', displayName: 'Dup' });
      const r = await request('POST', `${srv.base}/api/staff`, { username: 'DUP', password: PASSWORD, displayName: 'Other', role: 'agent' }, admin);
      expect(r.status).to.equal(409);
      expect(r.json).to.deep.equal({ code: 'UsernameTaken', message: 'There is already an account "dup".' });
    });

    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ['a short password', { password: 'Short-1' }, /too short: use at least 12/],
      ['a common password', { password: 'Password-2024-xx' }, /contains "password"/],
      ['the username in the password', { password: 'weakling-pw-7733' }, /must not contain the username/],
      ['too few different characters', { password: 'aaaaaaaaaaaaabbb' }, /at least 5 different/],
      ['a bad role', { role: 'admin' }, /"role" must be one of agent, supervisor/],
      ['an unknown team', { teams: ['sales'] }, /"teams" must be a non-empty list/],
      ['markup in the display name', { displayName: '<img src=x onerror=alert(1)>' }, /"displayName" must be a name/],
      ['a bad username', { username: '../etc' }, /"username" must be 2 to 32 characters/],
      ['an unknown field', { admin: true }, /Unknown field "admin"/],
      ['a missing password', { password: undefined }, /"password" must be text/],
    ];
    for (const [what, change, reason] of bad) {
      it(`answers 400 with the reason for ${what}`, async () => {
        const r = await request('POST', `${srv.base}/api/staff`, { username: 'weakling', password: PASSWORD, displayName: 'Weak', role: 'agent', ...change }, admin);
        expect(r.status, r.body).to.equal(400);
        expect(r.json.message).to.match(reason);
      });
    }

    it('needs the admin token (401 without it or with a wrong one, 403 when none is configured)', async () => {
      const body = { username: 'nobody', password: PASSWORD, displayName: 'No', role: 'agent' };
      expect((await request('POST', `${srv.base}/api/staff`, body)).status).to.equal(401);
      expect((await request('POST', `${srv.base}/api/staff`, body, { authorization: 'Bearer wrong' })).status).to.equal(401);
      const off = await startServer({});
      try { expect((await request('POST', `${off.base}/api/staff`, body, admin)).status).to.equal(403); } finally { await off.close(); }
    });
  });

  describe('signing in and out', () => {
    before(async () => { await addStaff(srv.base, { username: 'sam', displayName: 'Sam Lee' }); });

    it('sets an HttpOnly, SameSite=Strict session cookie and answers {csrfToken, displayName, role}', async () => {
      const r = await request('POST', `${srv.base}/api/desk/login`, { username: 'Sam', password: PASSWORD });
      expect(r.status).to.equal(200);
      expect(r.json).to.include({ displayName: 'Sam Lee', role: 'agent', username: 'sam', availability: 'available' });
      expect(r.json.csrfToken).to.be.a('string').with.length.greaterThan(20);
      const cookie = r.headers['set-cookie']![0];
      expect(cookie).to.match(/^desk_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/);
      expect(r.headers['cache-control']).to.equal('no-store');
    });

    it('marks the cookie Secure behind HTTPS (a trusted proxy says so)', async () => {
      const proxied = await startServer({ ADMIN_TOKEN, TRUST_PROXY: 'true' });
      try {
        await addStaff(proxied.base, { username: 'sam', displayName: 'Sam' });
        const r = await request('POST', `${proxied.base}/api/desk/login`, { username: 'sam', password: PASSWORD }, { 'x-forwarded-proto': 'https' });
        expect(r.headers['set-cookie']![0]).to.match(/; Secure$/);
      } finally { await proxied.close(); }
    });

    it('answers 401 with the same words for a wrong password and an unknown user', async () => {
      const wrong = await request('POST', `${srv.base}/api/desk/login`, { username: 'sam', password: 'not-the-password-1' });
      const unknown = await request('POST', `${srv.base}/api/desk/login`, { username: 'nobody-here', password: 'not-the-password-1' });
      expect(wrong.status).to.equal(401);
      expect(unknown.status).to.equal(401);
      expect(unknown.json).to.deep.equal(wrong.json);
      expect(wrong.headers['set-cookie']).to.equal(undefined);
    });

    it('answers 400 for a body that is not {username, password}', async () => {
      for (const body of [{}, { username: 'sam' }, { username: 5, password: 'x' }, '[]']) {
        expect((await request('POST', `${srv.base}/api/desk/login`, body)).status, JSON.stringify(body)).to.equal(400);
      }
      expect((await request('POST', `${srv.base}/api/desk/login`, 'username=sam', { 'content-type': 'application/x-www-form-urlencoded' })).status).to.equal(415);
    });

    it('signs out on every request at once: the old cookie answers 401 afterwards', async () => {
      const sam = await Agent.login(srv.base, 'sam');
      expect((await sam.get('/api/desk/me')).status).to.equal(200);
      const out = await sam.post('/api/desk/logout');
      expect(out.status).to.equal(200);
      expect(out.headers['set-cookie']![0]).to.match(/^desk_session=; .*Max-Age=0/);
      const after = await sam.get('/api/desk/me');
      expect(after.status).to.equal(401);
      expect(after.json.code).to.equal('NotSignedIn');
    });

    it('gives a reloaded page its CSRF token again from /api/desk/me (the cookie is all it has)', async () => {
      const sam = await Agent.login(srv.base, 'sam');
      const me = await sam.get('/api/desk/me');
      expect(me.json.csrfToken).to.equal(sam.csrf);
      expect(me.json).to.include({ username: 'sam', openChats: 0, maxChats: 3 });
      expect(me.json).to.not.have.property('passwordHash');
    });

    it('answers 401 on every desk route without a session, and with a customer\'s Direct Line token', async () => {
      const customer = await WebCustomer.start(srv.base);
      for (const [method, path, body] of ROUTES) {
        for (const headers of [{}, { authorization: `Bearer ${customer.token}` }, { cookie: `desk_session=${customer.token}` }, { cookie: 'desk_session=forged' }] as Array<Record<string, string>>) {
          const r = await request(method, `${srv.base}${path}`, body, headers);
          expect(r.status, `${method} ${path} ${JSON.stringify(headers).slice(0, 40)}`).to.equal(401);
          expect(r.json.code).to.equal('NotSignedIn');
        }
      }
    });

    it('answers 403 to a state-changing request without the CSRF token, with a wrong one, or from another origin', async () => {
      const sam = await Agent.login(srv.base, 'sam');
      for (const [method, path, body] of ROUTES.filter(([m]) => m === 'POST')) {
        const none = await request(method, `${srv.base}${path}`, body, { cookie: sam.cookie });
        expect(none.status, `${path} without`).to.equal(403);
        expect(none.json.code).to.equal('CsrfTokenMissing');
        const wrong = await sam.post(path, body, { 'x-csrf-token': 'x'.repeat(32) });
        expect(wrong.status, `${path} wrong`).to.equal(403);
        expect(wrong.json.code).to.equal('CsrfTokenWrong');
        const elsewhere = await sam.post(path, body, { origin: 'https://evil.example' });
        expect(elsewhere.status, `${path} cross-origin`).to.equal(403);
      }
      // another session's token does not count either
      const other = await Agent.login(srv.base, 'sam');
      expect((await sam.post('/api/desk/availability', { availability: 'away' }, { 'x-csrf-token': other.csrf })).status).to.equal(403);
      expect((await sam.post('/api/desk/availability', { availability: 'away' })).status).to.equal(200);
    });

    it('sets availability (400 for anything but available or away)', async () => {
      const sam = await Agent.login(srv.base, 'sam');
      expect((await sam.post('/api/desk/availability', { availability: 'away' })).json.availability).to.equal('away');
      expect((await sam.post('/api/desk/availability', { availability: 'asleep' })).status).to.equal(400);
      expect((await sam.get('/api/desk/me')).json.availability).to.equal('away');
    });
  });
});

describe('desk sign-in limits and expiry', () => {
  it('limits failed sign-ins per account (429 with Retry-After, even for the right password), then per address', async () => {
    const srv = await startServer({ ADMIN_TOKEN, DESK_LOGIN_FAILURES_PER_ACCOUNT: '3', DESK_LOGIN_FAILURES_PER_ADDRESS: '5' });
    try {
      await addStaff(srv.base, { username: 'target', displayName: 'Target' });
      await addStaff(srv.base, { username: 'bystander', displayName: 'Bystander' });
      const attempt = (username: string, password: string) => request('POST', `${srv.base}/api/desk/login`, { username, password });
      for (let i = 0; i < 3; i++) expect((await attempt('target', `guess-number-${i}-xyz`)).status).to.equal(401);
      const blocked = await attempt('target', PASSWORD);
      expect(blocked.status).to.equal(429);
      expect(Number(blocked.headers['retry-after'])).to.be.within(1, 900);
      expect(blocked.json.message).to.match(/Too many failed sign-ins for this account/);
      // another account from the same address still signs in, until the address has failed too often
      expect((await attempt('bystander', PASSWORD)).status).to.equal(200);
      for (let i = 0; i < 2; i++) expect((await attempt(`ghost${i}`, 'guess-number-xyz-1')).status).to.equal(401);
      const byAddress = await attempt('bystander', PASSWORD);
      expect(byAddress.status).to.equal(429);
      expect(byAddress.json.message).to.match(/from this address/);
    } finally { await srv.close(); }
  });

  it('ends a session at its expiry (401 SessionExpired), on the page\'s next request', async () => {
    const srv = await startServer({ ADMIN_TOKEN, DESK_SESSION_TTL_SECONDS: '5' });
    try {
      await addStaff(srv.base, { username: 'sam', displayName: 'Sam' });
      const sam = await Agent.login(srv.base, 'sam');
      expect((await sam.get('/api/desk/queue')).status).to.equal(200);
      await new Promise((r) => setTimeout(r, 5200));
      const r = await sam.get('/api/desk/queue');
      expect(r.status).to.equal(401);
      expect(r.json.code).to.equal('SessionExpired');
    } finally { await srv.close(); }
  });
});
