/**
 * Small messages between instances (and within one): "conversation X has new activities",
 * "the queue changed". Delivery is at most once per subscriber and per instance; after a gap
 * (a lost database connection) every subscriber gets `onResync`, so readers re-read what they
 * need from the stores, which stay the source of truth.
 */
export interface EventBus {
  /** Payloads are small JSON values (at most 7,000 bytes serialised). */
  publish(topic: string, payload: unknown): Promise<void>;
  subscribe(topic: string, listener: (payload: unknown) => void, onResync?: () => void): () => void;
  close(): Promise<void>;
}

/** Largest serialised payload (PostgreSQL's NOTIFY takes 8,000 bytes with the topic). */
export const MAX_EVENT_BYTES = 7000;
