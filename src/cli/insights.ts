/**
 * `npm run -s insights -- --from 2026-03-01 --to 2026-03-31 [--channel directline] [--tz Europe/Madrid] [--csv]`:
 * the same figures as `GET /api/insights`, from the configured store (DATA_DIR or DATABASE_URL),
 * as JSON or CSV. It only reads, beside a running server too. A bad range exits 2 with the reason.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { openStores } from '../storage/index.js';
import { insightsFor } from '../insights/routes.js';
import { insightsCsv } from '../insights/csv.js';
import { BadRangeError } from '../insights/range.js';

const USAGE = 'usage: npm run -s insights -- [--from DATE|TIME] [--to DATE|TIME] [--channel ID] [--tz ZONE] [--csv]\n'
  + '  dates are whole days (to included), e.g. --from 2026-03-01 --to 2026-03-31; without them, the last 30 days';

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv, strict: true,
      options: { from: { type: 'string' }, to: { type: 'string' }, channel: { type: 'string' }, tz: { type: 'string' }, csv: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) { process.stdout.write(USAGE + '\n'); return; }
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const stores = await openStores({ ...config, readOnly: true }, createLogger(config.logLevel, process.stderr));
  try {
    const insights = await insightsFor(stores.outcomes, { from: values.from, to: values.to, channel: values.channel, tz: values.tz });
    process.stdout.write(values.csv ? insightsCsv(insights) : JSON.stringify(insights, null, 2) + '\n');
  } catch (err) {
    if (err instanceof BadRangeError) throw new UsageError(err.message);
    throw err;
  } finally {
    await stores.close();
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  if (err instanceof UsageError) {
    process.stderr.write(`insights: ${err.message}\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`insights: ${err.message}\n`);
  process.exit(1);
});
