/**
 * Errors every backend throws with the same meaning. The HTTP edge answers
 * `StoreUnavailableError` with 503 and its reason (a lost database, a full disk, a busy
 * conversation); the process keeps running and serves again when the cause goes away.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, readonly retryAfterSeconds = 5, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** The conversation stayed busy (another turn, maybe on another instance) longer than the lock's wait limit. */
export class ConversationBusyError extends StoreUnavailableError {
  constructor(waitedMs: number) {
    super(`This conversation is still busy with an earlier message (waited ${Math.round(waitedMs / 1000)} s); send it again in a moment.`, 2);
    this.name = 'ConversationBusyError';
  }
}

/** A conditional write lost to another writer: the item changed since it was read. */
export class StateConflictError extends Error {
  constructor(readonly key: string) {
    super(`State conflict on "${key.slice(0, 200)}": it was changed by another turn since it was read; nothing was written.`);
    this.name = 'StateConflictError';
  }
}

/** Stored data this build cannot use: a corrupt file, a wrong shape, an unknown schema version. Start-up refuses. */
export class StoreFormatError extends Error {
  constructor(readonly where: string, reason: string) {
    super(`${where}: ${reason}. It was left untouched; fix or move it away.`);
    this.name = 'StoreFormatError';
  }
}
