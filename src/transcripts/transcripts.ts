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
