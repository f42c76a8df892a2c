import { expect } from 'chai';
import http from 'node:http';
import { join } from 'node:path';
import { type Browser, type FrameLocator, type Page } from 'playwright-core';
import { startServer, type TestServer } from '../support/server.js';
import { ARTIFACTS, launchChromium } from '../support/browser.js';


/** A browser tab of its own (own context: own sessionStorage), with every problem it reports. */
interface Tab { page: Page; problems: string[] }

/**
 * The support page in a real browser: Web Chat from the installed bundle, over the self-hosted
 * Direct Line, answering a login problem with buttons, and keeping the history across a reload.
 * Each test opens its own tabs and conversation and ends by checking they logged no script
 * error, CSP violation or failed request, so none depends on another having run before it.
 */
describe('web chat page in headless Chromium', function () {
  this.timeout(120_000);
  let srv: TestServer;
  let browser: Browser;
  const tabs: Tab[] = [];

  before(async () => {
    srv = await startServer();
    browser = await launchChromium();
  });
  afterEach(async () => { await Promise.all([...new Set(tabs.splice(0).map((t) => t.page.context()))].map((c) => c.close())); });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  /** A tab in a new browser context, or beside `besides` in its context (same cookies and origin storage). */
  async function openTab(options: Parameters<Browser['newContext']>[0] = { viewport: { width: 1200, height: 860 } }, besides?: Tab): Promise<Tab> {
    const page = await (besides ? besides.page.context() : await browser.newContext(options)).newPage();
    const tab: Tab = { page, problems: [] };
    page.on('console', (m) => { if (m.type() === 'error') tab.problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => tab.problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => tab.problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    tabs.push(tab);
    return tab;
  }
  const noProblems = (tab: Tab) => expect(tab.problems, 'console errors, page errors, failed requests').to.deep.equal([]);

  const botMessages = (page: Page) => page.locator('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content');
  const userMessages = (page: Page) => page.locator('.webchat__bubble--from-user .webchat__bubble__content');
  const sendBox = (page: Page) => page.getByRole('textbox').last();
  async function waitForMore(count: () => Promise<number>, than: number, what: string): Promise<void> {
    for (const t0 = Date.now(); (await count()) <= than;) {
      if (Date.now() - t0 > 30_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  /** Opens `/`, waits for the greeting, and says `text` (which must appear as the customer's). */
  async function startChat(page: Page, text: string): Promise<void> {
    const res = await page.goto(`${srv.base}/`);
    expect(res?.status()).to.equal(200);
    await botMessages(page).filter({ hasText: /T-Mobile Support Assistant/ }).first().waitFor({ timeout: 30_000 });
    await sendBox(page).fill(text);
    await sendBox(page).press('Enter');
    await userMessages(page).filter({ hasText: text }).waitFor();
  }
  /** Waits until Web Chat says it is connected (its "Connecting…" notice is gone). */
  const connected = (where: Page | FrameLocator) => where.locator('.webchat__connectivityStatus').filter({ hasText: /connecting/i }).waitFor({ state: 'detached', timeout: 10_000 });

  it('opens /, greets, answers a login problem with buttons, and routes a click', async () => {
    const tab = await openTab();
    const { page } = tab;
    await startChat(page, 'cant log in to my account');
    expect(await page.title()).to.match(/T-Mobile/);
    // the login dialog answers with a question and its buttons (website or app)
    await botMessages(page).filter({ hasText: /website or in the/i }).first().waitFor({ timeout: 20_000 });
    const buttons = page.locator('.webchat__suggested-actions button');
    await buttons.first().waitFor({ timeout: 20_000 });
    const titles = (await buttons.allTextContents()).map((t) => t.trim());
    expect(titles).to.include.members(['Website', 'App']);

    await page.screenshot({ path: join(ARTIFACTS, 'webchat-buttons.png'), fullPage: true });

    const answered = await botMessages(page).count();
    await buttons.filter({ hasText: 'Website' }).first().click();
    await userMessages(page).filter({ hasText: 'Website' }).waitFor();
    await waitForMore(() => botMessages(page).count(), answered + 1, 'the sign-in steps and the follow-up question');
    const latest = (await botMessages(page).allTextContents()).slice(answered);
    expect(latest.join('\n')).to.match(/sign in on the website/i);
    expect(latest.at(-1)).to.match(/did that get you in/i);
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-conversation.png'), fullPage: true });
    noProblems(tab);
  });

  it('keeps the conversation after a reload (sessionStorage token, same conversation, history replayed)', async () => {
    const tab = await openTab();
    const { page } = tab;
    await startChat(page, 'cant log in to my account');
    await botMessages(page).filter({ hasText: /website or in the/i }).first().waitFor({ timeout: 20_000 });
    const saved = await page.evaluate(() => JSON.parse((globalThis as any).sessionStorage.getItem('support-bot.directline') ?? 'null'));
    expect(saved.conversationId).to.be.a('string');
    expect(saved.started).to.equal(true);
    expect(Number(saved.watermark)).to.be.greaterThan(2);
    const textsBefore = await page.locator('.webchat__bubble__content').allTextContents();

    await page.reload();
    await userMessages(page).filter({ hasText: 'cant log in to my account' }).waitFor({ timeout: 30_000 });
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('.webchat__bubble__content').length >= n, textsBefore.length);
    const textsAfter = await page.locator('.webchat__bubble__content').allTextContents();
    expect(textsAfter.slice(0, textsBefore.length)).to.deep.equal(textsBefore);
    const again = await page.evaluate(() => JSON.parse((globalThis as any).sessionStorage.getItem('support-bot.directline') ?? 'null'));
    expect(again.conversationId).to.equal(saved.conversationId);
    // only one welcome: the reload resumed, it did not start over
    expect(textsAfter.filter((t) => /T-Mobile Support Assistant/.test(t))).to.have.length(1);

    // and the resumed conversation goes on where it was: the login question is still open
    const answered = await botMessages(page).count();
    await sendBox(page).fill('website');
    await sendBox(page).press('Enter');
    await waitForMore(() => botMessages(page).count(), answered, 'an answer after the reload');
    expect((await botMessages(page).allTextContents()).slice(answered).join('\n')).to.match(/sign in on the website/i);
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-after-reload.png'), fullPage: true });
    noProblems(tab);
  });

  it('starts a new conversation in a second tab of the same browser (the token is kept per tab)', async () => {
    const first = await openTab();
    await startChat(first.page, 'cant log in to my account');
    const second = await openTab(undefined, first);
    await second.page.goto(`${srv.base}/`);
    await botMessages(second.page).filter({ hasText: /T-Mobile Support Assistant/ }).first().waitFor({ timeout: 30_000 });
    await connected(second.page);
    expect(await userMessages(second.page).count(), 'none of the first tab\'s messages').to.equal(0);
    const ids = await Promise.all([first, second].map((t) => t.page.evaluate(() => JSON.parse((globalThis as any).sessionStorage.getItem('support-bot.directline') ?? 'null')?.conversationId)));
    expect(ids[0]).to.be.a('string').and.not.equal(ids[1]);
    noProblems(first);
    noProblems(second);
  });

  it('lets a returning visitor follow up a case opened on an earlier visit; another browser cannot, nor this one once forgotten', async () => {
    const CASE = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/;
    /** Opens `/` in `tab`, waits until connected, says `text`, and returns the bot's words after it. */
    async function ask(tab: Tab, text: string, until: RegExp): Promise<string> {
      const { page } = tab;
      if (!page.url().startsWith(srv.base)) await page.goto(`${srv.base}/`);
      await botMessages(page).first().waitFor({ timeout: 30_000 });
      await connected(page);
      const before = await botMessages(page).count();
      await sendBox(page).fill(text);
      await sendBox(page).press('Enter');
      await botMessages(page).filter({ hasText: until }).nth(0).waitFor({ timeout: 30_000 });
      return (await botMessages(page).allTextContents()).slice(before).join('\n');
    }
    // first visit: the customer asks for a person and, with nobody on duty, takes the first
    // alternative offered each time until a case is opened
    const visit1 = await openTab();
    await startChat(visit1.page, 'I want to talk to a person');
    let number: string | undefined;
    for (let i = 0; i < 6 && !number; i++) {
      const buttons = visit1.page.locator('.webchat__suggested-actions button');
      const seen = await botMessages(visit1.page).count();
      await waitForMore(() => botMessages(visit1.page).count(), i === 0 ? 1 : seen - 1, 'the bot\'s answer');
      number = (await botMessages(visit1.page).allTextContents()).join('\n').match(CASE)?.[0];
      if (number) break;
      await buttons.first().waitFor({ timeout: 20_000 });
      await buttons.first().click();
      await waitForMore(() => botMessages(visit1.page).count(), seen, 'an answer to the button');
      await new Promise((r) => setTimeout(r, 300));
      number = (await botMessages(visit1.page).allTextContents()).join('\n').match(CASE)?.[0];
    }
    expect(number, 'a case number shown on the first visit').to.match(CASE);
    const cookies = await visit1.page.context().cookies();
    expect(cookies.map((c) => c.name)).to.include('sb_customer');
    expect(cookies.find((c) => c.name === 'sb_customer')!.httpOnly, 'the page script cannot read it').to.equal(true);
    await visit1.page.close();

    // a later visit in the same browser (a new tab: a new chat) knows the case
    const visit2 = await openTab(undefined, visit1);
    await visit2.page.goto(`${srv.base}/`);
    expect(await visit2.page.locator('.device').textContent()).to.match(/remembered on this device/);
    const followUp = await ask(visit2, `what is the status of case ${number}`, new RegExp(number!));
    expect(followUp, 'the case\'s status').to.include(`Case ${number} is`);
    expect(followUp).to.not.match(/couldn.t find|could not find/i);

    // another browser profile asking about the same number learns nothing about it
    const stranger = await openTab();
    const strangerSees = await ask(stranger, `what is the status of case ${number}`, /couldn.t find|could not find/i);
    expect(strangerSees).to.not.include(`Case ${number} is`);

    // "Forget this device": the page says so, and the next chat is a new customer's
    await visit2.page.getByRole('button', { name: 'Forget this device' }).click();
    await visit2.page.locator('#chat-status').filter({ hasText: /forgotten/ }).waitFor({ timeout: 30_000 });
    const after = await visit2.page.context().cookies();
    expect(after.find((c) => c.name === 'sb_customer')?.value).to.not.equal(cookies.find((c) => c.name === 'sb_customer')!.value);
    const forgotten = await ask(visit2, `what is the status of case ${number}`, /couldn.t find|could not find/i);
    expect(forgotten).to.not.include(`Case ${number} is`);
    for (const tab of [visit2, stranger]) noProblems(tab);
  });

  it('fits a phone screen: the chat and its send box are in view without scrolling', async () => {
    const tab = await openTab({ viewport: { width: 390, height: 760 }, isMobile: true, hasTouch: true });
    const phone = tab.page;
    await phone.goto(`${srv.base}/`);
    await phone.locator('.webchat__bubble__content').first().waitFor({ timeout: 30_000 });
    await connected(phone);
    const box = await phone.getByRole('textbox').last().boundingBox();
    expect(box, 'send box').to.not.equal(null);
    expect(box!.y + box!.height).to.be.at.most(760);
    await phone.screenshot({ path: join(ARTIFACTS, 'webchat-phone.png') });
    noProblems(tab);
  });

  it('shows the floating button from /embed.js on another page and opens the chat in it', async () => {
    // a website owner's page on another origin: only the pasted snippet comes from the bot
    const shop = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body style="font-family:sans-serif"><h1>Our shop</h1><p>Phones and plans.</p>`
        + `<script src="${srv.base}/embed.js" async></script></body></html>`);
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', () => r()));
    try {
      const tab = await openTab({ viewport: { width: 1000, height: 800 } });
      const site = tab.page;
      await site.goto(`http://localhost:${(shop.address() as { port: number }).port}/`);
      const launch = site.getByRole('button', { name: 'Chat with us' });
      await launch.click();
      expect(await launch.getAttribute('aria-expanded')).to.equal('true');
      const frame = site.frameLocator('iframe[title$="support chat"]');
      await frame.locator('.webchat__bubble__content').filter({ hasText: /T-Mobile Support Assistant/ }).first().waitFor({ timeout: 30_000 });
      await connected(frame);
      await site.screenshot({ path: join(ARTIFACTS, 'embed-widget.png') });
      await site.keyboard.press('Escape');
      expect(await launch.getAttribute('aria-expanded')).to.equal('false');
      noProblems(tab);
    } finally {
      await new Promise<void>((r) => { shop.closeAllConnections(); shop.close(() => r()); });
    }
  });
});
