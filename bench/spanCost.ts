/**
 * `npm run bench:spans`: what tracing's own calls cost per turn, apart from everything else a turn
 * does. One process runs a turn-shaped tree of spans through the service's own helpers (`traced`,
 * the running tracer, the turn scope, the outgoing `traceparent`) the way a real turn makes them:
 * the turn, dialog, recognize, five store calls (one case opened in seven turns) and two connector
 * calls; batches go over OTLP/HTTP JSON to a receiver in another process. Each sampler is started
 * and stopped in turn (tracing is process-wide), in rounds that rotate, and the process's CPU time
 * per turn is compared with no tracing at all. `bench:load -- --only=ops` measures the whole bot;
 * this is the part of that difference the tracing calls themselves account for.
 * Writes bench/results/span-cost.md. BENCH_TURNS (per round, default 20000), BENCH_ROUNDS (default 7).
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { SpanKind, trace } from '@opentelemetry/api';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startTracing, type Tracing } from '../src/telemetry/tracing.js';
import { injectTraceContext, runningTracer, traced } from '../src/telemetry/spans.js';
import { activeScope, runInScope } from '../src/util/asyncScope.js';
import { median } from './loadDriver.js';

/** An OTLP/HTTP receiver in its own process, so its work is not counted here. */
function receiver(): void {
  const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); }); });
  server.listen(0, '127.0.0.1', () => process.send!((server.address() as { port: number }).port));
}

const SAMPLERS: Record<string, Record<string, string> | undefined> = {
  'no tracing': undefined,
  'set up, no turn sampled (always_off)': { OTEL_TRACES_SAMPLER: 'always_off' },
  '1 turn in 10 (parentbased_traceidratio 0.1)': { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  'every turn (parentbased_always_on)': { OTEL_TRACES_SAMPLER: 'parentbased_always_on' },
};

const store = (name: string) => traced(`store ${name}`, { 'supportbot.store': name.split('.')[0]!, 'supportbot.store.op': name.split('.')[1]! }, async () => undefined);
const send = () => traced('channel.send', { 'supportbot.activities': 1 }, async () => { const headers: Record<string, string> = {}; injectTraceContext(headers); return headers; });

/** One turn's spans, shaped as `test/ops/tracing.test.ts` sees a real one. */
async function turn(i: number): Promise<void> {
  const tracer = runningTracer();
  const body = async () => {
    await store('state.read');
    await traced('dialog', {}, async () => {
      await traced('recognize', {}, async () => undefined);
      if (i % 7 === 0) await store('cases.open');
      await send();
      await send();
    });
    await store('outcomes.record');
    await store('state.write');
    await store('transcripts.logActivity');
    await store('transcripts.logActivity');
  };
  if (!tracer) return body();
  const parent = activeScope();
  const span = tracer.startSpan('turn', { kind: SpanKind.SERVER, attributes: { 'supportbot.channel': 'webchat', 'supportbot.activity.type': 'message' } }, parent);
  await runInScope(trace.setSpan(parent, span), body);
  if (span.isRecording()) span.setAttributes({ 'supportbot.intent': 'password_reset', 'supportbot.score': 0.8, 'supportbot.outcome': 'ok', 'supportbot.fallback': false });
  span.end();
}

async function main(): Promise<void> {
  const turns = Number(process.env.BENCH_TURNS ?? 20_000), rounds = Number(process.env.BENCH_ROUNDS ?? 7);
  const sink = fork(fileURLToPath(import.meta.url), ['--receiver'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((r) => sink.once('message', (m) => r(m as number)));
  const names = Object.keys(SAMPLERS);
  const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const logger = createLogger('silent');
  const counter = { spans() { /* counted by the receiver's side only */ } };
  for (let r = -1; r < rounds; r++) {
    for (const name of names.map((_, k) => names[(k + Math.max(r, 0)) % names.length]!)) {
      const env = SAMPLERS[name];
      let tracing: Tracing | undefined;
      if (env) {
        const { telemetry } = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_BSP_SCHEDULE_DELAY: '1000', ...env }, 'bench');
        tracing = startTracing(telemetry, 'bench', counter, logger);
      }
      const c0 = process.cpuUsage();
      // 100 turns at a time, then the event loop runs (timers, the exporter), as between requests
      for (let i = 0; i < turns; i += 100) {
        await Promise.all(Array.from({ length: 100 }, (_, j) => turn(i + j)));
        await new Promise((done) => setImmediate(done));
      }
      await tracing?.flush();
      const used = process.cpuUsage(c0);
      await tracing?.shutdown();
      // round -1 warms the JIT and is not counted
      if (r >= 0) cpu[name]!.push((used.user + used.system) / turns);
    }
  }
  sink.kill();
  const base = median(cpu['no tracing']!);
  const md = [
    '# What the tracing calls themselves cost per turn (`npm run bench:spans`)', '',
    `Run ${new Date().toISOString()} on ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}.`, '',
    `${rounds} rounds of ${turns.toLocaleString('en')} turn-shaped span trees (turn, dialog, recognize, 5–6 store calls, 2 connector calls with \`traceparent\`), 100 at a time,`,
    'through the service\'s own helpers; spans go in batches over OTLP/HTTP JSON to a receiver in another process. CPU time of this process per turn, median over rounds:', '',
    '| tracing | CPU µs per turn | more than no tracing | rounds (µs) |', '|---|---|---|---|',
    ...names.map((n) => `| ${n} | ${median(cpu[n]!).toFixed(1)} | ${n === 'no tracing' ? '' : `${median(cpu[n]!) >= base ? '+' : '−'}${Math.abs(median(cpu[n]!) - base).toFixed(1)} µs`} | ${cpu[n]!.map((x) => x.toFixed(1)).join(', ')} |`),
    '',
    'Read against a turn of the real bot (10–13 ms of CPU in `bench:load -- --only=ops`): the difference in µs, divided by that, is what tracing\'s own calls add.',
  ].join('\n') + '\n';
  writeFileSync('bench/results/span-cost.md', md);
  console.log(md);
}

if (process.argv.includes('--receiver')) receiver();
else await main();
