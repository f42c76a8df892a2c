import { expect } from 'chai';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { WebSocket } from 'ws';
import { startServer, request, say, activity, type TestServer } from '../support/server.js';
import { ADMIN_TOKEN, Agent, addStaff } from '../support/desk.js';
import { CASE } from '../support/cases.js';
import { conversationStateKey } from '../../src/storage/stateStore.js';
import { delta, parseExposition, scrape, type Scrape } from '../support/metrics.js';

const TOKEN = 'metrics-test-token-0123456789';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Every metric issue 18 names, with its type. */
const NAMED: Array<[string, string]> = [
  ['supportbot_turns_total', 'counter'], ['supportbot_turn_duration_seconds', 'histogram'], ['supportbot_classifier_score', 'histogram'],
  ['supportbot_fallbacks_total', 'counter'], ['supportbot_escalations_total', 'counter'], ['supportbot_cases_opened_total', 'counter'],
  ['supportbot_handoff_queue_length', 'gauge'], ['supportbot_handoff_wait_seconds', 'histogram'], ['supportbot_directline_connections', 'gauge'],
  ['supportbot_store_operation_seconds', 'histogram'], ['supportbot_store_errors_total', 'counter'], ['supportbot_rate_limited_total', 'counter'],
];

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('Prometheus metrics: access', () => {
  it('/metrics answers only the bearer of METRICS_TOKEN (401 without it or with a wrong one)', async () => {
    const srv = await startServer({ METRICS_TOKEN: TOKEN });
    try {
      const none = await request('GET', `${srv.base}/metrics`);
      expect(none.status).to.equal(401);
      expect(none.headers['www-authenticate']).to.match(/^Bearer /);
      expect(none.json.message).to.match(/Authorization: Bearer/);
      const wrong = await request('GET', `${srv.base}/metrics`, undefined, bearer(`${TOKEN}x`));
      expect(wrong.status).to.equal(401);
      expect(wrong.body).to.not.include('supportbot_');
      const basic = await request('GET', `${srv.base}/metrics`, undefined, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` });
      expect(basic.status).to.equal(401);

      const ok = await request('GET', `${srv.base}/metrics`, undefined, bearer(TOKEN));
      expect(ok.status).to.equal(200);
      expect(ok.headers['content-type']).to.match(/^text\/plain; version=0\.0\.4/);
      expect(ok.headers['cache-control']).to.equal('no-store');
      const m = parseExposition(ok.body);
      for (const [name, type] of NAMED) expect(ok.body, name).to.include(`# TYPE ${name} ${type}\n`);
      // Node's process metrics
      for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
        expect(m.series(name), name).to.have.length.greaterThan(0);
      }
      // the embedded store has no database pool
      expect(m.series('supportbot_db_pool_in_use')).to.deep.equal([]);
    } finally { await srv.close(); }
  });

  it('is never open by default: without METRICS_TOKEN or METRICS_PORT /metrics is 404 with the reason', async () => {
    const srv = await startServer();
    try {
      const r = await request('GET', `${srv.base}/metrics`);
      expect(r.status).to.equal(404);
      expect(r.json.message).to.match(/METRICS_TOKEN.*METRICS_PORT/);
      expect(r.body).to.not.include('supportbot_');
    } finally { await srv.close(); }
  });

  it('METRICS_TOKEN shorter than 16 characters stops start-up naming it', async () => {
    let err: Error | undefined;
    try { await startServer({ METRICS_TOKEN: 'short' }); } catch (e) { err = e as Error; }
    expect(err?.message).to.match(/METRICS_TOKEN/);
  });

  it('METRICS_PORT serves /metrics on 127.0.0.1 only, and nothing else there; the main port does not serve it', async () => {
    const port = await freePort();
    const srv = await startServer({ METRICS_PORT: String(port) });
    try {
      const m = await scrape(`http://127.0.0.1:${port}/metrics`);
      expect(m.series('supportbot_directline_connections')).to.have.length(1);
      expect((await request('GET', `http://127.0.0.1:${port}/`)).status).to.equal(404);
      expect((await request('POST', `http://127.0.0.1:${port}/metrics`)).status).to.equal(405);
      expect((await request('GET', `${srv.base}/metrics`)).status).to.equal(404);
      // not reachable on the machine's other addresses
      const external = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
      if (external) {
        const reached = await new Promise<boolean>((resolve) => {
          const s = net.connect(port, external, () => { s.destroy(); resolve(true); });
          s.on('error', () => resolve(false));
        });
        expect(reached, `metrics port reachable on ${external}`).to.equal(false);
      }
    } finally { await srv.close(); }
  });

  it('METRICS_PORT with METRICS_TOKEN asks for the token there too', async () => {
    const port = await freePort();
    const srv = await startServer({ METRICS_PORT: String(port), METRICS_TOKEN: TOKEN });
    try {
      expect((await request('GET', `http://127.0.0.1:${port}/metrics`)).status).to.equal(401);
      await scrape(`http://127.0.0.1:${port}/metrics`, TOKEN);
      await scrape(`${srv.base}/metrics`, TOKEN);
    } finally { await srv.close(); }
  });
});

interface Move { metric: string; labels?: Record<string, string>; by: number }
interface Row { name: string; send: () => Promise<unknown>; moves: Move[]; turns?: number }

describe('Prometheus metrics: scripted turns move them by exactly the expected amounts', () => {
  let srv: TestServer;
  const now = () => scrape(`${srv.base}/metrics`, TOKEN);
  let sam: Agent;
  let caseNumber = '';
  before(async () => {
    srv = await startServer({ METRICS_TOKEN: TOKEN, ADMIN_TOKEN });
    // a person on duty at the desk, so live chat queues the customer
    await addStaff(srv.base, { username: 'sam', displayName: 'Sam Lee', teams: ['general'] });
    sam = await Agent.login(srv.base, 'sam');
  });
  after(async () => { await srv.close(); });

  const emulator = { channel: 'emulator' };
  const turn = (intent: string, outcome = 'ok', channel = 'emulator') => ({ metric: 'supportbot_turns_total', labels: { channel, intent, outcome }, by: 1 });
  const rows: Row[] = [
    {
      name: 'a recognised request: one ok turn under its intent, one duration, one score, one lock wait, state read and written once',
      send: () => say(srv.base, 'm-1', 'I forgot my password'),
      moves: [
        turn('password_reset'), { metric: 'supportbot_turn_duration_seconds_count', labels: emulator, by: 1 },
        { metric: 'supportbot_turn_duration_seconds_bucket', labels: { ...emulator, le: '+Inf' }, by: 1 },
        { metric: 'supportbot_classifier_score_count', by: 1 }, { metric: 'supportbot_fallbacks_total', labels: emulator, by: 0 },
        { metric: 'supportbot_store_operation_seconds_count', labels: { store: 'lock', op: 'wait' }, by: 1 },
        { metric: 'supportbot_store_operation_seconds_count', labels: { store: 'state', op: 'read' }, by: 1 },
        { metric: 'supportbot_store_operation_seconds_count', labels: { store: 'state', op: 'write' }, by: 1 },
        { metric: 'supportbot_cases_opened_total', by: 0 },
      ],
    },
    {
      name: 'an out-of-scope message: a fallback, intent none',
      send: () => say(srv.base, 'm-2', 'what is the weather on mars'),
      moves: [turn('none'), { metric: 'supportbot_fallbacks_total', labels: emulator, by: 1 }, { metric: 'supportbot_classifier_score_count', by: 1 }],
    },
    {
      name: 'a second one in another conversation: one more fallback',
      send: () => say(srv.base, 'm-2b', 'tell me a joke about penguins'),
      moves: [turn('none'), { metric: 'supportbot_fallbacks_total', labels: emulator, by: 1 }],
    },
    {
      name: 'a member joining: a turn that is not classified (no score)',
      send: () => request('POST', `${srv.base}/api/messages`, activity('m-3', undefined, { type: 'conversationUpdate', membersAdded: [{ id: 'user-m-3' }] })),
      moves: [turn('none'), { metric: 'supportbot_classifier_score_count', by: 0 }, { metric: 'supportbot_fallbacks_total', labels: emulator, by: 0 }],
    },
    {
      name: 'a channel id nobody knows is counted as "other" (labels stay a fixed set)',
      send: () => say(srv.base, 'm-4', 'I forgot my password', { channelId: 'made-up-channel-7f3a' }),
      moves: [turn('password_reset', 'ok', 'other'), { metric: 'supportbot_turn_duration_seconds_count', labels: { channel: 'other' }, by: 1 }],
    },
    {
      name: 'asking for a person, then live chat',
      send: async () => { await say(srv.base, 'm-5', 'I want to talk to a person'); await say(srv.base, 'm-5', 'Live chat'); },
      turns: 2,
      // "Live chat" reads as escalate too: the label is the classifier's top intent for the message
      moves: [{ ...turn('escalate'), by: 2 }, { metric: 'supportbot_cases_opened_total', by: 0 }],
    },
    {
      name: 'skipping the description opens the case: one case, one escalation (general, live chat), one customer queued',
      send: async () => {
        const r = await say(srv.base, 'm-5', 'skip');
        caseNumber = JSON.stringify(r.texts).match(CASE)?.[0] ?? '';
        expect(caseNumber).to.match(CASE);
      },
      moves: [
        { metric: 'supportbot_cases_opened_total', by: 1 },
        { metric: 'supportbot_escalations_total', labels: { team: 'general', contact_method: 'live_chat' }, by: 1 },
        { metric: 'supportbot_handoff_queue_length', labels: { team: 'general' }, by: 1 },
        { metric: 'supportbot_handoff_wait_seconds_count', by: 0 },
      ],
    },
    {
      name: 'a person accepts at the desk: one hand-off wait observed, the queue is one shorter',
      send: async () => expect((await sam.post(`/api/desk/cases/${caseNumber}/accept`)).status).to.equal(200),
      moves: [{ metric: 'supportbot_handoff_wait_seconds_count', by: 1 }, { metric: 'supportbot_handoff_queue_length', labels: { team: 'general' }, by: -1 }],
    },
    {
      name: 'the same acceptance sent twice is not a second wait',
      send: async () => expect((await sam.post(`/api/desk/cases/${caseNumber}/accept`)).status).to.equal(409),
      turns: 0,
      moves: [{ metric: 'supportbot_handoff_wait_seconds_count', by: 0 }],
    },
    {
      name: 'a turn that fails (a broken dialog stack): outcome error',
      send: async () => {
        const key = conversationStateKey('emulator', 'm-6');
        await srv.app.stores.state.write({ [key]: { DialogState: { dialogStack: [{ id: 'no-such-dialog', state: {} }] }, eTag: '*' } });
        const r = await say(srv.base, 'm-6', 'help');
        expect(r.texts.join(' ')).to.match(/something went wrong/i);
      },
      // it fails before the message is classified
      moves: [turn('none', 'error'), { metric: 'supportbot_turn_duration_seconds_count', labels: emulator, by: 1 }],
    },
  ];

  for (const row of rows) {
    it(row.name, async () => {
      const before = await now();
      await row.send();
      const after = await now();
      const moved = delta(before, after);
      for (const m of row.moves) expect(moved(m.metric, m.labels), `${m.metric} ${JSON.stringify(m.labels ?? {})}`).to.equal(m.by);
      // exactly this many turns, whatever their labels
      const total = (s: Scrape) => s.series('supportbot_turns_total').reduce((n, x) => n + x.value, 0);
      expect(total(after) - total(before), 'turns counted').to.equal(row.turns ?? 1);
    });
  }

  it('no label carries a user, conversation, channel-supplied or case id, and intent labels come from the fixed list', async () => {
    const m = await now();
    for (const id of ['m-1', 'm-5', 'user-m-3', 'made-up-channel-7f3a', 'CS-']) expect(m.text, id).to.not.include(id);
    const { INTENTS } = await import('../../src/nlu/intents.js');
    for (const s of m.series('supportbot_turns_total')) expect(INTENTS as readonly string[]).to.include(s.labels.intent);
    // message text never reaches the metrics
    expect(m.text).to.not.match(/forgot|weather|mars|penguin|joke/i);
  });
});

describe('Prometheus metrics: rate limits and Direct Line connections', () => {
  it('counts each 429 under its route', async () => {
    const srv = await startServer({ METRICS_TOKEN: TOKEN, RATE_LIMIT_MESSAGES_PER_MINUTE: '2' });
    try {
      const before = await scrape(`${srv.base}/metrics`, TOKEN);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await say(srv.base, 'rl-1', 'hi')).status);
      expect(statuses).to.deep.equal([200, 200, 429, 429]);
      const after = await scrape(`${srv.base}/metrics`, TOKEN);
      expect(delta(before, after)('supportbot_rate_limited_total', { route: 'api_messages' })).to.equal(2);
      // refused requests are not turns
      expect(delta(before, after)('supportbot_turns_total', { channel: 'emulator', intent: 'greeting', outcome: 'ok' })).to.equal(2);
    } finally { await srv.close(); }
  });

  it('supportbot_directline_connections follows the open web-widget streams; a Direct Line message is a directline turn', async () => {
    const srv = await startServer({ METRICS_TOKEN: TOKEN });
    const gauge = async () => (await scrape(`${srv.base}/metrics`, TOKEN)).value('supportbot_directline_connections');
    try {
      expect(await gauge()).to.equal(0);
      const t = (await request('POST', `${srv.base}/api/directline/token`, {})).json;
      const c = await request('POST', `${srv.base}/v3/directline/conversations`, {}, bearer(t.token));
      expect(c.status).to.equal(201);
      const sockets = await Promise.all([0, 1].map(() => new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(c.json.streamUrl);
        ws.on('open', () => resolve(ws));
        ws.on('error', reject);
      })));
      expect(await gauge()).to.equal(2);
      // a message over Direct Line is a turn of the directline channel
      const before = await scrape(`${srv.base}/metrics`, TOKEN);
      const sent = await request('POST', `${srv.base}/v3/directline/conversations/${c.json.conversationId}/activities`,
        { type: 'message', from: { id: t.userId }, text: 'I forgot my password' }, bearer(t.token));
      expect(sent.status).to.equal(200);
      const after = await scrape(`${srv.base}/metrics`, TOKEN);
      expect(delta(before, after)('supportbot_turns_total', { channel: 'directline', intent: 'password_reset', outcome: 'ok' })).to.equal(1);
      expect(delta(before, after)('supportbot_store_operation_seconds_count', { store: 'directLine', op: 'append' })).to.be.greaterThan(1);
      sockets[0].close();
      for (let i = 0; i < 100 && (await gauge()) !== 1; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await gauge()).to.equal(1);
      sockets[1].close();
      for (let i = 0; i < 100 && (await gauge()) !== 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await gauge()).to.equal(0);
    } finally { await srv.close(); }
  });
});
