import pg from 'pg';
import type { Logger } from '../../logger.js';
import { StoreUnavailableError } from '../errors.js';

/** Tuning a deployment may change (defaults fit a 2-core instance beside a managed PostgreSQL). */
export interface PoolSizes {
  /** Connections for queries (default 10). */
  poolSize?: number;
  /**
   * Connections that hold conversation locks (default 25): a turn keeps one for its whole
   * duration, so they come from their own pool and never starve the queries the turn makes.
   */
  lockPoolSize?: number;
}

/** Connect within 2 s; a statement may take 8 s before the server cancels it. */
const CONNECT_TIMEOUT_MS = 2000;
const STATEMENT_TIMEOUT_MS = 8000;

/**
 * The connections of one `Stores` on PostgreSQL: a pool for queries, a pool for lock holders,
 * and the settings the event bus's own connection uses. Every error that means "the database
 * is not there" leaves here as a `StoreUnavailableError` whose message an operator can act on
 * and that never holds the connection string; other errors (bugs) pass through as they are.
 */
export class Db {
  readonly pool: pg.Pool;
  readonly lockPool: pg.Pool;
  readonly lockPoolSize: number;
  /** The schema the tables live in (`search_path`), read at start: it scopes locks and notifications. */
  schema = 'public';
  private inFlight = 0;
  private idle: Array<() => void> = [];
  private lastLogged = 0;

  constructor(readonly url: string, sizes: PoolSizes = {}, private readonly logger?: Logger) {
    this.lockPoolSize = sizes.lockPoolSize ?? 25;
    this.pool = this.newPool(sizes.poolSize ?? 10);
    this.lockPool = this.newPool(this.lockPoolSize);
  }

  /** Settings for a dedicated connection (the event bus's). */
  clientConfig(): pg.ClientConfig {
    return {
      connectionString: this.url, application_name: 'support-bot', connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      statement_timeout: STATEMENT_TIMEOUT_MS, query_timeout: STATEMENT_TIMEOUT_MS + 2000, keepAlive: true, keepAliveInitialDelayMillis: 10_000,
    };
  }

  /** One statement on the query pool. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.track(this.pool.query<R>(text, values).catch((err: unknown) => { throw this.fail(err); }));
  }

  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  tx<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.track((async () => {
      const client = await this.pool.connect().catch((err: unknown) => { throw this.fail(err); });
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (isConnectionError(err)) broken = err;
        else await client.query('ROLLBACK').catch((e: unknown) => { broken = e; });
        throw this.fail(err);
      } finally {
        // a connection that failed is dropped, not handed to the next caller
        client.release(broken instanceof Error ? broken : broken ? new Error('connection failed') : undefined);
      }
    })());
  }

  /** Resolves when no query or transaction started through this object is still running. */
  async settled(): Promise<void> {
    if (this.inFlight > 0) await new Promise<void>((r) => this.idle.push(r));
  }

  async end(): Promise<void> {
    await Promise.allSettled([this.pool.end(), this.lockPool.end()]);
  }

  /** `err` as what callers see: a `StoreUnavailableError` when the database is the cause, logged (at most every 5 s). */
  fail(err: unknown): unknown {
    if (err instanceof StoreUnavailableError) return err;
    const reason = unavailableReason(err);
    if (!reason) return err;
    const now = Date.now();
    if (now - this.lastLogged > 5000) {
      this.lastLogged = now;
      this.logger?.warn({ code: (err as { code?: string }).code, reason }, 'database unavailable');
    }
    return new StoreUnavailableError(`The database is unavailable (${reason}); try again in a moment.`, 5, { cause: err });
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight++;
    return p.finally(() => {
      if (--this.inFlight === 0) for (const r of this.idle.splice(0)) r();
    });
  }

  private newPool(max: number): pg.Pool {
    const pool = new pg.Pool({ ...this.clientConfig(), max, idleTimeoutMillis: 30_000 });
    // an idle connection the server drops emits 'error' on the pool, and a checked-out one on
    // itself: without listeners either would end the process
    pool.on('error', (err) => { this.fail(err); });
    pool.on('connect', (client) => { client.on('error', (err) => { this.fail(err); }); });
    return pool;
  }
}

/** SQLSTATE classes and codes, and node errors, that mean the database cannot be reached or used right now. */
const REASONS: Array<[RegExp, string]> = [
  [/^ECONNREFUSED$/, 'connection refused: is the server running?'],
  [/^(ENOTFOUND|EAI_AGAIN)$/, 'the database host name does not resolve'],
  [/^(ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/, 'the database host cannot be reached'],
  [/^(ECONNRESET|EPIPE)$/, 'the connection to the database was lost'],
  [/^08/, 'the connection to the database failed'],
  [/^57P0[123]$/, 'the database is shutting down or starting up'],
  [/^53/, 'the database is out of connections or resources'],
  [/^57014$/, 'the database took too long to answer'],
  [/^28/, 'the database refused the credentials in DATABASE_URL'],
  [/^3D000$/, 'the database named in DATABASE_URL does not exist'],
];

const MESSAGES: Array<[RegExp, string]> = [
  [/timeout exceeded when trying to connect|connection timeout/i, `no connection within ${CONNECT_TIMEOUT_MS / 1000} s`],
  [/Query read timeout/i, 'the database took too long to answer'],
  [/Connection terminated|not queryable|Connection ended/i, 'the connection to the database was lost'],
  [/Cannot use a pool after calling end/i, 'the stores are closed'],
];

/** Why `err` means the database is unavailable, in words for an operator; undefined when it does not. */
export function unavailableReason(err: unknown): string | undefined {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  for (const [pattern, reason] of REASONS) if (code && pattern.test(code)) return reason;
  const message = typeof e?.message === 'string' ? e.message : '';
  for (const [pattern, reason] of MESSAGES) if (pattern.test(message)) return reason;
  return undefined;
}

/** The connection itself failed (as opposed to one statement): it must not be reused. */
export function isConnectionError(err: unknown): boolean {
  const reason = unavailableReason(err);
  return reason !== undefined && reason !== 'the database took too long to answer';
}

/** PostgreSQL text cannot hold NUL: ids that carry one (never legitimately) get U+FFFD instead. */
export function pgText(s: string): string {
  return s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s;
}
