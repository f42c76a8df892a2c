import { expect } from 'chai';
import http from 'node:http';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { Content } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';
import { pageLanguage } from '../../src/web/routes.js';
import { request, startServer, type TestServer } from '../support/server.js';
import { ARTIFACTS, launchChromium } from '../support/browser.js';

const content = Content.load(loadConfig({}).contentDir);
const es = content.in('es'), en = content.in('en');

/**
 * The support page for a browser that prefers Spanish, in Debian's Chromium: the page, Web Chat's
 * own words and the bot's replies in Spanish, and the visible switch to English and back.
 */
describe('web chat page in Spanish (headless Chromium)', function () {
  this.timeout(120_000);
  let srv: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    srv = await startServer();
    browser = await launchChromium();
    // what a Spanish-speaking customer's browser says: navigator.languages and Accept-Language
    context = await browser.newContext({ locale: 'es-US', viewport: { width: 1200, height: 860 } });
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  const botMessages = () => page.locator('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content');
  const sendBox = () => page.getByRole('textbox').last();
  async function ask(text: string, expectReply: string): Promise<void> {
    await sendBox().fill(text);
    await sendBox().press('Enter');
    await botMessages().filter({ hasText: expectReply }).first().waitFor({ timeout: 30_000 });
  }
  /** The start of a message as Web Chat shows it: up to a placeholder, a new line or a quote (Markdown curls quotes). */
  const head = (w: typeof es, key: string) => w.list(key)[0].split(/[{\n'"]/)[0].slice(0, 40).trim();

  it('shows the page, Web Chat\'s own words and the switch in Spanish, and the bot answers in Spanish', async () => {
    const res = await page.goto(`${srv.base}/`);
    expect(res?.status()).to.equal(200);
    expect(await page.getAttribute('html', 'lang')).to.equal('es');
    expect(await page.title()).to.equal(es.text('web.title'));
    expect(await page.locator('h1').textContent()).to.equal(es.text('web.heading'));
    const toggle = page.locator('#lang-switch');
    expect((await toggle.textContent())?.trim()).to.equal('English');
    expect(await toggle.getAttribute('aria-label')).to.equal(es.text('web.switch_label'));
    await sendBox().waitFor({ timeout: 30_000 });
    // Web Chat's own strings, from its es-ES localisation
    expect(await sendBox().getAttribute('placeholder')).to.equal('Escriba su mensaje');
    // the greeting, made before anything is stored, in the page's language too
    await botMessages().filter({ hasText: head(es, 'welcome.greeting') }).first().waitFor({ timeout: 30_000 });
    expect(await botMessages().filter({ hasText: head(en, 'welcome.greeting') }).count()).to.equal(0);
    await ask('no puedo iniciar sesión', head(es, 'login.ask_path'));
    const buttons = page.locator('.webchat__suggested-actions button');
    await buttons.first().waitFor({ timeout: 20_000 });
    expect((await buttons.allTextContents()).map((t) => t.trim())).to.include.members([es.text('choice.website.title'), es.text('choice.app.title')]);
    await buttons.filter({ hasText: es.text('choice.website.title') }).first().click();
    await botMessages().filter({ hasText: head(es, 'login.signin.website') }).first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-es.png'), fullPage: true });
  });

  it('switches to English (page, Web Chat and the bot\'s next answer) and back, remembering the choice', async () => {
    await Promise.all([page.waitForURL(/lang=en/), page.locator('#lang-switch').click()]);
    // the conversation goes on: its history is shown again
    await botMessages().filter({ hasText: head(es, 'login.signin.website') }).first().waitFor({ timeout: 30_000 });
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    expect(await page.locator('h1').textContent()).to.equal(en.text('web.heading'));
    expect((await page.locator('#lang-switch').textContent())?.trim()).to.equal('Español');
    await page.waitForFunction(() => (globalThis as any).document.querySelector('#webchat input, #webchat textarea')?.getAttribute('placeholder') === 'Type your message');
    await ask('I forgot my password', head(en, 'recovery.password.steps'));
    await page.screenshot({ path: join(ARTIFACTS, 'webchat-switched-en.png'), fullPage: true });
    // kept for the next visit, whatever the browser prefers
    await page.goto(`${srv.base}/`);
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    await Promise.all([page.waitForURL(/lang=es/), page.locator('#lang-switch').click()]);
    expect(await page.getAttribute('html', 'lang')).to.equal('es');
    await sendBox().waitFor({ timeout: 30_000 });
    await ask('ayuda', head(es, 'help.in_dialog')); // one word, but the switch was the customer's choice
  });

  it('shows the floating button in Spanish on another site, opening the chat in Spanish', async () => {
    const shop = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html lang="es"><head><title>Tienda</title></head><body><h1>Nuestra tienda</h1><script src="${srv.base}/embed.js" async></script></body></html>`);
    });
    await new Promise<void>((r) => shop.listen(0, '127.0.0.1', () => r()));
    const site = await (await browser.newContext({ locale: 'es-MX' })).newPage();
    try {
      await site.goto(`http://localhost:${(shop.address() as { port: number }).port}/`);
      await site.getByRole('button', { name: es.text('web.embed_button') }).click();
      const frame = site.frameLocator(`iframe[title="${es.text('web.embed_frame_title')}"]`);
      await frame.locator('#lang-switch').filter({ hasText: 'English' }).waitFor({ timeout: 30_000 });
      await frame.getByRole('textbox').last().waitFor({ timeout: 30_000 });
      expect(await frame.getByRole('textbox').last().getAttribute('placeholder')).to.equal('Escriba su mensaje');
      await site.screenshot({ path: join(ARTIFACTS, 'embed-widget-es.png') });
    } finally {
      await site.close();
      await new Promise<void>((r) => shop.close(() => r()));
    }
  });

  it('serves the page in the language the request prefers, for the first paint', async () => {
    const esPage = await request('GET', `${srv.base}/`, undefined, { 'accept-language': 'es-MX,es;q=0.9,en;q=0.8' });
    expect(esPage.body).to.match(/<html lang="es"/).and.include(es.text('web.heading'));
    expect(esPage.headers.vary).to.match(/accept-language/i);
    const enPage = await request('GET', `${srv.base}/?lang=en`, undefined, { 'accept-language': 'es' });
    expect(enPage.body).to.match(/<html lang="en"/);
    expect(pageLanguage({}, 'fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4', ['en', 'es'])).to.equal('es');
    expect(pageLanguage({}, 'fr-FR', ['en', 'es'])).to.equal('en');
    expect(pageLanguage({ lang: 'xx' }, 'en;q=0, es;q=0.1', ['en', 'es'])).to.equal('es');
    expect(pageLanguage({}, undefined, ['en', 'es'])).to.equal('en');
  });

  it('had no script error or CSP violation', () => {
    expect(problems).to.deep.equal([]);
  });
});
