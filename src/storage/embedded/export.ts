import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { pino } from 'pino';
import type { CarryOverSource } from '../carryOver.js';
import { StoreFormatError } from '../errors.js';
import { folderOwner, openEmbeddedStores, type EmbeddedStores } from './index.js';

/** Far enough on either side of any stored time. */
const BEGINNING = new Date(0), END = new Date('9999-12-31T00:00:00Z');

/**
 * Opens the embedded store in `dataDir` to be carried over whole (`db:import`), read-only: nothing
 * in the folder is created, changed or moved. Stricter than the server, which moves one bad
 * record aside and starts: here any record that cannot be used refuses the whole copy with
 * `StoreFormatError` (the file and the reason), so nothing is left behind unnoticed. Refuses
 * too while a server holds the folder (what it writes meanwhile would be missed).
 */
export async function openEmbeddedExport(dataDir: string): Promise<CarryOverSource> {
  if (!existsSync(join(dataDir, 'meta.json'))) throw new StoreFormatError(dataDir, 'holds no embedded store (no meta.json)');
  const owner = folderOwner(dataDir);
  if (owner) throw new StoreFormatError(dataDir, `is in use by a running support-bot (pid ${owner}); stop it first, so that nothing it writes meanwhile is missed`);
  if (existsSync(join(dataDir, 'queue.jsonl'))) throw new StoreFormatError(join(dataDir, 'queue.jsonl'), 'is a hand-off queue of an earlier build: start the server on this folder once to carry it over, then try again');
  // the embedded stores log a record they cannot use (and skip it, read-only); here that refuses
  const unusable: string[] = [];
  const logger = pino({ level: 'error' }, {
    write(line: string) {
      try {
        const e = JSON.parse(line) as { file?: string; reason?: string; lines?: number; msg?: string };
        unusable.push(`${e.file ?? dataDir}: ${e.reason ?? (e.lines ? `${e.lines} line(s) are not valid records` : e.msg ?? 'unusable')}`);
      } catch { unusable.push(`${dataDir}: ${line.trim()}`); }
    },
  });
  const stores = await openEmbeddedStores(dataDir, { readOnly: true, logger });
  if (unusable.length > 0) {
    await stores.close();
    const [first] = unusable;
    const at = first.lastIndexOf(': ');
    throw new StoreFormatError(first.slice(0, at), `holds a record that cannot be used (${first.slice(at + 2)})${unusable.length > 1 ? `; ${unusable.length - 1} more problem(s): ${unusable.slice(1, 4).join('; ')}` : ''}`);
  }
  return new EmbeddedExport(stores, dataDir);
}

/** `CarryOverSource` over the embedded stores opened read-only. */
class EmbeddedExport implements CarryOverSource {
  constructor(private readonly stores: EmbeddedStores, private readonly dataDir: string) {}

  state() { return this.stores.state.exportAll(); }

  async *cases() {
    let cursor: string | undefined;
    do {
      const page = await this.stores.cases.list({ limit: 500, cursor });
      yield* page.cases;
      cursor = page.nextCursor;
    } while (cursor);
  }

  async *transcripts() {
    for await (const t of this.stores.transcripts.exportAll()) yield { ...t, activities: t.activities as Array<Partial<Activity> & { timestamp: string }> };
  }

  async *feedback() { yield* await this.stores.feedback.list(); }

  async *directLine() {
    for await (const { conversation, activities } of this.stores.directLine.exportAll()) {
      yield { conversation, activities: activities.map(({ id: _positional, ...rest }) => rest) };
    }
  }

  async *handoffs() { yield* this.stores.handoffs.all(); }
  async *staff() { yield* await this.stores.staff.list(); }
  async *deskSessions() { yield* this.stores.deskSessions.all(); }
  async *audit() { yield* this.stores.audit.all(); }
  async *outcomes() { yield* await this.stores.outcomes.list({ from: BEGINNING, to: END }); }

  async reviewLabels() {
    return { revision: await this.stores.reviewLabels.revision(), labels: await this.stores.reviewLabels.list() };
  }

  async sharedSecrets(): Promise<Record<string, string>> {
    const path = join(this.dataDir, 'secrets.json');
    if (!existsSync(path)) return {};
    let all: unknown;
    try { all = JSON.parse(readFileSync(path, 'utf8')); } catch (e) { throw new StoreFormatError(path, `is not valid JSON (${(e as Error).message})`); }
    if (!all || typeof all !== 'object' || Array.isArray(all) || Object.values(all).some((v) => typeof v !== 'string')) throw new StoreFormatError(path, 'is not an object of names to strings');
    return all as Record<string, string>;
  }

  close() { return this.stores.close(); }
}
