import type { Low } from 'lowdb';
import { openJsonFile } from '../storage/jsonFile.js';

/** What a customer said when leaving: solved or not, and an optional 1–5 rating. */
export interface FeedbackEntry {
  at: string;
  channelId: string;
  conversationId: string;
  /** The topic of the conversation, if there was one. */
  topic?: string;
  solved: boolean;
  rating?: number;
}

/** Where goodbye answers are kept for the analytics that will read them later. */
export interface FeedbackStore {
  record(entry: FeedbackEntry): Promise<void>;
  list(): Promise<FeedbackEntry[]>;
}

/** In-memory feedback, for tests. */
export class MemoryFeedbackStore implements FeedbackStore {
  private readonly entries: FeedbackEntry[] = [];
  async record(entry: FeedbackEntry): Promise<void> { this.entries.push(structuredClone(entry)); }
  async list(): Promise<FeedbackEntry[]> { return structuredClone(this.entries); }
}

/** Feedback in a lowdb JSON file in DATA_DIR (`feedback.json`). */
export class LowdbFeedbackStore implements FeedbackStore {
  private constructor(private readonly db: Low<{ feedback: FeedbackEntry[] }>) {}

  static async open(path: string): Promise<LowdbFeedbackStore> {
    return new LowdbFeedbackStore(await openJsonFile(path, { feedback: [] as FeedbackEntry[] }));
  }

  async record(entry: FeedbackEntry): Promise<void> {
    this.db.data.feedback.push(structuredClone(entry));
    await this.db.write();
  }

  async list(): Promise<FeedbackEntry[]> { return structuredClone(this.db.data.feedback); }
}
