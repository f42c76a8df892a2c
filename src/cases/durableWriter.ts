import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that, once `write()` resolves, the content survives a process crash and a
 * power cut: temporary file → fsync → rename over the old file → fsync of the directory.
 * A crash at any point leaves either the old file or the new one, never half of one.
 *
 * Writes are serialised and grouped: callers arriving while a write runs share the next one,
 * which snapshots the data when it starts and so includes every change made before it.
 */
export class DurableWriter {
  private running?: Promise<void>;
  private next?: Promise<void>;
  private readonly tmp: string;

  constructor(private readonly path: string, private readonly snapshot: () => string) {
    if (!path) throw new Error('[DurableWriter]: Missing parameter. path is required');
    this.tmp = join(dirname(path), `.${basename(path)}.tmp`);
  }

  /** Resolves once everything changed before this call is durably on disk. */
  write(): Promise<void> {
    if (!this.running) {
      this.running = this.writeNow().finally(() => { this.running = undefined; });
      return this.running;
    }
    return (this.next ??= this.running.catch(() => undefined).then(() => {
      this.next = undefined;
      return this.write();
    }));
  }

  private async writeNow(): Promise<void> {
    const data = this.snapshot();
    const file = await open(this.tmp, 'w');
    try {
      await file.writeFile(data, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(this.tmp, this.path);
    const dir = await open(dirname(this.path), 'r');
    try { await dir.sync(); } finally { await dir.close(); }
  }
}
