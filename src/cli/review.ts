/**
 * The review labels from the terminal, reading the configured store (DATA_DIR or DATABASE_URL):
 *
 *   npm run -s review -- list                 every label: intent, language, who, when, phrasing
 *   npm run -s review -- export [--dry-run]   writes the labelled phrasings into intents/*.yml
 *                                             (intents/<language>/ for other languages)
 *
 * Export keeps the files' comments and layout and skips what is already there, so it can run
 * again; review the change (`git diff intents/`), run `npm run -s evaluate`, and commit it.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openStores } from '../storage/index.js';
import { TrainingData } from '../review/labelling.js';
import { exportLabels } from '../review/export.js';

const USAGE = `usage: npm run -s review -- list
       npm run -s review -- export [--dry-run] [--intents DIR]`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { 'dry-run': { type: 'boolean' }, intents: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help) { process.stdout.write(USAGE + '\n'); return; }
  if (!command) throw new UsageError('name a command');
  if (rest.length) throw new UsageError(`unexpected "${rest[0]}"`);
  if (command !== 'list' && command !== 'export') throw new UsageError(`unknown command "${command}"`);
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const stores = await openStores({ ...config, readOnly: true }, createLogger(config.logLevel, process.stderr));
  const out = (line: string) => process.stdout.write(line + '\n');
  try {
    const labels = await stores.reviewLabels.list();
    if (command === 'list') {
      for (const l of labels) out([l.intent, l.language, l.by, l.at, l.text].join('\t'));
      out(`${labels.length} label${labels.length === 1 ? '' : 's'}`);
      return;
    }
    const training = new TrainingData(resolve(values.intents ?? config.intentsDir));
    const r = exportLabels(labels, training, { dryRun: values['dry-run'], note: 'from the review queue (npm run -s review -- export)' });
    for (const a of r.added) out(`${values['dry-run'] ? 'would add' : 'added'} ${a.examples.length} to ${a.file}`);
    for (const s of r.skipped) out(`skipped "${s.text}" (${s.intent}): ${s.reason}`);
    const n = r.added.reduce((k, a) => k + a.examples.length, 0);
    out(`${n} phrasing${n === 1 ? '' : 's'} ${values['dry-run'] ? 'would be ' : ''}written, ${r.skipped.length} skipped${n && !values['dry-run'] ? '; check with npm run -s lint-intents and npm run -s evaluate, then commit' : ''}`);
  } finally {
    await stores.close();
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  if (err instanceof UsageError) {
    process.stderr.write(`review: ${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`review: ${err.message}\n`);
  process.exit(1);
});
