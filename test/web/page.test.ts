import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { startServer, request, type TestServer } from '../support/server.js';
import { webChatBundlePath } from '../../src/web/routes.js';

const SECRET = 'page-test-secret-never-in-a-browser-0123';

describe('support page, assets and embed script', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer({ DIRECTLINE_TOKEN_SECRET: SECRET }); });
  after(async () => { await srv.close(); });

  it('GET / is a branded, accessible page with a strict CSP', async () => {
    const r = await request('GET', `${srv.base}/`);
    expect(r.status).to.equal(200);
    expect(r.headers['content-type']).to.match(/^text\/html/);
    expect(r.body).to.match(/<html lang="en"/);
    expect(r.body).to.include('<title>T-Mobile Support');
    expect(r.body).to.include('--brand: #E20074');
    expect(r.body).to.match(/<h1[^>]*>/);
    expect(r.body).to.include('src="/static/webchat.js"');
    expect(r.body).to.not.match(/<script>(?!<\/script>)/); // no inline scripts: the CSP forbids them
    const csp = String(r.headers['content-security-policy']);
    expect(csp).to.include("script-src 'self'");
    expect(csp).to.match(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+/);
    expect(csp).to.include("frame-ancestors 'self'");
    expect(csp).to.not.match(/unsafe-eval|https?:\/\/(?!127)/);
    expect(r.headers['x-content-type-options']).to.equal('nosniff');
    expect(r.headers['x-frame-options']).to.equal('SAMEORIGIN');
    expect(r.headers['referrer-policy']).to.equal('no-referrer');
  });

  it('the embed page may be framed by websites, and shows only the chat', async () => {
    const r = await request('GET', `${srv.base}/?embed=1`);
    expect(r.status).to.equal(200);
    expect(r.body).to.include('class="embed"');
    expect(String(r.headers['content-security-policy'])).to.include('frame-ancestors *');
    expect(r.headers['x-frame-options']).to.equal(undefined);
  });

  it('serves Web Chat from the installed package, not a CDN', async () => {
    const r = await request('GET', `${srv.base}/static/webchat.js`);
    expect(r.status).to.equal(200);
    expect(r.headers['content-type']).to.match(/javascript/);
    expect(Number(r.headers['content-length'])).to.equal(readFileSync(webChatBundlePath()).length);
    for (const name of ['chat.js', 'chat.css', 'icon.svg']) expect((await request('GET', `${srv.base}/static/${name}`)).status, name).to.equal(200);
    const missing = await request('GET', `${srv.base}/static/..%2Fpackage.json`);
    expect(missing.status).to.equal(404);
  });

  it('GET /embed.js is a script with the brand filled in, loadable from other sites', async () => {
    const r = await request('GET', `${srv.base}/embed.js`);
    expect(r.status).to.equal(200);
    expect(r.headers['content-type']).to.match(/javascript/);
    expect(r.headers['cross-origin-resource-policy']).to.equal('cross-origin');
    expect(r.body).to.include('var name = "T-Mobile"');
    expect(r.body).to.include('"#E20074"');
    expect(r.body).to.not.match(/\{\{\w+\}\}/);
  });

  it('never sends the Direct Line secret to a browser', async () => {
    for (const path of ['/', '/?embed=1', '/static/chat.js', '/embed.js']) {
      expect((await request('GET', `${srv.base}${path}`)).body, path).to.not.include(SECRET);
    }
    const t = await request('POST', `${srv.base}/api/directline/token`, {});
    expect(t.body).to.not.include(SECRET);
  });
});

describe('support page with ALLOWED_ORIGINS', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer({ ALLOWED_ORIGINS: 'https://shop.example' }); });
  after(async () => { await srv.close(); });

  it('lets only the allowed websites frame the embed page', async () => {
    const r = await request('GET', `${srv.base}/?embed=1`);
    expect(String(r.headers['content-security-policy'])).to.include("frame-ancestors 'self' https://shop.example");
  });
});
