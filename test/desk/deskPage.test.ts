import { expect } from 'chai';
import { join } from 'node:path';
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { startServer, request, tempDir, type TestServer } from '../support/server.js';
import { loadDeskLabels } from '../../src/desk/page.js';
import { ContentError } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';

/** What every page the product serves sends (issue 14, item 8): checked route by route. */
function expectPageHeaders(r: { headers: Record<string, unknown> }, route: string, framedBy = "'self'"): void {
  const csp = String(r.headers['content-security-policy']);
  expect(csp, route).to.include("default-src 'self'");
  expect(csp, route).to.include("script-src 'self';");
  expect(csp, route).to.not.match(/script-src[^;]*unsafe-inline|unsafe-eval/);
  expect(csp, route).to.include("object-src 'none'");
  expect(csp, route).to.include("base-uri 'none'");
  expect(csp, route).to.include(`frame-ancestors ${framedBy}`);
  expect(csp, route).to.match(/connect-src 'self'( ws:\/\/127\.0\.0\.1:\d+ wss:\/\/127\.0\.0\.1:\d+)?;/);
  expect(r.headers['x-content-type-options'], route).to.equal('nosniff');
  expect(r.headers['referrer-policy'], route).to.equal('no-referrer');
  expect(r.headers['cross-origin-opener-policy'], route).to.equal('same-origin');
  expect(r.headers['permissions-policy'], route).to.match(/camera=\(\)/);
}

describe('the desk page and the security headers of every page', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer({}); });
  after(async () => { await srv?.close(); });

  const ROUTES: Array<[string, RegExp, string?]> = [
    ['/', /^text\/html/],
    ['/?embed=1', /^text\/html/, '*'],
    ['/static/chat.js', /javascript/],
    ['/static/chat.css', /^text\/css/],
    ['/desk', /^text\/html/],
    ['/desk/desk.js', /javascript/],
    ['/desk/desk.css', /^text\/css/],
  ];
  for (const [route, type, framedBy] of ROUTES) {
    it(`GET ${route} sends the strict CSP and the other security headers`, async () => {
      const r = await request('GET', `${srv.base}${route}`);
      expect(r.status).to.equal(200);
      expect(r.headers['content-type']).to.match(type);
      expectPageHeaders(r, route, framedBy);
      if (!framedBy) expect(r.headers['x-frame-options']).to.equal('SAMEORIGIN');
    });
  }

  it('GET /desk/<anything else> is 404 with the same headers, and reads no other file', async () => {
    for (const name of ['nope.js', '..%2Fpackage.json', 'desk.html']) {
      const r = await request('GET', `${srv.base}/desk/${name}`);
      expect(r.status, name).to.equal(404);
      expectPageHeaders(r, name);
      expect(r.body).to.not.include('"dependencies"');
    }
  });

  it('the desk page has no inline script or event handler, its words from data/desk.yml and the brand', async () => {
    const r = await request('GET', `${srv.base}/desk`);
    expect(r.body).to.not.match(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(r.body).to.not.match(/\son[a-z]+=/i);
    expect(r.body).to.include('<title>T-Mobile Support desk</title>');
    expect(r.body).to.include('--brand: #E20074');
    expect(r.body).to.include('>Sign in to the desk<');
    expect(r.body).to.not.match(/\{\{[\w.]+\}\}/);
    const labels = JSON.parse(/data-labels="([^"]*)"/.exec(r.body)![1].replace(/&#(\d+);/g, (_m, c) => String.fromCharCode(Number(c))));
    expect(labels['queue.accept']).to.equal('Accept');
  });

  it('the desk script puts what people wrote on the page as text only', () => {
    const js = readFileSync(join(loadConfig({}).contentDir, '..', 'public', 'desk.js'), 'utf8');
    expect(js).to.not.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });

  it('a mistake in data/desk.yml stops start-up naming the file and key', () => {
    const dir = tempDir('desk-labels-');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'desk.yml'), 'title: "Desk"\nqueue:\n  accept: ""\n');
    expect(() => loadDeskLabels(dir)).to.throw(ContentError, /desk\.yml: queue\.accept/);
  });
});
