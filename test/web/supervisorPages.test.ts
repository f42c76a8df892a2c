import { expect } from 'chai';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { request, say, startServer, type TestServer } from '../support/server.js';
import { addStaff, ADMIN_TOKEN, PASSWORD } from '../support/desk.js';
import { ARTIFACTS, launchChromium } from '../support/browser.js';


/**
 * The supervisors' pages in Debian's Chromium: the insights charts render from the real figures
 * (Chart.js served by the bot, under the strict CSP), and the review loop works end to end:
 * label a group → the bot retrains in the background → the same message is understood.
 */
describe('supervisors\' pages in headless Chromium', function () {
  this.timeout(240_000);
  let srv: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    srv = await startServer({ ADMIN_TOKEN });
    await addStaff(srv.base, { username: 'kim', displayName: 'Kim Lee', role: 'supervisor' });
    await addStaff(srv.base, { username: 'sam', displayName: 'Sam Rivera' });
    // a day of conversations: solved and rated, not understood, and a person asked for
    for (const text of ['my bill is wrong', 'yes', 'bye', 'yes', '4']) await say(srv.base, 'solved', text);
    await say(srv.base, 'fone-1', 'my fone is kaput');
    await say(srv.base, 'fone-2', 'my fone is kaput');
    await say(srv.base, 'fone-3', 'fone kaput');
    for (const text of ['purple monkey dishwasher', 'talk to a person', 'call me back', 'This afternoon', 'skip']) await say(srv.base, 'person', text);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  async function signIn(username: string): Promise<void> {
    await page.locator('#login-username').waitFor();
    await page.fill('#login-username', username);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-form button[type=submit]');
  }

  it('asks to sign in, and tells an agent the pages are for supervisors', async () => {
    const res = await page.goto(`${srv.base}/desk/insights`);
    expect(res?.status()).to.equal(200);
    expect(res?.headers()['content-security-policy']).to.include("script-src 'self'");
    await signIn('sam');
    await page.locator('#login-error', { hasText: 'for supervisors' }).waitFor();
    expect(await page.locator('#page').isHidden()).to.equal(true);
  });

  it('/desk/insights draws the five charts from the figures, with tiles, tables and a CSV export', async () => {
    // the page asked who was signed in before: that 401 was expected
    problems.length = 0;
    await signIn('kim');
    await page.locator('#kpis li').first().waitFor();
    // what Chart.js drew, read in the page (the page keeps its charts on window.insightsCharts)
    await page.waitForFunction(() => Object.keys((globalThis as unknown as { insightsCharts: object }).insightsCharts).length === 5);
    const drawn = await page.evaluate(() => {
      const charts = (globalThis as unknown as { insightsCharts: Record<string, { data: { labels: unknown[]; datasets: Array<{ data: number[] }> }; canvas: { width: number; height: number } }> }).insightsCharts;
      return Object.fromEntries(Object.entries(charts).map(([k, c]) => [k, {
        labels: c.data.labels.length, sums: c.data.datasets.map((d) => d.data.reduce((a, b) => a + b, 0)), width: c.canvas.width, height: c.canvas.height,
      }]));
    });
    // the day's conversations: 5, one of them escalated (a call back)
    expect(drawn.daily.sums).to.deep.equal([4, 1]);
    expect(drawn.daily.labels).to.equal(30);
    expect(drawn.csat.sums).to.deep.equal([1]);
    expect(drawn.hours.labels).to.equal(24);
    expect(drawn.topics.labels).to.be.greaterThan(0);
    for (const [name, c] of Object.entries(drawn)) expect(c.width * c.height, `${name} has pixels`).to.be.greaterThan(10_000);
    const tiles = await page.locator('#kpis li').allInnerTexts();
    expect(tiles[0]).to.match(/Conversations\s+5/);
    expect(tiles.join('\n')).to.match(/Went to a person \(escalated\)\s+20%/);
    expect(await page.locator('#table-csat td').allTextContents(), 'the numbers behind the chart').to.deep.equal(['0', '0', '0', '1', '0']);
    // the CSV link downloads the same period with the session
    const href = await page.getAttribute('#csv', 'href');
    expect(href).to.match(/^\/api\/insights\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&tz=[^&]+&format=csv$/);
    const csv = await page.evaluate(async (url) => { const r = await fetch(url!); return { status: r.status, type: r.headers.get('content-type'), text: await r.text() }; }, href);
    expect(csv.status).to.equal(200);
    expect(csv.type).to.equal('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n')[1]).to.match(/^total,[^,]+,5,4,1,/);
    await page.screenshot({ path: join(ARTIFACTS, 'insights.png'), fullPage: true });
    expect(problems).to.deep.equal([]);
  });

  it('/desk/review: label a group → the bot retrains in the background → the same message is understood', async () => {
    await page.goto(`${srv.base}/desk/review`);
    const group = page.locator('li.group', { hasText: 'my fone is kaput' });
    await group.waitFor();
    expect(await group.locator('.group__head').innerText()).to.match(/3 messages/);
    expect(await group.locator('.not-understood').count()).to.equal(1);
    await group.locator('select').selectOption('tech_support');
    await group.locator('button', { hasText: 'Label' }).first().click();
    await page.locator('#status', { hasText: 'Labelled 3 as tech_support' }).waitFor();
    // the page shows the retrain, then the label learned (it polls while the model trains)
    await page.locator('#labels li', { hasText: 'my fone is kaput' }).first().locator('.understood').waitFor({ timeout: 120_000 });
    expect(await page.locator('#labels li .understood').count(), 'all three labels learned').to.equal(3);
    expect(await page.locator('#model-state').getAttribute('data-state')).to.equal('ready');
    expect(await page.locator('li.group', { hasText: 'my fone is kaput' }).count(), 'labelled messages leave the queue').to.equal(0);
    await page.screenshot({ path: join(ARTIFACTS, 'review.png'), fullPage: true });
    // and the bot itself now understands the message a customer wrote
    const now = await say(srv.base, 'fone-after', 'my fone is kaput');
    expect(now.texts.join(' ')).to.not.match(/didn't quite get that|not sure I understood/);
    const events = await srv.app.stores.outcomes.list({ from: new Date(0), to: new Date(Date.now() + 60_000), kinds: ['message'] });
    expect(events.filter((e) => e.conversationId === 'fone-after').map((e) => e.kind === 'message' && [e.reading, e.intent])).to.deep.equal([['routed', 'tech_support']]);
    expect(problems).to.deep.equal([]);
  });

  it('refuses a label from a supervisor session without the CSRF token', async () => {
    const cookie = (await context.cookies()).find((c) => c.name === 'desk_session')!;
    const r = await request('POST', `${srv.base}/api/review/labels`, { messageIds: ['x'], intent: 'billing' }, { cookie: `desk_session=${cookie.value}` });
    expect([r.status, r.json.code]).to.deep.equal([403, 'CsrfTokenMissing']);
  });
});
