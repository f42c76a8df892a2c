/**
 * The load benchmark's channel side: a loopback Connector service that takes the bots' replies,
 * the bot processes it talks to, and customers that post scripted support turns to
 * `/api/messages` the way a Bot Framework channel does (a `serviceUrl` pointing back at the
 * Connector, no `expectReplies`). A turn counts as done when the HTTP call answered and its
 * reply (a message whose `replyToId` is the customer's activity) reached the Connector.
 */
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { freePort } from '../test/support/process.js';

/** One customer's conversation, as support chats go: hello, a sign-in problem, a choice, a case, thanks. */
export const SCRIPT = ['hello', 'cant sign in', 'website', 'no', 'talk to a person', 'phone', 'thanks'];

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** Loopback stand-in for a channel's Connector: records which activities got a reply. */
export class Channel {
  url = '';
  /** Replies (messages) seen, and other activities (typing, traces). */
  messages = 0;
  others = 0;
  private readonly waiting = new Map<string, () => void>();
  private readonly answered = new Set<string>();
  private server?: http.Server;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method !== 'POST' || !/^\/v3\/conversations\/[^/]+\/activities/.test(req.url ?? '')) { res.writeHead(404); res.end(); return; }
        let a: { type?: string; replyToId?: string } = {};
        try { a = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { /* counted as other */ }
        if (a.type === 'message' && a.replyToId) {
          this.messages++;
          const w = this.waiting.get(a.replyToId);
          if (w) { this.waiting.delete(a.replyToId); w(); } else this.answered.add(a.replyToId);
        } else this.others++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `r-${this.messages + this.others}` }));
      });
    });
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/`;
  }

  /** Resolves when a message replying to `activityId` arrives (or has already). */
  reply(activityId: string): Promise<void> {
    if (this.answered.delete(activityId)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.set(activityId, resolve));
  }

  forget(activityId: string): void { this.waiting.delete(activityId); this.answered.delete(activityId); }

  close(): Promise<void> {
    return new Promise((r) => { if (!this.server) return r(); this.server.closeAllConnections(); this.server.close(() => r()); });
  }
}

/** A POST of JSON on the shared keep-alive agent; resolves with the status. */
function post(url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const u = new URL(url);
    const req = http.request({ hostname: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

export function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    req.on('error', reject);
  });
}

/** Where turns go: one base URL, or several taken in turn (a trivial round-robin balancer). */
export class Target {
  private next = 0;
  constructor(readonly name: string, readonly bases: string[]) {}
  pick(): string { return this.bases[this.next++ % this.bases.length]; }
}

export interface TurnResult { ms: number; ok: boolean; error?: string }

let activitySeq = 0;
const RUN = Date.now().toString(36);

/** One customer turn as a channel sends it; resolves when the HTTP call and the reply are both done. */
export async function turn(channel: Channel, target: Target, conversationId: string, text: string, timeoutMs = 15_000): Promise<TurnResult> {
  const id = `a-${RUN}-${++activitySeq}`;
  const activity = {
    type: 'message', id, text, channelId: 'webchat', serviceUrl: channel.url,
    conversation: { id: conversationId }, from: { id: `u-${conversationId}`, name: 'Customer', role: 'user' },
    recipient: { id: 'bot', name: 'Bot', role: 'bot' }, locale: 'en-US', timestamp: new Date().toISOString(),
  };
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs); });
  try {
    const [status] = await Promise.race([Promise.all([post(`${target.pick()}api/messages`, activity), channel.reply(id)]), timeout]);
    const ms = performance.now() - t0;
    return status >= 200 && status < 300 ? { ms, ok: true } : { ms, ok: false, error: `HTTP ${status}` };
  } catch (err) {
    channel.forget(id);
    return { ms: performance.now() - t0, ok: false, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export interface RoundResult { target: string; turns: number; failed: number; wallMs: number; ms: number[]; errors: string[] }

let conversationSeq = 0;

/**
 * `concurrency` customers, each going through `SCRIPT` in new conversations back to back, until
 * `turns` turns were started or `durationMs` passed (whichever is given); turns in flight finish.
 */
export async function drive(channel: Channel, target: Target, opts: { concurrency: number; turns?: number; durationMs?: number; prefix: string }): Promise<RoundResult> {
  const ms: number[] = [];
  const errors: string[] = [];
  let started = 0, failed = 0;
  const t0 = performance.now();
  const more = () => (opts.turns === undefined || started < opts.turns) && (opts.durationMs === undefined || performance.now() - t0 < opts.durationMs);
  await Promise.all(Array.from({ length: opts.concurrency }, async () => {
    while (more()) {
      const conversation = `${opts.prefix}-${RUN}-${++conversationSeq}`;
      for (const text of SCRIPT) {
        if (!more()) return;
        started++;
        const r = await turn(channel, target, conversation, text);
        if (r.ok) ms.push(r.ms);
        else { failed++; if (errors.length < 5) errors.push(r.error ?? 'failed'); }
      }
    }
  }));
  return { target: target.name, turns: ms.length, failed, wallMs: performance.now() - t0, ms, errors };
}

export interface Proc { child: ChildProcess; base: string; pid: number; logFile: string; stop(): Promise<void> }

/**
 * Spawns `args` with node and waits until `readyPath` answers 200; `startMs` is spawn to that answer.
 * `prefix` runs node under a command that then execs it (`nice -n 5`), so the pid is node's.
 */
export async function spawnServer(args: string[], env: Record<string, string>, logFile: string, { readyPath = '/readyz', timeoutMs = 60_000, prefix = [] as string[] } = {}): Promise<Proc & { startMs: number }> {
  const port = await freePort();
  const fd = openSync(logFile, 'a');
  const t0 = performance.now();
  const [command, ...rest] = [...prefix, process.execPath, ...args];
  const child = spawn(command!, rest, { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const base = `http://127.0.0.1:${port}/`;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${args.join(' ')} exited early: ${tail(logFile)}`);
    if (performance.now() - t0 > timeoutMs) { child.kill('SIGKILL'); throw new Error(`${args.join(' ')} not ready within ${timeoutMs} ms: ${tail(logFile)}`); }
    try { if (await get(`${base}${readyPath.replace(/^\//, '')}`) === 200) break; } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 10));
  }
  const startMs = performance.now() - t0;
  return {
    child, base, pid: child.pid!, logFile, startMs,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function tail(file: string): string {
  try { return readFileSync(file, 'utf8').slice(-800); } catch { return ''; }
}

/** Resident memory of a process now and at its peak, MB (Linux /proc). */
export function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** CPU time a process has used so far, ms (user + system, from /proc; 10 ms resolution). */
export function cpuMs(pid: number): number {
  // the fields after the command name (which may hold spaces) start after its closing parenthesis
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The V8 heap of a bot process as its Prometheus metrics report it (MB); needs the metrics token. */
export function heap(base: string, token: string): Promise<{ usedMb: number; totalMb: number }> {
  return new Promise((resolve, reject) => {
    http.get(`${base}metrics`, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let b = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (b += c));
      res.on('end', () => {
        const g = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)`, 'm').exec(b)?.[1] ?? NaN) / 2 ** 20;
        resolve({ usedMb: g('nodejs_heap_size_used_bytes'), totalMb: g('nodejs_heap_size_total_bytes') });
      });
    }).on('error', reject);
  });
}

/** Nearest-rank percentile. */
export function pct(ms: number[], p: number): number {
  if (ms.length === 0) return NaN;
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

export function median(xs: number[]): number { return pct(xs, 0.5); }
