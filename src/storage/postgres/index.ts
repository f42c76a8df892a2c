import { randomBytes } from 'node:crypto';
import type { PoolStats, StoreHealth, StoreOptions, Stores } from '../stores.js';
import { StoreUnavailableError } from '../errors.js';
import { Db, pgText, type PoolSizes } from './db.js';
import { loadMigrations, migrate } from './migrate.js';
import { PostgresStateStore } from './state.js';
import { PostgresCaseStore } from './cases.js';
import { PostgresTranscriptStore } from './transcripts.js';
import { PostgresFeedbackStore } from './feedback.js';
import { PostgresDirectLineStore } from './directLine.js';
import { PostgresDeskSessionStore, PostgresHandoffStore, PostgresStaffStore } from './desk.js';
import { PostgresConversationLock } from './lock.js';
import { PostgresEventBus } from './eventBus.js';
import { PostgresAuditLog } from './audit.js';
import { PostgresOutcomeStore } from './outcomes.js';
import { PostgresReviewLabelStore } from './reviewLabels.js';

export type { PoolSizes } from './db.js';

/** `StoreOptions` plus the PostgreSQL backend's pool sizes. */
export type PostgresStoreOptions = StoreOptions & PoolSizes;

/** How long `check()` waits for `select 1`. */
const CHECK_TIMEOUT_MS = 2000;

/**
 * Opens every store on the PostgreSQL database at `url` (`postgres://user:password@host/db`; a
 * schema other than `public` with `?options=-c%20search_path%3Dname`). Migrates the schema first
 * (instances starting together take turns), then listens for other instances' events. Rejects
 * with `StoreUnavailableError` when the database cannot be reached and `StoreFormatError` when
 * its schema is newer than this build; neither message holds the URL.
 */
export async function openPostgresStores(url: string, options: PostgresStoreOptions = {}): Promise<Stores> {
  if (!url) throw new Error('[openPostgresStores]: Missing parameter. url is required');
  try {
    if (!/^postgres(ql)?:$/.test(new URL(url).protocol)) throw new Error('not postgres');
  } catch {
    // the URL holds a password: it is never repeated in a message
    throw new Error('[openPostgresStores]: DATABASE_URL is not a postgres:// URL');
  }
  const db = new Db(url, options, options.logger);
  try {
    const client = await db.pool.connect().catch((err: unknown) => { throw db.fail(err); });
    try {
      await migrate(client, await loadMigrations(), options.logger);
      db.schema = (await client.query<{ s: string }>('select current_schema() as s')).rows[0].s;
    } finally {
      client.release();
    }
    const bus = new PostgresEventBus(db, options.logger);
    await bus.start();
    return new PostgresStores(db, bus, options);
  } catch (err) {
    await db.end();
    throw db.fail(err);
  }
}

/** Every store on one PostgreSQL schema, shared by every instance that opens it. */
class PostgresStores implements Stores {
  readonly backend = 'postgres' as const;
  readonly state: PostgresStateStore;
  readonly cases: PostgresCaseStore;
  readonly transcripts: PostgresTranscriptStore;
  readonly feedback: PostgresFeedbackStore;
  readonly directLine: PostgresDirectLineStore;
  readonly handoffs: PostgresHandoffStore;
  readonly staff: PostgresStaffStore;
  readonly deskSessions: PostgresDeskSessionStore;
  readonly lock: PostgresConversationLock;
  readonly audit: PostgresAuditLog;
  readonly outcomes: PostgresOutcomeStore;
  readonly reviewLabels: PostgresReviewLabelStore;
  private readonly secrets = new Map<string, string>();
  private closing?: Promise<void>;

  constructor(private readonly db: Db, readonly bus: PostgresEventBus, options: StoreOptions) {
    const now = options.now ?? (() => new Date());
    this.state = new PostgresStateStore(db, now);
    this.cases = new PostgresCaseStore(db, now);
    this.transcripts = new PostgresTranscriptStore(db, now);
    this.feedback = new PostgresFeedbackStore(db);
    this.directLine = new PostgresDirectLineStore(db, bus, now);
    this.handoffs = new PostgresHandoffStore(db);
    this.staff = new PostgresStaffStore(db);
    this.deskSessions = new PostgresDeskSessionStore(db);
    this.lock = new PostgresConversationLock(db, options.lockWaitMs ?? 10_000, options.logger);
    this.audit = new PostgresAuditLog(db, now);
    this.outcomes = new PostgresOutcomeStore(db);
    this.reviewLabels = new PostgresReviewLabelStore(db);
  }

  async sharedSecret(name: string): Promise<string> {
    const known = this.secrets.get(name);
    if (known) return known;
    // the first instance to ask creates it; everyone reads the one that won
    await this.db.query('insert into settings (name, value) values ($1, $2) on conflict (name) do nothing', [pgText(name), randomBytes(32).toString('base64url')]);
    const { rows } = await this.db.query<{ value: string }>('select value from settings where name = $1', [pgText(name)]);
    this.secrets.set(name, rows[0].value);
    return rows[0].value;
  }

  async check(): Promise<StoreHealth> {
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.db.query('select 1'),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new StoreUnavailableError(`The database did not answer within ${CHECK_TIMEOUT_MS / 1000} s.`)), CHECK_TIMEOUT_MS); }),
      ]);
      return { backend: 'postgres', ok: true, ms: performance.now() - t0 };
    } catch (err) {
      const reason = err instanceof StoreUnavailableError ? err.message : 'The database check failed unexpectedly; see the logs.';
      return { backend: 'postgres', ok: false, reason, ms: performance.now() - t0 };
    } finally {
      clearTimeout(timer);
    }
  }

  poolStats(): PoolStats[] {
    return ([['query', this.db.pool], ['lock', this.db.lockPool]] as const).map(([pool, p]) => ({
      pool, inUse: p.totalCount - p.idleCount, idle: p.idleCount, waiting: p.waitingCount,
    }));
  }

  /** Every write resolves only once committed; this waits for those still running. */
  async flush(): Promise<void> {
    await this.db.settled();
  }

  close(): Promise<void> {
    return (this.closing ??= (async () => {
      await this.bus.close();
      await this.db.settled();
      await this.db.end();
    })());
  }
}
