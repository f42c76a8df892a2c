/**
 * `npm run bench:ops`: what metrics and tracing cost in turns per second. Copies of the real service
 * run side by side as child processes: telemetry off (`createApp(…, { telemetry: false })`), metrics
 * only, metrics with every turn traced, with 10% of turns traced, and with tracing set up but no turn
 * sampled (tracing to an OTLP/HTTP receiver in this process). Each cycle gives
 * every copy one round of the same scripted turns over `/api/messages` at a fixed concurrency, in an
 * order that rotates, so drift in the shared machine's load falls on all alike. After each round of
 * a measuring copy, /metrics is read to check it counted exactly the turns sent.
 * Writes bench/results/ops-overhead.md. Tracing is process-wide, hence one process per copy.
 *
 * BENCH_TURNS (per round, default 200), BENCH_CYCLES (default 10: twice the copies, for a balanced order),
 * BENCH_CONCURRENCY (default 8), BENCH_VARIANTS (default metrics,on,sampled,unsampled; "off" always runs).
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
    ...(variant !== 'off' ? { METRICS_TOKEN: TOKEN } : {}), ...(variant !== 'off' && variant !== 'metrics' ? { OTEL_EXPORTER_OTLP_ENDPOINT: otlp } : {}),
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

type Variant = 'off' | 'metrics' | 'on' | 'sampled' | 'unsampled';
/** The copies compared (`BENCH_VARIANTS=metrics,unsampled` picks some; "off" is always there, as the reference). */
const VARIANTS: Variant[] = ['off', ...(process.env.BENCH_VARIANTS ?? 'metrics,on,sampled,unsampled').split(',').filter((v) => v && v !== 'off') as Variant[]];
/** The OpenTelemetry SDK reads its sampler from the environment. */
const SAMPLER: Partial<Record<Variant, Record<string, string>>> = {
  on: { OTEL_TRACES_SAMPLER: 'parentbased_always_on' },
  sampled: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  // tracing set up, nothing recorded: what the context machinery alone costs
  unsampled: { OTEL_TRACES_SAMPLER: 'always_off' },
};
interface Copy { name: Variant; base: string; child: ChildProcess; cpuMs(): Promise<number> }

async function start(name: Variant, otlp: string): Promise<Copy> {
  const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', fileURLToPath(import.meta.url), '--serve', name, otlp], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, DOTENV_CONFIG_QUIET: 'true', ...SAMPLER[name] },
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
/**
 * The order of cycle `i`: the copies rotated by `i`, and reversed every other lap, so each copy runs
 * in every position and before and after each other copy equally often.
 */
const orderOf = (i: number): Variant[] => {
  const k = VARIANTS.length;
  const rotated = VARIANTS.map((_, j) => VARIANTS[(i + j) % k]);
  return Math.floor(i / k) % 2 ? rotated.reverse() : rotated;
};

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_TURNS ?? 200);
  const cycles = Number(process.env.BENCH_CYCLES ?? 10);
  const c = Number(process.env.BENCH_CONCURRENCY ?? 8);
  const otlp = await receiver();
  const list = await Promise.all(VARIANTS.map((v) => start(v, otlp.url)));
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
    const counted: Partial<Record<Variant, number>> = {};
    for (const copy of list) if (copy.name !== 'off') counted[copy.name] = (await scrapeOf(copy)).turns;
    for (let cycle = 0; cycle < cycles; cycle++) {
      for (const name of orderOf(cycle)) {
        const r = await round(copies[name], `c${cycle}-${name}`, n, c);
        result[name].perSecond.push(r.perSecond);
        result[name].ms.push(...r.ms);
        result[name].cpu.push(r.cpuPerTurn);
        if (name !== 'off') {
          // the measured copy really measured: exactly the turns it was sent
          const now = (await scrapeOf(copies[name])).turns;
          if (now - counted[name]! !== n) throw new Error(`the "${name}" copy counted ${now - counted[name]!} turns for ${n} sent`);
          counted[name] = now;
        }
      }
      process.stderr.write(`cycle ${cycle + 1}/${cycles}: ${list.map((x) => `${x.name} ${result[x.name].perSecond.at(-1)!.toFixed(1)}/s ${result[x.name].cpu.at(-1)!.toFixed(2)} cpu-ms`).join(', ')}\n`);
    }
    await new Promise((r) => setTimeout(r, 3000)); // the last batch of spans
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
    const LABEL: Record<Variant, string> = { off: 'off', metrics: 'metrics', on: 'metrics + tracing, every turn', sampled: 'metrics + tracing, 10% of turns', unsampled: 'metrics + tracing set up, no turn sampled' };
    const WHAT: Record<Variant, string> = {
      off: '`createApp(…, { telemetry: false })`: no metrics and no tracing',
      metrics: 'the Prometheus metrics only',
      on: 'metrics, and every turn traced (`parentbased_always_on`, the OpenTelemetry default) to an OTLP/HTTP receiver in the benchmark\'s process',
      sampled: 'the same with `OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1`',
      unsampled: 'tracing set up with `OTEL_TRACES_SAMPLER=always_off`: the context machinery (AsyncLocalStorage, context per span) without recording anything',
    };
    const spans: Partial<Record<Variant, { exported: number; dropped: number; turns: number }>> = {};
    for (const copy of list) if (copy.name !== 'off' && copy.name !== 'metrics') spans[copy.name] = await scrapeOf(copy);
    const change = (name: Variant) => median(paired(name, 'cpu')) - 1;
    const fewer = (name: Variant) => 1 - 1 / median(paired(name, 'cpu'));
    const vsMetrics = (name: Variant) => median(result[name].cpu.map((v, i) => v / result.metrics.cpu[i])) - 1;
    const signed = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
    const measured = VARIANTS.filter((v) => v !== 'off');
    const md = `# Overhead of metrics and tracing on throughput

Run ${new Date().toISOString()} on ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average at the end ${load} (the machine is shared with other engineers' test runs).

\`npm run bench:ops\`: ${VARIANTS.length} copies of the real service (restify + CloudAdapter + the embedded stores), each in its own
process (tracing is process-wide):

${VARIANTS.map((v) => `- **${LABEL[v]}**: ${WHAT[v]}`).join('\n')}

${cycles} cycles; in each cycle every copy gets one round of ${n} scripted turns over \`POST /api/messages\` (expectReplies) at
concurrency ${c}, in an order that rotates and reverses (every copy in every position, before and after every other copy),
so the machine's drift falls on all alike. Each round is compared with the "off" round of the same cycle.

## Server CPU per turn (what bounds turns/s when the CPU is the limit)

Each copy's own CPU time (user + system, \`process.cpuUsage()\`) over the round, divided by the turns; spans still
queued are sent before it is read, so the exporter's work counts against tracing.

| copy | median CPU ms/turn | range over rounds | CPU vs off, same cycle: median (range) | turns/s one core could serve |
|---|---|---|---|---|
${VARIANTS.map((v) => cpuRow(v, LABEL[v])).join('\n')}

| compared with off (same cycle, median) | CPU per turn | turns/s of a CPU-bound instance |${VARIANTS.includes('metrics') ? ' CPU per turn vs the metrics copy |' : ''}
|---|---|---|${VARIANTS.includes('metrics') ? '---|' : ''}
${measured.map((v) => `| ${LABEL[v]} | ${signed(change(v))} | **${signed(-fewer(v))}** |${VARIANTS.includes('metrics') ? ` ${v === 'metrics' ? '' : signed(vsMetrics(v))} |` : ''}`).join('\n')}

Target: at most 5% fewer turns/s.

## Wall-clock throughput and latency (as measured, on a loaded machine)

| copy | median turns/s | range over rounds | turns/s vs off, same cycle: median (range) | p50 ms | p95 ms | p99 ms |
|---|---|---|---|---|---|---|
${VARIANTS.map((v) => wallRow(v, LABEL[v])).join('\n')}

The "off" copy's own rounds range over ${pct((Math.max(...result.off.perSecond) - Math.min(...result.off.perSecond)) / median(result.off.perSecond))} of its median turns/s, and its CPU per turn over
${pct((Math.max(...result.off.cpu) - Math.min(...result.off.cpu)) / median(result.off.cpu))}: on this shared machine wall-clock throughput cannot resolve a 5% difference, which is why CPU per
turn leads above, and even that is only good to a few per cent.

Checks that the measuring copies measured: each counted exactly the turns it was sent in \`supportbot_turns_total\` (checked after every
round). Spans the receiver got: ${Object.entries(spans).map(([v, x]) => `${LABEL[v as Variant]}: ${x!.exported} (${(x!.exported / Math.max(1, x!.turns)).toFixed(1)} a turn), ${x!.dropped} dropped`).join('; ') || 'none (no tracing copy)'};
${otlp.requests()} batches, ${(otlp.bytes() / 1024 / 1024).toFixed(1)} MB of OTLP JSON in all.
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
