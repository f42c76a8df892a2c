import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { request, say, startFakeConnector, startServer, type TestServer } from '../support/server.js';
import { addStaff, Agent, ADMIN_TOKEN } from '../support/desk.js';
import type { Insights } from '../../src/insights/figures.js';

const run = promisify(execFile);
const TOKEN = ADMIN_TOKEN;
const auth = { authorization: `Bearer ${TOKEN}` };

/**
 * Scripted conversations with known outcomes, through the real server with a hand-moved clock,
 * then every figure checked exactly against the definitions (README, "Insights").
 */
describe('insights: scripted conversations, every figure', function () {
  this.timeout(120_000);
  let server: TestServer;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  let agent: Agent;
  let t = 0;
  const at = (iso: string) => { t = Date.parse(iso); };
  /** Each message one minute after the last. */
  async function chat(conversation: string, texts: string[], extra: Record<string, unknown> = {}): Promise<string[]> {
    const replies: string[] = [];
    for (const text of texts) {
      // the channel's connector: where the desk's proactive messages (joined, left, "solved?") go
      const r = await say(server.base, conversation, text, { serviceUrl: connector.url, ...extra });
      expect(r.status, `${conversation}: "${text}"`).to.equal(200);
      replies.push(r.texts.join('\n'));
      t += 60_000;
    }
    return replies;
  }
  /** The agent at the desk accepts or ends the chat of the case opened in `reply`. */
  async function desk(reply: string, action: 'accept' | 'end'): Promise<void> {
    const caseNumber = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(reply)?.[0];
    expect(caseNumber, reply).to.be.a('string');
    const r = await agent.post(`/api/desk/cases/${caseNumber}/${action}`, action === 'end' ? { status: 'resolved' } : {});
    expect(r.status, r.body).to.equal(200);
  }
  const insights = async (query: string) => {
    const r = await request('GET', `${server.base}/api/insights?${query}`, undefined, auth);
    expect(r.status, r.body).to.equal(200);
    return r.json as Insights;
  };

  before(async () => {
    connector = await startFakeConnector();
    server = await startServer({ ADMIN_TOKEN: TOKEN }, { now: () => new Date(t) });
    // a person on duty at the desk, for the general team
    await addStaff(server.base, { username: 'sam', displayName: 'Sam Rivera' });
    agent = await Agent.login(server.base, 'sam');
    // e: started the day before (counted there, with its later message), never on the 2nd
    at('2026-03-01T23:59:00Z');
    await chat('e', ['hi', 'my bill is wrong']);
    // a: billing, solved, rated 5; contained
    at('2026-03-02T09:00:00Z');
    const a = await chat('a', ['my bill is wrong', 'yes', 'bye', 'yes', '5']);
    expect(a[2]).to.match(/did I solve your problem/);
    // b: two misunderstandings (out of scope, then below the threshold), a person by live chat:
    // escalated at 10:04, accepted at the desk 10:07 (wait 180 s), ended 10:12:30 (handle 330 s);
    // the bot then asks "solved?" by itself: not solved, rated 2
    at('2026-03-02T10:00:00Z');
    const b = await chat('b', ['purple monkey dishwasher', 'phone stuff', 'talk to a person', 'live chat', 'my phone will not charge']);
    expect(b[4]).to.match(/opened case CS-/);
    at('2026-03-02T10:07:00Z'); await desk(b[4], 'accept');
    at('2026-03-02T10:12:30Z'); await desk(b[4], 'end');
    expect(connector.posted.map((p) => p.text ?? '').join('\n')).to.match(/did I solve your problem/);
    at('2026-03-02T10:13:00Z');
    await chat('b', ['no', 'no thanks', '2']);
    // c: on another channel, "did you mean …?" then the app; contained
    at('2026-03-02T15:00:00Z');
    const c = await chat('c', ['app or data', 'app', 'iphone', 'no'], { channelId: 'webchat' });
    expect(c[0]).to.match(/Did you mean/);
    // d: straight to a person: escalated at 16:02, accepted 16:12 (wait 600 s), completed 16:13 (handle 60 s)
    at('2026-03-02T16:00:00Z');
    const d = await chat('d', ['talk to a person', 'live chat', 'skip']);
    at('2026-03-02T16:12:00Z'); await desk(d[2], 'accept');
    at('2026-03-02T16:13:00Z'); await desk(d[2], 'end');
    // f: the next day: out of scope, then solved and the rating skipped
    at('2026-03-03T08:00:00Z');
    await chat('f', ['what is the weather', 'bye', 'yes', 'skip']);
  });
  after(async () => { await server?.close(); await connector?.close(); });

  it('one day: conversations, containment, fallbacks, CSAT, solved, wait and handle times', async () => {
    const day = await insights('from=2026-03-02&to=2026-03-02');
    expect(day.range).to.deep.equal({ from: '2026-03-02T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z', timeZone: 'UTC' });
    expect(day.totals).to.deep.equal({
      // a, b, c, d (e started the day before, f the day after)
      conversations: 4, contained: 2, escalated: 2, containmentRate: 2 / 4, escalationRate: 2 / 4,
      // a 5 + b 8 + c 4 + d 3 customer messages; b's first two were not understood
      messages: 20, fallbacks: 2, fallbackRate: 2 / 20, belowThreshold: 1, outOfScope: 1, disambiguations: 1,
      csat: { mean: (5 + 2) / 2, count: 2, distribution: { 1: 0, 2: 1, 3: 0, 4: 0, 5: 1 } },
      solved: { yes: 1, answers: 2, rate: 1 / 2 },
      // waits 180 s and 600 s: the median is their mean, p90 the larger (nearest rank 2 of 2)
      wait: { count: 2, medianSeconds: 390, p90Seconds: 600 },
      handle: { count: 2, medianSeconds: 195, p90Seconds: 330 },
    });
  });

  it('per topic (the first routed intent) and per channel', async () => {
    const day = await insights('from=2026-03-02&to=2026-03-02');
    const brief = (f: Insights['totals']) => [f.conversations, f.escalated, f.messages, f.fallbacks, f.csat.count, f.solved.answers, f.wait.count];
    expect(day.byTopic.map((x) => [x.topic, ...brief(x)])).to.deep.equal([
      ['escalate', 2, 2, 11, 2, 1, 1, 2],
      ['app_install', 1, 0, 4, 0, 0, 0, 0],
      ['billing', 1, 0, 5, 0, 1, 1, 0],
    ]);
    const escalate = day.byTopic[0];
    expect([escalate.escalationRate, escalate.fallbackRate, escalate.csat.mean, escalate.solved.rate]).to.deep.equal([1, 2 / 11, 2, 0]);
    expect(day.byChannel.map((x) => [x.channel, ...brief(x)])).to.deep.equal([
      ['emulator', 3, 2, 16, 2, 2, 2, 2],
      ['webchat', 1, 0, 4, 0, 0, 0, 0],
    ]);
    expect(day.escalations).to.deep.equal({ byTeam: { general: 2 }, byContactMethod: { live_chat: 2 } });
    const web = await insights('from=2026-03-02&to=2026-03-02&channel=webchat');
    expect(web.range.channel).to.equal('webchat');
    expect([web.totals.conversations, web.totals.messages, web.totals.disambiguations, web.byTopic[0].topic]).to.deep.equal([1, 4, 1, 'app_install']);
  });

  it('a daily series over every day of the range, and the busiest hours', async () => {
    const two = await insights('from=2026-03-01&to=2026-03-03');
    expect(two.daily.map((d) => [d.date, d.conversations, d.contained, d.escalated, d.messages, d.fallbacks])).to.deep.equal([
      ['2026-03-01', 1, 1, 0, 2, 0],
      ['2026-03-02', 4, 2, 2, 20, 2],
      ['2026-03-03', 1, 1, 0, 4, 1],
    ]);
    expect([two.totals.conversations, two.totals.solved.yes, two.totals.solved.answers, two.totals.solved.rate, two.totals.outOfScope]).to.deep.equal([6, 2, 3, 2 / 3, 2]);
    // e has no topic of its own on the 1st… until "my bill is wrong": billing; f never had one
    expect(two.byTopic.map((x) => [x.topic, x.conversations])).to.deep.equal([['billing', 2], ['escalate', 2], ['app_install', 1], ['none', 1]]);
    const day = await insights('from=2026-03-02&to=2026-03-02');
    const hours = Object.fromEntries(day.hours.filter((h) => h.conversations || h.messages).map((h) => [h.hour, [h.conversations, h.messages]]));
    expect(hours).to.deep.equal({ 9: [1, 5], 10: [1, 8], 15: [1, 4], 16: [1, 3] });
    expect(day.busiestHours).to.deep.equal([10, 9, 15]);
    // the same day in New York: 2026-03-02 there is 05:00Z to 05:00Z the next day; e (23:59Z on the 1st) is then on the 1st too
    const ny = await insights('from=2026-03-01&to=2026-03-02&tz=America/New_York');
    expect(ny.range).to.deep.equal({ from: '2026-03-01T05:00:00.000Z', to: '2026-03-03T05:00:00.000Z', timeZone: 'America/New_York' });
    expect(ny.daily.map((d) => [d.date, d.conversations])).to.deep.equal([['2026-03-01', 1], ['2026-03-02', 4]]);
    expect(ny.busiestHours).to.deep.equal([5, 4, 10]);
  });

  it('an empty range answers zeros, not errors', async () => {
    const empty = await insights('from=2025-01-01&to=2025-01-31');
    expect(empty.totals).to.deep.equal({
      conversations: 0, contained: 0, escalated: 0, containmentRate: 0, escalationRate: 0, messages: 0, fallbacks: 0, fallbackRate: 0,
      belowThreshold: 0, outOfScope: 0, disambiguations: 0, csat: { mean: 0, count: 0, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } },
      solved: { yes: 0, answers: 0, rate: 0 }, wait: { count: 0, medianSeconds: 0, p90Seconds: 0 }, handle: { count: 0, medianSeconds: 0, p90Seconds: 0 },
    });
    expect(empty.daily).to.have.length(31);
    expect(empty.daily.every((d) => d.conversations === 0)).to.equal(true);
    expect([empty.byTopic, empty.byChannel, empty.busiestHours]).to.deep.equal([[], [], []]);
    const instant = await insights('from=2026-03-02T10:00:00Z&to=2026-03-02T10:00:00Z');
    expect([instant.totals.conversations, instant.daily.length]).to.deep.equal([0, 0]);
  });

  it('refuses a reversed range, more than a year, a bad date, zone, channel or format with 400 and the reason', async () => {
    const cases: Array<[string, RegExp]> = [
      ['from=2026-03-05&to=2026-03-01', /reversed: from \(2026-03-05\) is after to \(2026-03-01\)/],
      ['from=2025-01-01&to=2026-01-02', /longer than a year/],
      ['from=2026-02-30', /not a date on the calendar/],
      ['from=yesterday', /must be a date \(2026-03-01\) or a time/],
      ['from=2026-03-01T10:00:00', /must be a date .* or a time with its zone/],
      ['tz=Mars/Olympus', /not a time zone/],
      ['channel=%3Cscript%3E', /not a channel id/],
      ['format=xml', /format must be json or csv/],
      ['from=2026-03-01&from=2026-03-02', /given more than once/],
    ];
    for (const [query, reason] of cases) {
      const r = await request('GET', `${server.base}/api/insights?${query}`, undefined, auth);
      expect(r.status, query).to.equal(400);
      expect(r.json.message, query).to.match(reason);
    }
    // a whole leap year is one year
    expect((await request('GET', `${server.base}/api/insights?from=2024-01-01&to=2024-12-31`, undefined, auth)).status).to.equal(200);
  });

  it('is for supervisors: a supervisor\'s desk session or the admin token; an agent gets 403, anyone else 401', async () => {
    expect((await request('GET', `${server.base}/api/insights`)).status).to.equal(401);
    const wrong = await request('GET', `${server.base}/api/insights`, undefined, { authorization: 'Bearer nope' });
    expect([wrong.status, wrong.json.message]).to.deep.equal([401, 'The admin token is not valid.']);
    const asAgent = await agent.get('/api/insights');
    expect([asAgent.status, asAgent.json.message]).to.deep.equal([403, 'The insights API is for supervisors.']);
    await addStaff(server.base, { username: 'kim', displayName: 'Kim Lee', role: 'supervisor' });
    const supervisor = await Agent.login(server.base, 'kim');
    const asSupervisor = await supervisor.get('/api/insights?from=2026-03-02&to=2026-03-02');
    expect(asSupervisor.status).to.equal(200);
    expect(asSupervisor.json.totals.conversations).to.equal(4);
    const stale = await request('GET', `${server.base}/api/insights`, undefined, { cookie: 'desk_session=not-a-session' });
    expect(stale.status).to.equal(401);
  });

  it('gives the same figures as CSV', async () => {
    const r = await request('GET', `${server.base}/api/insights?from=2026-03-02&to=2026-03-02&format=csv`, undefined, auth);
    expect(r.status).to.equal(200);
    expect(r.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).to.equal('attachment; filename="insights-2026-03-02-2026-03-03.csv"');
    const lines = r.body.trimEnd().split('\r\n').map((l) => l.split(','));
    const header = lines[0];
    const total = Object.fromEntries(header.map((h, i) => [h, lines[1][i]]));
    expect(total).to.include({
      scope: 'total', conversations: '4', contained: '2', escalated: '2', containment_rate: '0.5', messages: '20', fallbacks: '2',
      fallback_rate: String(Math.round((2 / 20) * 1e4) / 1e4), csat_mean: '3.5', rated_2: '1', rated_5: '1', solved_rate: '0.5',
      wait_median_s: '390', wait_p90_s: '600', handle_median_s: '195', handle_p90_s: '330',
    });
    expect(lines.filter((l) => l[0] === 'topic').map((l) => l[1])).to.deep.equal(['escalate', 'app_install', 'billing']);
    expect(lines.filter((l) => l[0] === 'hour')).to.have.length(24);
  });

  it('npm run -s insights prints the same figures, and refuses a reversed range with the reason', async () => {
    const env = { ...process.env, DATA_DIR: server.config.dataDir, DATABASE_URL: '' };
    const json = await run('npm', ['run', '-s', 'insights', '--', '--from', '2026-03-02', '--to', '2026-03-02'], { env });
    expect(JSON.parse(json.stdout)).to.deep.equal(await insights('from=2026-03-02&to=2026-03-02'));
    const csv = await run('npm', ['run', '-s', 'insights', '--', '--from', '2026-03-02', '--to', '2026-03-02', '--csv'], { env });
    const api = await request('GET', `${server.base}/api/insights?from=2026-03-02&to=2026-03-02&format=csv`, undefined, auth);
    expect(csv.stdout).to.equal(api.body);
    const bad = await run('npm', ['run', '-s', 'insights', '--', '--from', '2026-03-05', '--to', '2026-03-01'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).to.equal(2);
    expect((bad as { stderr: string }).stderr).to.match(/reversed: from \(2026-03-05\) is after to \(2026-03-01\)/);
  });
});

describe('insights without ADMIN_TOKEN on the server', () => {
  it('is never open: only a supervisor\'s desk session gets in, a bearer token is not looked at', async () => {
    const server = await startServer();
    try {
      for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }] as Array<Record<string, string>>) {
        const r = await request('GET', `${server.base}/api/insights`, undefined, headers);
        expect(r.status).to.equal(401);
        expect(r.json.message).to.match(/sign in as a supervisor/);
      }
    } finally { await server.close(); }
  });
});
