import { expect } from 'chai';
import { WebSocket } from 'ws';
import { startProcess, type BotProcess } from '../support/process.js';
import { freshSchema } from '../support/postgres.js';
import { request } from '../support/server.js';
import { ADMIN_TOKEN, Agent, WebCustomer, addStaff, type EventStream } from '../support/desk.js';

/** A customer's Web Chat socket: every activity streamed to it. */
async function openSocket(customer: WebCustomer): Promise<{ texts: () => string[]; until(re: RegExp, ms?: number): Promise<string>; close(): void }> {
  const r = await request('GET', `${customer.base}/v3/directline/conversations/${customer.conversationId}?watermark=${customer.watermark}`, undefined, { authorization: `Bearer ${customer.token}` });
  expect(r.status, r.body).to.equal(200);
  const ws = new WebSocket(r.json.streamUrl);
  const got: any[] = [];
  ws.on('message', (data) => { const set = JSON.parse(String(data) || '{}'); got.push(...(set.activities ?? [])); });
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
  const texts = () => got.filter((a) => a.type === 'message' && a.from?.role !== 'user').map((a) => a.text as string);
  return {
    texts,
    async until(re, ms = 20_000) {
      const t0 = Date.now();
      for (;;) {
        const hit = texts().find((t) => re.test(t));
        if (hit) return hit;
        if (Date.now() - t0 > ms) throw new Error(`the socket got no message matching ${re}; got ${JSON.stringify(texts())}`);
        await new Promise((res) => setTimeout(res, 25));
      }
    },
    close: () => ws.close(),
  };
}

/**
 * Two real server processes on one PostgreSQL database: the customer's socket on instance B, the
 * agent's desk on instance A, and agents on both accepting one chat.
 */
describe('the live chat across two instances on PostgreSQL', function () {
  this.timeout(180_000);
  let a: BotProcess, b: BotProcess;
  let sam: Agent, kim: Agent;
  let samEvents: EventStream;

  before(async () => {
    const { url } = await freshSchema();
    const env = { DATABASE_URL: url, ADMIN_TOKEN, LOG_LEVEL: 'warn' };
    a = await startProcess(env);
    b = await startProcess(env);
    await addStaff(a.base, { username: 'sam', displayName: 'Sam Lee', teams: ['general'] });
    await addStaff(b.base, { username: 'kim', displayName: 'Kim Park', teams: ['general'] });
    sam = await Agent.login(a.base, 'sam');
    kim = await Agent.login(b.base, 'kim');
    samEvents = await sam.events();
    await samEvents.next('ready');
  });
  after(async () => {
    samEvents?.close();
    for (const p of [a, b]) { if (p && p.child.exitCode === null) { p.child.kill('SIGTERM'); await p.exited; } }
  });

  it('shows a customer on B in the queue of an agent on A, live, with the same positions on both', async () => {
    const from = samEvents.events.length;
    const first = await (await WebCustomer.start(b.base)).escalate('first customer');
    const second = await (await WebCustomer.start(b.base)).escalate('second customer');
    await samEvents.next('queue', () => true, 20_000, from);
    const onA = (await sam.get('/api/desk/queue')).json.waiting.map((w: any) => [w.caseNumber, w.position]);
    const onB = (await kim.get('/api/desk/queue')).json.waiting.map((w: any) => [w.caseNumber, w.position]);
    expect(onA).to.deep.equal([[first.caseNumber, 1], [second.caseNumber, 2]]);
    expect(onB).to.deep.equal(onA);
    // one agent per chat: A and B accept at the same moment
    for (const { caseNumber } of [first, second]) {
      const [x, y] = await Promise.all([sam.post(`/api/desk/cases/${caseNumber}/accept`), kim.post(`/api/desk/cases/${caseNumber}/accept`)]);
      expect([x.status, y.status].sort(), caseNumber).to.deep.equal([200, 409]);
      const winner = x.status === 200 ? sam : kim;
      expect((await winner.post(`/api/desk/cases/${caseNumber}/end`, { status: 'open' })).status).to.equal(200);
    }
  });

  it('carries the chat between the agent on A and the customer\'s socket on B, both ways, to the end', async () => {
    const customer = await WebCustomer.start(b.base);
    const socket = await openSocket(customer);
    try {
      const { caseNumber } = await customer.escalate('no signal in the office');
      expect((await sam.post(`/api/desk/cases/${caseNumber}/accept`)).status).to.equal(200);
      expect(await socket.until(/joined the chat/)).to.equal('Sam joined the chat.');

      const from = samEvents.events.length;
      await customer.say('the office is on the third floor');
      const heard = await samEvents.next('message', (e) => e.caseNumber === caseNumber, 20_000, from);
      expect(heard.message.text).to.equal('the office is on the third floor');

      expect((await sam.post(`/api/desk/cases/${caseNumber}/messages`, { text: 'Try turning on wifi calling' })).status).to.equal(200);
      expect(await socket.until(/^Sam: /)).to.equal('Sam: Try turning on wifi calling');
      // the other instance sees the same chat: Kim cannot take or answer it
      expect((await kim.post(`/api/desk/cases/${caseNumber}/messages`, { text: 'me too' })).status).to.equal(403);

      expect((await sam.post(`/api/desk/cases/${caseNumber}/end`, { status: 'resolved' })).status).to.equal(200);
      expect(await socket.until(/did I solve your problem/)).to.match(/solve/);
      expect(socket.texts().join('\n')).to.not.include('me too');
    } finally { socket.close(); }
  });

  it('signs an agent out on both instances at once', async () => {
    const other = await Agent.login(a.base, 'kim');
    const onB = Object.assign(new Agent(b.base), { cookie: other.cookie, csrf: other.csrf });
    expect((await onB.get('/api/desk/me')).status).to.equal(200);
    expect((await other.post('/api/desk/logout')).status).to.equal(200);
    expect((await onB.get('/api/desk/me')).status).to.equal(401);
  });
});
