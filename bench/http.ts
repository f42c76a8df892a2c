/**
 * `npm run bench:http`: latency of whole bot turns through restify + CloudAdapter + lowdb on
 * loopback, against `GET /healthz` measured in the same run as the baseline (the machine is
 * shared and noisy: compare the two, not absolute numbers across runs).
 * Writes bench/results/http.md.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { startServer, request, activity } from '../test/support/server.js';

const N = Number(process.env.BENCH_TURNS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const texts = ['I forgot my password', 'cant loggin on the app', 'how much data do i have left', 'talk to a person', 'hello', 'what is the capital of france'];

function stats(ms: number[]): { p50: number; p95: number; p99: number; mean: number } {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function pool(n: number, c: number, job: (i: number) => Promise<number>): Promise<{ ms: number[]; wall: number }> {
  const ms: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: c }, async () => { while (next < n) { const i = next++; ms.push(await job(i)); } }));
  return { ms, wall: performance.now() - t0 };
}

const srv = await startServer();
try {
  // warm-up
  for (let i = 0; i < 20; i++) await request('POST', `${srv.base}/api/messages`, activity(`warm-${i}`, texts[i % texts.length]));
  const health = await pool(N, 1, () => timed(() => request('GET', `${srv.base}/healthz`)));
  const turnSeq = await pool(N, 1, (i) => timed(() => request('POST', `${srv.base}/api/messages`, activity(`seq-${i % 20}`, texts[i % texts.length]))));
  const turnPar = await pool(N, CONCURRENCY, (i) => timed(() => request('POST', `${srv.base}/api/messages`, activity(`par-${i % 50}`, texts[i % texts.length]))));
  const rows = [
    ['GET /healthz (baseline), sequential', health],
    ['message turn, sequential', turnSeq],
    [`message turn, ${CONCURRENCY} concurrent`, turnPar],
  ] as const;
  const f = (x: number) => x.toFixed(2);
  const table = [
    '| what | n | p50 ms | p95 ms | p99 ms | mean ms | throughput /s |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(([name, r]) => { const s = stats(r.ms); return `| ${name} | ${r.ms.length} | ${f(s.p50)} | ${f(s.p95)} | ${f(s.p99)} | ${f(s.mean)} | ${(r.ms.length / (r.wall / 1000)).toFixed(0)} |`; }),
  ].join('\n');
  const ratio = stats(turnSeq.ms).p50 / stats(health.ms).p50;
  const md = `# HTTP turn latency\n\nRun ${new Date().toISOString()} on ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, loopback, lowdb state in a temp dir.\n\n${table}\n\nA sequential turn's median is ${ratio.toFixed(1)}× the /healthz baseline measured in the same run.\n`;
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/http.md', md);
  console.log(md);
} finally {
  await srv.close();
}
