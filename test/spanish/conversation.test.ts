import { expect } from 'chai';
import { LOGIN_STEPS } from '../../dialogs/loginDialog.js';
import { APP_STEPS } from '../../dialogs/appInstallDialog.js';
import { Content } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';
import { request, say, startServer, activity, type TestServer } from '../support/server.js';

/**
 * The English flows in Spanish, against the real server (restify + CloudAdapter + lowdb + the
 * real recognizer and language middleware), as turn tables: [customer says, reply must contain,
 * buttons it must offer]. Replies are compared with data/es wording, never with literals.
 */
const content = Content.load(loadConfig({}).contentDir);
const es = content.in('es'), en = content.in('en');
/** The start of a Spanish message, up to its first placeholder. */
const head = (key: string, w = es) => w.list(key)[0].split('{')[0].slice(0, 50).trim();
const b = (id: string, w = es) => w.text(`choice.${id}.title`);
/** Any variant of a message that has several (the bot rotates them). */
const anyOf = (key: string, w = es) => new RegExp(w.list(key).map((v) => v.split('{')[0].slice(0, 40).trim().replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('|'));
const CASE = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/;

type Row = [says: string, contains: string | RegExp, offers?: string[], locale?: string];

describe('a conversation in Spanish (real server)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv?.close(); });

  let n = 0;
  const newConversation = () => `es-${Date.now()}-${++n}`;

  /** Plays rows in one conversation (locale es-US unless a row says otherwise); returns the last reply's text. */
  async function play(conversationId: string, rows: Row[]): Promise<string> {
    let last = '';
    for (const [i, [says, contains, offers, locale]] of rows.entries()) {
      const r = await say(srv.base, conversationId, says, { locale: locale ?? 'es-US' });
      expect(r.status, `row ${i + 1}`).to.be.oneOf([200, 201]);
      last = r.texts.join('\n');
      const buttons = r.messages.flatMap((m) => (m.suggestedActions?.actions ?? []).map((a: { title: string }) => a.title));
      const where = `row ${i + 1} ("${says}") got: ${JSON.stringify(last)} buttons ${JSON.stringify(buttons)}`;
      if (typeof contains === 'string') expect(last, where).to.include(contains);
      else expect(last, where).to.match(contains);
      if (offers) expect(buttons, where).to.include.members(offers);
    }
    return last;
  }

  it('greets in Spanish when the channel says the customer prefers it', async () => {
    const id = newConversation();
    const r = await request('POST', `${srv.base}/api/messages`, { ...activity(id, undefined), type: 'conversationUpdate', membersAdded: [{ id: `user-${id}`, name: 'Cliente' }], locale: 'es-US' });
    const texts = (r.json?.activities ?? []).filter((a: { type: string }) => a.type === 'message').map((a: { text: string }) => a.text);
    expect(texts.join('\n')).to.include(head('welcome.greeting'));
    const buttons = (r.json?.activities ?? []).flatMap((a: { suggestedActions?: { actions: Array<{ title: string }> } }) => a.suggestedActions?.actions ?? []).map((a: { title: string }) => a.title);
    expect(buttons).to.include(es.text('menu.login_help'));
  });

  it('sign-in: website or app, the steps, then troubleshooting one step at a time until it works', async () => {
    await play(newConversation(), [
      ['no puedo iniciar sesion', head('login.ask_path'), [b('website'), b('app')]],
      ['Sitio web', head('login.signin.website'), [b('yes'), b('no'), b('forgot_username'), b('password_reset')]],
      ['no', head('login.troubleshoot_intro')],
      ['no, sigo igual', head(`${LOGIN_STEPS.website[1]}.text`).replace(/^Paso$/, '')],
      ['sí', head('troubleshoot.fixed')],
    ]);
  });

  it('sign-in in the app, the issue\'s own example: "no puedo iniciar sesión en la app"', async () => {
    await play(newConversation(), [['no puedo iniciar sesión en la app', head('login.signin.app')], ['si', head('login.success')]]);
  });

  it('password recovery: the steps, the code never came, the tips, then it arrived', async () => {
    await play(newConversation(), [
      ['olvidé mi contraseña', head('recovery.password.steps'), [b('yes'), b('code_missing'), b('locked'), b('no')]],
      ['nunca llegó el código', head('recovery.code_missing.tips'), [b('yes'), b('no')]],
      ['sí', head('recovery.password.success')],
    ]);
  });

  it('username recovery, and a locked account', async () => {
    await play(newConversation(), [['se me olvidó mi usuario', head('recovery.username.steps')], ['mi cuenta está bloqueada', head('recovery.locked.info'), [b('yes'), b('no')]], ['no', head('recovery.locked.later')]]);
  });

  it('app install: iPhone/iPad or Android, where to get it, troubleshooting in the right store', async () => {
    await play(newConversation(), [
      ['la app no se instala', head('app_install.ask_device'), [b('ios'), b('android')]],
      ['android', head('app_install.get.android'), [b('yes'), b('no')]],
      ['no', head(`${APP_STEPS[0]}.text`)],
      ['no', head(`${APP_STEPS[1]}.text`)],
      ['no', es.text('app_install.store.android')],
      ['ya funciona', head('troubleshoot.fixed')],
    ]);
  });

  it('escalation: the customer\'s own words become the case summary, the case number is shown, and case status finds it', async () => {
    const id = newConversation();
    const opened = await play(id, [
      ['quiero hablar con un agente', head('escalate.ask_method'), [b('live_chat'), b('phone'), b('email')]],
      [b('phone'), head('escalate.ask_describe'), [b('skip')]],
      ['mi factura salió el doble este mes', head('escalate.opened')],
    ]);
    const number = CASE.exec(opened)![0];
    expect(opened).to.include(head('escalate.method.phone_find'));
    const record = (await srv.app.stores.cases.get(number))!;
    expect(record.summary, 'as the customer wrote it').to.equal('mi factura salió el doble este mes');
    await play(id, [[`estado de mi caso ${number}`, new RegExp(`${number}.*${es.text('case_status.status.open')}`)]]);
    await play(id, [['ver mis casos', head('case_status.list_intro')]]);
  });

  it('escalation after troubleshooting: the summary and the steps tried stay in English for the agents', async () => {
    const id = newConversation();
    const rows: Row[] = [['no puedo entrar a mi cuenta en la pagina web', head('login.signin.website')], ['no', head('login.troubleshoot_intro')]];
    for (let k = 1; k < LOGIN_STEPS.website.length; k++) rows.push(['no', 'Paso']);
    rows.push(['no', head('troubleshoot.exhausted')]);
    await play(id, rows);
    const done = await play(id, [[b('email'), head('escalate.opened')]]);
    const record = (await srv.app.stores.cases.get(CASE.exec(done)![0]))!;
    // the staff's summary in English, the customer's own words as written
    const topic = en.text('case_summary.login_help', { platform: en.text('platform.website') });
    const walked = en.text('case_summary.walk_all', { summary: topic, total: LOGIN_STEPS.website.length });
    expect(record.summary).to.equal(en.text('case_summary.with_request', { summary: walked, request: 'no puedo entrar a mi cuenta en la pagina web' }));
    expect(record.stepsTried).to.deep.equal(LOGIN_STEPS.website.map((k) => en.text(`${k}.label`)));
  });

  it('follows a language switch mid-conversation, keeps the language for short answers', async () => {
    const id = newConversation();
    await play(id, [
      ['how do I pay my bill', head('self_service.billing.info', en), [b('yes', en)], 'en-US'],
      ['yes', head('self_service.glad', en), undefined, 'en-US'],
      ['ahora necesito ver cuantos datos me quedan', head('self_service.data_usage.info'), [b('yes')], 'en-US'], // switched to Spanish
      ['sí', head('self_service.glad'), undefined, 'en-US'], // short: stays Spanish
      ['ok', anyOf('fallback.first'), undefined, 'en-US'],
      ['now I need to pay my bill', head('self_service.billing.info', en), [b('yes', en)], 'en-US'], // back to English
      ['yes', head('self_service.glad', en), undefined, 'en-US'],
    ]);
  });

  it('a question on screen when the customer switches: it is asked again in the new language, and answers in either count', async () => {
    const id = newConversation();
    await play(id, [
      ['I can\'t log in', head('login.ask_path', en), [b('website', en), b('app', en)], 'en-US'],
      // a retry or the help note, then the question again: in Spanish either way
      ['mmm no se bien que me estas preguntando, perdon', head('login.ask_path'), [b('website'), b('app')], 'es-US'],
      ['sitio web', head('login.signin.website'), undefined, 'es-US'],
    ]);
    const other = newConversation();
    await play(other, [
      ['I can\'t log in', head('login.ask_path', en), undefined, 'en-US'],
      // the English button still on screen, clicked after the page switched to Spanish
      [b('app', en), head('login.signin.app'), undefined, 'es-US'],
    ]);
  });

  it('the web page\'s language switch (a changed locale) switches even on a short message', async () => {
    const id = newConversation();
    await play(id, [['what can you do', head('help.intro', en), undefined, 'en-US'], ['ayuda', head('help.intro'), undefined, 'es-US']]);
  });

  it('answers Spanish text in Spanish whatever locale the channel sends (a wrong one, or none)', async () => {
    await play(newConversation(), [['no me llega el codigo de verificacion para entrar', head('recovery.code_missing.tips'), undefined, 'en-US']]);
    await play(newConversation(), [['necesito ayuda con mi factura', head('self_service.billing.info'), undefined, 'xx']]);
  });

  it('a third language: a note on the languages it speaks, in the conversation\'s language', async () => {
    const id = newConversation();
    await play(id, [['hola', anyOf('welcome.again')]]);
    const r = await play(id, [['bonjour, je ne peux pas me connecter à mon compte', es.text('language.unsupported')]]);
    expect(r).to.not.include(en.text('language.unsupported'));
  });

  it('emoji only and a case number alone keep the conversation\'s language', async () => {
    const id = newConversation();
    await play(id, [['hola', anyOf('welcome.again')], ['😡😡', anyOf('fallback.first')], ['CS-4K7P-2M9Q', /[áéíóúñ¿]/]]);
  });
});
