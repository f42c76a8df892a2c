/**
 * `npm run db:import -- --from <DATA_DIR>`: copies an embedded store (what `npm start` keeps in
 * `DATA_DIR`) into the PostgreSQL database at `DATABASE_URL`, for a team moving to several
 * instances. Reads the whole folder first and refuses (exit 1, the file and the reason, nothing
 * written) when any record in it cannot be used; then migrates the schema and copies everything
 * in one transaction. Running it again moves nothing: what the database has is left as it is.
 * Prints what it did per store. Never prints the URL.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { CARRY_OVER_STORES, type CarryOverSource } from '../storage/carryOver.js';
import { openEmbeddedExport } from '../storage/embedded/export.js';
import { StoreFormatError } from '../storage/errors.js';
import { Db } from '../storage/postgres/db.js';
import { countSource, importInto } from '../storage/postgres/import.js';
import { loadMigrations, migrate } from '../storage/postgres/migrate.js';

const USAGE = 'usage: DATABASE_URL=postgres://user:password@host:5432/db npm run db:import -- --from <DATA_DIR>\n';

/** How each store's count reads. */
const UNITS: Record<(typeof CARRY_OVER_STORES)[number], string> = {
  state: 'state items', cases: 'cases', transcripts: 'transcript activities', feedback: 'feedback answers', directLine: 'web chat conversations',
  handoffs: 'hand-offs', staff: 'staff accounts', deskSessions: 'desk sessions', audit: 'audit entries', outcomes: 'outcome events',
  reviewLabels: 'review labels', sharedSecrets: 'shared secrets',
};

async function main(argv: string[]): Promise<number> {
  let from: string | undefined;
  try {
    from = parseArgs({ args: argv, options: { from: { type: 'string' } }, strict: true }).values.from;
  } catch (e) {
    process.stderr.write(`db:import: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const url = process.env.DATABASE_URL;
  if (!from || !url) {
    process.stderr.write(`db:import: ${!from ? 'say which folder to copy with --from <DATA_DIR>' : 'set DATABASE_URL to the database to copy into'}.\n${USAGE}`);
    return 2;
  }
  const dataDir = resolve(from);

  let source: CarryOverSource;
  let found: Awaited<ReturnType<typeof countSource>>;
  try {
    source = await openEmbeddedExport(dataDir);
  } catch (err) {
    return refuse(err);
  }
  try {
    // every record is read once before anything is written: a corrupt one stops here
    try { found = await countSource(source); } catch (err) { return refuse(err); }

    const db = new Db(url, { poolSize: 1, lockPoolSize: 1 });
    let client: pg.PoolClient | undefined;
    try {
      client = await db.pool.connect().catch((err: unknown) => { throw db.fail(err); });
      const { version } = await migrate(client, await loadMigrations());
      await client.query('BEGIN');
      // two imports into one schema run one after the other
      await client.query(`select pg_advisory_xact_lock(hashtextextended('support-bot:import:' || current_schema(), 0))`);
      let counts;
      try {
        counts = await importInto(client, source);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      const moved = Object.values(counts).reduce((n, c) => n + c.moved, 0);
      const out = [`db:import: ${dataDir} → the database (schema at version ${version})`, `${'store'.padEnd(24)}${'found'.padStart(8)}${'moved'.padStart(8)}${'already there'.padStart(15)}`];
      for (const s of CARRY_OVER_STORES) out.push(`${UNITS[s].padEnd(24)}${String(found[s]).padStart(8)}${String(counts[s].moved).padStart(8)}${String(counts[s].present).padStart(15)}`);
      out.push(moved === 0 ? 'nothing to move: the database already holds everything in this folder' : `moved ${moved} record(s) in one transaction`);
      process.stdout.write(out.join('\n') + '\n');
      return 0;
    } catch (err) {
      if (err instanceof StoreFormatError) return refuse(err);
      process.stderr.write(`db:import: ${(db.fail(err) as Error).message}\nNothing was changed (the copy is one transaction).\n`);
      return 1;
    } finally {
      client?.release();
      await db.end();
    }
  } finally {
    await source.close();
  }
}

function refuse(err: unknown): number {
  const why = err instanceof StoreFormatError ? `refused: ${err.message}` : `could not read the folder: ${(err as Error).message}`;
  process.stderr.write(`db:import: ${why}\nNothing was written to the database.\n`);
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
