import { readdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import { z } from 'zod';
import { ContentError, readYamlFile } from '../content/yamlFile.js';

/** The intent names are a contract with analytics, tests and channels: never rename one. */
export const INTENTS = [
  'greeting', 'goodbye', 'help', 'login_help', 'forgot_username', 'password_reset', 'app_install', 'escalate',
  'case_status', 'billing', 'data_usage', 'plan_change', 'store_visit', 'international', 'business',
  'tech_support', 'cancel', 'none',
] as const;
export type IntentName = (typeof INTENTS)[number];

export function isIntentName(s: string): s is IntentName {
  return (INTENTS as readonly string[]).includes(s);
}

const IntentFile = z.object({
  intent: z.string(),
  description: z.string().optional(),
  examples: z.array(z.string().trim().min(1, 'empty example')).min(1, 'needs at least one example'),
});

export interface IntentDefinition { intent: IntentName; description?: string; examples: string[]; file: string }

export { ContentError };

/** Loads and validates `intents/*.yml` (one file per intent, named after it). */
export function loadIntents(dir: string): IntentDefinition[] {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new ContentError(dir, '(directory)', 'no intent files (*.yml) found');
  const defs: IntentDefinition[] = [];
  for (const f of files) {
    const file = join(dir, f);
    const data = readYamlFile(file, IntentFile);
    const name = basename(f).replace(/\.ya?ml$/, '');
    if (data.intent !== name) throw new ContentError(file, 'intent', `"${data.intent}" does not match the file name "${name}"`);
    if (!isIntentName(data.intent)) throw new ContentError(file, 'intent', `"${data.intent}" is not one of ${INTENTS.join(', ')}`);
    defs.push({ intent: data.intent, description: data.description, examples: data.examples, file });
  }
  return defs;
}
