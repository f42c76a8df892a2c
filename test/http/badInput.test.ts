import { expect } from 'chai';
import { startServer, request, activity, say, type TestServer } from '../support/server.js';
import { MAX_TEXT_CHARS } from '../../src/inputLimits.js';

/**
 * Every bad input gets a clear 4xx with a reason or a polite reply, and the server keeps
 * serving afterwards (checked after each case).
 */
describe('bad input on /api/messages', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer({ MAX_BODY_BYTES: String(64 * 1024) }); });
  after(async () => { await srv.close(); });
  afterEach(async () => {
    const r = await say(srv.base, 'still-serving', 'hello');
    expect(r.status, 'server still serves').to.equal(200);
    expect(r.messages.length).to.be.greaterThan(0);
  });

  // what the bot must answer: the input notices, or (for what it cannot read) the first fallback
  // with the main menu, never an intent's answer picked at random
  const polite: Array<[string, string | undefined, Record<string, unknown>, string]> = [
    ['empty text', '', {}, 'input.empty'],
    ['whitespace-only text', '   \n\t ', {}, 'input.empty'],
    ['a 20,000-character text', 'my bill is wrong '.repeat(1200).slice(0, 20000), {}, 'input.too_long'],
    ['emoji only', '😡😡😡🙏', {}, 'fallback.first'],
    ['non-Latin script', 'Не могу войти в аккаунт', {}, 'fallback.first'],
    ['Chinese', '我的账单有问题', {}, 'fallback.first'],
    ['an attachment without text', undefined, { attachments: [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1:9/x.png' }] }, 'input.no_text'],
  ];
  for (const [name, text, extra, key] of polite) {
    it(`replies politely to ${name}`, async () => {
      const r = await say(srv.base, `bad-${name}`, text, extra);
      expect(r.status).to.equal(200);
      const variants = srv.app.content.list(key);
      expect(r.texts.some((t) => variants.includes(t)), `${key} in ${JSON.stringify(r.texts)}`).to.equal(true);
      if (key === 'fallback.first') {
        const offered = r.messages.at(-1).suggestedActions?.actions.map((a: { title: string }) => a.title);
        expect(offered, 'the main menu').to.include.members([srv.app.content.text('menu.login_help'), srv.app.content.text('menu.escalate')]);
      }
    });
  }

  it('accepts an unknown activity type with 200 and no reply', async () => {
    const r = await request('POST', `${srv.base}/api/messages`, activity('bad-type', undefined, { type: 'somethingNew' }));
    expect(r.status).to.be.within(200, 299);
    expect((r.json?.activities ?? []).filter((a: any) => a.type === 'message')).to.have.length(0);
  });

  const rejected: Array<[string, string, Record<string, string>, number, RegExp]> = [
    ['malformed JSON', '{"type": "message", "text": ', {}, 400, /json/i],
    ['a non-JSON content type', 'type=message&text=hi', { 'content-type': 'application/x-www-form-urlencoded' }, 415, /application\/json/],
    ['text/plain', 'hello', { 'content-type': 'text/plain' }, 415, /application\/json/],
    ['a body without type', JSON.stringify({ ...activity('x', 'hi'), type: undefined }), {}, 400, /"type"/],
    ['a JSON array', '[1,2,3]', {}, 400, /JSON object/],
    ['an empty body', '', {}, 400, /JSON object/],
    ['a body without conversation', JSON.stringify({ ...activity('x', 'hi'), conversation: undefined }), {}, 400, /conversation\.id/],
    ['no serviceUrl and no expectReplies', JSON.stringify({ ...activity('x', 'hi'), serviceUrl: undefined, deliveryMode: undefined }), {}, 400, /serviceUrl/],
    ['text that is not a string', JSON.stringify({ ...activity('x', 'hi'), text: { a: 1 } }), {}, 400, /"text"/],
    ['a body without from', JSON.stringify({ ...activity('x', 'hi'), from: undefined }), {}, 400, /from\.id/],
    ['a from without id', JSON.stringify({ ...activity('x', 'hi'), from: { name: 'x' } }), {}, 400, /from\.id/],
    ['entities that are not an array', JSON.stringify({ ...activity('x', 'hi'), entities: 'x' }), {}, 400, /entities/],
    ['an entity that is null', JSON.stringify({ ...activity('x', 'hi'), entities: [null] }), {}, 400, /entities/],
    ['membersAdded that is not an array', JSON.stringify({ ...activity('x', undefined), type: 'conversationUpdate', membersAdded: 'x' }), {}, 400, /membersAdded/],
    ['a null member added', JSON.stringify({ ...activity('x', undefined), type: 'conversationUpdate', membersAdded: [null] }), {}, 400, /membersAdded/],
    ['an oversized body', JSON.stringify(activity('x', 'a'.repeat(100 * 1024))), {}, 413, /size/i],
  ];
  for (const [name, body, headers, status, reason] of rejected) {
    it(`rejects ${name} with ${status} and a reason`, async () => {
      const r = await request('POST', `${srv.base}/api/messages`, body, { 'content-type': 'application/json', ...headers });
      expect(r.status).to.equal(status);
      expect(r.json?.message).to.match(reason);
    });
  }

  it('answers 404 for an unknown route and 405 for a wrong method', async () => {
    expect((await request('GET', `${srv.base}/nope`)).status).to.equal(404);
    expect((await request('GET', `${srv.base}/api/messages`)).status).to.equal(405);
  });
});

/**
 * A message as large as the default body limit allows, shaped to make a backtracking regex
 * rescan it from every position (redaction used to take minutes on one). The edge cuts the text
 * to the bot's limit before any middleware runs, so the turn costs what a normal one costs.
 */
describe('a pathological message at the default body limit', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.close(); });

  for (const [name, text] of [['a long run of "1-"', '1-'.repeat(120_000)], ['a long run of "a." with a stray @', `${'a.'.repeat(120_000)}@`]]) {
    it(`answers ${name} politely, keeps only the first ${MAX_TEXT_CHARS} characters, and keeps serving`, async () => {
      const r = await say(srv.base, `huge-${name}`, `${text} my email is someone@example.com`);
      expect(r.status).to.equal(200);
      expect(r.texts.join('\n')).to.match(/long message/i);
      const next = await say(srv.base, `huge-${name}`, 'hello');
      expect(next.status, 'server still serves').to.equal(200);
      await srv.app.stores.flush();
      const stored = await srv.app.stores.transcripts.getTranscriptActivities('emulator', `huge-${name}`);
      const mine = stored.items.find((a) => a.from?.role === 'user');
      expect(mine?.text).to.have.length(MAX_TEXT_CHARS);
      expect(text.startsWith(mine!.text!), 'the start of what was typed, unchanged').to.equal(true);
    });
  }
});
