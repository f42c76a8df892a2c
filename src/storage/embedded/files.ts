import { createHash } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StoreUnavailableError } from '../errors.js';

/**
 * Where the file of `key` lives under `dir`: a hash, so any id (Teams ids hold `:` and `;`, a
 * hostile one `../`) becomes a safe file name, spread over 256 sub-folders.
 */
export function keyPath(dir: string, key: string, ext: string): string {
  const h = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40);
  return join(dir, h.slice(0, 2), `${h}${ext}`);
}

const madeDirs = new Set<string>();
/** `mkdir -p`, remembered, so hot paths do not ask the file system again. */
export async function ensureDir(dir: string): Promise<void> {
  if (madeDirs.has(dir)) return;
  await mkdir(dir, { recursive: true });
  madeDirs.add(dir);
}

/**
 * Replaces `path` with `data` so that a crash at any moment leaves the old content or the new,
 * never half: temporary file → fsync → rename → fsync of the folder.
 */
export async function writeFileDurably(path: string, data: string | Buffer): Promise<void> {
  await ensureDir(dirname(path));
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const file = await open(tmp, 'w', 0o600);
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (err) {
    await file.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await file.close();
  await rename(tmp, path);
  await syncDir(dirname(path));
}

/** fsync of a folder: makes a rename or a new file in it durable. */
export async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try { await d.sync(); } finally { await d.close(); }
}

/** Appends to `path` (created when absent) and fsyncs before resolving. */
export async function appendDurably(path: string, data: string | Buffer): Promise<void> {
  await ensureDir(dirname(path));
  const file = await open(path, 'a', 0o600);
  try {
    await file.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    await file.datasync();
  } finally {
    await file.close();
  }
}

/** A disk problem as the service reports it: 503 with a reason an operator can act on. */
export function diskError(what: string, err: unknown): StoreUnavailableError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EROFS' ? 'the data folder is read-only' : code === 'EACCES' || code === 'EPERM' ? 'the data folder is not writable'
    : code === 'EMFILE' || code === 'ENFILE' ? 'too many files are open' : 'the data folder could not be written';
  return new StoreUnavailableError(`Could not save ${what}: ${why}. Nothing was changed; try again shortly.`, 10, { cause: err });
}
