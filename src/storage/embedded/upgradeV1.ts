import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';

import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../../logger.js';
import { StoreFormatError } from '../errors.js';
import type { CaseRecord } from '../../cases/types.js';
import type { EmbeddedStateStore } from './state.js';
import type { EmbeddedCaseStore } from './cases.js';
import type { EmbeddedTranscriptStore } from './transcripts.js';
import type { EmbeddedFeedbackStore } from './feedback.js';
import type { EmbeddedDirectLineStore } from './directLine.js';
import { CaseRecordSchema } from './cases.js';

/** The single-file layout of DATA_DIR before the embedded stores became append-only (version 1). */
const V1 = {
  'state.json': z.object({ items: z.record(z.string(), z.object({ value: z.record(z.string(), z.unknown()), eTag: z.string().optional() }).passthrough()) }).passthrough(),
  'cases.json': z.object({ cases: z.record(z.string(), CaseRecordSchema) }).passthrough(),
  'transcripts.json': z.object({ channels: z.record(z.string(), z.record(z.string(), z.object({ created: z.string(), activities: z.array(z.record(z.string(), z.unknown())) }))) }).passthrough(),
  'directline.json': z.object({ conversations: z.record(z.string(), z.object({ id: z.string(), userId: z.string(), activities: z.array(z.record(z.string(), z.unknown())) }).passthrough()) }).passthrough(),
  'feedback.json': z.object({ feedback: z.array(z.object({ at: z.string(), channelId: z.string(), conversationId: z.string(), solved: z.boolean(), topic: z.string().optional(), rating: z.number().optional() })) }).passthrough(),
} as const;
type V1Name = keyof typeof V1;

interface Targets {
  state: EmbeddedStateStore;
  cases: EmbeddedCaseStore;
  transcripts: EmbeddedTranscriptStore;
  feedback: EmbeddedFeedbackStore;
  directLine: EmbeddedDirectLineStore;
}

/** The version-1 files found in a folder, read and shape-checked. */
export type V1Data = Partial<{ [K in V1Name]: z.infer<(typeof V1)[K]> }>;

/**
 * Reads every version-1 file there is and checks its shape (a wrong one throws, naming the file
 * and field); nothing is changed. Undefined when the folder holds none.
 */
export function readV1(dataDir: string): V1Data | undefined {
  const found: V1Data = {};
  for (const name of Object.keys(V1) as V1Name[]) {
    const path = join(dataDir, name);
    if (!existsSync(path)) continue;
    let json: unknown;
    try { json = JSON.parse(readFileSync(path, 'utf8')); } catch (e) { throw new StoreFormatError(path, `is not valid JSON (${(e as Error).message})`); }
    const r = V1[name].safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new StoreFormatError(path, `has the wrong shape at "${issue.path.join('.') || '(top level)'}": ${issue.message}`);
    }
    (found as Record<string, unknown>)[name] = r.data;
  }
  return Object.keys(found).length > 0 ? found : undefined;
}

/** Copies checked version-1 data into the new stores, then moves the old files to `v1-backup/`. */
export async function upgradeFromV1(dataDir: string, found: V1Data, to: Targets, logger?: Logger): Promise<void> {
  const counts: Record<string, number> = {};
  const skipped: string[] = [];
  // one item this build cannot carry over (nested too deep to copy, a shape the new store refuses)
  // is left in the backup and named in the log: it never stops the rest, nor the start-up
  const carry = async (what: string, id: string, copy: () => Promise<unknown>) => {
    try {
      await copy();
      counts[what] = (counts[what] ?? 0) + 1;
    } catch (err) {
      skipped.push(`${what} ${id.slice(0, 80)}`);
      logger?.error({ what, id: id.slice(0, 80), reason: (err as Error).message.slice(0, 200) }, 'an old stored item could not be carried over; it stays in v1-backup/');
    }
  };
  const safe = <T>(item: T): T => {
    if (deeperThan(MAX_ITEM_DEPTH, item)) throw new Error(`nested more than ${MAX_ITEM_DEPTH} levels deep`);
    return item;
  };
  for (const [key, item] of Object.entries(found['state.json']?.items ?? {})) {
    await carry('state', key, () => to.state.write({ [key]: { ...safe(item.value) } }));
  }
  for (const record of Object.values(found['cases.json']?.cases ?? {})) {
    await carry('cases', record.number, () => to.cases.importRecord(safe(record) as unknown as CaseRecord));
  }
  for (const [channelId, channel] of Object.entries(found['transcripts.json']?.channels ?? {})) {
    for (const [conversationId, t] of Object.entries(channel)) {
      for (const [i, a] of t.activities.entries()) await carry('transcriptActivities', `${channelId}/${conversationId}#${i}`, () => to.transcripts.logActivity(safe(a) as unknown as Activity));
    }
  }
  for (const c of Object.values(found['directline.json']?.conversations ?? {})) {
    // a conversation keeps every activity that can be carried; one too deep is dropped from it
    const activities = c.activities.filter((a) => !deeperThan(MAX_ITEM_DEPTH, a));
    if (activities.length < c.activities.length) skipped.push(`directline activities of ${c.id.slice(0, 80)}: ${c.activities.length - activities.length}`);
    await carry('directLineConversations', c.id, () => to.directLine.create(c.id, c.userId, activities as Partial<Activity>[]));
  }
  for (const e of found['feedback.json']?.feedback ?? []) {
    await carry('feedback', `${e.channelId}/${e.conversationId}`, () => to.feedback.record(e));
  }
  await Promise.all([to.cases.flush(), to.transcripts.flush(), to.feedback.flush(), to.directLine.flush()]);
  const backup = join(dataDir, 'v1-backup');
  mkdirSync(backup, { recursive: true, mode: 0o700 });
  for (const name of Object.keys(found)) renameSync(join(dataDir, name), join(backup, name));
  if (skipped.length) logger?.error({ skipped }, `${skipped.length} old stored item(s) could not be carried over; they stay in v1-backup/`);
  logger?.info({ counts, backup }, 'carried the data folder over to the append-only layout; the old files are in v1-backup/');
}

/** Deepest nesting an item may have to be copied (the HTTP edge refuses more than 32 today). */
const MAX_ITEM_DEPTH = 64;

/** True when `value` nests objects or arrays more than `max` levels deep (checked without recursion). */
export function deeperThan(max: number, value: unknown): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d >= max) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push([x, d + 1]);
  }
  return false;
}
