/**
 * A signed-in desk session. The browser holds a random token in an HttpOnly cookie; the store
 * keeps only its SHA-256 (`id`), so a copy of the store does not let anyone sign in.
 */
export interface DeskSession {
  /** SHA-256 (hex) of the session token. */
  id: string;
  username: string;
  /** Sent back by the page in `x-csrf-token` on every state-changing request. */
  csrfToken: string;
  createdAt: string;
  /** Absolute end of the session (ISO). */
  expiresAt: string;
  /** Last time the page was seen (requests, the event stream's heartbeat): "signed in" means recently seen. */
  lastSeen: string;
}

/**
 * Desk sessions, shared by every instance, so signing out or an expiry holds everywhere at once:
 * every request looks its session up here. Writes resolve once durable.
 */
export interface DeskSessionStore {
  create(session: DeskSession): Promise<void>;
  get(id: string): Promise<DeskSession | undefined>;
  /** Moves `lastSeen` forward (never back). */
  touch(id: string, at: string): Promise<void>;
  /** Signs one session out; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Signs a person out everywhere (account removed, password changed); returns how many sessions went. */
  deleteUser(username: string): Promise<number>;
  /** Sessions not expired at `now` and seen since `seenSince`. */
  active(seenSince: string, now: string): Promise<DeskSession[]>;
  /** Drops sessions expired before `now`; returns how many went. */
  purgeExpired(now: string): Promise<number>;
}
