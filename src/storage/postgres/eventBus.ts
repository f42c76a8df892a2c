import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../logger.js';
import { MAX_EVENT_BYTES, type EventBus } from '../eventBus.js';
import { unavailableReason, type Db } from './db.js';

interface Subscriber { listener: (payload: unknown) => void; onResync?: () => void }

/** Reconnection waits grow from 100 ms to 5 s; a live connection is checked every 10 s. */
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5000;
const HEARTBEAT_MS = 10_000;

/** PostgreSQL's NOTIFY payload limit is 8,000 bytes. */
const MAX_NOTIFY_BYTES = 7999;

/**
 * The notification channel of a schema: instances on one schema hear each other, deployments in
 * other schemas of the same database do not.
 */
export function channelOf(schema: string): string {
  const name = `support-bot:${schema}`;
  // channel names are identifiers: at most 63 bytes
  return Buffer.byteLength(name) <= 63 ? name : `support-bot:${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}

/**
 * SQL for a notification on `channelParam` whose topic is `topicParam` and whose payload is the
 * SQL JSON expression `payloadSql` (for stores that notify in the statement that writes).
 */
export function notifySql(channelParam: string, topicParam: string, payloadSql: string): string {
  return `pg_notify(${channelParam}, json_build_object('t', ${topicParam}::text, 'p', ${payloadSql})::text)`;
}

/**
 * The event bus on LISTEN/NOTIFY. Publishing is a NOTIFY on the query pool; hearing is one
 * dedicated connection per instance, which reconnects on its own with back-off after the
 * database goes away and then calls every subscriber's `onResync` (notifications sent while it
 * was away are lost; the stores stay the truth). Delivery order follows commit order.
 */
export class PostgresEventBus implements EventBus {
  private readonly topics = new Map<string, Set<Subscriber>>();
  private client?: pg.Client;
  private closed = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  readonly channel: string;

  constructor(private readonly db: Db, private readonly logger?: Logger) {
    this.channel = channelOf(db.schema);
  }

  /** Connects and listens; rejects (`StoreUnavailableError`) when the database cannot be reached. */
  async start(): Promise<void> {
    this.client = await this.connect();
    this.heartbeat = setInterval(() => void this.checkAlive(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    const json = JSON.stringify(payload) ?? 'null';
    const body = `{"t":${JSON.stringify(topic)},"p":${json}}`;
    if (Buffer.byteLength(json) > MAX_EVENT_BYTES || Buffer.byteLength(body) > MAX_NOTIFY_BYTES) {
      throw new RangeError(`[EventBus]: the payload for "${topic.slice(0, 60)}" is larger than ${MAX_EVENT_BYTES} bytes`);
    }
    await this.db.query('select pg_notify($1, $2)', [this.channel, body]);
  }

  subscribe(topic: string, listener: (payload: unknown) => void, onResync?: () => void): () => void {
    let set = this.topics.get(topic);
    if (!set) this.topics.set(topic, (set = new Set()));
    const sub: Subscriber = { listener, onResync };
    set.add(sub);
    return () => {
      set.delete(sub);
      if (set.size === 0 && this.topics.get(topic) === set) this.topics.delete(topic);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    this.topics.clear();
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client(this.db.clientConfig());
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (n) => { if (n.channel === this.channel && n.payload) this.deliver(n.payload); });
    try {
      await client.connect();
      await client.query(`listen "${this.channel.replaceAll('"', '""')}"`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw this.db.fail(err);
    }
    return client;
  }

  private deliver(raw: string): void {
    let message: { t?: unknown; p?: unknown };
    try { message = JSON.parse(raw); } catch { return; }
    const set = typeof message.t === 'string' ? this.topics.get(message.t) : undefined;
    if (!set) return;
    for (const sub of [...set]) {
      // each listener gets its own copy; one that throws does not stop the others
      try { sub.listener(structuredClone(message.p)); } catch (err) { this.logger?.error({ err }, 'event listener failed'); }
    }
  }

  /** The listening connection went away: reconnect in the background. */
  private lost(client: pg.Client, err?: Error): void {
    if (client !== this.client || this.closed) return;
    this.client = undefined;
    this.logger?.warn({ reason: err ? unavailableReason(err) ?? 'unexpected error' : 'the connection ended' }, 'event bus connection lost; reconnecting');
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const wait = this.retryMs * (0.75 + Math.random() / 2);
    // the reconnection handles its own failures (it schedules the next try), so the timer's promise is not awaited
    this.retryTimer = setTimeout(() => { void this.reconnect(); }, wait);
  }

  /** One try at listening again; a failure schedules the next, later each time. */
  private async reconnect(): Promise<void> {
    try {
      const client = await this.connect();
      if (this.closed) { await client.end().catch(() => undefined); return; }
      this.client = client;
      this.retryMs = RETRY_MIN_MS;
      this.logger?.info('event bus reconnected');
      this.resync();
    } catch {
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
      this.scheduleReconnect();
    }
  }

  /** Every subscriber may have missed notifications: it re-reads what it needs. */
  private resync(): void {
    for (const set of this.topics.values()) {
      for (const sub of [...set]) {
        try { sub.onResync?.(); } catch (err) { this.logger?.error({ err }, 'event resync listener failed'); }
      }
    }
  }

  /** A silently dropped connection (no reset ever arrives) is noticed by a query that does not come back. */
  private async checkAlive(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try { await client.query('select 1'); } catch (err) { this.lost(client, err as Error); }
  }
}
