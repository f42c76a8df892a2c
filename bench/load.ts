import { execFileSync } from 'node:child_process';
/**
 * `npm run bench:load [-- --quick] [-- --only=embedded,postgres,pg2,startup] [-- --cpu-prof]` (`--only=startup` alone writes
 * `bench/results/load-startup.md`; `--only=ops` writes `bench/results/load-ops.md`, see `opsOverhead`):
 * the storage issue's load benchmark (issue 11, item 6). The real bot runs as its own process
 * (as `npm start` runs it: `node --max-old-space-size=256 dist/src/index.js`, channel authentication off) and, in the
 * same run, a minimal echo bot (`bench/echoBot.ts`) as the baseline; rounds alternate between the
 * two so the shared machine's noise hits both. For each backend (embedded in a temp DATA_DIR;
 * PostgreSQL in a fresh schema; PostgreSQL with two instances behind a round-robin) it reports
 * turns/s at 20 concurrent customers, the bot/echo ratio and p50/p99; the sequential p50 on an
 * empty store and after 4,000 more turns with the server's resident memory then; and the start-up
 * time (spawn to `/readyz` 200) with 100k stored transcript activities, seeded through the store
 * interfaces. Writes bench/results/load.md (`--quick`: prints only).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { openEmbeddedStores } from '../src/storage/embedded/index.js';
import { openPostgresStores } from '../src/storage/postgres/index.js';
import { createLogger } from '../src/logger.js';
import { Channel, Target, drive, turn, spawnServer, memory, heap, cpuMs, pct, median, SCRIPT, type Proc, type RoundResult } from './loadDriver.js';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const PROFILE = args.includes('--cpu-prof');
const OPS_SEQUENTIAL = args.includes('--ops-sequential');
// `--ops-variants=control,traced`: only these beside "off" (to look at one difference for longer)
const OPS_VARIANTS = (args.find((a) => a.startsWith('--ops-variants='))?.slice(15) ?? 'control,metrics,traced,sampled').split(',');
const envNumber = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const ONLY = (args.find((a) => a.startsWith('--only='))?.slice(7) ?? 'embedded,postgres,pg2,startup').split(',');
if (!process.env.TEST_DATABASE_URL && !process.env.DATABASE_URL) process.env.TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const { freshSchema } = await import('../test/support/postgres.js');

const P = QUICK
  ? { concurrency: 20, rounds: 2, roundMs: 3000, seqTurns: 28, warmTurns: 100, fillTurns: 400, seedActivities: 10_000, startRuns: 1, opsGenerations: 1, opsRounds: 2, opsRoundMs: 3000 }
  : { concurrency: 20, rounds: 4, roundMs: 8000, seqTurns: 140, warmTurns: 300, fillTurns: 4000, seedActivities: 100_000, startRuns: 3, opsGenerations: 8, opsRounds: 4, opsRoundMs: 8000 };
// BENCH_OPS_GENERATIONS, BENCH_OPS_ROUNDS, BENCH_OPS_ROUND_MS: a longer (or shorter) look
P.opsGenerations = envNumber('BENCH_OPS_GENERATIONS') ?? P.opsGenerations;
P.opsRounds = envNumber('BENCH_OPS_ROUNDS') ?? P.opsRounds;
P.opsRoundMs = envNumber('BENCH_OPS_ROUND_MS') ?? P.opsRoundMs;

const work = mkdtempSync(join(os.tmpdir(), 'support-bot-load-'));
// the bot as `npm start` runs it: the compiled build, with the V8 heap capped at npm start's default
// (HEAP_MB, 256 MB); the echo bot is loaded through tsx (its start-up is not measured)
execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
const BOT = ['--no-deprecation', '--max-old-space-size=256', ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(work, 'prof')}`] : []), 'dist/src/index.js'];
const ECHO = ['--no-deprecation', '--import', 'tsx', 'bench/echoBot.ts'];
// per-conversation rate limits guard against one abusive client; the benchmark's customers are many and fast
// the metrics token only lets the benchmark read the bot's heap figures (metrics are collected either way)
const METRICS_TOKEN = 'bench-load-metrics-token-0123456789';
const BOT_ENV = { LOG_LEVEL: 'info', RATE_LIMIT_MESSAGES_PER_MINUTE: '1000000', SHUTDOWN_TIMEOUT_MS: '5000', METRICS_TOKEN };
const OPS_FILE = 'bench/results/load-ops.md';
const OPS_NOTES = '<!-- hand-written notes: bench:load keeps everything below this line when it rewrites the file -->';
const log = (...m: unknown[]) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...m);

interface Agg { turns: number; failed: number; wallMs: number; ms: number[]; perRound: number[]; errors: string[]; cpuMs?: number; posted?: number }
const agg = (rs: RoundResult[], cpu?: number, posted?: number): Agg => ({ cpuMs: cpu, posted,
  turns: rs.reduce((a, r) => a + r.turns, 0), failed: rs.reduce((a, r) => a + r.failed, 0), wallMs: rs.reduce((a, r) => a + r.wallMs, 0),
  ms: rs.flatMap((r) => r.ms), perRound: rs.map((r) => r.turns / (r.wallMs / 1000)), errors: rs.flatMap((r) => r.errors),
});
const tps = (a: Agg) => a.turns / (a.wallMs / 1000);

interface Concurrent { bot: Agg; echo: Agg }
interface Sequential { emptyBot: Agg; emptyEcho: Agg; afterBot: Agg; afterEcho: Agg; turnsBetween: number; rssEmpty: number; rssAfter: number; peakAfter: number; heapUsedAfter: number; heapTotalAfter: number }
interface Backend { name: string; concurrent: Concurrent; sequential?: Sequential }
/** Start-up times: `emptyMs` and `seededMs` train the recognizer (MODEL_CACHE_DIR=off, a first start or one after an edit of intents/); `keptMs` loads the model an earlier start kept (a restart). */
interface Startup { backend: string; activities: number; seedMs: number; emptyMs: number[]; seededMs: number[]; keptMs: number[]; openEmptyMs: number[]; openSeededMs: number[] }

const channel = new Channel();
await channel.start();
let echo: Proc | undefined;
let ops: OpsRun | undefined;
const results: Backend[] = [];
const startups: Startup[] = [];
const t0 = Date.now();

/** Alternating rounds: bot, echo, bot, echo … (the order flips each pair so neither always goes first). */
async function concurrentRounds(bot: Target, echoTarget: Target, label: string, botPids: number[]): Promise<Concurrent> {
  const botRounds: RoundResult[] = [], echoRounds: RoundResult[] = [];
  // CPU the servers spent, which the shared machine's load does not inflate the way it does wall time
  const cpu = new Map<Target, number>([[bot, 0], [echoTarget, 0]]);
  // activities each server posted back to the Connector (replies, typing)
  const posted = new Map<Target, number>([[bot, 0], [echoTarget, 0]]);
  const pids = (t: Target) => (t === bot ? botPids : [echo!.pid]);
  const used = (t: Target) => pids(t).reduce((a, pid) => a + cpuMs(pid), 0);
  for (let i = 0; i < P.rounds; i++) {
    const order = i % 2 === 0 ? [bot, echoTarget] : [echoTarget, bot];
    for (const t of order) {
      const before = used(t), postedBefore = channel.messages + channel.others;
      const r = await drive(channel, t, { concurrency: P.concurrency, durationMs: P.roundMs, prefix: `${label}-c${i}` });
      cpu.set(t, cpu.get(t)! + used(t) - before);
      posted.set(t, posted.get(t)! + channel.messages + channel.others - postedBefore);
      (t === bot ? botRounds : echoRounds).push(r);
      log(`${label} round ${i + 1} ${t.name}: ${r.turns} turns, ${(r.turns / (r.wallMs / 1000)).toFixed(0)}/s, p50 ${pct(r.ms, 0.5).toFixed(1)} p99 ${pct(r.ms, 0.99).toFixed(1)} ms${r.failed ? `, ${r.failed} failed (${r.errors[0]})` : ''}`);
    }
  }
  return { bot: agg(botRounds, cpu.get(bot), posted.get(bot)), echo: agg(echoRounds, cpu.get(echoTarget), posted.get(echoTarget)) };
}

/** Sequential turns in blocks of four conversations, interleaved with the echo bot's. */
async function sequentialBlocks(bot: Target, echoTarget: Target, label: string): Promise<{ bot: Agg; echo: Agg }> {
  const b: RoundResult[] = [], e: RoundResult[] = [];
  const block = 4 * SCRIPT.length;
  for (let i = 0; i * block < P.seqTurns; i++) {
    b.push(await drive(channel, bot, { concurrency: 1, turns: block, prefix: `${label}-s${i}` }));
    e.push(await drive(channel, echoTarget, { concurrency: 1, turns: block, prefix: `${label}-s${i}` }));
  }
  return { bot: agg(b), echo: agg(e) };
}

/**
 * One scripted conversation must work end to end, then `P.warmTurns` turns at the benchmark's
 * concurrency let the JIT settle, so the first measurement is not of a cold process (the store
 * then holds those turns: "empty" means that, against the 4,000 that follow).
 */
async function warm(target: Target, label: string): Promise<void> {
  for (const text of SCRIPT) {
    const r = await turn(channel, target, `${label}-warm-0`, text);
    if (!r.ok) throw new Error(`${target.name} failed a warm-up turn ("${text}"): ${r.error}`);
  }
  const r = await drive(channel, target, { concurrency: P.concurrency, turns: P.warmTurns, prefix: `${label}-warm` });
  if (r.failed) throw new Error(`${target.name} failed ${r.failed} warm-up turns: ${r.errors[0]}`);
}

async function singleInstance(name: string, env: Record<string, string>): Promise<Backend> {
  log(`${name}: starting the bot`);
  const proc = await spawnServer(BOT, { ...BOT_ENV, ...env }, join(work, `${name}.log`));
  try {
    const bot = new Target(name, [proc.base]), echoTarget = new Target('echo', [echo!.base]);
    await warm(bot, name);
    await warm(echoTarget, name);
    const rssEmpty = memory(proc.pid).rssMb;
    const empty = await sequentialBlocks(bot, echoTarget, `${name}-empty`);
    log(`${name}: sequential on an empty store: bot p50 ${median(empty.bot.ms).toFixed(1)} ms, echo ${median(empty.echo.ms).toFixed(1)} ms`);
    const concurrent = await concurrentRounds(bot, echoTarget, name, [proc.pid]);
    let between = concurrent.bot.turns + concurrent.bot.failed;
    // the rest of the 4,000 turns, at the same concurrency
    while (between < P.fillTurns) {
      const r = await drive(channel, bot, { concurrency: P.concurrency, turns: Math.min(1000, P.fillTurns - between), prefix: `${name}-fill` });
      between += r.turns + r.failed;
      log(`${name}: ${between} turns since the empty-store measurement (${(r.turns / (r.wallMs / 1000)).toFixed(0)}/s${r.failed ? `, ${r.failed} failed` : ''})`);
    }
    const after = await sequentialBlocks(bot, echoTarget, `${name}-after`);
    const m = memory(proc.pid), h = await heap(proc.base, METRICS_TOKEN);
    log(`${name}: sequential after ${between} turns: bot p50 ${median(after.bot.ms).toFixed(1)} ms, echo ${median(after.echo.ms).toFixed(1)} ms; RSS ${m.rssMb.toFixed(0)} MB, heap ${h.usedMb.toFixed(0)} of ${h.totalMb.toFixed(0)} MB`);
    return {
      name, concurrent,
      sequential: { emptyBot: empty.bot, emptyEcho: empty.echo, afterBot: after.bot, afterEcho: after.echo, turnsBetween: between, rssEmpty, rssAfter: m.rssMb, peakAfter: m.peakMb, heapUsedAfter: h.usedMb, heapTotalAfter: h.totalMb },
    };
  } finally {
    await proc.stop();
  }
}

async function twoInstances(): Promise<Backend> {
  const { url } = await freshSchema();
  log('postgres x2: starting two bots on one schema');
  const a = await spawnServer(BOT, { ...BOT_ENV, DATABASE_URL: url }, join(work, 'pg-a.log'));
  const b = await spawnServer(BOT, { ...BOT_ENV, DATABASE_URL: url }, join(work, 'pg-b.log'));
  try {
    const bot = new Target('postgres x2', [a.base, b.base]), echoTarget = new Target('echo', [echo!.base]);
    await warm(bot, 'pg2');
    return { name: 'postgres x2', concurrent: await concurrentRounds(bot, echoTarget, 'pg2', [a.pid, b.pid]) };
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

/** `n` transcript activities (a customer and the bot taking turns, 20 per conversation) through the store's own interface. */
async function seedTranscripts(transcripts: { logActivity(a: Activity): Promise<void> | void }, n: number): Promise<void> {
  const perConversation = 20, conversations = Math.ceil(n / perConversation);
  const start = Date.now() - 30 * 24 * 3600 * 1000;
  let nextConversation = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (let c = nextConversation++; c < conversations; c = nextConversation++) {
      for (let i = 0; i < perConversation && c * perConversation + i < n; i++) {
        const user = i % 2 === 0;
        await transcripts.logActivity({
          type: 'message', id: `seed-${c}-${i}`, channelId: 'webchat', conversation: { id: `seed-${c}` },
          from: user ? { id: `seed-user-${c}`, name: 'Customer', role: 'user' } : { id: 'bot', name: 'Bot', role: 'bot' },
          recipient: user ? { id: 'bot', role: 'bot' } : { id: `seed-user-${c}`, role: 'user' },
          text: user ? 'I cannot sign in to the app' : 'Are you signing in on the website or in the app?',
          timestamp: new Date(start + c * 60_000 + i * 1000),
        } as unknown as Activity);
      }
    }
  }));
}

/** Spawn → `/readyz` 200, empty store and seeded store alternated. */
async function startup(backend: 'embedded' | 'postgres'): Promise<Startup> {
  const logger = createLogger('silent');
  let emptyEnv: Record<string, string>, seededEnv: Record<string, string>;
  const t = performance.now();
  if (backend === 'embedded') {
    const dir = join(work, 'seeded'); emptyEnv = { DATA_DIR: join(work, 'empty') }; seededEnv = { DATA_DIR: dir };
    const stores = await openEmbeddedStores(dir, { logger });
    await seedTranscripts(stores.transcripts, P.seedActivities);
    await stores.close();
  } else {
    const empty = await freshSchema(), seeded = await freshSchema();
    emptyEnv = { DATABASE_URL: empty.url }; seededEnv = { DATABASE_URL: seeded.url };
    const stores = await openPostgresStores(seeded.url, { logger, poolSize: 16 });
    await seedTranscripts(stores.transcripts, P.seedActivities);
    await stores.close();
  }
  const seedMs = performance.now() - t;
  log(`start-up ${backend}: seeded ${P.seedActivities} transcript activities in ${(seedMs / 1000).toFixed(1)} s`);
  const emptyMs: number[] = [], seededMs: number[] = [], keptMs: number[] = [], openEmptyMs: number[] = [], openSeededMs: number[] = [];
  // a start that keeps its trained model for the "model kept" runs (not timed)
  const modelCache = join(work, `models-${backend}`);
  const keptEnv = { ...seededEnv, MODEL_CACHE_DIR: modelCache };
  await (await spawnServer(BOT, { ...BOT_ENV, ...keptEnv }, join(work, `start-${backend}.log`))).stop();
  emptyEnv = { ...emptyEnv, MODEL_CACHE_DIR: 'off' };
  seededEnv = { ...seededEnv, MODEL_CACHE_DIR: 'off' };
  for (let i = 0; i < P.startRuns; i++) {
    // the stores' own share of start-up: opening them in this process (what createApp does first)
    for (const [env, into] of [[emptyEnv, openEmptyMs], [seededEnv, openSeededMs]] as const) {
      const t1 = performance.now();
      const stores = env.DATABASE_URL ? await openPostgresStores(env.DATABASE_URL, { logger }) : await openEmbeddedStores(env.DATA_DIR, { logger });
      into.push(performance.now() - t1);
      await stores.close();
    }
    for (const [env, into] of [[emptyEnv, emptyMs], [seededEnv, seededMs], [keptEnv, keptMs]] as const) {
      const p = await spawnServer(BOT, { ...BOT_ENV, ...env }, join(work, `start-${backend}.log`));
      into.push(p.startMs);
      await p.stop();
    }
    log(`start-up ${backend} run ${i + 1}: empty ${emptyMs.at(-1)!.toFixed(0)} ms, ${P.seedActivities} activities ${seededMs.at(-1)!.toFixed(0)} ms, with the model kept ${keptMs.at(-1)!.toFixed(0)} ms`);
  }
  return { backend, activities: P.seedActivities, seedMs, emptyMs, seededMs, keptMs, openEmptyMs, openSeededMs };
}

/**
 * What metrics and tracing cost (issue 18): copies of the bot on the embedded store, as `npm start`
 * runs it: TELEMETRY=off, a second TELEMETRY=off copy (the A/A control: what "no difference" looks
 * like), metrics (as shipped), metrics with every turn traced to an OTLP/HTTP receiver here, and
 * the same with one turn in ten traced (head sampling).
 *
 * The copies are started afresh for each of `P.opsGenerations` generations (in a rotated order):
 * two processes of the same build differ from each other (heap layout, JIT), and with one process
 * per variant that difference would be the same in every round. In each generation's rounds every
 * copy is driven at once, each by its own customers (the benchmark's concurrency) (`--ops-sequential`: one copy after
 * another, in an order that rotates and reverses). At once, every copy meets the same machine at
 * the same moment (the shared host's other work, CPU frequency), which one round after another
 * does not; the copies run at nice 5 so this process, which drives them and takes their replies,
 * gets the CPU it needs first. Each round is compared with the "off" copy's in the same round.
 * `--ops-variants=control,traced` runs only those beside "off"; BENCH_OPS_GENERATIONS,
 * BENCH_OPS_ROUNDS and BENCH_OPS_ROUND_MS change how long it looks.
 */
interface OpsRow { name: string; control?: boolean; tps: number[]; cpu: number[]; tpsVsOff: number[]; cpuVsOff: number[]; failed: number; exports?: number; spanBytes?: number }
interface OpsRun { rows: OpsRow[]; sequential: boolean; rounds: number; serverCores: number[]; driverCores: number[] }
async function opsOverhead(): Promise<OpsRun> {
  // what each traced copy sent, by the path it sends to (/<variant>/v1/traces)
  const spanBytes = new Map<string, number>(), exports = new Map<string, number>();
  const sink = http.createServer((req, res) => {
    const k = req.url ?? '';
    req.on('data', (c: Buffer) => { spanBytes.set(k, (spanBytes.get(k) ?? 0) + c.length); });
    req.on('end', () => { exports.set(k, (exports.get(k) ?? 0) + 1); res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
  const sinkUrl = (i: number) => `http://127.0.0.1:${(sink.address() as { port: number }).port}/${i}/v1/traces`;
  const traced = { OTEL_BSP_SCHEDULE_DELAY: '1000' };
  const variants = ([
    { key: 'off', name: 'off (`TELEMETRY=off`)', env: { TELEMETRY: 'off' } },
    { key: 'control', name: 'off again, a second copy (A/A control)', env: { TELEMETRY: 'off' }, control: true },
    { key: 'metrics', name: 'metrics (as shipped)', env: {} },
    { key: 'traced', name: 'metrics + tracing, every turn', env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sinkUrl(3), ...traced } },
    {
      key: 'sampled', name: 'metrics + tracing, 1 turn in 10 (`parentbased_traceidratio` 0.1)',
      env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sinkUrl(4), ...traced, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    },
    // not in the default run: tracing set up, recording nothing (what being set up costs, apart from spans)
    { key: 'unsampled', name: 'metrics + tracing set up, no turn sampled (`always_off`)', env: { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sinkUrl(5), ...traced, OTEL_TRACES_SAMPLER: 'always_off' } },
  ] as Array<{ key: string; name: string; env: Record<string, string>; control?: boolean }>).filter((v) => v.key === 'off' || OPS_VARIANTS.includes(v.key));
  const all = variants.map((_, k) => k);
  const rows: OpsRow[] = variants.map((v) => ({ name: v.name, control: v.control, tps: [], cpu: [], tpsVsOff: [], cpuVsOff: [], failed: 0 }));
  const serverCores: number[] = [], driverCores: number[] = [];
  let procs: Proc[] = [];
  try {
    for (let g = 0; g < P.opsGenerations; g++) {
      const order = all.map((k) => (k + g) % all.length);
      procs = [];
      for (const k of order) {
        log(`ops generation ${g + 1}: starting the bot, ${variants[k]!.name}`);
        procs[k] = await spawnServer(BOT, { ...BOT_ENV, DATA_DIR: join(work, `data-ops-${g}-${k}`), ...variants[k]!.env }, join(work, `ops-${g}-${k}.log`), { prefix: ['nice', '-n', '5'] });
        log(`ops generation ${g + 1}: ${variants[k]!.name} is pid ${procs[k]!.pid}`);
      }
      const targets = procs.map((p, k) => new Target(variants[k]!.name, [p.base]));
      for (const k of order) await warm(targets[k]!, `ops${g}-${k}`);
      for (let c = 0; c < P.opsRounds; c++) {
        const tps: number[] = [], cpu: number[] = [];
        const round = async (k: number) => {
          const before = cpuMs(procs[k]!.pid);
          const r = await drive(channel, targets[k]!, { concurrency: P.concurrency, durationMs: P.opsRoundMs, prefix: `ops${g}-${k}-c${c}` });
          tps[k] = r.turns / (r.wallMs / 1000);
          cpu[k] = (cpuMs(procs[k]!.pid) - before) / Math.max(1, r.turns);
          rows[k]!.failed += r.failed;
          return { k, r, serverMs: cpuMs(procs[k]!.pid) - before };
        };
        const wall0 = performance.now(), driver0 = process.cpuUsage();
        let done: Array<Awaited<ReturnType<typeof round>>>;
        if (OPS_SEQUENTIAL) {
          done = [];
          const seq = all.map((k) => (k + c + g) % all.length);
          for (const k of (c % 2 ? seq.reverse() : seq)) done.push(await round(k));
        } else {
          // the copies' customers start in a rotated order too, so no copy is always first
          done = await Promise.all(all.map((k) => (k + g + c) % all.length).map(round));
        }
        const wallS = (performance.now() - wall0) / 1000, driver = process.cpuUsage(driver0);
        serverCores.push(done.reduce((a, d) => a + d.serverMs, 0) / 1000 / wallS);
        driverCores.push((driver.user + driver.system) / 1e6 / wallS);
        for (const { k, r } of done) log(`ops generation ${g + 1} round ${c + 1} ${variants[k]!.name}: ${r.turns} turns, ${tps[k]!.toFixed(1)}/s, ${cpu[k]!.toFixed(2)} ms CPU per turn${r.failed ? `, ${r.failed} failed` : ''}`);
        for (const k of all) {
          rows[k]!.tps.push(tps[k]!); rows[k]!.cpu.push(cpu[k]!);
          rows[k]!.tpsVsOff.push(tps[k]! / tps[0]!); rows[k]!.cpuVsOff.push(cpu[k]! / cpu[0]!);
        }
      }
      for (const p of procs) await p.stop();
      procs = [];
      for (const k of all) rmSync(join(work, `data-ops-${g}-${k}`), { recursive: true, force: true });
    }
    for (const k of all) {
      const url = variants[k]!.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
      if (!url) continue;
      const path = new URL(url).pathname;
      rows[k]!.exports = exports.get(path) ?? 0;
      rows[k]!.spanBytes = spanBytes.get(path) ?? 0;
      log(`ops: ${variants[k]!.name} sent ${rows[k]!.exports} OTLP exports (${(rows[k]!.spanBytes! / 1e6).toFixed(1)} MB)`);
    }
    return { rows, sequential: OPS_SEQUENTIAL, rounds: P.opsGenerations * P.opsRounds, serverCores, driverCores };
  } finally {
    for (const p of procs) await p?.stop();
    await new Promise<void>((r) => { sink.closeAllConnections(); sink.close(() => r()); });
  }
}

try {
  echo = await spawnServer(ECHO, {}, join(work, 'echo.log'), { readyPath: '/healthz' });
  if (ONLY.includes('embedded')) results.push(await singleInstance('embedded', { DATA_DIR: join(work, 'data-embedded') }));
  if (ONLY.includes('postgres')) results.push(await singleInstance('postgres', { DATABASE_URL: (await freshSchema()).url }));
  if (ONLY.includes('pg2')) results.push(await twoInstances());
  if (ONLY.includes('startup')) {
    startups.push(await startup('embedded'));
    startups.push(await startup('postgres'));
  }
  if (ONLY.includes('ops')) ops = await opsOverhead();
} finally {
  await echo?.stop();
  await channel.close();
}

if (ops) {
  const opsMd = opsReport(ops);
  console.log(opsMd);
  if (!QUICK) {
    mkdirSync('bench/results', { recursive: true });
    // the hand-written analysis under the marker (profiles, what the numbers mean) outlives a re-run
    const kept = existsSync(OPS_FILE) ? readFileSync(OPS_FILE, 'utf8').split(OPS_NOTES)[1] : undefined;
    writeFileSync(OPS_FILE, kept === undefined ? opsMd : `${opsMd}\n${OPS_NOTES}${kept}`);
    log(`wrote ${OPS_FILE}`);
  }
}
const md = report();
if (results.length || startups.length) console.log(md);
if (!QUICK && ['embedded', 'postgres', 'pg2', 'startup'].every((o) => ONLY.includes(o))) {
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/load.md', md);
  log('wrote bench/results/load.md');
} else if (!QUICK && ONLY.length === 1 && ONLY[0] === 'startup') {
  // start-up alone (a few minutes, where the whole benchmark takes most of an hour)
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/load-startup.md', `# bench:load -- --only=startup\n\nRun ${new Date().toISOString()} on ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}; the machine is shared, so times are noisy.\n\n${md.slice(md.indexOf('## Start-up'))}`);
  log('wrote bench/results/load-startup.md');
}
if (PROFILE) log(`CPU profiles in ${join(work, 'prof')} (kept)`);
else rmSync(work, { recursive: true, force: true });
process.exit(0);

function opsReport({ rows, sequential, rounds, serverCores, driverCores }: OpsRun): string {
  const pc = (x: number) => `${(x * 100).toFixed(1)}%`;
  const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;
  const ci = (xs: number[], f: (x: number) => number) => { const [lo, hi] = medianInterval(xs).map(f).sort((a, b) => a - b); return `${signed(lo!)} to ${signed(hi!)}`; };
  const loss = (x: number) => 1 - x, gain = (x: number) => x - 1;
  const lines = [
    '# What metrics and tracing cost under bench:load (issue 18)', '',
    `Run ${new Date().toISOString()}${QUICK ? ' (--quick)' : ''} on ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}.`, '',
    `\`npm run bench:load -- --only=ops${sequential ? ' --ops-sequential' : ''}\`: ${rows.length} copies of the bot, each as \`npm start\` runs it (compiled, heap capped) on its own embedded store,`,
    `driven like the rest of bench:load (${P.concurrency} concurrent scripted support conversations per copy over \`/api/messages\`, replies to a loopback Connector).`,
    `The copies are started afresh ${P.opsGenerations} times (generations, in a rotated order), since two processes of one build differ by more than the cost looked for; each generation warms every copy, then runs ${P.opsRounds} rounds of ${P.opsRoundMs / 1000} s: ${rounds} rounds in all.`,
    sequential
      ? 'In a round the copies are driven **one after another**, in an order that rotates and reverses.'
      : 'In a round **every copy is driven at once**, so each meets the shared machine at the same moment (another process\'s work, the host\'s CPU frequency); the copies run at nice 5, so this process, which drives them and takes their replies, gets the CPU it needs first.',
    'Each round is compared with the "off" copy\'s in the same round; a row gives the median of those ratios and, in brackets, a 90% bootstrap interval of that median. The A/A control is a second "off" copy: how far it lands from 0 is what no difference at all looks like.',
    'Server CPU per turn is the process\'s user + system time over the round divided by its turns.', '',
    '| variant | median turns/s | turns/s vs off, same round: median [90% interval] | median CPU ms/turn | CPU per turn vs off: median [90% interval] | failed turns |',
    '|---|---|---|---|---|---|',
    ...rows.map((r, i) => i === 0
      ? `| ${r.name} | ${median(r.tps).toFixed(1)} | | ${median(r.cpu).toFixed(2)} | | ${r.failed} |`
      : `| ${r.name} | ${median(r.tps).toFixed(1)} | **${signed(median(r.tpsVsOff) - 1)}** [${ci(r.tpsVsOff, gain)}] | ${median(r.cpu).toFixed(2)} | **${signed(median(r.cpuVsOff) - 1)}** [${ci(r.cpuVsOff, gain)}] | ${r.failed} |`),
    '',
    sequential
      ? `A copy driven alone used ${median(serverCores).toFixed(2)} of ${os.cpus().length} cores on average (main thread, GC and I/O threads; median over rounds), this process ${median(driverCores).toFixed(2)}.`
      : `The copies together used ${median(serverCores).toFixed(2)} of ${os.cpus().length} cores (median over rounds), this process ${median(driverCores).toFixed(2)}: ${median(serverCores) + median(driverCores) > 0.9 * os.cpus().length ? 'the CPU was the limit, so a copy\'s turns/s follow its CPU per turn' : 'the CPU was not the only limit (file writes wait on the disk), so CPU per turn is the steadier of the two measures'}.`, '',
  ];
  const verdict = (r: OpsRow) => {
    const worst = Math.max(loss(median(r.tpsVsOff)), gain(median(r.cpuVsOff)));
    const upper = Math.max(...medianInterval(r.tpsVsOff).map(loss), ...medianInterval(r.cpuVsOff).map(gain));
    return worst > 0.05 ? '**short**' : upper <= 0.05 ? 'met (the whole interval within 5%)' : 'met by the median; the interval reaches past 5%';
  };
  lines.push('Target (issue 18): metrics and tracing cost at most 5% of turns per second.', '',
    '| variant | fewer turns/s than off: median [90% interval] | more CPU per turn than off: median [90% interval] | target ≤ 5% |', '|---|---|---|---|',
    ...rows.slice(1).map((r) => `| ${r.name} | ${pc(loss(median(r.tpsVsOff)))} [${ci(r.tpsVsOff, loss)}] | ${pc(gain(median(r.cpuVsOff)))} [${ci(r.cpuVsOff, gain)}] | ${r.control ? 'control (should be 0)' : verdict(r)} |`), '',
    `OTLP exports: ${rows.filter((r) => r.exports !== undefined).map((r) => `${r.name} ${r.exports} (${(r.spanBytes! / 1e6).toFixed(1)} MB)`).join('; ')}. "Met" needs both the turns/s loss and the CPU cost within 5%.`);
  return lines.join('\n') + '\n';
}

/** A 90% percentile-bootstrap interval of the median of `xs` (fixed seed: a re-run of the report gives the same interval). */
function medianInterval(xs: number[], draws = 4000): [number, number] {
  let seed = 0x9e3779b9;
  const random = () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32; };
  const medians = Array.from({ length: draws }, () => median(xs.map(() => xs[Math.floor(random() * xs.length)]!)));
  return [pct(medians, 0.05), pct(medians, 0.95)];
}

function report(): string {
  const f1 = (x: number) => x.toFixed(1), f0 = (x: number) => x.toFixed(0), f2 = (x: number) => x.toFixed(2);
  const cpus = os.cpus();
  const lines: string[] = [];
  lines.push('# Load: the bot against a minimal echo bot (issue 11)', '');
  lines.push(`Run ${new Date().toISOString()} (${((Date.now() - t0) / 60000).toFixed(1)} min${QUICK ? ', --quick' : ''}) on ${cpus.length}× ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, ${os.type()} ${os.release()}.`, '');
  lines.push('The machine is shared with other work while this runs, so **absolute numbers are noisy**; the bot/echo ratios, measured in the same run with rounds alternated, are what to compare. '
    + `Each customer posts the support script (${SCRIPT.map((s) => `"${s}"`).join(', ')}) to \`/api/messages\` as a Bot Framework channel would (channelId webchat, a loopback serviceUrl taking the replies), one conversation after another; `
    + 'a turn is done when the HTTP call answered and its reply reached the loopback Connector. The bot is the compiled build as `npm start` runs it, `node --max-old-space-size=256 dist/src/index.js` (V8 heap capped at the default of npm start; channel authentication off, logging at info, metrics on, as shipped) in its own process; '
    + 'the echo bot is restify 11 + CloudAdapter replying with the text (`bench/echoBot.ts`), also in its own process.', '');
  lines.push(`## Throughput at ${P.concurrency} concurrent conversations`, '');
  lines.push(`${P.rounds} rounds of ${P.roundMs / 1000} s per target, alternated with the echo bot's.`, '');
  lines.push('| backend | bot turns/s | echo turns/s | bot/echo | bot p50 ms | bot p99 ms | echo p50 ms | echo p99 ms | bot turns (failed) | bot turns/s per round | server CPU ms per turn, bot / echo | activities posted per turn, bot / echo |', '|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const { bot, echo: e } = r.concurrent;
    lines.push(`| ${r.name} | ${f0(tps(bot))} | ${f0(tps(e))} | **${f2(tps(bot) / tps(e))}×** | ${f1(pct(bot.ms, 0.5))} | ${f1(pct(bot.ms, 0.99))} | ${f1(pct(e.ms, 0.5))} | ${f1(pct(e.ms, 0.99))} | ${bot.turns} (${bot.failed}) | ${bot.perRound.map(f0).join(', ')} | ${f1(bot.cpuMs! / bot.turns)} / ${f1(e.cpuMs! / e.turns)} | ${f1(bot.posted! / bot.turns)} / ${f1(e.posted! / e.turns)} |`);
  }
  const seq = results.filter((r) => r.sequential);
  if (seq.length) {
    lines.push('', '## Sequential turns as history grows, and memory', '');
    lines.push(`One customer at a time, ${P.seqTurns} turns per measurement in blocks of ${4 * SCRIPT.length} (four conversations) interleaved with the echo bot's; "empty" is a new store after a warm-up of ${P.warmTurns + SCRIPT.length} turns (${P.warmTurns} of them at ${P.concurrency} concurrent, so the JIT has settled). Resident memory (VmRSS) of the bot process from /proc.`, '');
    lines.push('| backend | bot p50 empty ms | bot p50 after ms | turns between | after/empty | echo p50 empty → after ms | RSS empty MB | RSS after MB | peak RSS MB | V8 heap used / total after MB |', '|---|---|---|---|---|---|---|---|---|---|');
    for (const r of seq) {
      const s = r.sequential!;
      lines.push(`| ${r.name} | ${f1(median(s.emptyBot.ms))} | ${f1(median(s.afterBot.ms))} | ${s.turnsBetween} | **${f2(median(s.afterBot.ms) / median(s.emptyBot.ms))}×** | ${f1(median(s.emptyEcho.ms))} → ${f1(median(s.afterEcho.ms))} | ${f0(s.rssEmpty)} | ${f0(s.rssAfter)} | ${f0(s.peakAfter)} | ${f0(s.heapUsedAfter)} / ${f0(s.heapTotalAfter)} |`);
    }
  }
  if (startups.length) {
    lines.push('', '## Start-up', '');
    lines.push(`Spawn of \`node --max-old-space-size=256 dist/src/index.js\` (as \`npm start\` runs it, after its build) to the first \`/readyz\` 200 (recognizer ready, content, stores opened, migrations checked), median of ${P.startRuns} runs, an empty store alternated with one holding ${P.seedActivities.toLocaleString('en')} transcript activities (20 per conversation) seeded through the store's \`logActivity\`.`);
    lines.push('"Trains" is a start without a kept model (`MODEL_CACHE_DIR=off`; also the first start, and the first after an edit of `intents/` or of the NLU code); "model kept" is a restart that loads the model an earlier start kept (`MODEL_CACHE_DIR`, the default).', '');
    lines.push('| backend | empty store, trains ms | seeded store, trains ms | seeded store, model kept ms | runs (seeded: trains / kept) | stores open, empty → seeded ms | seeding took s |', '|---|---|---|---|---|---|---|');
    for (const s of startups) lines.push(`| ${s.backend} | ${f0(median(s.emptyMs))} | ${f0(median(s.seededMs))} | ${f0(median(s.keptMs))} | ${s.seededMs.map(f0).join(', ')} / ${s.keptMs.map(f0).join(', ')} | ${f0(median(s.openEmptyMs))} → ${f0(median(s.openSeededMs))} | ${f1(s.seedMs / 1000)} |`);
    lines.push('', '"Stores open" is `openStores` alone (what `createApp` does before the recognizer and the HTTP server), timed in the benchmark\'s process: the part of start-up that stored history can change. The rest is loading modules and training (or loading) the recognizer, the same with an empty store.');
  }
  lines.push('', '## Targets', '');
  lines.push('| target | measured | met? |', '|---|---|---|');
  const emb = results.find((r) => r.name === 'embedded'), pg = results.find((r) => r.name === 'postgres');
  const verdict = (ok: boolean) => (ok ? 'met' : '**short**');
  if (emb) {
    const ratio = tps(emb.concurrent.bot) / tps(emb.concurrent.echo);
    lines.push(`| embedded ≥ 0.5× echo turns/s at ${P.concurrency} concurrent | ${f2(ratio)}× | ${verdict(ratio >= 0.5)} |`);
    const p99 = pct(emb.concurrent.bot.ms, 0.99);
    lines.push(`| embedded p99 ≤ 150 ms | ${f1(p99)} ms | ${verdict(p99 <= 150)} |`);
    const s = emb.sequential!;
    const growth = median(s.afterBot.ms) / median(s.emptyBot.ms);
    lines.push(`| embedded sequential p50 after ${P.fillTurns.toLocaleString('en')} more turns ≤ 1.3× empty | ${f2(growth)}× (${f1(median(s.emptyBot.ms))} → ${f1(median(s.afterBot.ms))} ms) | ${verdict(growth <= 1.3)} |`);
    lines.push(`| embedded RSS ≤ 400 MB after those turns | ${f0(s.rssAfter)} MB | ${verdict(s.rssAfter <= 400)} |`);
  }
  if (pg) {
    const ratio = tps(pg.concurrent.bot) / tps(pg.concurrent.echo);
    lines.push(`| PostgreSQL one instance ≥ 0.4× echo | ${f2(ratio)}× | ${verdict(ratio >= 0.4)} |`);
  }
  for (const s of startups) {
    lines.push(`| start-up ≤ 2 s with ${s.activities.toLocaleString('en')} transcript activities, ${s.backend}, training the model | ${f0(median(s.seededMs))} ms | ${verdict(median(s.seededMs) <= 2000)} |`);
    lines.push(`| the same, restart with the model kept | ${f0(median(s.keptMs))} ms | ${verdict(median(s.keptMs) <= 2000)} |`);
  }
  if (QUICK) lines.push('', '_A --quick smoke run: smaller numbers than the targets name (400 turns of history, 10k activities); it says nothing about them._');
  const failed = results.flatMap((r) => [...r.concurrent.bot.errors, ...(r.sequential ? [...r.sequential.emptyBot.errors, ...r.sequential.afterBot.errors] : [])]);
  if (failed.length) lines.push('', `Failed bot turns (first few): ${[...new Set(failed)].slice(0, 5).join('; ')}`);
  return lines.join('\n') + '\n';
}
