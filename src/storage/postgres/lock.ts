import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from '../../logger.js';
import type { ConversationLock } from '../conversationLock.js';
import { ConversationBusyError, StoreUnavailableError } from '../errors.js';
import { isConnectionError, type Db } from './db.js';

/** The advisory lock key of a conversation: 64 bits of a hash of the schema and the key. */
export function lockId(schema: string, key: string): string {
  return createHash('sha256').update(`${schema}\n${key}`).digest().readBigInt64BE(0).toString();
}

/**
 * Per-conversation turn order across instances: a transaction-scoped advisory lock
 * (`pg_advisory_xact_lock`) held on a connection of the lock pool for the whole task, waited for
 * at most `waitMs` (`lock_timeout`), then `ConversationBusyError`. Tasks of one conversation on
 * one instance first queue here in arrival order, so a busy conversation holds one connection,
 * not one per waiting message. The lock pool is apart from the query pool: however many turns
 * hold locks, their queries still get connections.
 */
export class PostgresConversationLock implements ConversationLock {
  private readonly tails = new Map<string, Promise<void>>();
  private holders = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly db: Db, private readonly waitMs: number, private readonly logger?: Logger) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const start = Date.now();
    const deadline = start + this.waitMs;
    const prev = this.tails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((r) => { done = r; });
    // the next task waits for this one and for everything before it, even if this one gives up
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key); });
    try {
      if (!(await settlesBefore(prev, deadline))) throw new ConversationBusyError(Date.now() - start);
      return await this.holding(key, start, deadline, task);
    } finally {
      done();
    }
  }

  private async holding<T>(key: string, start: number, deadline: number, task: () => Promise<T>): Promise<T> {
    await this.slot(deadline);
    let client: pg.PoolClient | undefined;
    let broken: Error | undefined;
    try {
      client = await this.db.lockPool.connect().catch((err: unknown) => { throw this.db.fail(err); });
      const ms = Math.max(1, deadline - Date.now());
      try {
        await client.query(`BEGIN; SET LOCAL lock_timeout = ${ms}; SET LOCAL statement_timeout = ${ms + 5000}; SELECT pg_advisory_xact_lock('${lockId(this.db.schema, key)}'::bigint)`);
      } catch (err) {
        if (isConnectionError(err)) broken = err as Error;
        else await client.query('ROLLBACK').catch((e: Error) => { broken = e; });
        if ((err as { code?: string }).code === '55P03') throw new ConversationBusyError(Date.now() - start);
        throw this.db.fail(err);
      }
      try {
        return await task();
      } finally {
        // ending the transaction releases the lock; if the connection died meanwhile, the server already did
        await client.query('COMMIT').catch((err: Error) => {
          broken = err;
          this.logger?.warn({ reason: (this.db.fail(err) as Error).message }, 'a conversation lock was lost while its turn ran');
        });
      }
    } finally {
      client?.release(broken);
      this.unslot();
    }
  }

  /** A place in the lock pool, waited for until `deadline`. */
  private slot(deadline: number): Promise<void> {
    if (this.holders < this.db.lockPoolSize) {
      this.holders++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const take = () => { clearTimeout(timer); this.holders++; resolve(); };
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(take);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(new StoreUnavailableError(`This instance is busy with ${this.db.lockPoolSize} conversations at once; send the message again in a moment.`, 2));
      }, Math.max(0, deadline - Date.now()));
      this.waiting.push(take);
    });
  }

  private unslot(): void {
    this.holders--;
    this.waiting.shift()?.();
  }
}

/** Whether `p` settles before `deadline` (ms since the epoch). */
async function settlesBefore(p: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => { timer = setTimeout(() => r(false), Math.max(0, deadline - Date.now())); });
  try {
    return await Promise.race([p.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}
