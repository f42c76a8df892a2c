import type { Activity, TranscriptLogger, TranscriptStore } from 'botbuilder';
import type { Logger } from '../logger.js';

/** Every activity of one conversation, through the `TranscriptStore` paging (any implementation). */
export async function readWholeTranscript(store: TranscriptStore, channelId: string, conversationId: string): Promise<Activity[]> {
  const out: Activity[] = [];
  let token: string | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = await store.getTranscriptActivities(channelId, conversationId, token);
    out.push(...page.items);
    token = page.continuationToken;
    if (!token) break;
  }
  return out;
}

/** What staff see of an activity: who (by role), what, when. */
export interface TranscriptLine { type: string; from: { id?: string; name?: string; role?: string }; text?: string; timestamp: string; name?: string }

/** Message activities (and hand-off events) reduced to what staff need. */
export function transcriptLines(activities: Activity[]): TranscriptLine[] {
  return activities
    .filter((a) => a.type === 'message' || (a.type === 'event' && typeof a.name === 'string' && a.name.startsWith('handoff.')))
    .map((a) => ({
      type: a.type,
      ...(a.name ? { name: a.name } : {}),
      from: { id: a.from?.id, name: a.from?.name, role: a.from?.role },
      text: a.text,
      timestamp: new Date(a.timestamp ?? 0).toISOString(),
    }));
}

export interface Purgeable { purgeOlderThan(cutoff: Date): Promise<number> }

export interface RetentionOptions {
  days: number;
  logger?: Logger;
  /** The clock (injected in tests). */
  now?: () => Date;
  /** How often to purge; six hours by default. */
  intervalMs?: number;
  /** What is purged, for the log line (default `transcripts`). */
  what?: string;
}

/**
 * Purges transcripts older than `days` now and then on a timer that never keeps the process
 * alive. Cases are separate records and keep their summary. Returns a stop function.
 */
export function startRetention(store: Purgeable, options: RetentionOptions): { stop(): void; runOnce(): Promise<number> } {
  if (!(options.days > 0)) throw new Error('[startRetention]: days must be a positive number');
  const now = options.now ?? (() => new Date());
  const runOnce = async () => {
    try {
      const removed = await store.purgeOlderThan(new Date(now().getTime() - options.days * 86_400_000));
      if (removed > 0) options.logger?.info({ removed, days: options.days }, `${options.what ?? 'transcripts'} purged`);
      return removed;
    } catch (err) {
      options.logger?.error({ err }, `${options.what ?? 'transcripts'} purge failed`);
      return 0;
    }
  };
  void runOnce();
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 6 * 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer), runOnce };
}

/**
 * What `TranscriptLoggerMiddleware` writes to: the store, with the bot's own activities marked
 * `from.role: 'bot'` (the middleware marks only incoming ones, as `user` when missing) and
 * failures logged here rather than on the console; a failed write never breaks a turn.
 */
export function transcriptLogger(store: TranscriptLogger, logger?: Logger): TranscriptLogger {
  return {
    logActivity(activity: Activity): Promise<void> {
      const a = activity.from?.role ? activity : { ...activity, from: { ...activity.from, role: 'bot' } } as Activity;
      try {
        return Promise.resolve(store.logActivity(a)).catch((err: unknown) => { logger?.error({ err }, 'transcript write failed'); });
      } catch (err) {
        logger?.error({ err }, 'transcript write failed');
        return Promise.resolve();
      }
    },
  };
}
