import { mkdirSync, existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';

/** A store file that exists but cannot be used; the server refuses to start rather than overwrite it. */
export class StoreFileError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`Store file ${path} is unreadable: ${reason}. Fix or move it away; it was left untouched.`);
    this.name = 'StoreFileError';
  }
}

/**
 * Opens a lowdb JSON file (created with `defaults` when absent). lowdb's file adapter writes to a
 * temporary file and renames it, so a crash mid-write leaves the previous good file, and it
 * queues writes so concurrent callers never interleave.
 */
export async function openJsonFile<T extends object>(path: string, defaults: T): Promise<Low<T>> {
  mkdirSync(dirname(path), { recursive: true });
  if (existsSync(path)) {
    let text: string;
    try { text = readFileSync(path, 'utf8'); } catch (e) { throw new StoreFileError(path, (e as Error).message); }
    try {
      const parsed = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('top level is not a JSON object');
    } catch (e) { throw new StoreFileError(path, `not valid JSON (${(e as Error).message})`); }
  }
  // compact JSON: these files are rewritten on every turn, and pretty-printing them was most of
  // a turn's CPU time once they grew (bench:http); `jq .` formats them for a person
  const db = new Low<T>(new DataFile<T>(path, { parse: JSON.parse, stringify: (data) => JSON.stringify(data) }), defaults);
  await db.read();
  db.data = { ...defaults, ...db.data };
  return db;
}
