import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../../config.js';
import type pg from 'pg';
import { StoreFormatError, StoreUnavailableError } from '../errors.js';
import type { Logger } from '../../logger.js';
import { unavailableReason } from './db.js';

/** One numbered SQL file of `migrations/` (`001_init.sql`). */
export interface Migration { version: number; name: string; sql: string }

/** Where this build's migrations are. */
export const MIGRATIONS_DIR = join(ROOT, 'src', 'storage', 'postgres', 'migrations');

/** Longest wait for another instance that is migrating the same schema. */
const MIGRATION_LOCK_WAIT_MS = 120_000;

/** Reads `NNN_name.sql` files in version order; numbers must run 1, 2, 3… with no gap or repeat. */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const out: Migration[] = [];
  for (const file of files) {
    const m = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) throw new Error(`[migrations]: ${file} is not named NNN_name.sql`);
    const version = Number(m[1]);
    if (version !== out.length + 1) throw new Error(`[migrations]: ${file} should be number ${out.length + 1}`);
    out.push({ version, name: `${m[1]}_${m[2]}`, sql: await readFile(`${dir}/${file}`, 'utf8') });
  }
  return out;
}

/** What `migrate` did. */
export interface MigrationResult { version: number; applied: string[] }

/**
 * Brings the schema on `client`'s `search_path` up to the newest migration. Instances starting
 * together take turns (a session advisory lock per schema); each migration runs in its own
 * transaction with its row in `schema_migrations`, so one interrupted half-way left nothing
 * behind and simply runs again. A schema newer than this build knows (or with a version it does
 * not know) is refused with `StoreFormatError`: this build could misread it.
 */
export async function migrate(client: pg.ClientBase, migrations: Migration[], logger?: Logger): Promise<MigrationResult> {
  try {
    await client.query(`set lock_timeout = ${MIGRATION_LOCK_WAIT_MS}; set statement_timeout = 0`);
    await client.query(`select pg_advisory_lock(hashtextextended('support-bot:migrations:' || current_schema(), 0))`);
  } catch (err) {
    throw asUnavailable(err, 'another instance is still migrating the database schema');
  }
  try {
    const schema = (await client.query<{ s: string | null }>('select current_schema() as s')).rows[0].s;
    if (!schema) throw new StoreFormatError('The database', 'its search_path names no schema that exists; create the schema first or fix options=-c search_path in DATABASE_URL');
    await client.query(`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`);
    const done = new Map((await client.query<{ version: number; name: string }>('select version, name from schema_migrations order by version')).rows.map((r) => [r.version, r.name]));
    const newest = migrations.at(-1)?.version ?? 0;
    const unknown = [...done.keys()].filter((v) => v > newest || migrations[v - 1]?.name !== done.get(v));
    if (unknown.length > 0) {
      throw new StoreFormatError(`The database schema "${schema}"`, `it is at version ${Math.max(...done.keys())} (${unknown.map((v) => done.get(v)).join(', ')}), which this build does not know (it knows up to ${newest}); run the newer support-bot that migrated it, or restore a matching backup`);
    }
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (unavailableReason(err)) throw asUnavailable(err, `migration ${m.name} was interrupted (nothing of it was kept; it runs again at the next start)`);
        throw new Error(`[migrations]: ${m.name} failed and was rolled back: ${(err as Error).message}`);
      }
      applied.push(m.name);
      logger?.info({ migration: m.name, schema }, 'database migration applied');
    }
    return { version: newest, applied };
  } catch (err) {
    throw unavailableReason(err) ? asUnavailable(err, 'the schema could not be checked') : err;
  } finally {
    await client.query(`select pg_advisory_unlock(hashtextextended('support-bot:migrations:' || current_schema(), 0)); reset lock_timeout; reset statement_timeout`).catch(() => undefined);
  }
}

function asUnavailable(err: unknown, what: string): unknown {
  if (err instanceof StoreUnavailableError || err instanceof StoreFormatError) return err;
  const reason = (err as { code?: string }).code === '55P03' ? 'timed out waiting' : unavailableReason(err);
  if (!reason) return err;
  return new StoreUnavailableError(`The database is unavailable (${reason}): ${what}.`, 5, { cause: err });
}
