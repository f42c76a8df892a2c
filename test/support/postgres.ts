import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startTcpProxy, type TcpProxy } from './tcpProxy.js';

/**
 * The PostgreSQL server the tests talk to: `TEST_DATABASE_URL` or `DATABASE_URL` when set (CI may
 * point them at its server), otherwise one throw-away cluster per test process, made with Debian's
 * PostgreSQL (`scripts/ensure-postgres.sh` installs it) in a temp dir on a free loopback port and
 * removed when the process exits. Each test place is a fresh schema in it.
 */
let server: Promise<string> | undefined;
let admin: pg.Pool | undefined;
let counter = 0;

const SCHEMA_PREFIX = 'sbtest_';
const CLUSTER_PREFIX = 'support-bot-pg-';

/** The URL of the test server (started on first use). */
export function testServerUrl(): Promise<string> {
  return (server ??= Promise.resolve().then(() => {
    const given = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
    return given ? dropStaleSchemas(given).then(() => given) : startCluster();
  }));
}

/** A new empty schema on the test server, and the URL whose connections use it. */
export async function freshSchema(): Promise<{ url: string; schema: string }> {
  const base = await testServerUrl();
  // the pid in the name lets a later run drop what a killed run left behind
  const schema = `${SCHEMA_PREFIX}${process.pid}_${++counter}`;
  await adminPool(base).query(`create schema ${schema}`);
  return { url: withSchema(base, schema), schema };
}

/** `url` with its connections' `search_path` set to `schema` (how an operator would pick one too). */
export function withSchema(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** A small pool on the test server for the tests' own checks (closed at exit). */
export function adminPool(url: string): pg.Pool {
  if (!admin) {
    admin = new pg.Pool({ connectionString: url, max: 3 });
    admin.on('error', () => undefined);
  }
  return admin;
}

/** Schemas earlier test processes left on a shared server (their process is gone). */
async function dropStaleSchemas(url: string): Promise<void> {
  const pool = adminPool(url);
  const { rows } = await pool.query<{ nspname: string }>(`select nspname from pg_namespace where nspname like '${SCHEMA_PREFIX}%'`);
  for (const { nspname } of rows) {
    const pid = Number(/^sbtest_(\d+)_/.exec(nspname)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) await pool.query(`drop schema if exists ${nspname} cascade`).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Debian keeps each major version under /usr/lib/postgresql/<n>/bin; the newest one is used. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) {
    throw new Error('The PostgreSQL tests need a server: set TEST_DATABASE_URL, or install Debian\'s PostgreSQL with `bash scripts/ensure-postgres.sh` (npm test does it).');
  }
  return join(root, versions[0], 'bin');
}

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` user. */
function run(cmd: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const r = spawnSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || String(r.error ?? '')).trim().slice(0, 2000)}`);
}

async function startCluster(): Promise<string> {
  removeStaleClusters();
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), CLUSTER_PREFIX));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'postgres:', dir]);
  const data = join(dir, 'data');
  const port = await freePort();
  run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  // durability against a power cut is not what these tests check, so the throw-away cluster skips fsync
  const settings = [`-p ${port}`, '-c listen_addresses=127.0.0.1', `-k ${dir}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=400'];
  run(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-o', settings.join(' '), '-w', '-t', '60', 'start']);
  process.once('exit', () => stopCluster(bin, dir));
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

function stopCluster(bin: string, dir: string): void {
  const asRoot = process.getuid?.() === 0;
  const ctl = join(bin, 'pg_ctl');
  const args = ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop'];
  spawnSync(asRoot ? 'runuser' : ctl, asRoot ? ['-u', 'postgres', '--', ctl, ...args] : args, { timeout: 20_000 });
  rmSync(dir, { recursive: true, force: true });
}

/** Clusters of test processes that were killed before their exit hook ran. */
function removeStaleClusters(): void {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(CLUSTER_PREFIX))) {
    const dir = join(tmpdir(), name);
    let owner = 0;
    try { owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8').trim()) || 0; } catch { /* no owner file: a start that failed early */ }
    if (owner && alive(owner)) continue;
    try { stopCluster(binDir(), dir); } catch { rmSync(dir, { recursive: true, force: true }); }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A fresh schema reached through a TCP proxy (`test/support/tcpProxy.ts`), so a test can lose the
 * database without stopping the (maybe shared) server: `url` goes through `proxy` and carries
 * `password` (which no error message may repeat).
 */
export async function schemaBehindProxy(password: string, proxy?: TcpProxy): Promise<{ proxy: TcpProxy; url: string }> {
  const { url } = await freshSchema();
  const direct = new URL(url);
  proxy ??= await startTcpProxy(direct.hostname, Number(direct.port || 5432));
  const via = new URL(url);
  via.host = `127.0.0.1:${proxy.port}`;
  via.password = password;
  return { proxy, url: via.toString() };
}
