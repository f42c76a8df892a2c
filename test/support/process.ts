import { spawn, type ChildProcess } from 'node:child_process';
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
