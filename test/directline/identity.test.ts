import { expect } from 'chai';
import { startServer, request, type TestServer } from '../support/server.js';
import { CASE } from '../support/cases.js';
import { CustomerCookies, CUSTOMER_COOKIE } from '../../src/directline/customerCookie.js';

const SECRET = 'cookie-test-secret-0123456789abcdef';
const cookieOf = (setCookie: string | string[] | undefined) => String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0];

/** A web customer who comes back later from the same browser is the same customer (issue 13, item 1). */
describe('the web customer\'s lasting identity', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer({ CUSTOMER_COOKIE_SECRET: SECRET }); });
  after(async () => { await srv.close(); });
  const token = (cookie?: string, origin?: string) => request('POST', `${srv.base}/api/directline/token`, {}, { ...(cookie ? { cookie } : {}), ...(origin ? { origin } : {}) });

  it('sets a signed HttpOnly, SameSite=Strict cookie and gives the same user id to the same browser later', async () => {
    const first = await token();
    expect(first.json.returning).to.equal(false);
    const set = String(first.headers['set-cookie']);
    expect(set).to.match(new RegExp(`^${CUSTOMER_COOKIE}=`)).and.match(/HttpOnly/).and.match(/SameSite=Strict/).and.match(/Max-Age=\d+/);
    const later = await token(cookieOf(first.headers['set-cookie']));
    expect(later.json.userId).to.equal(first.json.userId);
    expect(later.json.returning).to.equal(true);
    expect(later.json.conversationId, 'a new chat each visit').to.not.equal(first.json.conversationId);
  });

  const bad: Array<[string, (good: string) => string]> = [
    ['tampered (another user id, same signature)', (good) => { const [b, s] = good.split('=')[1].split('.'); const c = JSON.parse(Buffer.from(b, 'base64url').toString()); c.u = 'dl_someoneElse1234'; return `${CUSTOMER_COOKIE}=${Buffer.from(JSON.stringify(c)).toString('base64url')}.${s}`; }],
    ['signed with another secret', () => cookieOf(new CustomerCookies('another-secret-0123456789abcdef', 3600).issue('dl_victim12345', 'x', false))],
    ['expired', () => cookieOf(new CustomerCookies(SECRET, 60, () => Date.now() - 3600_000).issue('dl_expired12345', new URL(srv.base).origin, false))],
    ['garbage', () => `${CUSTOMER_COOKIE}=not.a-cookie`],
  ];
  for (const [name, make] of bad) {
    it(`a ${name} cookie gets a fresh anonymous identity, never the one it names`, async () => {
      const good = cookieOf((await token()).headers['set-cookie']);
      const claimed = make(good);
      const r = await token(claimed);
      expect(r.status).to.equal(200);
      expect(r.json.returning).to.equal(false);
      expect(r.json.userId).to.match(/^dl_/).and.not.equal('dl_someoneElse1234').and.not.equal('dl_victim12345').and.not.equal('dl_expired12345');
    });
  }

  it('a cookie issued for one site and replayed from another origin gets a fresh identity', async () => {
    const mine = await token(undefined, 'https://shop.example');
    const replayed = await token(cookieOf(mine.headers['set-cookie']), 'https://evil.example');
    expect(replayed.json.userId).to.not.equal(mine.json.userId);
    expect(String(mine.headers['set-cookie'])).to.match(/Secure/);
  });

  it('forgets the device: the cookie is cleared and the next chat is a new customer', async () => {
    const r = await request('POST', `${srv.base}/api/directline/forget`, {});
    expect(r.status).to.equal(200);
    expect(String(r.headers['set-cookie'])).to.match(new RegExp(`^${CUSTOMER_COOKIE}=;`)).and.match(/Max-Age=0/);
  });

  it('a returning customer follows up a case opened on an earlier visit; another browser cannot see it', async () => {
    const visit1 = await token();
    const auth1 = { authorization: `Bearer ${visit1.json.token}` };
    const url1 = `${srv.base}/v3/directline/conversations/${visit1.json.conversationId}/activities`;
    let say = 'I want to talk to a person', number: string | undefined;
    for (let i = 0; i < 6 && !number; i++) {
      await request('POST', url1, { type: 'message', text: say }, auth1);
      const h = await request('GET', url1, undefined, auth1);
      number = JSON.stringify(h.json.activities).match(CASE)?.[0];
      const offer = h.json.activities.filter((a: { suggestedActions?: unknown }) => a.suggestedActions).at(-1);
      say = offer?.suggestedActions.actions[0].value ?? 'phone';
    }
    expect(number).to.match(CASE);
    const ask = async (cookie: string | undefined, text: string) => {
      const t = await token(cookie);
      const url = `${srv.base}/v3/directline/conversations/${t.json.conversationId}/activities`;
      await request('POST', url, { type: 'message', text }, { authorization: `Bearer ${t.json.token}` });
      const h = await request('GET', url, undefined, { authorization: `Bearer ${t.json.token}` });
      return JSON.stringify(h.json.activities.filter((a: { from: { role: string } }) => a.from.role === 'bot').slice(1));
    };
    const returning = await ask(cookieOf(visit1.headers['set-cookie']), `what is the status of case ${number}`);
    expect(returning).to.include(number);
    expect(returning).to.not.match(/couldn't find/i);
    const stranger = await ask(undefined, `what is the status of case ${number}`);
    expect(stranger).to.match(/couldn't find|could not find/i);
  });
});
