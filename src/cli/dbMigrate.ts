/**
 * `npm run db:migrate`: brings the PostgreSQL schema at `DATABASE_URL` up to this build's newest
 * migration (`src/storage/postgres/migrations/`) and says what it did. The server does the same at
 * start-up; this is for applying them ahead of a deploy. Exits 1 with a reason (never the URL)
 * when the database cannot be reached or its schema is newer than this build.
 */
import pg from 'pg';
import { Db } from '../storage/postgres/db.js';
import { loadMigrations, migrate } from '../storage/postgres/migrate.js';

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('db:migrate: set DATABASE_URL to the database (postgres://user:password@host:5432/db).\n');
    return 2;
  }
  const db = new Db(url, { poolSize: 1, lockPoolSize: 1 });
  let client: pg.PoolClient | undefined;
  try {
    client = await db.pool.connect().catch((err: unknown) => { throw db.fail(err); });
    const { version, applied } = await migrate(client, await loadMigrations());
    process.stdout.write(applied.length ? `applied ${applied.join(', ')}; schema at version ${version}\n` : `schema already at version ${version}; nothing to do\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`db:migrate: ${(db.fail(err) as Error).message}\n`);
    return 1;
  } finally {
    client?.release();
    await db.end();
  }
}

process.exitCode = await main();
