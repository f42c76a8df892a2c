import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { openPostgresStores } from '../../src/storage/postgres/index.js';
import { loadMigrations, migrate, MIGRATIONS_DIR } from '../../src/storage/postgres/migrate.js';
import { StoreFormatError, StoreUnavailableError } from '../../src/storage/errors.js';
import { freshSchema } from '../support/postgres.js';
import { tempDir } from '../support/server.js';

const run = promisify(execFile);

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try { await p; } catch (e) { return e; }
  throw new Error('expected a rejection');
}

/** How many migrations this build has (the tests hold for any number). */
const BUILD = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
const N = BUILD.length;
const NEXT = `${String(N + 1).padStart(3, '0')}_extra`;
const built = BUILD.map((f, i) => ({ version: i + 1, name: f.replace(/\.sql$/, '') }));

/** This build's migrations plus one more, `NEXT`, with `sql`, in a temp folder. */
function withSecond(sql: string): string {
  const dir = tempDir('migrations-');
  mkdirSync(dir, { recursive: true });
  for (const f of BUILD) copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f));
  writeFileSync(join(dir, `${NEXT}.sql`), sql);
  return dir;
}

describe('PostgreSQL backend: migrations', () => {
  let schema: string, url: string, client: pg.Client;
  beforeEach(async () => {
    ({ schema, url } = await freshSchema());
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  afterEach(async () => { await client.end(); });

  const versions = async () => (await client.query('select version, name from schema_migrations order by version')).rows;
  const tableExists = async (name: string) => (await client.query('select to_regclass($1) as t', [`${schema}.${name}`])).rows[0].t !== null;

  it('applies every migration once, recorded, when several instances open a new schema together', async () => {
    const all = await Promise.all(Array.from({ length: 4 }, () => openPostgresStores(url)));
    expect(await versions()).to.deep.equal(built);
    await Promise.all(all.map((s) => s.close()));
    expect(await migrate(client, await loadMigrations())).to.deep.equal({ version: N, applied: [] });
  });

  it('leaves nothing of a migration that fails half-way, and applies it when run again', async () => {
    await migrate(client, await loadMigrations());
    const broken = await loadMigrations(withSecond('create table extra (id int); insert into extra values (1); select 1/0;'));
    expect((await rejection(migrate(client, broken)) as Error).message).to.match(new RegExp(`${NEXT} failed and was rolled back: division by zero`));
    expect(await versions()).to.have.length(N);
    expect(await tableExists('extra')).to.equal(false);
    const fixed = await loadMigrations(withSecond('create table extra (id int); insert into extra values (1);'));
    expect(await migrate(client, fixed)).to.deep.equal({ version: N + 1, applied: [NEXT] });
    expect((await client.query('select count(*)::int as n from extra')).rows[0].n).to.equal(1);
  });

  it('is safe to run again after its connection is killed in the middle of a migration', async () => {
    await migrate(client, await loadMigrations());
    const slow = await loadMigrations(withSecond('create table extra (id int); select pg_sleep(10);'));
    const victim = new pg.Client({ connectionString: url });
    victim.on('error', () => undefined);
    await victim.connect();
    const pid = (await victim.query('select pg_backend_pid() as pid')).rows[0].pid;
    const running = rejection(migrate(victim, slow));
    for (let i = 0; i < 100; i++) {
      const { rows } = await client.query(`select 1 from pg_stat_activity where pid = $1 and query like '%pg_sleep%'`, [pid]);
      if (rows.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.query('select pg_terminate_backend($1)', [pid]);
    expect(await running).to.be.instanceOf(StoreUnavailableError);
    await victim.end().catch(() => undefined);
    expect(await tableExists('extra')).to.equal(false);
    expect(await versions()).to.have.length(N);
    const fast = await loadMigrations(withSecond('create table extra (id int);'));
    expect(await migrate(client, fast)).to.deep.equal({ version: N + 1, applied: [NEXT] });
  });

  it('refuses a schema newer than this build with a clear message, changing nothing', async () => {
    await (await openPostgresStores(url)).close();
    await client.query(`insert into schema_migrations (version, name) values (${N + 1}, 'from_the_future')`);
    const err = await rejection(openPostgresStores(url));
    expect(err).to.be.instanceOf(StoreFormatError);
    expect((err as Error).message).to.match(new RegExp(`version ${N + 1} \\(from_the_future\\).*knows up to ${N}`));
    expect(await versions()).to.have.length(N + 1);
  });

  it('carries whoever waited in the old hand-off queue over to hand-off records, keeping their places (003_desk)', async () => {
    const all = await loadMigrations();
    await migrate(client, all.slice(0, all.findIndex((m) => m.name === '003_desk')));
    await client.query(`insert into handoff_queue (key, case_number, team, since, since_at) values
      ('directline/abc', 'CS-AAAA-AAAA', 'tech_support', '2026-01-01T10:00:05.000Z', '2026-01-01T10:00:05.000Z'),
      ('emulator/x/y', 'CS-BBBB-BBBB', 'general', '2026-01-01T10:00:01.000Z', '2026-01-01T10:00:01.000Z'),
      ('msteams/a:1', 'CS-CCCC-CCCC', 'technical', '2026-01-01T10:00:02.000Z', '2026-01-01T10:00:02.000Z')`);
    // a call-back asked for before the desk existed makes its follow-up list
    const callback = { number: 'CS-DDDD-DDDD', status: 'open', intent: 'billing', contactMethod: 'callback', callbackWindow: 'In the morning', channelId: 'emulator', userId: 'u', conversationId: 'c',
      summary: 'Billing question', stepsTried: [], createdAt: '2026-01-01T09:00:00.000Z', updatedAt: '2026-01-01T09:00:00.000Z', conversationReference: {}, notes: [] };
    await client.query(`insert into cases (number, status, channel_id, user_id, created_at, record) values ($1, 'open', 'emulator', 'u', $2, $3)`, [callback.number, callback.createdAt, JSON.stringify(callback)]);
    await migrate(client, await loadMigrations());
    expect(await tableExists('handoff_queue')).to.equal(false);
    const stores = await openPostgresStores(url);
    try {
      expect(await stores.handoffs.get('CS-AAAA-AAAA')).to.deep.equal({
        caseNumber: 'CS-AAAA-AAAA', channelId: 'directline', conversationId: 'abc', team: 'technical', via: 'desk', status: 'waiting',
        requestedAt: '2026-01-01T10:00:05.000Z', queuedAt: '2026-01-01T10:00:05.000Z', events: [{ at: '2026-01-01T10:00:05.000Z', kind: 'requested', team: 'technical' }],
      });
      expect((await stores.handoffs.get('CS-BBBB-BBBB'))!.conversationId, 'ids may hold a slash').to.equal('x/y');
      expect(await stores.handoffs.position('CS-CCCC-CCCC')).to.equal(1);
      expect(await stores.handoffs.position('CS-AAAA-AAAA')).to.equal(2);
      expect((await stores.handoffs.change('CS-AAAA-AAAA', { kind: 'accept', agent: { username: 'sam', displayName: 'Sam' } }, new Date().toISOString())).ok).to.equal(true);
      expect((await stores.cases.followUps()).map((c) => c.number)).to.deep.equal(['CS-DDDD-DDDD']);
    } finally { await stores.close(); }
  });

  it('refuses a schema whose recorded migration has another name than this build\'s', async () => {
    await client.query('create table schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())');
    await client.query(`insert into schema_migrations (version, name) values (1, '001_something_else')`);
    expect(await rejection(openPostgresStores(url))).to.be.instanceOf(StoreFormatError);
    expect(await tableExists('cases')).to.equal(false);
  });

  it('npm run db:migrate migrates DATABASE_URL and says so, then finds nothing to do', async () => {
    const env = { ...process.env, DATABASE_URL: url };
    const first = await run('npm', ['run', '-s', 'db:migrate'], { env });
    expect(first.stdout).to.include(`applied ${built.map((m) => m.name).join(', ')}; schema at version ${N}`);
    const again = await run('npm', ['run', '-s', 'db:migrate'], { env });
    expect(again.stdout).to.include(`already at version ${N}`);
    expect(await tableExists('dl_activities')).to.equal(true);
  });

  it('npm run db:migrate fails with a reason and without the password when the database is unreachable', async () => {
    const env = { ...process.env, DATABASE_URL: 'postgres://support:hunter2secret@127.0.0.1:1/db' };
    const err = await rejection(run('npm', ['run', '-s', 'db:migrate'], { env })) as { code: number; stderr: string };
    expect(err.code).to.equal(1);
    expect(err.stderr).to.match(/database is unavailable \(connection refused/);
    expect(err.stderr).to.not.include('hunter2secret');
  });
});
