/**
 * `npm run bench:ops`: what metrics and tracing cost in turns per second. Three copies of the real
 * service run side by side as child processes: telemetry off (`createApp(…, { telemetry: false })`),
 * metrics only, and metrics with tracing to an OTLP/HTTP receiver in this process. Each cycle gives
 * every copy one round of the same scripted turns over `/api/messages` at a fixed concurrency, in an
 * order that rotates, so drift in the shared machine's load falls on all alike. After each round of
 * a measuring copy, /metrics is read to check it counted exactly the turns sent.
 * Writes bench/results/ops-overhead.md. Tracing is process-wide, hence one process per copy.
 *
 * BENCH_TURNS (per round, default 240), BENCH_CYCLES (default 12), BENCH_CONCURRENCY (default 8).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createApp } from '../src/app.js';
import { activity, request, tempDir } from '../test/support/server.js';
import { parseExposition } from '../test/support/metrics.js';

const TOKEN = 'bench-ops-overhead-metrics-token';
const TEXTS = ['I forgot my password', 'cant loggin on the app', 'how much data do i have left', 'talk to a person', 'hello', 'what is the capital of france'];

/** A child: the real app (telemetry off, metrics only, or metrics and tracing) on a free loopback port (printed as JSON). */
async function serve(variant: string, otlp: string): Promise<void> {
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir('ops-bench-'), LOG_LEVEL: 'silent', RATE_LIMIT_MESSAGES_PER_MINUTE: '1000000',
    ...(variant !== 'off' ? { METRICS_TOKEN: TOKEN } : {}), ...(variant === 'on' ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlp } : {}),
  }, 'bench');
  const app = await createApp(config, createLogger('silent'), { telemetry: variant !== 'off' });
  const port = await app.listen();
  // the parent asks for this process's CPU time after each round, spans sent first (their cost is tracing's)
  process.on('message', (m: { cmd?: string }) => {
    if (m?.cmd !== 'cpu') return;
    void (app.telemetry?.tracing?.flush() ?? Promise.resolve()).then(() => {
      const u = process.cpuUsage();
      process.send!({ cpuMicros: u.user + u.system });
    });
  });
  console.log(JSON.stringify({ port }));
  process.once('SIGTERM', () => { app.close().finally(() => process.exit(0)); });
}

type Variant = 'off' | 'metrics' | 'on';
interface Copy { name: Variant; base: string; child: ChildProcess; cpuMs(): Promise<number> }

async function start(name: Variant, otlp: string): Promise<Copy> {
  const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', fileURLToPath(import.meta.url), '--serve', name, otlp], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' },
  });
  const cpuMs = () => new Promise<number>((resolve) => {
    child.once('message', (m: { cpuMicros: number }) => resolve(m.cpuMicros / 1000));
    child.send({ cmd: 'cpu' });
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the ${name} copy exited (${code}) before listening`)));
  });
  return { name, base: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, child, cpuMs };
}

/** An OTLP/HTTP receiver that only counts what it gets (a collector's cost is not the bot's). */
async function receiver(): Promise<{ url: string; requests: () => number; bytes: () => number; close(): void }> {
  let requests = 0, bytes = 0;
  const server = http.createServer((req, res) => {
    req.on('data', (c: Buffer) => { bytes += c.length; });
    req.on('end', () => { requests++; res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests: () => requests, bytes: () => bytes, close: () => server.close() };
}

/**
 * One round: `n` turns at concurrency `c`, in conversations of this round only. Returns turns/s,
 * each turn's ms, and the server's CPU ms per turn (what bounds turns/s once the CPU is the limit).
 */
async function round(copy: Copy, tag: string, n: number, c: number): Promise<{ perSecond: number; ms: number[]; cpuPerTurn: number }> {
  const ms: number[] = [];
  let next = 0;
  const cpu0 = await copy.cpuMs();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: c }, async () => {
    while (next < n) {
      const i = next++;
      const s = performance.now();
      const r = await request('POST', `${copy.base}/api/messages`, activity(`${tag}-${i % 40}`, TEXTS[i % TEXTS.length]));
      if (r.status !== 200) throw new Error(`${copy.name}: turn answered ${r.status}: ${r.body.slice(0, 200)}`);
      ms.push(performance.now() - s);
    }
  }));
  const perSecond = n / ((performance.now() - t0) / 1000);
  return { perSecond, ms, cpuPerTurn: (await copy.cpuMs() - cpu0) / n };
}

const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
/** Every order of the three copies: over six cycles each copy runs first, second and third equally often. */
const ORDERS: Variant[][] = [['off', 'metrics', 'on'], ['on', 'metrics', 'off'], ['metrics', 'on', 'off'], ['off', 'on', 'metrics'], ['metrics', 'off', 'on'], ['on', 'off', 'metrics']];

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_TURNS ?? 240);
  const cycles = Number(process.env.BENCH_CYCLES ?? 12);
  const c = Number(process.env.BENCH_CONCURRENCY ?? 8);
  const otlp = await receiver();
  const list = await Promise.all([start('off', ''), start('metrics', ''), start('on', otlp.url)]);
  const copies = Object.fromEntries(list.map((x) => [x.name, x])) as Record<Variant, Copy>;
  const result = Object.fromEntries(list.map((x) => [x.name, { perSecond: [] as number[], ms: [] as number[], cpu: [] as number[] }])) as Record<Variant, { perSecond: number[]; ms: number[]; cpu: number[] }>;
  const scrapeOf = async (copy: Copy) => {
    const r = await request('GET', `${copy.base}/metrics`, undefined, { authorization: `Bearer ${TOKEN}` });
    const m = parseExposition(r.body);
    return { turns: m.series('supportbot_turns_total').reduce((s, x) => s + x.value, 0), exported: m.value('supportbot_trace_spans_exported_total'), dropped: m.series('supportbot_trace_spans_dropped_total').reduce((s, x) => s + x.value, 0) };
  };
  try {
    // warm-up: JIT, the recognizer's caches, the stores' files
    for (const copy of list) await round(copy, `warm-${copy.name}`, 60, c);
    const counted = { metrics: (await scrapeOf(copies.metrics)).turns, on: (await scrapeOf(copies.on)).turns };
    for (let cycle = 0; cycle < cycles; cycle++) {
      for (const name of ORDERS[cycle % ORDERS.length]) {
        const r = await round(copies[name], `c${cycle}-${name}`, n, c);
        result[name].perSecond.push(r.perSecond);
        result[name].ms.push(...r.ms);
        result[name].cpu.push(r.cpuPerTurn);
        if (name !== 'off') {
          // the measured copy really measured: exactly the turns it was sent
          const now = (await scrapeOf(copies[name])).turns;
          if (now - counted[name] !== n) throw new Error(`the "${name}" copy counted ${now - counted[name]} turns for ${n} sent`);
          counted[name] = now;
        }
      }
      process.stderr.write(`cycle ${cycle + 1}/${cycles}: ${list.map((x) => `${x.name} ${result[x.name].perSecond.at(-1)!.toFixed(1)}/s ${result[x.name].cpu.at(-1)!.toFixed(2)} cpu-ms`).join(', ')}\n`);
    }
    await new Promise((r) => setTimeout(r, 3000)); // the last batch of spans
    const final = await scrapeOf(copies.on);
    const f = (x: number) => x.toFixed(1);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    // paired: each round against the "off" round of the same cycle
    const paired = (name: Variant, of: 'perSecond' | 'cpu') => result[name][of].map((v, i) => v / result.off[of][i]);
    const cpuRow = (name: Variant, label: string) => {
      const r = result[name];
      const p = paired(name, 'cpu');
      const cap = 1000 / median(r.cpu);
      return `| ${label} | ${median(r.cpu).toFixed(2)} | ${Math.min(...r.cpu).toFixed(2)}–${Math.max(...r.cpu).toFixed(2)} | ${name === 'off' ? '100%' : `**${pct(median(p))}** (${pct(Math.min(...p))}–${pct(Math.max(...p))})`} | ${f(cap)} |`;
    };
    const wallRow = (name: Variant, label: string) => {
      const r = result[name];
      const p = paired(name, 'perSecond');
      return `| ${label} | ${f(median(r.perSecond))} | ${f(Math.min(...r.perSecond))}–${f(Math.max(...r.perSecond))} | ${name === 'off' ? '100%' : `${pct(median(p))} (${pct(Math.min(...p))}–${pct(Math.max(...p))})`} | ${f(q(r.ms, 0.5))} | ${f(q(r.ms, 0.95))} | ${f(q(r.ms, 0.99))} |`;
    };
    const load = os.loadavg().map((x) => x.toFixed(1)).join(' / ');
    const cpuOn = median(paired('on', 'cpu'));
    const cpuMetrics = median(paired('metrics', 'cpu'));
    const fewer = 1 - 1 / cpuOn;
    const md = `# Overhead of metrics and tracing on throughput

Run ${new Date().toISOString()} on ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average at the end ${load} (the machine is shared with other engineers' test runs).

\`npm run bench:ops\`: three copies of the real service (restify + CloudAdapter + the embedded stores), each in its own
process: **off** is \`createApp(…, { telemetry: false })\` (no metrics, no tracing); **metrics** has the metrics only;
**metrics + tracing** also traces every turn (always-on sampling, about ${(final.exported / Math.max(1, final.turns)).toFixed(0)} spans a turn) to an OTLP/HTTP receiver in
the benchmark's process. ${cycles} cycles; in each cycle every copy gets one round of ${n} scripted turns over \`POST /api/messages\`
(expectReplies) at concurrency ${c}, in an order that rotates through all six, so the machine's drift falls on every copy
alike. Each round is compared with the "off" round of the same cycle.

## Server CPU per turn (what bounds turns/s when the CPU is the limit)

Each copy's own CPU time (user + system, \`process.cpuUsage()\`) over the round, divided by the turns; spans still
queued are sent before it is read, so the exporter's work counts against tracing.

| copy | median CPU ms/turn | range over rounds | CPU vs off, same cycle: median (range) | turns/s one core could serve |
|---|---|---|---|---|
${cpuRow('off', 'off')}
${cpuRow('metrics', 'metrics')}
${cpuRow('on', 'metrics + tracing')}

**Metrics cost ${((cpuMetrics - 1) * 100).toFixed(1)}% more CPU per turn; metrics and tracing together ${((cpuOn - 1) * 100).toFixed(1)}%, i.e. ${(fewer * 100).toFixed(1)}% fewer turns/s
for a CPU-bound instance.** Target: at most 5% fewer turns/s.

## Wall-clock throughput and latency (as measured, on a loaded machine)

| copy | median turns/s | range over rounds | turns/s vs off, same cycle: median (range) | p50 ms | p95 ms | p99 ms |
|---|---|---|---|---|---|---|
${wallRow('off', 'off')}
${wallRow('metrics', 'metrics')}
${wallRow('on', 'metrics + tracing')}

The "off" copy's own rounds range over ${pct((Math.max(...result.off.perSecond) - Math.min(...result.off.perSecond)) / median(result.off.perSecond))} of its median turns/s: on this shared machine
wall-clock throughput cannot resolve a 5% difference, which is why CPU per turn leads above.

Checks that the measuring copies measured: each counted exactly the turns it was sent in \`supportbot_turns_total\` (checked after every
round); the receiver got ${final.exported} spans in ${otlp.requests()} batches (${(otlp.bytes() / 1024 / 1024).toFixed(1)} MB of OTLP JSON), ${final.dropped} dropped.
\`npm run bench:load\` (branch scale) was not there yet; this same-run A/B stands in for it.
`;
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/ops-overhead.md', md);
    console.log(md);
  } finally {
    for (const copy of list) copy.child.kill('SIGTERM');
    otlp.close();
  }
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] ?? 'off', process.argv[4] ?? '');
} else {
  await main();
}
