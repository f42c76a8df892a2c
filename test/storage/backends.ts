import type { Stores, StoreOptions } from '../../src/storage/stores.js';

/** An empty place for stores (a temp DATA_DIR, a fresh database schema); each `open` opens the same data. */
export interface Place {
  open(options?: StoreOptions): Promise<Stores>;
  /** Where it is, for messages. */
  describe: string;
}

/** A backend under test: makes fresh places. */
export interface Backend {
  name: 'embedded' | 'postgres';
  fresh(): Promise<Place>;
  /** True when one place may be open twice at once (several instances on one database). */
  sharedByInstances: boolean;
}

/** A clock tests move by hand. */
export function manualClock(start = Date.parse('2026-03-01T09:00:00.000Z')): { now: () => Date; advance(ms: number): void; set(t: number): void } {
  let t = start;
  return { now: () => new Date(t), advance: (ms) => { t += ms; }, set: (v) => { t = v; } };
}
