import { readFileSync } from 'node:fs';
import { CORE_SCHEMA, load } from 'js-yaml';
import type { z } from 'zod';

/** Error raised for a content file that does not validate; the message names the file and key. */
export class ContentError extends Error {
  constructor(file: string, key: string, problem: string) {
    super(`${file}: ${key}: ${problem}`);
    this.name = 'ContentError';
  }
}

/**
 * Reads a YAML file staff edit and validates it against `schema`; any problem becomes a
 * `ContentError` naming the file and the key, so start-up and tests say exactly what to fix.
 */
export function readYamlFile<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  // js-yaml reads the content about 4x faster than `yaml` (which stays for editing files with their
  // comments kept, src/review/export.ts); YAML 1.2's core schema, as `yaml` reads it: dates stay text
  try { raw = load(readFileSync(file, 'utf8'), { schema: CORE_SCHEMA }); } catch (e) { throw new ContentError(file, '(yaml)', (e as Error).message.split('\n')[0]); }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ContentError(file, i.path.join('.') || '(root)', i.message);
  }
  return r.data;
}
