import type { Activity, PagedResult, TranscriptInfo, TranscriptStore } from 'botbuilder';
import type { Low } from 'lowdb';
import { openJsonFile } from '../storage/jsonFile.js';
import { redactActivity } from '../privacy/redact.js';

/** An activity as kept on disk: redacted, with an ISO timestamp. */
type StoredActivity = Omit<Partial<Activity>, 'timestamp'> & { timestamp: string };
interface StoredTranscript { created: string; activities: StoredActivity[] }
interface TranscriptsFile { channels: Record<string, Record<string, StoredTranscript>> }

/**
 * botbuilder `TranscriptStore` on a lowdb JSON file (`DATA_DIR/transcripts.json`), paging like
 * botbuilder's `MemoryTranscriptStore` (pages of `pageSize`, the continuation token is the id of
 * the last item of the previous page). Every activity is redacted before it is kept, so the
 * file never holds a password, PIN, card number, SSN or security answer.
 */
export class LowdbTranscriptStore implements TranscriptStore {
  static pageSize = 20;
  private scheduled?: Promise<void>;

  private constructor(private readonly db: Low<TranscriptsFile>, readonly path: string) {}

  /** Opens (or creates) the file; a corrupt file throws `StoreFileError` and is left untouched. */
  static async open(path: string): Promise<LowdbTranscriptStore> {
    if (!path) throw new Error('[LowdbTranscriptStore]: Missing parameter. path is required');
    return new LowdbTranscriptStore(await openJsonFile<TranscriptsFile>(path, { channels: {} }), path);
  }

  /** Keeps a redacted copy at once (so the next turn sees it) and writes the file soon after. */
  logActivity(activity: Activity): Promise<void> {
    if (!activity) throw new Error('[LowdbTranscriptStore]: activity cannot be null for logActivity()');
    const channelId = activity.channelId, conversationId = activity.conversation?.id;
    if (!channelId || !conversationId) throw new Error('[LowdbTranscriptStore]: the activity has no channelId or conversation.id');
    const stored = JSON.parse(JSON.stringify(redactActivity({ ...activity, timestamp: isoTime(activity.timestamp) }))) as StoredActivity;
    const channel = own(this.db.data.channels, channelId) ?? define(this.db.data.channels, channelId, {});
    const transcript = own(channel, conversationId) ?? define(channel, conversationId, { created: stored.timestamp, activities: [] });
    transcript.activities.push(stored);
    return this.persist();
  }

  async getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string, startDate?: Date): Promise<PagedResult<Activity>> {
    if (!channelId) throw new Error('Missing channelId');
    if (!conversationId) throw new Error('Missing conversationId');
    const transcript = own(own(this.db.data.channels, channelId), conversationId);
    const from = startDate ? startDate.toISOString() : undefined;
    const all = (transcript?.activities ?? [])
      .map((a, i) => ({ a, i }))
      .sort((x, y) => Date.parse(x.a.timestamp) - Date.parse(y.a.timestamp) || x.i - y.i)
      .map(({ a }) => a)
      .filter((a) => !from || a.timestamp >= from);
    return page(all, continuationToken, (a) => a.id, toActivity);
  }

  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    if (!channelId) throw new Error('Missing channelId');
    const infos = Object.entries(own(this.db.data.channels, channelId) ?? {})
      .map(([id, t]) => ({ channelId, id, created: new Date(t.created) }))
      .sort((a, b) => a.created.getTime() - b.created.getTime());
    return page(infos, continuationToken, (t) => t.id, (t) => t);
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    if (!channelId) throw new Error('Missing channelId');
    if (!conversationId) throw new Error('Missing conversationId');
    const channel = own(this.db.data.channels, channelId);
    if (!channel || !own(channel, conversationId)) return;
    delete channel[conversationId];
    if (Object.keys(channel).length === 0) delete this.db.data.channels[channelId];
    await this.persist();
  }

  /**
   * Retention: drops every activity older than `cutoff`, and conversations left empty.
   * Returns how many activities went.
   */
  async purgeOlderThan(cutoff: Date): Promise<number> {
    const limit = cutoff.getTime();
    let removed = 0;
    for (const [channelId, channel] of Object.entries(this.db.data.channels)) {
      for (const [conversationId, t] of Object.entries(channel)) {
        const kept = t.activities.filter((a) => Date.parse(a.timestamp) >= limit);
        removed += t.activities.length - kept.length;
        if (kept.length === 0) delete channel[conversationId];
        else if (kept.length !== t.activities.length) { t.activities = kept; t.created = kept[0].timestamp; }
      }
      if (Object.keys(channel).length === 0) delete this.db.data.channels[channelId];
    }
    if (removed > 0) await this.persist();
    return removed;
  }

  /** Waits until everything logged so far is on disk (used at shutdown and in tests). */
  async flush(): Promise<void> {
    await this.scheduled;
    await this.db.write();
  }

  /**
   * Writes once for all activities logged in the same tick (a turn logs its activities in a
   * loop); lowdb's writer queues overlapping writes, and each file is written then renamed.
   */
  private persist(): Promise<void> {
    return (this.scheduled ??= new Promise<void>((r) => setImmediate(r)).then(() => {
      this.scheduled = undefined;
      return this.db.write();
    }));
  }
}

/** A page after the item whose key is `token` (the item itself excluded), as `MemoryTranscriptStore` does. */
function page<T, R>(items: T[], token: string | undefined, key: (t: T) => string | undefined, map: (t: T) => R): PagedResult<R> {
  const size = LowdbTranscriptStore.pageSize;
  const start = token ? items.findIndex((t) => key(t) === token) + 1 : 0;
  const slice = token && start === 0 ? [] : items.slice(start, start + size);
  return {
    items: slice.map(map),
    continuationToken: slice.length === size ? key(slice[slice.length - 1]) : undefined,
  } as PagedResult<R>;
}

/**
 * Channel and conversation ids come from the wire: `obj[id]` with an id like `__proto__` or
 * `constructor` would read (and `??=` write into) Object.prototype, polluting every object in the
 * process. Only own properties are read, and new ones are defined, never assigned.
 */
function own<T>(obj: Record<string, T> | undefined, key: string): T | undefined {
  return obj && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function define<T>(obj: Record<string, T>, key: string, value: T): T {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  return value;
}

function toActivity(a: StoredActivity): Activity {
  return { ...structuredClone(a), timestamp: new Date(a.timestamp) } as Activity;
}

function isoTime(t: unknown): string {
  const d = t instanceof Date ? t : typeof t === 'string' || typeof t === 'number' ? new Date(t) : new Date();
  return Number.isNaN(d.getTime()) ? new Date().toISOString() : d.toISOString();
}
