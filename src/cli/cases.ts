/**
 * `npm run -s cases -- list [--status S] [--limit N] [--cursor CS-…]`, `show <number>`,
 * `export --since <date>`: support staff read cases and transcripts in DATA_DIR without HTTP.
 * `export` prints one JSON object per line (the case and its redacted transcript).
 * It only reads (beside a running server too): a missing store means no cases, and nothing is created.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import { eraseCustomer, exportCustomer } from '../privacy/customerData.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { parseCaseNumber } from '../cases/caseNumber.js';
import { caseView } from '../cases/caseRecords.js';
import { CASE_STATUSES, type CaseRecord, type CaseStatus } from '../cases/types.js';
import { openStores } from '../storage/index.js';
import type { TranscriptStore } from '../storage/transcriptStore.js';
import { readWholeTranscript, transcriptLines } from '../transcripts/transcripts.js';

const USAGE = `usage: npm run -s cases -- list [--status ${CASE_STATUSES.join('|')}] [--limit N] [--cursor CS-XXXX-XXXX]
       npm run -s cases -- show <case number>
       npm run -s cases -- export --since <date, e.g. 2026-11-01>
       npm run -s cases -- export-customer <channelId> <userId>
       npm run -s cases -- forget <channelId> <userId>`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { status: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' }, since: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) throw new UsageError('');
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  // reading needs no lock (it works beside a running server); customer data rights write (audit, erasure)
  const writes = command === 'export-customer' || command === 'forget';
  const stores = await openStores({ ...config, readOnly: !writes }, createLogger(config.logLevel, process.stderr));
  const { cases, transcripts } = stores;
  const where = existsSync(config.dataDir) ? config.dataDir : 'the store';
  const out = (line: string) => process.stdout.write(line + '\n');

  switch (command) {
    case 'list': {
      if (rest.length) throw new UsageError(`unexpected "${rest[0]}"`);
      if (values.status && !(CASE_STATUSES as readonly string[]).includes(values.status)) throw new UsageError(`--status must be one of ${CASE_STATUSES.join(', ')}`);
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be a whole number from 1 to 500');
      const cursor = values.cursor === undefined ? undefined : number(values.cursor);
      const page = await cases.list({ status: values.status as CaseStatus | undefined, limit, cursor });
      for (const c of page.cases) out([c.number, c.status.padEnd(8), c.createdAt, c.channelId, c.intent, c.team ?? '-', oneLine(c.summary)].join('\t'));
      if (page.nextCursor) out(`… more: --cursor ${page.nextCursor}`);
      return;
    }
    case 'show': {
      if (rest.length !== 1) throw new UsageError('show takes one case number');
      const c = await cases.get(number(rest[0]));
      if (!c) throw new Error(`There is no case ${number(rest[0])} in ${where}.`);
      out(JSON.stringify(await withTranscript(c, transcripts), null, 2));
      return;
    }
    case 'export': {
      if (rest.length) throw new UsageError(`unexpected "${rest[0]}"`);
      if (!values.since) throw new UsageError('export needs --since <date>');
      const since = new Date(values.since);
      if (Number.isNaN(since.getTime())) throw new UsageError(`--since "${values.since}" is not a date (use e.g. 2026-11-01 or 2026-11-01T09:00:00Z)`);
      let cursor: string | undefined;
      const all: CaseRecord[] = [];
      do {
        const page = await cases.list({ limit: 500, cursor });
        all.push(...page.cases);
        cursor = page.nextCursor;
      } while (cursor);
      // oldest first, so an export reads like a log
      for (const c of all.filter((x) => Date.parse(x.createdAt) >= since.getTime()).reverse()) out(JSON.stringify(await withTranscript(c, transcripts)));
      return;
    }
    case 'export-customer':
    case 'forget': {
      if (rest.length !== 2) throw new UsageError(`${command} takes a channel id and a user id`);
      const [channelId, userId] = rest;
      const actor = `cli:${userInfo().username}`;
      if (command === 'export-customer') {
        const data = await exportCustomer(stores, channelId, userId);
        await stores.audit.record({ actor, action: 'customer.export', target: `${channelId}/${userId}`, detail: { conversations: data.conversations.length, cases: data.cases.length } });
        out(JSON.stringify(data, null, 2));
      } else {
        const erased = await eraseCustomer(stores, channelId, userId);
        await stores.audit.record({ actor, action: 'customer.erase', target: `${channelId}/${userId}`, detail: { ...erased } });
        out(JSON.stringify({ channelId, userId, erased }));
      }
      await stores.close();
      return;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

function number(input: string): string {
  const p = parseCaseNumber(input);
  if (!p.ok) throw new UsageError(`"${input}": ${p.message}`);
  return p.number;
}

async function withTranscript(c: CaseRecord, transcripts: TranscriptStore) {
  const activities = await readWholeTranscript(transcripts, c.channelId, c.conversationId);
  return { ...caseView(c), transcript: transcriptLines(activities) };
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').slice(0, 80);

main(process.argv.slice(2)).catch((err: Error) => {
  if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    if (err.message) process.stderr.write(`cases: ${err.message}\n`);
    process.stderr.write(USAGE + '\n');
    process.exit(2);
  }
  process.stderr.write(`cases: ${err.message}\n`);
  process.exit(1);
});
