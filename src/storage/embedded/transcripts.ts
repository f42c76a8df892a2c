import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Activity, PagedResult, TranscriptInfo } from 'botbuilder';
import { z } from 'zod';
import { TRANSCRIPT_PAGE_SIZE, type TranscriptStore } from '../transcriptStore.js';
import { redactActivity } from '../../privacy/redact.js';
import { customerId } from '../../cases/visibility.js';
import type { Logger } from '../../logger.js';
import { StoreFormatError } from '../errors.js';
import { Journal } from './journal.js';
import { AppendLogs } from './appendLog.js';
import { diskError, keyPath, writeFileDurably } from './files.js';

const Ref = z.object({ c: z.string(), v: z.string() });
const IndexLine = z.union([
  z.object({ n: Ref.extend({ t: z.string() }) }),
  z.object({ u: Ref.extend({ id: z.string() }) }),
  z.object({ d: Ref }),
]);
type Line = z.infer<typeof IndexLine>;
interface Info { channelId: string; conversationId: string; created: string; users: string[] }

const keyOf = (channelId: string, conversationId: string) => `${channelId}\u0000${conversationId}`;

/**
 * Transcripts on the embedded backend: one append-only file per conversation
 * (`transcripts/ab/<hash>.jsonl`, one redacted activity per line) and a small index journal of
 * the conversations, their channel, start and writers. Logging an activity appends one line, so
 * it costs the same however long the history is; reading pages by line position.
 */
export class EmbeddedTranscriptStore implements TranscriptStore {
  private readonly index = new Map<string, Info>();
  private readonly logs = new AppendLogs();
  private journal!: Journal<Line>;

  private constructor(private readonly dir: string) {}

  static async open(dir: string, logger?: Logger, readOnly = false): Promise<EmbeddedTranscriptStore> {
    const store = new EmbeddedTranscriptStore(dir);
    store.journal = await Journal.open<Line>(join(dir, 'index.jsonl'), { what: 'transcript index', parse: (v) => IndexLine.parse(v), logger, readOnly }, (r) => store.apply(r));
    return store;
  }

  logActivity(activity: Activity): Promise<void> {
    if (!activity) throw new Error('[TranscriptStore]: activity cannot be null for logActivity()');
    const channelId = activity.channelId, conversationId = activity.conversation?.id;
    if (!channelId || !conversationId) throw new Error('[TranscriptStore]: the activity has no channelId or conversation.id');
    const stored = { ...redactActivity({ ...activity }), timestamp: isoTime(activity.timestamp) };
    const key = keyOf(channelId, conversationId);
    const writes: Array<Promise<void>> = [];
    let info = this.index.get(key);
    if (!info) {
      const line: Line = { n: { c: channelId, v: conversationId, t: stored.timestamp } };
      this.apply(line);
      info = this.index.get(key)!;
      writes.push(this.journal.append(line));
    }
    const writer = activity.from?.role !== 'bot' ? customerId(activity) : undefined;
    if (writer && !info.users.includes(writer)) {
      const line: Line = { u: { c: channelId, v: conversationId, id: writer } };
      this.apply(line);
      writes.push(this.journal.append(line));
    }
    writes.push(this.logs.append(this.pathOf(channelId, conversationId), [JSON.stringify(stored)]));
    return Promise.all(writes).then(() => undefined, (err) => { throw diskError('the transcript', err); });
  }

  async getTranscriptActivities(channelId: string, conversationId: string, continuationToken?: string, startDate?: Date): Promise<PagedResult<Activity>> {
    if (!channelId) throw new Error('Missing channelId');
    if (!conversationId) throw new Error('Missing conversationId');
    if (continuationToken !== undefined && continuationToken !== '' && !/^\d{1,9}$/.test(continuationToken)) return { items: [], continuationToken: undefined } as unknown as PagedResult<Activity>;
    const after = continuationToken ? Number(continuationToken) : -1;
    const from = startDate ? startDate.toISOString() : undefined;
    const lines = (await this.logs.read(this.pathOf(channelId, conversationId))) ?? [];
    const items: Activity[] = [];
    let last = -1, more = false;
    for (let i = after + 1; i < lines.length; i++) {
      const a = parseLine(lines[i]);
      if (!a || (from && a.timestamp < from)) continue;
      if (items.length === TRANSCRIPT_PAGE_SIZE) { more = true; break; }
      items.push({ ...a, timestamp: new Date(a.timestamp) } as unknown as Activity);
      last = i;
    }
    return { items, continuationToken: more ? String(last) : undefined } as unknown as PagedResult<Activity>;
  }

  async listTranscripts(channelId: string, continuationToken?: string): Promise<PagedResult<TranscriptInfo>> {
    if (!channelId) throw new Error('Missing channelId');
    const all = [...this.index.values()].filter((i) => i.channelId === channelId)
      .sort((a, b) => a.created.localeCompare(b.created) || a.conversationId.localeCompare(b.conversationId));
    const start = continuationToken ? all.findIndex((i) => i.conversationId === continuationToken) + 1 : 0;
    const slice = continuationToken && start === 0 ? [] : all.slice(start, start + TRANSCRIPT_PAGE_SIZE);
    return {
      items: slice.map((i) => ({ channelId, id: i.conversationId, created: new Date(i.created) })),
      continuationToken: start + TRANSCRIPT_PAGE_SIZE < all.length ? slice.at(-1)?.conversationId : undefined,
    } as unknown as PagedResult<TranscriptInfo>;
  }

  async deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    if (!channelId) throw new Error('Missing channelId');
    if (!conversationId) throw new Error('Missing conversationId');
    if (!this.index.has(keyOf(channelId, conversationId))) return;
    const path = this.pathOf(channelId, conversationId);
    try {
      await this.logs.exclusive(path, () => unlink(path).catch((e) => { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }));
      const line: Line = { d: { c: channelId, v: conversationId } };
      await this.journal.append(line);
      this.apply(line);
      // the index's earlier lines name the conversation and its writers: rewritten without them
      await this.compact();
    } catch (err) {
      throw diskError('the transcript', err);
    }
  }

  async conversationsOf(channelId: string, userId: string): Promise<string[]> {
    return [...this.index.values()].filter((i) => i.channelId === channelId && i.users.includes(userId)).map((i) => i.conversationId);
  }

  /**
   * Only conversations that started before the cutoff can hold older activities, so only those
   * files are read; a conversation left empty is deleted, one partly old is rewritten.
   */
  async purgeOlderThan(cutoff: Date): Promise<number> {
    const limit = cutoff.toISOString();
    let removed = 0;
    for (const info of [...this.index.values()]) {
      if (info.created >= limit) continue;
      const path = this.pathOf(info.channelId, info.conversationId);
      const kept = await this.logs.exclusive(path, async () => {
        const lines = (await this.logs.read(path)) ?? [];
        const keep = lines.filter((l) => (parseLine(l)?.timestamp ?? '') >= limit);
        removed += lines.length - keep.length;
        if (keep.length === 0) await unlink(path).catch(() => undefined);
        else if (keep.length < lines.length) await writeFileDurably(path, keep.join('\n') + '\n');
        return keep;
      });
      const line: Line = kept.length === 0
        ? { d: { c: info.channelId, v: info.conversationId } }
        : { n: { c: info.channelId, v: info.conversationId, t: parseLine(kept[0])!.timestamp } };
      await this.journal.append(line);
      this.apply(line);
    }
    if (this.journal.bytes > 1024 * 1024 && this.journal.bytes > 4 * this.index.size * 150) await this.compact();
    return removed;
  }

  /**
   * Every conversation with its activities as stored, oldest conversation first (`db:import`). A
   * line that is not a stored activity throws `StoreFormatError` (a page read would skip it); a
   * torn last line (a crash mid-write, never acknowledged) is left out, as everywhere.
   */
  async *exportAll(): AsyncGenerator<{ channelId: string; conversationId: string; created: string; activities: Array<Record<string, unknown> & { timestamp: string }> }> {
    const all = [...this.index.values()].sort((a, b) => a.created.localeCompare(b.created) || a.channelId.localeCompare(b.channelId) || a.conversationId.localeCompare(b.conversationId));
    for (const info of all) {
      const path = this.pathOf(info.channelId, info.conversationId);
      const lines = (await this.logs.read(path)) ?? [];
      const activities = lines.map((line, i) => {
        const a = parseLine(line);
        if (!a) throw new StoreFormatError(path, `line ${i + 1} is not a stored activity (not JSON, or no timestamp)`);
        return a;
      });
      yield { channelId: info.channelId, conversationId: info.conversationId, created: info.created, activities };
    }
  }

  async flush(): Promise<void> { await this.logs.flushAll(); await this.journal.flushAll(); }
  async close(): Promise<void> { await this.logs.flushAll(); await this.journal.close(); }

  private async compact(): Promise<void> {
    const lines: Line[] = [];
    for (const i of this.index.values()) {
      lines.push({ n: { c: i.channelId, v: i.conversationId, t: i.created } });
      for (const id of i.users) lines.push({ u: { c: i.channelId, v: i.conversationId, id } });
    }
    await this.journal.compact(lines);
  }

  private apply(line: Line): void {
    if ('n' in line) {
      const key = keyOf(line.n.c, line.n.v);
      const existing = this.index.get(key);
      if (existing) existing.created = line.n.t;
      else this.index.set(key, { channelId: line.n.c, conversationId: line.n.v, created: line.n.t, users: [] });
    } else if ('u' in line) {
      const info = this.index.get(keyOf(line.u.c, line.u.v));
      if (info && !info.users.includes(line.u.id)) info.users.push(line.u.id);
    } else {
      this.index.delete(keyOf(line.d.c, line.d.v));
    }
  }

  private pathOf(channelId: string, conversationId: string): string {
    return keyPath(this.dir, keyOf(channelId, conversationId), '.jsonl');
  }
}

function parseLine(line: string): (Record<string, unknown> & { timestamp: string }) | undefined {
  try {
    const a = JSON.parse(line);
    return a && typeof a === 'object' && typeof a.timestamp === 'string' ? a : undefined;
  } catch {
    return undefined;
  }
}

function isoTime(t: unknown): string {
  const d = t instanceof Date ? t : typeof t === 'string' || typeof t === 'number' ? new Date(t) : new Date();
  return Number.isNaN(d.getTime()) ? new Date().toISOString() : d.toISOString();
}
