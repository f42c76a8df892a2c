import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { request, TEST_MODEL_CACHE } from './server.js';

export const freePort = (): Promise<number> => new Promise((resolve) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
});

export interface BotProcess { child: ChildProcess; base: string; log: () => string; exited: Promise<number | null> }

/**
 * Starts the real service as a separate process (`node --import tsx src/index.ts`) and waits for
 * /healthz, at most `timeoutMs` (start-up trains the classifier: slow on a loaded machine).
 */
export async function startProcess(env: Record<string, string>, { timeoutMs = 90_000 }: { timeoutMs?: number } = {}): Promise<BotProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', 'src/index.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', MODEL_CACHE_DIR: TEST_MODEL_CACHE, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  for (const t0 = Date.now(); Date.now() - t0 < timeoutMs;) {
    if (child.exitCode !== null) throw new Error(`bot process exited early: ${out.slice(-500)}`);
    try { if ((await request('GET', `${base}/healthz`)).status === 200) return { child, base, log: () => out, exited }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`bot process did not answer /healthz: ${out.slice(-500)}`);
}

import { createInterface } from 'node:readline';

export interface KillResult { lines: string[]; code: number | null; signal: NodeJS.Signals | null; stderr: string }

/**
 * Runs a real process and SIGKILLs it the moment a line of its stdout satisfies `until`
 * (nothing after that line gets a chance to run: no shutdown, no flush). Resolves with every
 * stdout line seen up to and including that one. Reusable for the end-to-end variant: start
 * the server with `command`, talk to it from `onStart`, kill it when the reply shows a number.
 */
export function runUntilThenKill(options: {
  command?: string;
  args: string[];
  env?: Record<string, string>;
  until: (line: string, lines: string[]) => boolean;
  onStart?: (child: ChildProcess) => void;
  timeoutMs?: number;
}): Promise<KillResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.command ?? process.execPath, options.args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let stderr = '';
    let killed = false;
    child.stderr!.on('data', (c) => (stderr += c));
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (killed) return;
      lines.push(line);
      if (options.until(line, lines)) { killed = true; child.kill('SIGKILL'); }
    });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`runUntilThenKill: no matching line within ${options.timeoutMs ?? 30000} ms; stderr: ${stderr}`)); }, options.timeoutMs ?? 30000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!killed) reject(new Error(`runUntilThenKill: the process ended by itself (code ${code}); stderr: ${stderr}`));
      else resolve({ lines: [...lines], code, signal, stderr });
    });
    options.onStart?.(child);
  });
}

/** Arguments that run a TypeScript file the way the npm scripts do. */
export const tsx = (file: string, ...args: string[]) => ['--no-deprecation', '--import', 'tsx', file, ...args];
