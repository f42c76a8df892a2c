import { expect } from 'chai';
import { Content } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';
import { conversationStateKey } from '../../src/storage/stateStore.js';
import { request, say, startFakeConnector, startServer, type TestServer } from '../support/server.js';

/**
 * What the bot says outside a customer's ordinary turn, in the customer's language, on the real
 * server: the web chat's greeting (made before anything is stored, then stored with the first
 * message), the apology of the turn error handler, and the "case resolved" notice staff trigger.
 */
const content = Content.load(loadConfig({}).contentDir);
const es = content.in('es'), en = content.in('en');
const TOKEN = 'test-admin-token-es-41';
const auth = { authorization: `Bearer ${TOKEN}` };
const CASE = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/;
const titles = (a: any): string[] => (a?.suggestedActions?.actions ?? []).map((x: { title: string }) => x.title);

describe('the customer\'s language outside ordinary turns (real server)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  before(async () => { srv = await startServer({ ADMIN_TOKEN: TOKEN }); });
  after(async () => { await srv?.close(); });

  /** A web chat token as the page asks for it (`query`: `?locale=…`; `headers`: the browser's). */
  async function token(query = '', headers: Record<string, string> = {}): Promise<{ token: string; conversationId: string }> {
    const r = await request('POST', `${srv.base}/api/directline/token${query}`, undefined, headers);
    expect(r.status, r.body).to.equal(200);
    return r.json;
  }
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  async function history(t: { token: string; conversationId: string }): Promise<any[]> {
    const r = await request('GET', `${srv.base}/v3/directline/conversations/${t.conversationId}/activities`, undefined, bearer(t.token));
    expect(r.status, r.body).to.equal(200);
    return r.json.activities;
  }
  async function post(t: { token: string; conversationId: string }, text: string, locale?: string): Promise<void> {
    const r = await request('POST', `${srv.base}/v3/directline/conversations/${t.conversationId}/activities`, { type: 'message', text, from: { id: 'x' }, ...(locale ? { locale } : {}) }, bearer(t.token));
    expect(r.status, r.body).to.equal(200);
  }

  describe('the web chat greeting', () => {
    it('follows the page\'s locale, and the greeting stored with the first message is the one shown', async () => {
      const t = await token('?locale=es-ES');
      const [shown] = await history(t);
      expect(shown.text).to.equal(es.text('welcome.greeting'));
      expect(titles(shown)).to.include(es.text('menu.login_help'));
      await post(t, 'no puedo iniciar sesion', 'es-ES');
      const stored = await history(t);
      expect(stored[0]).to.deep.include({ text: shown.text, id: shown.id });
      expect(titles(stored[0])).to.deep.equal(titles(shown));
      expect(stored.at(-1).text).to.include(es.text('login.ask_path').split('{')[0]);
    });

    it('without a locale, follows the browser\'s Accept-Language; a locale the bot does not speak is ignored', async () => {
      expect((await history(await token('', { 'accept-language': 'es-MX,es;q=0.9,en;q=0.5' })))[0].text).to.equal(es.text('welcome.greeting'));
      expect((await history(await token('?locale=fr-FR', { 'accept-language': 'fr-FR, es;q=0.8' })))[0].text).to.equal(es.text('welcome.greeting'));
      expect((await history(await token('?locale=%3Cscript%3E')))[0].text).to.equal(en.text('welcome.greeting'));
      expect((await history(await token()))[0].text).to.equal(en.text('welcome.greeting'));
    });

    it('a page reloaded in the other language before anything was written greets in it; a stored chat keeps its history', async () => {
      const t = await token('?locale=en-US');
      expect((await history(t))[0].text).to.equal(en.text('welcome.greeting'));
      const r = await request('POST', `${srv.base}/v3/directline/tokens/refresh?locale=es-ES`, undefined, bearer(t.token));
      expect(r.status, r.body).to.equal(200);
      const switched = { token: r.json.token as string, conversationId: t.conversationId };
      expect((await history(switched))[0].text).to.equal(es.text('welcome.greeting'));
      await post(switched, 'hola', 'es-ES');
      const again = await request('POST', `${srv.base}/v3/directline/tokens/refresh?locale=en-US`, undefined, bearer(switched.token));
      expect((await history({ token: again.json.token, conversationId: t.conversationId }))[0].text).to.equal(es.text('welcome.greeting'));
    });

    it('a message posted without a locale is taken in the chat\'s language', async () => {
      const t = await token('?locale=es-US');
      // too short to tell its language by itself
      await post(t, 'ok');
      const reply = (await history(t)).at(-1).text;
      expect(es.list('fallback.first'), reply).to.include(reply);
    });
  });

  it('the turn error apology comes in the turn\'s language', async () => {
    const id = 'err-es-1';
    await say(srv.base, id, 'hola', { locale: 'es-US' });
    const keys = [conversationStateKey('emulator', id)];
    // a dialog stack this build cannot resume, as a bad deploy or a hand-edited file would leave it
    await srv.app.stores.state.write({ [keys[0]]: { DialogState: { dialogStack: [{ id: 'no-such-dialog', state: {} }] }, language: { language: 'es', localeLanguage: 'es' }, eTag: '*' } });
    const broken = await say(srv.base, id, 'necesito ayuda con mi factura', { locale: 'es-US' });
    expect(broken.status).to.equal(200);
    expect(broken.texts.join('\n')).to.include(es.text('error.apology')).and.not.include(en.text('error.apology'));
    const next = await say(srv.base, id, 'necesito ayuda con mi factura', { locale: 'es-US' });
    expect(next.texts.join('\n')).to.include(es.text('self_service.billing.info').split('\n')[0]);
  });

  describe('the "case resolved" notice', () => {
    async function resolve(number: string): Promise<void> {
      const r = await request('PATCH', `${srv.base}/api/cases/${number}`, { status: 'resolved' }, auth);
      expect(r.status, r.body).to.equal(200);
      expect(r.json.notified).to.equal(true);
    }
    const notice = (w: typeof es, n: string) => w.text('cases.resolved_notice', { caseNumber: n });

    it('reaches a web chat in Spanish, and the case says the customer\'s language', async () => {
      const t = await token('?locale=es-US');
      await post(t, 'quiero hablar con una persona', 'es-US');
      await post(t, 'correo', 'es-US');
      await post(t, 'mi factura salio al doble', 'es-US');
      const number = CASE.exec((await history(t)).map((a) => a.text ?? '').join('\n'))![0];
      expect((await srv.app.stores.cases.get(number))!.language).to.equal('es');
      await resolve(number);
      expect((await history(t)).at(-1).text).to.equal(notice(es, number));
    });

    it('follows the conversation\'s language now, not the one the case was opened in', async () => {
      const t = await token('?locale=es-US');
      await post(t, 'quiero hablar con una persona', 'es-US');
      await post(t, 'correo', 'es-US');
      await post(t, 'mi factura salio al doble', 'es-US');
      const number = CASE.exec((await history(t)).map((a) => a.text ?? '').join('\n'))![0];
      // the page switched to English, and the customer went on in English
      await post(t, 'how do I pay my bill', 'en-US');
      await resolve(number);
      expect((await history(t)).at(-1).text).to.equal(notice(en, number));
    });

    it('over a Bot Framework channel, in the conversation\'s language; with its state gone, in the case\'s', async () => {
      const connector = await startFakeConnector();
      try {
        const id = 'notice-es-1';
        const extra = { locale: 'es-US', serviceUrl: connector.url };
        await say(srv.base, id, 'quiero hablar con una persona', extra);
        await say(srv.base, id, 'correo', extra);
        const opened = await say(srv.base, id, 'mi factura esta mal', extra);
        const number = CASE.exec(opened.texts.join('\n'))![0];
        await resolve(number);
        let posted = await connector.waitFor(1);
        expect(posted.at(-1).text).to.equal(notice(es, number));
        // the conversation's state is gone (expired, erased): the locale the reference was saved with holds
        await srv.app.stores.state.delete([conversationStateKey('emulator', id)]);
        await srv.app.stores.cases.updateStatus(number, 'open');
        await resolve(number);
        posted = await connector.waitFor(2);
        expect(posted.at(-1).text).to.equal(notice(es, number));
        // a channel that sends no locale (Slack), and no state: the language the case was opened in
        const bare = await srv.app.stores.cases.open({
          intent: 'billing', summary: 'x', stepsTried: [], language: 'es',
          conversationReference: { channelId: 'emulator', serviceUrl: connector.url, conversation: { id: 'notice-es-2' } as never, user: { id: 'u-2', name: 'C' }, bot: { id: 'bot', name: 'Bot' } },
        });
        await resolve(bare.number);
        posted = await connector.waitFor(3);
        expect(posted.at(-1).text).to.equal(notice(es, bare.number));
      } finally { await connector.close(); }
    });
  });
});
