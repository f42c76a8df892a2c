import { expect } from 'chai';
import http from 'node:http';
import { startServer, request, say, type TestServer } from '../support/server.js';
import { ADMIN_TOKEN, WebCustomer } from '../support/desk.js';
import { signature, signatureProblem, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../src/handoff/connector.js';

const SECRET = 'contact-centre-shared-secret-0123456789';

/** A contact centre's webhook on this machine: records what it gets, answers with the statuses it is given (then 200). */
async function contactCentre(statuses: number[] = []) {
  const got: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/handoff`,
    got,
    async waitFor(n: number, ms = 20_000) {
      const t0 = Date.now();
      while (got.length < n) {
        if (Date.now() - t0 > ms) throw new Error(`the contact centre got ${got.length} requests, not ${n}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return got;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** A signed status callback, as the contact centre sends it. */
function callback(base: string, body: object, opts: { secret?: string; at?: number; headers?: Record<string, string> } = {}) {
  const raw = JSON.stringify(body);
  const ts = String(Math.floor((opts.at ?? Date.now()) / 1000));
  return request('POST', `${base}/api/handoff/status`, raw, { [TIMESTAMP_HEADER]: ts, [SIGNATURE_HEADER]: signature(opts.secret ?? SECRET, ts, raw), ...opts.headers });
}

describe('an external contact centre (signed webhook and callbacks)', function () {
  this.timeout(120_000);
  let srv: TestServer;
  let centre: Awaited<ReturnType<typeof contactCentre>>;
  before(async () => {
    centre = await contactCentre([503]);
    srv = await startServer({ ADMIN_TOKEN, HANDOFF_WEBHOOK_URL: centre.url, HANDOFF_WEBHOOK_SECRET: SECRET });
  });
  after(async () => { await srv?.close(); await centre?.close(); });

  it('sends handoff.initiate to the webhook, signed and retried after a 503, and never to the customer\'s browser', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber, texts } = await customer.escalate('my phone says SIM not provisioned; my pin is 4321');
    expect(texts.join('\n')).to.match(/connecting you with a live agent/);
    const [first, second] = await centre.waitFor(2);
    expect(second.body, 'the same event again').to.equal(first.body);
    const event = JSON.parse(second.body);
    expect(event).to.include({ type: 'event', name: 'handoff.initiate', channelId: 'directline' });
    expect(event.value).to.include({ caseNumber, intent: 'escalate' });
    expect(event.attachments[0].name).to.equal('Transcript');
    expect(second.body).to.not.include('4321');
    expect(signatureProblem(SECRET, second.headers, second.body)).to.equal(undefined);
    expect(signatureProblem('another-secret-that-is-32-chars-long!', second.headers, second.body)).to.equal('The signature does not match the body.');
    await customer.read();
    expect(customer.received.filter((a) => a.type === 'event'), 'nothing of the hand-off reached the browser').to.deep.equal([]);
    expect((await srv.app.stores.handoffs.get(caseNumber))).to.include({ status: 'waiting', via: 'connector' });
  });

  it('follows signed callbacks: accepted (the customer hears who joined, the bot falls silent), completed (the bot takes over)', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber } = await customer.escalate();
    const accepted = await callback(srv.base, { caseNumber, state: 'accepted', agentName: 'Dana Smith' });
    expect(accepted.status, accepted.body).to.equal(200);
    expect(await customer.waitFor(/joined/)).to.equal('Dana joined the chat.');
    expect(await customer.say('hi Dana'), 'the bot is silent').to.deep.equal([]);
    expect((await callback(srv.base, { caseNumber, state: 'accepted' })).status, 'accepted twice').to.equal(409);
    expect((await callback(srv.base, { caseNumber, state: 'completed' })).status).to.equal(200);
    expect(await customer.waitFor(/left the chat/)).to.match(/^Dana left the chat\./);
    expect(await customer.waitFor(/did I solve your problem/)).to.match(/solve/);
    const ended = await callback(srv.base, { caseNumber, state: 'completed' });
    expect(ended.status).to.equal(409);
    expect(ended.json.code).to.equal('ChatEnded');
  });

  it('refuses callbacks that are unsigned, wrongly signed, stale, malformed or about no hand-off', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber } = await customer.escalate();
    const body = { caseNumber, state: 'accepted' };
    const unsigned = await request('POST', `${srv.base}/api/handoff/status`, body);
    expect(unsigned.status).to.equal(401);
    expect(unsigned.json.message).to.match(/Send x-support-bot-timestamp/);
    expect((await callback(srv.base, body, { secret: 'not-the-shared-secret-at-all-0123456' })).json).to.deep.equal({ code: 'BadSignature', message: 'The signature does not match the body.' });
    expect((await callback(srv.base, body, { at: Date.now() - 10 * 60_000 })).json.message).to.match(/within 300 s/);
    // a signature over other bytes than those sent
    const ts = String(Math.floor(Date.now() / 1000));
    expect((await request('POST', `${srv.base}/api/handoff/status`, { ...body, state: 'completed' }, { [TIMESTAMP_HEADER]: ts, [SIGNATURE_HEADER]: signature(SECRET, ts, JSON.stringify(body)) })).status).to.equal(401);
    expect((await callback(srv.base, { caseNumber, state: 'done' })).status).to.equal(400);
    expect((await callback(srv.base, { caseNumber: 'nope', state: 'accepted' })).status).to.equal(400);
    expect((await callback(srv.base, { caseNumber: 'CS-0000-0000', state: 'accepted' })).status).to.equal(404);
    expect((await srv.app.stores.handoffs.get(caseNumber))!.status, 'none of them changed anything').to.equal('waiting');
  });

  it('ignores handoff.status posted to /api/messages while channel authentication is off', async () => {
    const conv = `status-${Date.now()}`;
    await say(srv.base, conv, 'I want to talk to a person');
    await say(srv.base, conv, 'Live chat');
    const opened = await say(srv.base, conv, 'no signal at all');
    const caseNumber = /CS-\w{4}-\w{4}/.exec(opened.texts.join('\n'))![0];
    const r = await say(srv.base, conv, undefined, { type: 'event', name: 'handoff.status', value: { state: 'accepted' } });
    expect(r.status).to.be.oneOf([200, 202]);
    expect((await srv.app.stores.handoffs.get(caseNumber))!.status).to.equal('waiting');
    expect((await say(srv.base, conv, 'hello?')).texts.join('\n')).to.match(/in the queue/);
  });
});

describe('a contact centre that cannot take the hand-off', function () {
  this.timeout(60_000);

  it('gives up at once on a 4xx answer and tells the customer, who is back with the bot', async () => {
    const centre = await contactCentre([400]);
    const srv = await startServer({ ADMIN_TOKEN, HANDOFF_WEBHOOK_URL: centre.url, HANDOFF_WEBHOOK_SECRET: SECRET });
    try {
      const customer = await WebCustomer.start(srv.base);
      const { caseNumber } = await customer.escalate();
      expect(await customer.waitFor(/nobody could take the chat just now/)).to.include(caseNumber);
      expect(centre.got, 'a 400 is not retried').to.have.length(1);
      expect(await srv.app.stores.handoffs.get(caseNumber)).to.include({ status: 'ended', endReason: 'connector_failed' });
      expect((await customer.say('thanks')).join('\n'), 'the bot answers again').to.not.match(/in the queue/);
    } finally { await srv.close(); await centre.close(); }
  });

  it('refuses callbacks with 403 when no contact centre is configured, and a webhook that is not https or has a short secret', async () => {
    const srv = await startServer({});
    try {
      expect((await callback(srv.base, { caseNumber: 'CS-0000-0000', state: 'accepted' })).status).to.equal(403);
    } finally { await srv.close(); }
    await startServer({ HANDOFF_WEBHOOK_URL: 'http://contact-centre.example/hook', HANDOFF_WEBHOOK_SECRET: SECRET }).then(
      () => { throw new Error('started'); }, (e: Error) => expect(e.message).to.match(/HANDOFF_WEBHOOK_URL: it must be https/));
    await startServer({ HANDOFF_WEBHOOK_URL: 'https://contact-centre.example/hook', HANDOFF_WEBHOOK_SECRET: 'short' }).then(
      () => { throw new Error('started'); }, (e: Error) => expect(e.message).to.match(/HANDOFF_WEBHOOK_SECRET: set a random secret of at least 32/));
  });
});
