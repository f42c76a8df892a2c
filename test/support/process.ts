import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { request } from './server.js';

export const freePort = (): Promise<number> => new Promise((resolve) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
});

export interface BotProcess { child: ChildProcess; base: string; log: () => string; exited: Promise<number | null> }

/** Starts the real service as a separate process (`node --import tsx src/index.ts`) and waits for /healthz. */
export async function startProcess(env: Record<string, string>): Promise<BotProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--no-deprecation', '--import', 'tsx', 'src/index.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  for (const t0 = Date.now(); Date.now() - t0 < 30000;) {
    if (child.exitCode !== null) throw new Error(`bot process exited early: ${out.slice(-500)}`);
    try { if ((await request('GET', `${base}/healthz`)).status === 200) return { child, base, log: () => out, exited }; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`bot process did not answer /healthz: ${out.slice(-500)}`);
}
