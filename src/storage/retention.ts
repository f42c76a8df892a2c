import type { Logger } from '../logger.js';
import type { Stores } from './stores.js';

export interface RetentionOptions {
  /** Keep this many days (`TRANSCRIPT_RETENTION_DAYS`). */
  days: number;
  logger?: Logger;
  /** The clock (moved in tests). */
  now?: () => Date;
  /** How often to purge; six hours by default. */
  intervalMs?: number;
}

/**
 * The one retention job: transcripts, conversation state, feedback, ended hand-offs and outcome events (by
 * when their conversation started) older than `days` go, now
 * and then every `intervalMs`, on a timer that never keeps the process alive. Cases are separate
 * records and keep their summary. A failure is logged and retried at the next run.
 */
export function startRetention(stores: Pick<Stores, 'state' | 'transcripts' | 'feedback'> & Partial<Pick<Stores, 'handoffs' | 'outcomes'>>, options: RetentionOptions): { stop(): void; runOnce(): Promise<Record<string, number>> } {
  if (!(options.days > 0)) throw new Error('[startRetention]: days must be a positive number');
  const now = options.now ?? (() => new Date());
  const parts: Record<string, { purgeOlderThan(cutoff: Date): Promise<number> }> = { transcripts: stores.transcripts, 'conversation state': stores.state, feedback: stores.feedback };
  // ended hand-offs (who took a chat, when): kept as long as the conversations they were about
  const handoffs = stores.handoffs;
  if (handoffs) parts['hand-offs'] = { purgeOlderThan: (cutoff) => handoffs.purgeEndedBefore(cutoff) };
  if (stores.outcomes) parts['outcome events'] = stores.outcomes;
  const purge = async () => {
    const cutoff = new Date(now().getTime() - options.days * 86_400_000);
    const removed: Record<string, number> = {};
    for (const [what, store] of Object.entries(parts)) {
      try {
        removed[what] = await store.purgeOlderThan(cutoff);
        if (removed[what] > 0) options.logger?.info({ removed: removed[what], days: options.days }, `${what} purged`);
      } catch (err) {
        removed[what] = 0;
        options.logger?.error({ err }, `${what} purge failed`);
      }
    }
    return removed;
  };
  // runs never overlap: one that is asked for while another goes waits for it
  let last: Promise<unknown> = Promise.resolve();
  const runOnce = (): Promise<Record<string, number>> => {
    const run = last.then(purge, purge);
    last = run;
    return run;
  };
  void runOnce();
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 6 * 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer), runOnce };
}
