import { expect } from 'chai';
import http from 'node:http';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createApp, type App } from '../../src/app.js';
import { incomingContext } from '../../src/telemetry/index.js';
import { trace } from '@opentelemetry/api';
import { activity, request, tempDir } from '../support/server.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp.js';
import { scrape } from '../support/metrics.js';

const TOKEN = 'tracing-test-metrics-token-0123';
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

interface Traced { app: App; base: string; logs: string[]; close(): Promise<void> }

/** The real app with tracing on, its JSON log lines captured. */
async function startTraced(endpoint: string, env: Record<string, string> = {}): Promise<Traced> {
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir(), LOG_LEVEL: 'debug', SHUTDOWN_TIMEOUT_MS: '2000', METRICS_TOKEN: TOKEN,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '20', ...env,
  }, 'test');
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { logs.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
  const app = await createApp(config, createLogger('debug', sink));
  const port = await app.listen();
  return { app, base: `http://127.0.0.1:${port}`, logs, close: () => app.close() };
}

/** A loopback channel connector that keeps the headers of what the bot posts. */
async function headerConnector() {
  const posts: Array<{ headers: http.IncomingHttpHeaders; body: any }> = [];
  const server = http.createServer((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      posts.push({ headers: req.headers, body: JSON.parse(b || '{}') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `posted-${posts.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, posts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const post = (base: string, conv: string, text: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  request('POST', `${base}/api/messages`, activity(conv, text, extra), headers);

describe('OpenTelemetry traces: a turn\'s span tree reaches an OTLP receiver', () => {
  let receiver: OtlpReceiver;
  let srv: Traced;
  before(async () => {
    receiver = await startOtlpReceiver();
    srv = await startTraced(receiver.url);
  });
  after(async () => {
    await srv?.close();
    await receiver?.close();
  });

  it('one turn span under the caller\'s traceparent, with recognition, dialog, store and channel calls as children; traceparent goes on to the connector; logs carry the ids', async () => {
    const connector = await headerConnector();
    try {
      const traceId = hex(16), callerSpan = hex(8);
      const r = await post(srv.base, 'tr-1', 'I forgot my password', { deliveryMode: undefined, serviceUrl: connector.url }, { traceparent: `00-${traceId}-${callerSpan}-01` });
      expect(r.status).to.equal(200);
      await srv.app.telemetry!.tracing!.flush();
      const spans = await receiver.until((all) => all.some((s) => s.traceId === traceId && s.name === 'turn'), `the turn span of ${traceId}`).catch((err) => {
        console.log(receiver.spans.filter((s) => s.name === 'turn'));
        throw err;
      });
      const mine = spans.filter((s) => s.traceId === traceId);
      const turn = mine.find((s) => s.name === 'turn')!;
      expect(turn.parentSpanId, 'the caller\'s span is the parent').to.equal(callerSpan);
      expect(turn.kind, 'SERVER').to.equal(2);
      expect(turn.attributes).to.include({ 'supportbot.channel': 'emulator', 'supportbot.activity.type': 'message', 'supportbot.intent': 'password_reset', 'supportbot.outcome': 'ok', 'supportbot.fallback': false });
      expect(turn.resource).to.include({ 'service.name': 'support-bot', 'service.version': 'test' });

      const children = (parent: ReceivedSpan) => mine.filter((s) => s.parentSpanId === parent.spanId).map((s) => s.name);
      const dialog = mine.find((s) => s.name === 'dialog' && s.parentSpanId === turn.spanId);
      expect(dialog, 'dialog span under the turn').to.exist;
      const recognize = mine.find((s) => s.name === 'recognize');
      expect(recognize?.parentSpanId, 'recognition inside the dialog').to.equal(dialog!.spanId);
      expect(recognize!.attributes).to.include({ 'supportbot.intent': 'password_reset' });
      expect(children(turn), 'state read and saved in the turn').to.include.members(['dialog', 'store state.read', 'store state.write']);
      // every span of the turn hangs from the turn span
      const ids = new Set(mine.map((s) => s.spanId));
      for (const s of mine) if (s !== turn) expect(ids.has(s.parentSpanId!), `${s.name} has a parent in the trace`).to.equal(true);

      // each call to the connector is a span, and carries the trace on (typing indicators too)
      const calls = mine.filter((s) => s.name === 'channel.send');
      expect(calls.length).to.equal(connector.posts.length);
      expect(connector.posts.length).to.be.greaterThan(1);
      for (const p of connector.posts) {
        const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(String(p.headers.traceparent));
        expect(m, 'traceparent on the connector call').to.not.equal(null);
        expect(m![1]).to.equal(traceId);
        expect(calls.map((s) => s.spanId)).to.include(m![2]);
      }

      // message text is never in a span
      for (const body of receiver.bodies) expect(body).to.not.match(/forgot my password/i);

      // log lines written inside the turn carry its ids
      const turnLog = srv.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'turn' && l.trace_id === traceId);
      expect(turnLog, 'the turn\'s debug line').to.exist;
      expect(turnLog.span_id).to.equal(turn.spanId);
      expect(srv.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'recognizer ready')).to.not.have.property('trace_id');
    } finally { await connector.close(); }
  });

  it('a Spanish turn, traced: the reply is in Spanish and every span hangs in the turn\'s tree (the language and the trace share one scope)', async () => {
    const traceId = hex(16);
    const r = await post(srv.base, 'tr-es', 'olvidé mi contraseña', {}, { traceparent: `00-${traceId}-${hex(8)}-01` });
    expect(r.status).to.equal(200);
    const texts = r.json.activities.filter((a: any) => a.type === 'message').map((a: any) => a.text).join(' ');
    expect(texts).to.match(/contraseña/i);
    expect(texts).not.to.match(/password/i);
    await srv.app.telemetry!.tracing!.flush();
    const mine = (await receiver.until((all) => all.some((s) => s.traceId === traceId && s.name === 'turn'), 'the Spanish turn')).filter((s) => s.traceId === traceId);
    const turn = mine.find((s) => s.name === 'turn')!;
    expect(turn.attributes['supportbot.intent']).to.equal('password_reset');
    const ids = new Set(mine.map((s) => s.spanId));
    const names = mine.filter((s) => s !== turn).map((s) => s.name);
    expect(names).to.include.members(['dialog', 'recognize', 'store state.write']);
    for (const s of mine.filter((x) => x !== turn)) expect(ids.has(s.parentSpanId!), `${s.name}'s parent is in the turn's tree`).to.equal(true);
  });

  it('a turn with no traceparent starts its own trace; the exported spans are counted', async () => {
    const before = await scrape(`${srv.base}/metrics`, TOKEN);
    const r = await post(srv.base, 'tr-2', 'hello');
    expect(r.status).to.equal(200);
    await srv.app.telemetry!.tracing!.flush();
    const spans = await receiver.until((all) => all.some((s) => s.name === 'turn' && s.attributes['supportbot.intent'] === 'greeting'), 'the greeting turn');
    const turn = spans.find((s) => s.name === 'turn' && s.attributes['supportbot.intent'] === 'greeting')!;
    expect(turn.parentSpanId).to.equal(undefined);
    const after = await scrape(`${srv.base}/metrics`, TOKEN);
    expect(after.value('supportbot_trace_spans_exported_total') - before.value('supportbot_trace_spans_exported_total')).to.be.greaterThan(3);
    expect(after.series('supportbot_trace_spans_dropped_total').reduce((n, s) => n + s.value, 0)).to.equal(0);
  });

  // [what the caller sent, its headers, the trace id in them]
  const ignored: Array<[string, (traceId: string) => Record<string, string>]> = [
    ['an unknown version', (t) => ({ traceparent: `ff-${t}-${hex(8)}-01` })],
    ['an all-zero span id', (t) => ({ traceparent: `00-${t}-${'0'.repeat(16)}-01` })],
    ['upper-case hex', (t) => ({ traceparent: `00-${t.toUpperCase()}-${hex(8)}-01` })],
    ['version 00 with extra fields', (t) => ({ traceparent: `00-${t}-${hex(8)}-01-extra` })],
    // a later version may add fields, so the W3C parser alone would take this one
    ['a huge header (8 KB, a later version)', (t) => ({ traceparent: `01-${t}-${hex(8)}-01-${'x'.repeat(8000)}` })],
  ];
  for (const [what, headersFor] of ignored) {
    it(`ignores ${what}: the turn answers and starts a trace of its own`, async () => {
      const given = hex(16);
      const headers = headersFor(given);
      expect(trace.getSpanContext(incomingContext(headers)), 'not read as a parent').to.equal(undefined);
      const r = await post(srv.base, `tr-bad-${hex(4)}`, 'I forgot my password', {}, headers);
      expect(r.status).to.equal(200);
      expect(r.json.activities.some((a: any) => a.type === 'message')).to.equal(true);
      const before = receiver.spans.filter((s) => s.name === 'turn').length;
      await srv.app.telemetry!.tracing!.flush();
      const turns = (await receiver.until((all) => all.filter((s) => s.name === 'turn').length > before, 'the turn span')).filter((s) => s.name === 'turn');
      expect(turns.at(-1)!.parentSpanId).to.equal(undefined);
      expect(receiver.spans.some((s) => s.traceId === given.toLowerCase()), 'the given trace id is not used').to.equal(false);
    });
  }

  it('a valid traceparent with a huge tracestate keeps the trace and drops the state', async () => {
    const [traceId, parent] = [hex(16), hex(8)];
    const ctx = incomingContext({ traceparent: `00-${traceId}-${parent}-01`, tracestate: `k=${'v'.repeat(2000)}` });
    expect(trace.getSpanContext(ctx)?.traceId).to.equal(traceId);
    expect(trace.getSpanContext(ctx)?.traceState).to.equal(undefined);
    const r = await post(srv.base, 'tr-state', 'hello', {}, { traceparent: `00-${traceId}-${parent}-01`, tracestate: `k=${'v'.repeat(2000)}` });
    expect(r.status).to.equal(200);
    await srv.app.telemetry!.tracing!.flush();
    const spans = await receiver.until((all) => all.some((s) => s.traceId === traceId && s.name === 'turn'), 'the turn span');
    expect(spans.find((s) => s.traceId === traceId && s.name === 'turn')!.parentSpanId).to.equal(parent);
  });
});

describe('OpenTelemetry traces: a collector that is down or slow never slows or fails a turn', () => {
  it('collector down (connection refused): every turn answers, the spans are dropped and counted', async () => {
    const gone = await startOtlpReceiver();
    const url = gone.url;
    await gone.close();
    const srv = await startTraced(url, { OTEL_EXPORTER_OTLP_TIMEOUT: '300' });
    try {
      for (let i = 0; i < 3; i++) expect((await post(srv.base, `down-${i}`, 'I forgot my password')).status).to.equal(200);
      await srv.app.telemetry!.tracing!.flush();
      let m = await scrape(`${srv.base}/metrics`, TOKEN);
      for (let i = 0; i < 100 && m.value('supportbot_trace_spans_dropped_total', { reason: 'export_failed' }) === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        m = await scrape(`${srv.base}/metrics`, TOKEN);
      }
      expect(m.value('supportbot_trace_spans_dropped_total', { reason: 'export_failed' })).to.be.greaterThan(3 * 5);
      expect(m.value('supportbot_trace_spans_exported_total')).to.equal(0);
      expect(m.value('supportbot_turns_total', { channel: 'emulator', intent: 'password_reset', outcome: 'ok' })).to.equal(3);
    } finally { await srv.close(); }
  });

  it('collector hanging: turns answer while its request is unanswered; past the bounded queue spans are dropped and counted', async () => {
    const slow = await startOtlpReceiver();
    slow.mode = 'hang';
    const srv = await startTraced(slow.url, { OTEL_EXPORTER_OTLP_TIMEOUT: '20000', OTEL_BSP_MAX_QUEUE_SIZE: '8', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4' });
    try {
      expect((await post(srv.base, 'slow-0', 'I forgot my password')).status).to.equal(200);
      for (let i = 0; i < 200 && slow.pending() === 0; i++) await new Promise((r) => setTimeout(r, 25));
      expect(slow.pending(), 'an export is waiting on the collector').to.equal(1);
      const statuses = [];
      for (let i = 1; i <= 5; i++) statuses.push((await post(srv.base, `slow-${i}`, 'I forgot my password')).status);
      expect(statuses).to.deep.equal([200, 200, 200, 200, 200]);
      // the turns above finished while the collector still held its first batch
      expect(slow.pending(), 'still unanswered').to.be.greaterThan(0);
      const m = await scrape(`${srv.base}/metrics`, TOKEN);
      expect(m.value('supportbot_trace_spans_dropped_total', { reason: 'queue_full' }), 'spans past the queue bound').to.be.greaterThan(0);
      expect(m.value('supportbot_turns_total', { channel: 'emulator', intent: 'password_reset', outcome: 'ok' })).to.equal(6);
    } finally {
      slow.mode = 'ok';
      slow.release();
      await srv.close();
      await slow.close();
    }
  });
});

describe('OpenTelemetry traces: head sampling (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG)', () => {
  let receiver: OtlpReceiver;
  let srv: Traced;
  before(async () => {
    receiver = await startOtlpReceiver();
    // no turn of its own is sampled: only a caller's sampled flag gets one recorded
    srv = await startTraced(receiver.url, { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' });
  });
  after(async () => {
    await srv?.close();
    await receiver?.close();
  });

  it('a sampled-out turn exports nothing but still answers, is counted and passes its (unsampled) trace on; a caller\'s sampled flag is followed', async () => {
    const connector = await headerConnector();
    try {
      // no traceparent: the ratio (0) leaves the turn out
      expect((await post(srv.base, 'smp-1', 'I forgot my password', { deliveryMode: undefined, serviceUrl: connector.url })).status).to.equal(200);
      // a caller that did not sample: followed, nothing recorded, the flag goes on to the connector
      const [unsampled, unsampledParent] = [hex(16), hex(8)];
      const posted = connector.posts.length;
      expect((await post(srv.base, 'smp-2', 'I forgot my password', { deliveryMode: undefined, serviceUrl: connector.url }, { traceparent: `00-${unsampled}-${unsampledParent}-00` })).status).to.equal(200);
      const onward = connector.posts.slice(posted).map((p) => String(p.headers.traceparent));
      expect(onward.length).to.be.greaterThan(0);
      for (const h of onward) expect(h, 'same trace, flagged unsampled').to.match(new RegExp(`^00-${unsampled}-[0-9a-f]{16}-00$`));
      await srv.app.telemetry!.tracing!.flush();

      // a caller that sampled: followed, the whole turn is recorded under its trace
      const [sampled, sampledParent] = [hex(16), hex(8)];
      expect((await post(srv.base, 'smp-3', 'I forgot my password', {}, { traceparent: `00-${sampled}-${sampledParent}-01` })).status).to.equal(200);
      await srv.app.telemetry!.tracing!.flush();
      const spans = await receiver.until((all) => all.some((s) => s.name === 'turn'), 'the sampled turn');
      const turn = spans.find((s) => s.name === 'turn')!;
      expect(turn.parentSpanId).to.equal(sampledParent);
      expect(spans.map((s) => s.name)).to.include.members(['turn', 'dialog', 'recognize', 'store state.read', 'store state.write']);
      expect(new Set(spans.map((s) => s.traceId)), 'only the sampled turn was exported').to.deep.equal(new Set([sampled]));

      const m = await scrape(`${srv.base}/metrics`, TOKEN);
      expect(m.value('supportbot_turns_total', { channel: 'emulator', intent: 'password_reset', outcome: 'ok' }), 'every turn counted').to.equal(3);
      expect(m.value('supportbot_trace_spans_exported_total')).to.equal(spans.length);
      expect(m.series('supportbot_trace_spans_dropped_total').reduce((n, s) => n + s.value, 0), 'sampled out is not dropped').to.equal(0);
    } finally { await connector.close(); }
  });

  it('a sampler or share that is not one stops start-up, naming the variable', () => {
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes' })).to.throw(/OTEL_TRACES_SAMPLER/);
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' })).to.throw(/OTEL_TRACES_SAMPLER_ARG/);
    expect(loadConfig({}).telemetry.sampler).to.deep.equal({ name: 'parentbased_always_on', ratio: 1 });
  });
});
