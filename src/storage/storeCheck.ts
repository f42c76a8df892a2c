import type { StoreHealth, Stores } from './stores.js';

/** What liveness shows of the stores: the last check, never a wait for a new one. */
export interface LastStoreCheck {
  backend: Stores['backend'];
  /** `null` until the first check has answered. */
  ok: boolean | null;
  reason?: string;
  checkedSecondsAgo?: number;
}

/**
 * The stores' health for the two probes. Readiness (`now`) checks and waits, so a load balancer
 * stops sending traffic to an instance that lost its database. Liveness (`latest`) never waits
 * for the database (a probe with a short timeout would restart an instance whose only problem is
 * the database): it shows the last answer and starts a new check in the background once that is
 * older than `maxAgeMs`. One check runs at a time.
 */
export class StoreCheck {
  private last?: { at: number; health: StoreHealth };
  private running?: Promise<StoreHealth>;

  constructor(private readonly stores: Pick<Stores, 'check' | 'backend'>, private readonly maxAgeMs = 10_000) {
    if (!stores) throw new Error('[StoreCheck]: Missing parameter. stores is required');
    this.background();
  }

  /** Checks now and waits for the answer (readiness). */
  now(): Promise<StoreHealth> {
    return (this.running ??= this.stores.check()
      .then((health) => { this.last = { at: Date.now(), health }; return health; })
      .finally(() => { this.running = undefined; }));
  }

  /** The last answer, at once (liveness). */
  latest(): LastStoreCheck {
    if (!this.last || Date.now() - this.last.at > this.maxAgeMs) this.background();
    if (!this.last) return { backend: this.stores.backend, ok: null };
    const { health, at } = this.last;
    return { backend: health.backend, ok: health.ok, ...(health.reason ? { reason: health.reason } : {}), checkedSecondsAgo: Math.round((Date.now() - at) / 1000) };
  }

  private background(): void {
    this.now().catch(() => undefined);
  }
}
