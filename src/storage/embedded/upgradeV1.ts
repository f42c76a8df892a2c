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
  for (const [key, item] of Object.entries(found['state.json']?.items ?? {})) {
    await to.state.write({ [key]: { ...item.value } });
    counts.state = (counts.state ?? 0) + 1;
  }
  for (const record of Object.values(found['cases.json']?.cases ?? {})) {
    await to.cases.importRecord(record as unknown as CaseRecord);
    counts.cases = (counts.cases ?? 0) + 1;
  }
  for (const channel of Object.values(found['transcripts.json']?.channels ?? {})) {
    for (const t of Object.values(channel)) {
      for (const a of t.activities) await to.transcripts.logActivity(a as unknown as Activity);
      counts.transcriptActivities = (counts.transcriptActivities ?? 0) + t.activities.length;
    }
  }
  for (const c of Object.values(found['directline.json']?.conversations ?? {})) {
    await to.directLine.create(c.id, c.userId, c.activities as Partial<Activity>[]);
    counts.directLineConversations = (counts.directLineConversations ?? 0) + 1;
  }
  for (const e of found['feedback.json']?.feedback ?? []) {
    await to.feedback.record(e);
    counts.feedback = (counts.feedback ?? 0) + 1;
  }
  await Promise.all([to.cases.flush(), to.transcripts.flush(), to.feedback.flush(), to.directLine.flush()]);
  const backup = join(dataDir, 'v1-backup');
  mkdirSync(backup, { recursive: true, mode: 0o700 });
  for (const name of Object.keys(found)) renameSync(join(dataDir, name), join(backup, name));
  logger?.info({ counts, backup }, 'carried the data folder over to the append-only layout; the old files are in v1-backup/');
}
