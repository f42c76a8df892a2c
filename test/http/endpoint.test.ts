import { expect } from 'chai';
import { startServer, startFakeConnector, request, activity, say, type TestServer } from '../support/server.js';

describe('HTTP endpoint (restify + CloudAdapter)', () => {
  let srv: TestServer;
  before(async () => { srv = await startServer(); });
  after(async () => { await srv.close(); });

  it('GET /healthz reports status, version, uptime and intents loaded', async () => {
    const r = await request('GET', `${srv.base}/healthz`);
    expect(r.status).to.equal(200);
    expect(r.json).to.include({ status: 'ok', version: 'test', intents: 18 });
    expect(r.json.uptimeSeconds).to.be.a('number');
    expect(r.headers['x-request-id']).to.be.a('string');
  });

  it('answers an Emulator message with expectReplies, with the IntentRecognizer trace first', async () => {
    const r = await say(srv.base, 'exp-1', 'I forgot my password');
    expect(r.status).to.equal(200);
    const trace = r.activities.find((a) => a.type === 'trace' && a.name === 'IntentRecognizer');
    expect(trace, 'trace activity').to.exist;
    expect(trace.value.text).to.equal('I forgot my password');
    const [top] = Object.entries<{ score: number }>(trace.value.intents).sort((a, b) => b[1].score - a[1].score);
    expect(top[0]).to.equal('password_reset');
    expect(r.messages).to.have.length.greaterThan(0);
    expect(r.texts.join(' ')).to.match(/forgot password/i);
  });

  it('posts replies to the channel serviceUrl when not asked to buffer them', async () => {
    const connector = await startFakeConnector();
    try {
      const r = await request('POST', `${srv.base}/api/messages`, activity('svc-1', 'hello', { deliveryMode: undefined, serviceUrl: connector.url }));
      expect(r.status).to.be.oneOf([200, 201, 202]);
      const posted = await connector.waitFor(2);
      expect(posted.map((p) => p.type)).to.include('message');
      expect(posted.find((p) => p.type === 'message')._path).to.match(/^\/v3\/conversations\/svc-1\/activities/);
    } finally { await connector.close(); }
  });

  it('sends no trace activity on channels other than the Emulator', async () => {
    const connector = await startFakeConnector();
    try {
      await request('POST', `${srv.base}/api/messages`, activity('svc-2', 'my app wont install', { deliveryMode: undefined, serviceUrl: connector.url, channelId: 'webchat' }));
      const posted = await connector.waitFor(1);
      await new Promise((r) => setTimeout(r, 200));
      expect(posted.length).to.be.greaterThan(0);
      expect(posted.filter((p) => p.type === 'trace')).to.have.length(0);
    } finally { await connector.close(); }
  });

  it('greets a new member once per conversation', async () => {
    const join = (id: string) => request('POST', `${srv.base}/api/messages`, activity('welcome-1', undefined, {
      type: 'conversationUpdate', membersAdded: [{ id, name: 'Customer' }],
    }));
    const first = await join('user-welcome-1');
    const second = await join('user-welcome-1b');
    const welcome = (r: typeof first) => (r.json?.activities ?? []).filter((a: any) => a.type === 'message');
    expect(welcome(first)).to.have.length(1);
    expect(welcome(first)[0].text).to.match(/help/i);
    expect(welcome(second)).to.have.length(0);
  });

  it('answers help with what it can do and offers the main options as buttons', async () => {
    const r = await say(srv.base, 'help-1', 'what can you do?');
    const m = r.messages.at(-1);
    expect(m.text).to.match(/sign/i);
    expect(m.suggestedActions.actions.map((a: any) => a.title)).to.include('Talk to a person');
  });

  it('answers an out-of-scope message with a helpful fallback and options', async () => {
    const r = await say(srv.base, 'none-1', 'what is the capital of france');
    const m = r.messages.at(-1);
    expect(m.text).to.match(/didn't|not sure/i);
    expect(m.suggestedActions.actions.length).to.be.greaterThan(2);
  });

  it('serves messages of one conversation arriving together one turn at a time, as if sent one after another', async () => {
    const texts = ['hi', 'help', 'cant log in', 'billing question'];
    const parallel = await Promise.all(texts.map((t) => say(srv.base, 'parallel-1', t)));
    for (const r of parallel) { expect(r.status).to.equal(200); expect(r.messages.length).to.be.greaterThan(0); }
    const afterBurst = await say(srv.base, 'parallel-1', 'website');

    // the order the turns ran in, from the bot's side of the transcript: each turn's replies in
    // one run (turns never interleave), every turn once
    await srv.app.stores.flush();
    const logged = (await srv.app.stores.transcripts.getTranscriptActivities('emulator', 'parallel-1')).items;
    const runs: string[] = [];
    for (const a of logged.filter((x) => x.from?.role === 'bot')) if (runs.at(-1) !== a.replyToId) runs.push(a.replyToId!);
    const ids = parallel.map((r) => r.messages[0].replyToId as string);
    expect(runs.slice(0, texts.length), 'each turn\'s replies together, each turn once').to.have.members(ids).and.have.length(new Set(runs.slice(0, texts.length)).size);

    // the same messages one after another in that order, in a new conversation, get the same
    // answers and leave the same state (the follow-up "website" is read the same way)
    const inOrder = runs.slice(0, texts.length).map((id) => ids.indexOf(id));
    const variant = new Map(srv.app.content.keys().flatMap((k) => { const v = srv.app.content.list(k); return v.length > 1 ? v.map((x) => [x, k] as const) : []; }));
    const answer = (r: Awaited<ReturnType<typeof say>>) => r.messages.map((m) => [variant.get(m.text) ?? m.text, m.suggestedActions?.actions.map((a: { title: string }) => a.title)]);
    for (const i of inOrder) expect(answer(await say(srv.base, 'serial-1', texts[i])), texts[i]).to.deep.equal(answer(parallel[i]));
    expect(answer(await say(srv.base, 'serial-1', 'website'))).to.deep.equal(answer(afterBurst));
  });
});
