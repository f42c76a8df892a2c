/**
 * Turns of one conversation run one at a time, on every instance sharing the store: two
 * messages of one conversation must never read and write its dialog state at the same time.
 * A task waits at most the configured time for the conversation; then `run` rejects with
 * `ConversationBusyError` and the task does not run.
 */
export interface ConversationLock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}
