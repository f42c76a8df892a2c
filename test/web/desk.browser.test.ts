import { expect } from 'chai';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, request, type TestServer } from '../support/server.js';
import { ADMIN_TOKEN, PASSWORD, addStaff } from '../support/desk.js';
import { ARTIFACTS, launchChromium } from '../support/browser.js';

const XSS_SUMMARY = '<img src=x onerror="window.__pwned=1"> my <b>phone</b> has no signal';
const XSS_REPLY = 'Try this: <script>window.__pwned=2</script> restart it <img src=x onerror="window.__pwned=3">';

/**
 * The whole live chat in Debian's Chromium: a customer on the support page (`/`, Web Chat over the
 * self-hosted Direct Line) and an agent on the desk (`/desk`), each in a browser context of their
 * own: escalate → the case appears in the queue → accept → messages both ways → the agent's
 * session ends mid-chat and nothing typed is lost → end → the customer is asked "solved?".
 */
describe('the agent desk and the support page, in headless Chromium', function () {
  this.timeout(180_000);
  let srv: TestServer;
  let browser: Browser;
  let customerCtx: BrowserContext, agentCtx: BrowserContext;
  let customer: Page, agent: Page;
  const problems: string[] = [];

  before(async () => {
    srv = await startServer({ ADMIN_TOKEN });
    await addStaff(srv.base, { username: 'sam', displayName: 'Sam Lee', teams: ['general', 'technical'] });
    browser = await launchChromium();
    customerCtx = await browser.newContext({ viewport: { width: 1100, height: 820 } });
    agentCtx = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    customer = await customerCtx.newPage();
    agent = await agentCtx.newPage();
    for (const [who, page] of [['customer', customer], ['agent', agent]] as const) {
      page.on('console', (m) => { if (m.type() === 'error' && !/401 \(Unauthorized\)/.test(m.text())) problems.push(`${who} console: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`${who} page error: ${e.message}`));
    }
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  const botBubbles = () => customer.locator('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content');
  const customerSays = async (text: string) => {
    const box = customer.getByRole('textbox').last();
    await box.fill(text);
    await box.press('Enter');
  };
  const customerSees = (re: RegExp) => botBubbles().filter({ hasText: re }).first().waitFor({ timeout: 30_000 });

  it('signs the agent in from the keyboard and shows the queue per team, empty', async () => {
    await agent.goto(`${srv.base}/desk`);
    await agent.locator('#login-username').waitFor({ state: 'visible' });
    expect(await agent.evaluate(() => (globalThis as any).document.activeElement?.id)).to.equal('login-username');
    await agent.keyboard.type('sam');
    await agent.keyboard.press('Tab');
    await agent.keyboard.type(PASSWORD);
    await agent.keyboard.press('Enter');
    await agent.locator('#desk').waitFor({ state: 'visible' });
    expect(await agent.locator('#me-name').textContent()).to.equal('Sam Lee');
    expect(await agent.locator('#availability').inputValue()).to.equal('available');
    expect(await agent.locator('#open-chats').textContent()).to.equal('0 of 3 chats open');
    expect(await agent.locator('#queues .team__name').allTextContents()).to.deep.equal(['General (0)', 'Technical (0)']);
    const cookies = await agentCtx.cookies();
    expect(cookies.find((c) => c.name === 'desk_session')).to.include({ httpOnly: true, sameSite: 'Strict' });
    expect(await agent.evaluate(() => (globalThis as any).document.cookie), 'no script can read the session').to.equal('');
  });

  it('puts the customer who asks for a person in the queue, live, with their words shown as text', async () => {
    await customer.goto(`${srv.base}/`);
    await customerSees(/T-Mobile Support Assistant/);
    await customerSays('I want to talk to a person');
    await customerSees(/How would you like to reach them/);
    await customer.locator('.webchat__suggested-actions button').filter({ hasText: 'Live chat' }).first().click();
    await customerSees(/what do you need help with/);
    await customerSays(XSS_SUMMARY);
    await customerSees(/in the queue for a person/);

    const item = agent.locator('#queues li.item').first();
    await item.waitFor({ timeout: 30_000 });
    expect(await item.locator('.item__summary').textContent()).to.equal(XSS_SUMMARY);
    expect(await agent.locator('#queues img').count(), 'markup is text, not elements').to.equal(0);
    expect(await item.locator('.item__wait').textContent()).to.match(/just now|waiting \d+ min/);
    expect(await agent.locator('#queues .team__name').allTextContents()).to.deep.equal(['General (1)', 'Technical (0)']);
    await agent.screenshot({ path: join(ARTIFACTS, 'desk-queue.png') });
  });

  it('accepts from the keyboard: the chat opens with summary and transcript, and the customer hears who joined', async () => {
    const accept = agent.getByRole('button', { name: /^Accept CS-/ });
    await accept.focus();
    await agent.keyboard.press('Enter');
    await agent.locator('#case').waitFor({ state: 'visible' });
    await agent.locator('#reply-text').waitFor({ state: 'visible' });
    await agent.waitForFunction(() => (globalThis as any).document.activeElement?.id === 'reply-text');
    expect(await agent.locator('#case-summary').textContent()).to.equal(XSS_SUMMARY);
    expect(await agent.locator('#case-title').textContent()).to.match(/^Case CS-\w{4}-\w{4}$/);
    await agent.locator('#transcript .line--customer').filter({ hasText: 'I want to talk to a person' }).waitFor();
    expect(await agent.locator('#open-chats').textContent()).to.equal('1 of 3 chats open');
    await customerSees(/^Sam joined the chat\.\s*$/);
  });

  it('carries messages both ways, live, as text in both pages', async () => {
    await customerSays('it still shows no bars at all');
    await agent.locator('#transcript .line--customer').filter({ hasText: 'it still shows no bars at all' }).waitFor({ timeout: 30_000 });
    await agent.locator('#reply-text').fill(XSS_REPLY);
    await agent.locator('#reply-text').press('Enter');
    await agent.locator('#transcript .line--agent').filter({ hasText: 'Try this:' }).waitFor();
    expect(await agent.locator('#reply-text').inputValue(), 'cleared once delivered').to.equal('');
    await customerSees(/^Sam: Try this:/);
    const shown = await botBubbles().filter({ hasText: /^Sam: Try this:/ }).first().textContent();
    expect(shown).to.include('<script>window.__pwned=2</script>');
    expect(await customer.locator('.webchat__bubble img[src="x"]').count()).to.equal(0);
    // the customer's own words, markup included, are text in their bubble too
    expect(await customer.locator('.webchat__bubble--from-user .webchat__bubble__content').filter({ hasText: 'onerror' }).first().textContent()).to.include(XSS_SUMMARY);
    for (const page of [customer, agent]) expect(await page.evaluate(() => (globalThis as any).__pwned)).to.equal(undefined);
    await customer.screenshot({ path: join(ARTIFACTS, 'desk-customer-chat.png') });
    await agent.screenshot({ path: join(ARTIFACTS, 'desk-agent-chat.png') });
  });

  it('asks the agent to sign in again when the session ends mid-chat, keeping the reply they typed', async () => {
    const draft = 'Draft reply that must survive the sign-in';
    await agent.locator('#reply-text').fill(draft);
    // the session ends elsewhere (another tab signed out, or it expired)
    const cookie = (await agentCtx.cookies()).find((c) => c.name === 'desk_session')!;
    const me = await request('GET', `${srv.base}/api/desk/me`, undefined, { cookie: `desk_session=${cookie.value}` });
    expect((await request('POST', `${srv.base}/api/desk/logout`, {}, { cookie: `desk_session=${cookie.value}`, 'x-csrf-token': me.json.csrfToken })).status).to.equal(200);
    await agent.locator('#reply-text').press('Enter');
    await agent.locator('#relogin').waitFor({ state: 'visible' });
    expect(await agent.locator('#relogin-username').inputValue()).to.equal('sam');
    expect(await agent.locator('#reply-text').inputValue()).to.equal(draft);
    await agent.screenshot({ path: join(ARTIFACTS, 'desk-sign-in-again.png') });
    await agent.locator('#relogin-password').fill(PASSWORD);
    await agent.locator('#relogin-password').press('Enter');
    await agent.locator('#relogin').waitFor({ state: 'hidden' });
    expect(await agent.locator('#reply-text').inputValue(), 'still there after signing in').to.equal(draft);
    await agent.locator('#reply-text').press('Enter');
    await customerSees(/^Sam: Draft reply that must survive the sign-in\s*$/);
  });

  it('ends the chat: the customer hears who left and the bot asks whether the problem was solved', async () => {
    await agent.locator('#end-status').selectOption('resolved');
    await agent.locator('#end-note').fill('Reset network settings');
    await agent.locator('#end-form button[type=submit]').click();
    await customerSees(/^Sam left the chat\./);
    await customerSees(/did I solve your problem\?/);
    const buttons = (await customer.locator('.webchat__suggested-actions button').allTextContents()).map((t) => t.trim());
    expect(buttons).to.include.members(['Yes', 'No']);
    await agent.locator('#chat-state').filter({ hasText: 'This chat has ended.' }).waitFor();
    expect(await agent.locator('#reply-form').isHidden()).to.equal(true);
    expect(await agent.locator('#notes .note__text').allTextContents()).to.include('Reset network settings');
    expect(await agent.locator('#open-chats').textContent()).to.equal('0 of 3 chats open');
    await customer.screenshot({ path: join(ARTIFACTS, 'desk-customer-solved.png') });
  });

  it('fits a laptop screen and loaded everything from this server with no CSP violation or script error', async () => {
    const overflow = await agent.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth);
    expect(overflow, 'no sideways scrolling at 1366 px').to.be.at.most(0);
    expect(problems).to.deep.equal([]);
  });
});
