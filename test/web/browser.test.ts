import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT } from '../../src/config.js';
import { startServer, type TestServer } from '../support/server.js';

/** Debian's Chromium (`.ci/run` installs it); this test never skips. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts');

/**
 * The support page in a real browser: Web Chat from the installed bundle, over the self-hosted
 * Direct Line, answering a login problem with buttons, and keeping the history across a reload.
 */
describe('web chat page in headless Chromium', function () {
  this.timeout(120_000);
  let srv: TestServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    srv = await startServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 860 } });
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  const botMessages = () => page.locator('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content');
  const userMessages = () => page.locator('.webchat__bubble--from-user .webchat__bubble__content');
  const sendBox = () => page.getByRole('textbox').last();
  async function waitForMore(count: () => Promise<number>, than: number, what: string): Promise<void> {
    for (const t0 = Date.now(); (await count()) <= than;) {
      if (Date.now() - t0 > 30_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('opens /, greets, answers a login problem with buttons, and routes a click', async () => {
    const res = await page.goto(`${srv.base}/`);
    expect(res?.status()).to.equal(200);
    expect(await page.title()).to.match(/T-Mobile/);
    await botMessages().filter({ hasText: /T-Mobile Support Assistant/ }).first().waitFor({ timeout: 30_000 });

    await sendBox().fill('cant log in to my account');
    await sendBox().press('Enter');
    await userMessages().filter({ hasText: 'cant log in to my account' }).waitFor();
    // the login dialog answers with a question and its buttons (website or app)
    await botMessages().filter({ hasText: /website or in the/i }).first().waitFor({ timeout: 20_000 });
    const buttons = page.locator('.webchat__suggested-actions button');
    await buttons.first().waitFor({ timeout: 20_000 });
    const titles = (await buttons.allTextContents()).map((t) => t.trim());
    expect(titles).to.include.members(['Website', 'App']);

    await page.screenshot({ path: join(ARTIFACTS, 'webchat-buttons.png'), fullPage: true });

    const answered = await botMessages().count();
    await buttons.filter({ hasText: 'Website' }).first().click();
    await userMessages().filter({ hasText: 'Website' }).waitFor();
    await waitForMore(() => botMessages().count(), answered + 1, 'the sign-in steps and the follow-up question');
    const latest = (await botMessages().allTextContents()).slice(answered);
    expect(latest.join('\n')).to.match(/sign in on the website/i);
    expect(latest.at(-1)).to.match(/did that get you in/i);
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-conversation.png'), fullPage: true });
  });

  it('keeps the conversation after a reload (sessionStorage token, same conversation, history replayed)', async () => {
    const saved = await page.evaluate(() => JSON.parse((globalThis as any).sessionStorage.getItem('support-bot.directline') ?? 'null'));
    expect(saved.conversationId).to.be.a('string');
    expect(saved.started).to.equal(true);
    expect(Number(saved.watermark)).to.be.greaterThan(3);
    const textsBefore = await page.locator('.webchat__bubble__content').allTextContents();

    await page.reload();
    await userMessages().filter({ hasText: 'cant log in to my account' }).waitFor({ timeout: 30_000 });
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('.webchat__bubble__content').length >= n, textsBefore.length);
    const textsAfter = await page.locator('.webchat__bubble__content').allTextContents();
    expect(textsAfter.slice(0, textsBefore.length)).to.deep.equal(textsBefore);
    const again = await page.evaluate(() => JSON.parse((globalThis as any).sessionStorage.getItem('support-bot.directline') ?? 'null'));
    expect(again.conversationId).to.equal(saved.conversationId);
    // only one welcome: the reload resumed, it did not start over
    expect(textsAfter.filter((t) => /T-Mobile Support Assistant/.test(t))).to.have.length(1);

    const answered = await botMessages().count();
    await sendBox().fill('my app keeps crashing');
    await sendBox().press('Enter');
    await waitForMore(() => botMessages().count(), answered, 'an answer after the reload');
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-after-reload.png'), fullPage: true });
  });

  it('fits a phone screen: the chat and its send box are in view without scrolling', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true });
    try {
      await phone.goto(`${srv.base}/`);
      await phone.locator('.webchat__bubble__content').first().waitFor({ timeout: 30_000 });
      await phone.locator('.webchat__connectivityStatus').filter({ hasText: /connecting/i }).waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
      const box = await phone.getByRole('textbox').last().boundingBox();
      expect(box, 'send box').to.not.equal(null);
      expect(box!.y + box!.height).to.be.at.most(760);
      await phone.screenshot({ path: join(ARTIFACTS, 'webchat-phone.png') });
    } finally { await phone.close(); }
  });

  it('loaded everything from this server with no CSP violation or script error', async () => {
    expect(problems).to.deep.equal([]);
  });

  it('shows the floating button from /embed.js on another page and opens the chat in it', async () => {
    // a website owner's page on another origin: only the pasted snippet comes from the bot
    const shop = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body style="font-family:sans-serif"><h1>Our shop</h1><p>Phones and plans.</p>`
        + `<script src="${srv.base}/embed.js" async></script></body></html>`);
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', () => r()));
    const site = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    try {
      await site.goto(`http://localhost:${(shop.address() as { port: number }).port}/`);
      const launch = site.getByRole('button', { name: 'Chat with us' });
      await launch.click();
      expect(await launch.getAttribute('aria-expanded')).to.equal('true');
      const frame = site.frameLocator('iframe[title$="support chat"]');
      await frame.locator('.webchat__bubble__content').filter({ hasText: /T-Mobile Support Assistant/ }).first().waitFor({ timeout: 30_000 });
      await frame.locator('.webchat__connectivityStatus').filter({ hasText: /connecting/i }).waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
      await site.screenshot({ path: join(ARTIFACTS, 'embed-widget.png') });
      await site.keyboard.press('Escape');
      expect(await launch.getAttribute('aria-expanded')).to.equal('false');
    } finally {
      await site.close();
      await new Promise<void>((r) => shop.close(() => r()));
    }
  });
});
