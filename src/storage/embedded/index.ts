import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { access, constants, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { StoreHealth, StoreOptions, Stores } from '../stores.js';
import { StoreFormatError } from '../errors.js';
import { EmbeddedStateStore } from './state.js';
import { EmbeddedCaseStore } from './cases.js';
import { EmbeddedTranscriptStore } from './transcripts.js';
import { EmbeddedFeedbackStore } from './feedback.js';
import { EmbeddedDirectLineStore } from './directLine.js';
import { InProcessBus, InProcessLock } from './coordination.js';
import { EmbeddedDeskSessionStore, EmbeddedHandoffStore, EmbeddedStaffStore } from './desk.js';
import { carryOverQueue } from './upgradeQueue.js';
import { writeFileDurably } from './files.js';
import { EmbeddedAuditLog } from './audit.js';
import { EmbeddedOutcomeStore } from './outcomes.js';
import { EmbeddedReviewLabelStore } from './reviewLabels.js';
import { readV1, upgradeFromV1 } from './upgradeV1.js';

/** The layout version of an embedded DATA_DIR this build reads and writes. */
export const EMBEDDED_SCHEMA = 2;

interface Meta { schema: number; createdAt: string }

const openDirs = new Set<string>();

/** The embedded backend's stores as what they are, for tools that read it whole (`db:import`). */
export interface EmbeddedStores extends Stores {
  readonly state: EmbeddedStateStore;
  readonly cases: EmbeddedCaseStore;
  readonly transcripts: EmbeddedTranscriptStore;
  readonly feedback: EmbeddedFeedbackStore;
  readonly directLine: EmbeddedDirectLineStore;
  readonly handoffs: EmbeddedHandoffStore;
  readonly staff: EmbeddedStaffStore;
  readonly deskSessions: EmbeddedDeskSessionStore;
  readonly audit: EmbeddedAuditLog;
  readonly outcomes: EmbeddedOutcomeStore;
  readonly reviewLabels: EmbeddedReviewLabelStore;
}

/**
 * Opens the embedded backend in `dataDir` (created when absent): no server, one process. Each
 * store keeps append-only files, so a turn costs the same however much history there is.
 * Refuses to start (changing nothing) when the folder is used by another live process, holds a
 * layout newer than this build, or holds files it cannot read.
 */
export async function openEmbeddedStores(dataDir: string, options: StoreOptions = {}): Promise<EmbeddedStores> {
  const now = options.now ?? (() => new Date());
  const logger = options.logger;
  const readOnly = options.readOnly ?? false;
  if (!readOnly) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const release = readOnly ? () => undefined : takeFolder(dataDir);
  try {
    const meta = await readMeta(dataDir);
    // a folder from before this layout is checked whole before anything is created or changed
    const v1 = meta.data ? undefined : readV1(dataDir);
    if (readOnly && v1) throw new StoreFormatError(dataDir, 'holds data in the old layout: start the server once to carry it over, then try again');
    const bus = new InProcessBus();
    const state = new EmbeddedStateStore(join(dataDir, 'state'), now, logger);
    const cases = await EmbeddedCaseStore.open(join(dataDir, 'cases.jsonl'), now, logger, readOnly);
    const transcripts = await EmbeddedTranscriptStore.open(join(dataDir, 'transcripts'), logger, readOnly);
    const feedback = await EmbeddedFeedbackStore.open(join(dataDir, 'feedback.jsonl'), logger, readOnly);
    const directLine = await EmbeddedDirectLineStore.open(join(dataDir, 'directline'), bus, now, logger, readOnly);
    const handoffs = await EmbeddedHandoffStore.open(join(dataDir, 'handoffs.jsonl'), logger, readOnly);
    const staff = await EmbeddedStaffStore.open(join(dataDir, 'staff.jsonl'), logger, readOnly);
    const deskSessions = await EmbeddedDeskSessionStore.open(join(dataDir, 'desk-sessions.jsonl'), logger, readOnly);
    // the queue of earlier builds (queue.jsonl) becomes waiting hand-offs, once
    if (!readOnly) await carryOverQueue(join(dataDir, 'queue.jsonl'), handoffs, logger);
    const audit = await EmbeddedAuditLog.open(join(dataDir, 'audit.jsonl'), now, logger, readOnly);
    const outcomes = await EmbeddedOutcomeStore.open(join(dataDir, 'outcomes'), logger, readOnly);
    const reviewLabels = await EmbeddedReviewLabelStore.open(join(dataDir, 'review-labels.jsonl'), logger, readOnly);
    const lock = new InProcessLock(options.lockWaitMs ?? 10_000);
    if (!meta.data && !readOnly) {
      // a DATA_DIR from before this layout (single JSON files) is carried over once, then kept aside
      if (v1) await upgradeFromV1(dataDir, v1, { state, cases, transcripts, feedback, directLine }, logger);
      meta.data = { schema: EMBEDDED_SCHEMA, createdAt: now().toISOString() };
      await meta.write();
    }
    const secretsFile = join(dataDir, 'secrets.json');
    const stores: EmbeddedStores = {
      backend: 'embedded', state, cases, transcripts, feedback, directLine, handoffs, staff, deskSessions, lock, bus, audit, outcomes, reviewLabels,
      async sharedSecret(name) {
        const all = existsSync(secretsFile) ? JSON.parse(await readFile(secretsFile, 'utf8')) as Record<string, string> : {};
        if (typeof all[name] === 'string' && all[name].length >= 32) return all[name];
        all[name] = randomBytes(32).toString('base64url');
        await writeFileDurably(secretsFile, JSON.stringify(all));
        return all[name];
      },
      async check(): Promise<StoreHealth> {
        const t0 = performance.now();
        try {
          await access(dataDir, constants.W_OK);
          return { backend: 'embedded', ok: true, ms: performance.now() - t0 };
        } catch {
          return { backend: 'embedded', ok: false, reason: 'The data folder is not writable.', ms: performance.now() - t0 };
        }
      },
      async flush() {
        await Promise.all([cases.flush(), transcripts.flush(), feedback.flush(), directLine.flush(), handoffs.flush(), staff.flush(), deskSessions.flush(), outcomes.flush()]);
      },
      async close() {
        await Promise.all([cases.close(), transcripts.close(), feedback.close(), directLine.close(), handoffs.close(), staff.close(), deskSessions.close(), audit.close(), outcomes.flush(), reviewLabels.close(), bus.close()]);
        release();
      },
    };
    const quarantined = cases.quarantined;
    if (quarantined) logger?.error({ quarantined }, 'some stored records were unusable and were moved to *.quarantine files');
    return stores;
  } catch (err) {
    release();
    throw err;
  }
}

/** lowdb keeps the folder's small metadata file (`meta.json`): the layout version. */
async function readMeta(dataDir: string): Promise<Low<Meta | null>> {
  const path = join(dataDir, 'meta.json');
  const db = new Low<Meta | null>(new JSONFile<Meta | null>(path), null);
  try { await db.read(); } catch (e) { throw new StoreFormatError(path, `is not valid JSON (${(e as Error).message})`); }
  const m = db.data;
  if (m !== null && (typeof m !== 'object' || typeof m.schema !== 'number')) throw new StoreFormatError(path, 'has no "schema" number');
  if (m && m.schema > EMBEDDED_SCHEMA) {
    throw new StoreFormatError(path, `says the data is in layout ${m.schema}, newer than this build knows (${EMBEDDED_SCHEMA}); run the newer build, or restore a backup`);
  }
  return db;
}

/**
 * One process per DATA_DIR: two would interleave their appends. A `LOCK` file holds the owner's
 * pid; a lock left by a process that is gone (kill -9) is taken over.
 */
function takeFolder(dataDir: string): () => void {
  const path = join(dataDir, 'LOCK');
  if (openDirs.has(path)) throw new StoreFormatError(dataDir, 'is already open in this process');
  const owner = folderOwner(dataDir);
  if (owner) {
    throw new StoreFormatError(dataDir, `is in use by another running support-bot (pid ${owner}); the embedded store serves one process — use PostgreSQL (DATABASE_URL) for several`);
  }
  writeFileSync(path, String(process.pid), { mode: 0o600 });
  openDirs.add(path);
  return () => {
    if (!openDirs.delete(path)) return;
    try { if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path); } catch { /* already gone */ }
  };
}

/** The pid of the live process that holds `dataDir` (a running server), if any. */
export function folderOwner(dataDir: string): number | undefined {
  const path = join(dataDir, 'LOCK');
  if (!existsSync(path)) return undefined;
  const pid = Number(readFileSync(path, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : undefined;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}
