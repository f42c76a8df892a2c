/**
 * `npm run bench:ops`: what metrics and tracing cost in turns per second.
 *
 * One server process holds two copies of the real app: one made with `createApp(…, { telemetry:
 * false })` (no metrics, no tracing) and one with metrics (`METRICS_TOKEN`). Tracing is process-wide,
 * so it is switched on and off between rounds in that same process (`startTracing` /
 * `shutdown`, which also turns AsyncLocalStorage off), with the sampler each variant names. Every
 * variant thus runs in the same process, heap and JIT state: separate processes differed from
 * each other by more than the effect measured here (see the README of the results).
 *
 * Each cycle runs one round per variant, in an order that rotates and reverses, so the shared
 * machine's drift falls on all alike; a round is the same scripted turns over `POST /api/messages`
 * at a fixed concurrency, driven from this (parent) process. The server's own CPU time per turn is
 * what is compared (spans still queued are exported before it is read); wall-clock numbers are
 * reported as measured. After every round with metrics, /metrics is read to check it counted
 * exactly the turns sent. Writes bench/results/ops-overhead.md.
 *
 * BENCH_TURNS (per round, default 200), BENCH_CYCLES (default 10), BENCH_CONCURRENCY (default 8),
 * BENCH_VARIANTS (default metrics,on,sampled,unsampled; "off" always runs).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createApp } from '../src/app.js';
import { joinCallersTrace } from '../src/telemetry/index.js';
import { startTracing, type Tracing } from '../src/telemetry/tracing.js';
import { activity, request, tempDir } from '../test/support/server.js';
import { parseExposition } from '../test/support/metrics.js';

const TOKEN = 'bench-ops-overhead-metrics-token';
const TEXTS = ['I forgot my password', 'cant loggin on the app', 'how much data do i have left', 'talk to a person', 'hello', 'what is the capital of france'];

type Variant = 'off' | 'metrics' | 'on' | 'sampled' | 'unsampled';
const VARIANTS: Variant[] = ['off', ...(process.env.BENCH_VARIANTS ?? 'metrics,on,sampled,unsampled').split(',').filter((v) => v && v !== 'off') as Variant[]];
/** Each tracing variant's sampler, as the environment would name it (read through `loadConfig`). */
const SAMPLER: Partial<Record<Variant, Record<string, string>>> = {
  on: { OTEL_TRACES_SAMPLER: 'parentbased_always_on' },
  sampled: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
  // tracing set up, nothing recorded: what the context machinery alone costs
  unsampled: { OTEL_TRACES_SAMPLER: 'always_off' },
};
const LABEL: Record<Variant, string> = { off: 'off', metrics: 'metrics', on: 'metrics + tracing, every turn', sampled: 'metrics + tracing, 10% of turns', unsampled: 'metrics + tracing set up, no turn sampled' };
const WHAT: Record<Variant, string> = {
  off: 'the copy made with `createApp(…, { telemetry: false })`: no metrics, no tracing',
  metrics: 'the copy with metrics (`METRICS_TOKEN`), tracing off',
  on: 'the metrics copy with every turn traced (`parentbased_always_on`, the OpenTelemetry default) to an OTLP/HTTP receiver in the driving process',
  sampled: 'the same with `OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1`',
  unsampled: 'tracing set up with `OTEL_TRACES_SAMPLER=always_off`: the context machinery (AsyncLocalStorage, a context per span) recording nothing',
};

/** The server process: both copies, tracing switched per round on the parent's word. */
async function serve(otlp: string): Promise<void> {
  const env = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', RATE_LIMIT_MESSAGES_PER_MINUTE: '1000000' };
  const off = await createApp(loadConfig({ ...env, DATA_DIR: tempDir('ops-bench-') }, 'bench'), createLogger('silent'), { telemetry: false });
  const config = loadConfig({ ...env, DATA_DIR: tempDir('ops-bench-'), METRICS_TOKEN: TOKEN, OTEL_EXPORTER_OTLP_ENDPOINT: otlp }, 'bench');
  // made without tracing (it is started per round below), with the request step tracing adds
  const on = await createApp({ ...config, telemetry: { ...config.telemetry, tracesUrl: '' } }, createLogger('silent'));
  joinCallersTrace(on.http.server);
  let tracing: Tracing | undefined;
  const reply = (m: unknown) => process.send!(m);
  process.on('message', (m: { cmd: string; variant?: Variant }) => {
    void (async () => {
      if (m.cmd === 'variant') {
        await tracing?.shutdown();
        tracing = undefined;
        const sampler = SAMPLER[m.variant!];
        if (sampler) {
          const { telemetry } = loadConfig({ ...env, DATA_DIR: config.dataDir, OTEL_EXPORTER_OTLP_ENDPOINT: otlp, ...sampler }, 'bench');
          tracing = startTracing({ ...config.telemetry, sampler: telemetry.sampler }, 'bench', on.telemetry!.metrics, on.logger);
        }
        reply({ ok: true });
      } else if (m.cmd === 'cpu') {
        await tracing?.flush();
        const u = process.cpuUsage();
        reply({ cpuMicros: u.user + u.system });
      }
    })();
  });
  console.log(JSON.stringify({ off: await off.listen(), on: await on.listen() }));
  process.once('SIGTERM', () => { void Promise.all([tracing?.shutdown(), off.close(), on.close()]).finally(() => process.exit(0)); });
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

const q = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** Cycle `i`'s order: the variants rotated by `i`, reversed every other lap (every position, before and after every other). */
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
  const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', fileURLToPath(import.meta.url), '--serve', otlp.url], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' },
  });
  const ask = <T>(m: object) => new Promise<T>((resolve) => { child.once('message', (r) => resolve(r as T)); child.send(m); });
  const ports = await new Promise<{ off: number; on: number }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(JSON.parse(l)));
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
  });
  const base = (v: Variant) => `http://127.0.0.1:${v === 'off' ? ports.off : ports.on}`;
  const scrape = async () => {
    const m = parseExposition((await request('GET', `${base('metrics')}/metrics`, undefined, { authorization: `Bearer ${TOKEN}` })).body);
    const sum = (name: string) => m.series(name).reduce((s, x) => s + x.value, 0);
    return { turns: sum('supportbot_turns_total'), exported: sum('supportbot_trace_spans_exported_total'), dropped: sum('supportbot_trace_spans_dropped_total') };
  };

  /** One round of variant `v`: turns/s, each turn's ms, and the server's CPU ms per turn. */
  const round = async (v: Variant, tag: string, turns: number) => {
    await ask({ cmd: 'variant', variant: v });
    const before = v === 'off' ? undefined : await scrape();
    const cpu0 = (await ask<{ cpuMicros: number }>({ cmd: 'cpu' })).cpuMicros;
    const ms: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: c }, async () => {
      while (next < turns) {
        const i = next++;
        const s = performance.now();
        const r = await request('POST', `${base(v)}/api/messages`, activity(`${tag}-${i % 40}`, TEXTS[i % TEXTS.length]));
        if (r.status !== 200) throw new Error(`${v}: a turn answered ${r.status}: ${r.body.slice(0, 200)}`);
        ms.push(performance.now() - s);
      }
    }));
    const perSecond = turns / ((performance.now() - t0) / 1000);
    const cpu = ((await ask<{ cpuMicros: number }>({ cmd: 'cpu' })).cpuMicros - cpu0) / 1000 / turns;
    if (before) {
      const after = await scrape();
      if (after.turns - before.turns !== turns) throw new Error(`${v}: the metrics counted ${after.turns - before.turns} turns for ${turns} sent`);
      spans[v] = { exported: (spans[v]?.exported ?? 0) + after.exported - before.exported, dropped: (spans[v]?.dropped ?? 0) + after.dropped - before.dropped, turns: (spans[v]?.turns ?? 0) + turns };
    }
    return { perSecond, ms, cpu };
  };
  const spans: Partial<Record<Variant, { exported: number; dropped: number; turns: number }>> = {};
  const result = Object.fromEntries(VARIANTS.map((v) => [v, { perSecond: [] as number[], ms: [] as number[], cpu: [] as number[] }])) as Record<Variant, { perSecond: number[]; ms: number[]; cpu: number[] }>;
  try {
    // warm-up: JIT (the tracing code paths too), the recognizer's caches, the stores' files
    for (const v of VARIANTS) await round(v, `warm-${v}`, 60);
    for (const v of VARIANTS) delete spans[v];
    for (let cycle = 0; cycle < cycles; cycle++) {
      for (const v of orderOf(cycle)) {
        const r = await round(v, `c${cycle}-${v}`, n);
        result[v].perSecond.push(r.perSecond);
        result[v].ms.push(...r.ms);
        result[v].cpu.push(r.cpu);
      }
      process.stderr.write(`cycle ${cycle + 1}/${cycles}: ${VARIANTS.map((v) => `${v} ${result[v].cpu.at(-1)!.toFixed(2)} cpu-ms (${result[v].perSecond.at(-1)!.toFixed(0)}/s)`).join(', ')}\n`);
    }
    await ask({ cmd: 'variant', variant: 'off' });
    writeReport({ n, cycles, c, result, spans, batches: otlp.requests(), bytes: otlp.bytes() });
  } finally {
    child.kill('SIGTERM');
    otlp.close();
  }
}

interface Report {
  n: number; cycles: number; c: number;
  result: Record<Variant, { perSecond: number[]; ms: number[]; cpu: number[] }>;
  spans: Partial<Record<Variant, { exported: number; dropped: number; turns: number }>>;
  batches: number; bytes: number;
}

function writeReport({ n, cycles, c, result, spans, batches, bytes }: Report): void {
  const f = (x: number) => x.toFixed(1);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  // paired: each round against the "off" round of the same cycle
  const paired = (v: Variant, of: 'perSecond' | 'cpu') => result[v][of].map((x, i) => x / result.off[of][i]);
  const range = (xs: number[]) => `${pct(Math.min(...xs))}–${pct(Math.max(...xs))}`;
  const cpuRow = (v: Variant) => {
    const r = result[v];
    return `| ${LABEL[v]} | ${median(r.cpu).toFixed(2)} | ${Math.min(...r.cpu).toFixed(2)}–${Math.max(...r.cpu).toFixed(2)} | ${v === 'off' ? '100%' : `**${pct(median(paired(v, 'cpu')))}** (${range(paired(v, 'cpu'))})`} | ${f(1000 / median(r.cpu))} |`;
  };
  const wallRow = (v: Variant) => {
    const r = result[v];
    return `| ${LABEL[v]} | ${f(median(r.perSecond))} | ${f(Math.min(...r.perSecond))}–${f(Math.max(...r.perSecond))} | ${v === 'off' ? '100%' : `${pct(median(paired(v, 'perSecond')))} (${range(paired(v, 'perSecond'))})`} | ${f(q(r.ms, 0.5))} | ${f(q(r.ms, 0.95))} | ${f(q(r.ms, 0.99))} |`;
  };
  const change = (v: Variant) => median(paired(v, 'cpu')) - 1;
  const fewer = (v: Variant) => 1 - 1 / median(paired(v, 'cpu'));
  const hasMetrics = VARIANTS.includes('metrics');
  const vsMetrics = (v: Variant) => median(result[v].cpu.map((x, i) => x / result.metrics.cpu[i])) - 1;
  const load = os.loadavg().map((x) => x.toFixed(1)).join(' / ');
  const md = `# Overhead of metrics and tracing on throughput

Run ${new Date().toISOString()} on ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average at the end ${load} (the machine is shared with other engineers' test runs).

\`npm run bench:ops\`: one server process holding two copies of the real service (restify + CloudAdapter + the embedded
stores); tracing, which is process-wide, is switched on and off between rounds in that process. The variants:

${VARIANTS.map((v) => `- **${LABEL[v]}**: ${WHAT[v]}`).join('\n')}

${cycles} cycles; in each cycle every variant gets one round of ${n} scripted turns over \`POST /api/messages\` (expectReplies) at
concurrency ${c}, driven from another process, in an order that rotates and reverses, so the machine's drift falls on all
alike. Each round is compared with the "off" round of the same cycle.

## Server CPU per turn (what bounds turns/s when the CPU is the limit)

The server process's CPU time (user + system, \`process.cpuUsage()\`) over the round, divided by the turns; spans still
queued are exported before it is read, so the exporter's work counts against tracing.

| variant | median CPU ms/turn | range over rounds | CPU vs off, same cycle: median (range) | turns/s one core could serve |
|---|---|---|---|---|
${VARIANTS.map(cpuRow).join('\n')}

| compared with off (same cycle, median) | CPU per turn | turns/s of a CPU-bound instance |${hasMetrics ? ' CPU per turn vs metrics alone |' : ''}
|---|---|---|${hasMetrics ? '---|' : ''}
${VARIANTS.filter((v) => v !== 'off').map((v) => `| ${LABEL[v]} | ${signed(change(v))} | **${signed(-fewer(v))}** |${hasMetrics ? ` ${v === 'metrics' ? '' : signed(vsMetrics(v))} |` : ''}`).join('\n')}

Target: at most 5% fewer turns/s.

## Wall-clock throughput and latency (as measured, on a loaded machine)

| variant | median turns/s | range over rounds | turns/s vs off, same cycle: median (range) | p50 ms | p95 ms | p99 ms |
|---|---|---|---|---|---|---|
${VARIANTS.map(wallRow).join('\n')}

The "off" rounds alone range over ${pct((Math.max(...result.off.perSecond) - Math.min(...result.off.perSecond)) / median(result.off.perSecond))} of their median turns/s and ${pct((Math.max(...result.off.cpu) - Math.min(...result.off.cpu)) / median(result.off.cpu))} of their median
CPU per turn: wall-clock throughput on this shared machine cannot resolve a few per cent, which is why CPU per turn,
paired within a cycle, leads above.

Checks that the measuring variants measured: each round with metrics counted exactly the turns it was sent in
\`supportbot_turns_total\`. Spans exported: ${Object.entries(spans).filter(([, x]) => x).map(([v, x]) => `${LABEL[v as Variant]}: ${x!.exported} (${(x!.exported / x!.turns).toFixed(1)} a turn), ${x!.dropped} dropped`).join('; ') || 'none'};
${batches} batches, ${(bytes / 1024 / 1024).toFixed(1)} MB of OTLP JSON in all (warm-up included).
\`npm run bench:load\` (branch scale) was not there yet; this same-run A/B stands in for it.
`;
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/ops-overhead.md', md);
  console.log(md);
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] ?? '');
} else {
  await main();
}
