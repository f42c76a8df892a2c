import type { Activity } from 'botbuilder';
import type { Low } from 'lowdb';
import { openJsonFile } from '../storage/jsonFile.js';
import { redactActivity } from '../privacy/redact.js';

/** One Direct Line conversation: who it belongs to and what was said, in order. */
export interface StoredConversation {
  id: string;
  /** The only user whose token may read or post here. */
  userId: string;
  createdAt: string;
  /** Last time anything happened, ms since the epoch (idle conversations expire). */
  lastActive: number;
  /** Index the next activity gets; also the watermark after the last one. */
  next: number;
  /** The most recent activities (older ones are dropped past the per-conversation bound). */
  activities: Partial<Activity>[];
}

interface StoreFile { conversations: Record<string, StoredConversation> }

/** An activity set pushed to stream listeners, in the Direct Line `ActivitySet` shape. */
export interface ActivitySet { activities: Partial<Activity>[]; watermark?: string }

export interface ConversationStoreOptions {
  /** Most activities kept per conversation (the oldest go first). */
  maxActivities?: number;
  /** A conversation untouched this long is deleted. */
  idleMs?: number;
  /** Most conversations kept; past it the least recently active one goes (bounds the file whatever clients do). */
  maxConversations?: number;
  now?: () => number;
  /** Told when writing the file fails (the in-memory copy stays authoritative; the next write retries). */
  onWriteError?: (err: unknown) => void;
}

/**
 * The Direct Line conversations and their activity lists, with watermarks. Kept in memory and,
 * when opened on a file, written there (coalesced) so history survives a restart. Listeners
 * (open WebSockets) get every new activity as it is appended.
 */
export class ConversationStore {
  private readonly listeners = new Map<string, Set<(set: ActivitySet) => void>>();
  private readonly maxActivities: number;
  private readonly idleMs: number;
  private readonly maxConversations: number;
  private readonly now: () => number;
  private readonly onWriteError: (err: unknown) => void;
  private writeTimer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly data: StoreFile, private readonly db: Low<StoreFile> | undefined, opts: ConversationStoreOptions) {
    this.maxActivities = opts.maxActivities ?? 500;
    this.idleMs = opts.idleMs ?? 24 * 3600 * 1000;
    this.maxConversations = opts.maxConversations ?? 5000;
    this.now = opts.now ?? Date.now;
    this.onWriteError = opts.onWriteError ?? (() => undefined);
  }

  /** A store persisted in the JSON file at `path` (created when absent). */
  static async open(path: string, opts: ConversationStoreOptions = {}): Promise<ConversationStore> {
    const db = await openJsonFile<StoreFile>(path, { conversations: {} });
    const store = new ConversationStore(db.data, db, opts);
    store.purgeIdle();
    store.redactStoredCustomerActivities();
    return store;
  }

  /** A store that lives only in memory (tests, tools). */
  static inMemory(opts: ConversationStoreOptions = {}): ConversationStore {
    return new ConversationStore({ conversations: {} }, undefined, opts);
  }

  get(id: string): StoredConversation | undefined {
    return Object.hasOwn(this.data.conversations, id) ? this.data.conversations[id] : undefined;
  }

  /** Creates the conversation if it does not exist; returns it and whether it is new. */
  ensure(id: string, userId: string): { conversation: StoredConversation; created: boolean } {
    const existing = this.get(id);
    if (existing) return { conversation: existing, created: false };
    this.evictBeyond(this.maxConversations - 1);
    const conversation: StoredConversation = { id, userId, createdAt: new Date(this.now()).toISOString(), lastActive: this.now(), next: 0, activities: [] };
    this.data.conversations[id] = conversation;
    this.scheduleWrite();
    return { conversation, created: true };
  }

  /**
   * Appends an activity: it gets the id `<conversationId>|<seq>` and a server timestamp, is kept
   * (bounded) and pushed to listeners. Returns the stored copy.
   */
  append(id: string, activity: Partial<Activity>): Partial<Activity> {
    const c = this.get(id);
    if (!c) throw new Error(`[ConversationStore]: no conversation ${id}`);
    const seq = c.next++;
    const stored = JSON.parse(JSON.stringify({ ...activity, id: `${id}|${String(seq).padStart(7, '0')}`, timestamp: new Date(this.now()).toISOString() })) as Partial<Activity>;
    c.activities.push(stored);
    if (c.activities.length > this.maxActivities) c.activities.splice(0, c.activities.length - this.maxActivities);
    c.lastActive = this.now();
    this.scheduleWrite();
    this.emit(id, { activities: [stored], watermark: String(c.next) });
    return stored;
  }

  /** Pushes an activity to listeners only (typing indicators are not history). */
  publishEphemeral(id: string, activity: Partial<Activity>): void {
    const c = this.get(id);
    if (c) this.emit(id, { activities: [activity], watermark: String(c.next) });
  }

  /** Activities after `watermark` (all when empty), and the watermark to send next time. */
  since(id: string, watermark: string | undefined): ActivitySet {
    const c = this.get(id);
    if (!c) return { activities: [], watermark: '0' };
    const w = Number.parseInt(watermark ?? '', 10);
    const from = Number.isFinite(w) && w > 0 ? w : 0;
    const firstKept = c.next - c.activities.length;
    const activities = c.activities.slice(Math.max(0, from - firstKept));
    c.lastActive = this.now();
    return { activities, watermark: String(c.next) };
  }

  /** Calls `listener` with every activity appended to conversation `id`; returns an unsubscribe. */
  subscribe(id: string, listener: (set: ActivitySet) => void): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(id) === set) this.listeners.delete(id);
    };
  }

  /** Deletes conversations idle for longer than the idle limit; returns how many went. */
  purgeIdle(): number {
    const cutoff = this.now() - this.idleMs;
    let n = 0;
    for (const [id, c] of Object.entries(this.data.conversations)) {
      if (c.lastActive < cutoff && !this.listeners.has(id)) { delete this.data.conversations[id]; n++; }
    }
    if (n) this.scheduleWrite();
    return n;
  }

  // Files written before customer messages were redacted on arrival (see DirectLineService.post)
  // may still hold a typed secret: it is redacted once, at start-up, and written back.
  private redactStoredCustomerActivities(): void {
    let changed = false;
    for (const c of Object.values(this.data.conversations)) {
      c.activities = c.activities.map((a) => {
        if (a.from?.role !== 'user') return a;
        const r = redactActivity(a);
        if (JSON.stringify(r) !== JSON.stringify(a)) changed = true;
        return r;
      });
    }
    if (changed) this.scheduleWrite();
  }

  // Drops the least recently active conversations until at most `keep` remain.
  private evictBeyond(keep: number): void {
    const all = Object.values(this.data.conversations);
    if (all.length <= keep) return;
    all.sort((x, y) => x.lastActive - y.lastActive);
    for (const c of all.slice(0, all.length - keep)) delete this.data.conversations[c.id];
  }

  /** Writes pending changes now. */
  async flush(): Promise<void> {
    if (this.writeTimer) { clearTimeout(this.writeTimer); this.writeTimer = undefined; this.write(); }
    await this.writing;
  }

  private emit(id: string, set: ActivitySet): void {
    for (const l of this.listeners.get(id) ?? []) {
      try { l(set); } catch { /* a broken listener (closed socket) must not stop the others */ }
    }
  }

  // Coalesces bursts (a turn appends several activities) into one file write.
  private scheduleWrite(): void {
    if (!this.db || this.writeTimer) return;
    this.writeTimer = setTimeout(() => { this.writeTimer = undefined; this.write(); }, 50);
    this.writeTimer.unref();
  }

  private write(): void {
    const db = this.db;
    if (!db) return;
    this.writing = this.writing.then(() => db.write()).catch((err) => this.onWriteError(err));
  }
}
