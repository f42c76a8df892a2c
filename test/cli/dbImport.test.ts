import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity } from 'botbuilder';
import { openEmbeddedStores } from '../../src/storage/embedded/index.js';
import { openPostgresStores } from '../../src/storage/postgres/index.js';
import type { Stores } from '../../src/storage/stores.js';
import type { OutcomeEvent } from '../../src/storage/outcomeStore.js';
import { conversationStateKey } from '../../src/storage/stateStore.js';
import { adminPool, freshSchema, testServerUrl } from '../support/postgres.js';
import { input } from '../support/cases.js';
import { tempDir } from '../support/server.js';
import { tsx } from '../support/process.js';

interface Run { code: number | null; stdout: string; stderr: string }

/** `npm run db:import -- --from <dir>` as a real process, into `url`. */
function dbImport(dir: string, url: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, tsx('src/cli/dbImport.ts', '--from', dir), { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The "moved" and "already there" columns of the printed table, by store label. */
function table(stdout: string): Record<string, [number, number, number]> {
  const out: Record<string, [number, number, number]> = {};
  for (const line of stdout.split('\n')) {
    const m = /^(.+?)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(line);
    if (m) out[m[1].trim()] = [Number(m[2]), Number(m[3]), Number(m[4])];
  }
  return out;
}

/** Rows per table of the schema, and the migrations recorded: what "the database is unchanged" compares. */
async function snapshot(schema: string): Promise<Record<string, number>> {
  const pool = adminPool(await testServerUrl());
  const { rows } = await pool.query<{ table_name: string }>(`select table_name from information_schema.tables where table_schema = $1 order by 1`, [schema]);
  const out: Record<string, number> = {};
  for (const { table_name } of rows) out[table_name] = Number((await pool.query(`select count(*) as n from ${schema}.${table_name}`)).rows[0].n);
  return out;
}

const at = (m: number) => new Date(Date.UTC(2026, 10, 2, 9, m)).toISOString();
const bot = { id: 'bot', name: 'Bot', role: 'bot' };

/** Fills an embedded DATA_DIR through its stores with a bit of everything they hold; returns what a test looks up afterwards. */
async function fill(dir: string) {
  const s = await openEmbeddedStores(dir);
  try {
    const stateKey = conversationStateKey('emulator', 'conv-u1');
    await s.state.write({ [stateKey]: { dialogState: { stack: [{ id: 'main' }] }, turns: 3 }, 'emulator/users/u1': { language: 'es' } });
    const c1 = await s.cases.open(input('u1'));
    const c2 = await s.cases.open(input('u2', { contactMethod: 'callback' }));
    await s.cases.addNote(c1.number, { author: 'sam', text: 'called back' });
    for (let i = 0; i < 25; i++) {
      const from = i % 2 ? bot : { id: 'u1', name: 'Customer', role: 'user' };
      await s.transcripts.logActivity({ type: 'message', channelId: 'emulator', conversation: { id: 'conv-u1' }, from, recipient: bot, text: `line ${i} my password is hunter2`, timestamp: new Date(at(i)) } as unknown as Activity);
    }
    await s.transcripts.logActivity({ type: 'message', channelId: 'directline', conversation: { id: 'dl-1' }, from: { id: 'dl_u1', role: 'user' }, text: 'hi', timestamp: new Date(at(30)) } as unknown as Activity);
    await s.feedback.record({ at: at(40), channelId: 'emulator', conversationId: 'conv-u1', topic: 'login_help', solved: true, rating: 5 });
    await s.feedback.record({ at: at(41), channelId: 'emulator', conversationId: 'conv-u2', solved: false });
    await s.directLine.create('dl-1', 'dl_u1', [{ type: 'message', text: 'welcome', from: bot as Activity['from'] }]);
    await s.directLine.append('dl-1', { type: 'message', text: 'hi', from: { id: 'dl_u1' } as Activity['from'] });
    await s.directLine.append('dl-1', { type: 'message', text: `Your case number is ${c1.number}`, from: bot as Activity['from'] });
    await s.directLine.useTokenGeneration('dl-1', 2);
    await s.handoffs.request({ caseNumber: c1.number, channelId: 'emulator', conversationId: 'conv-u1', team: 'general', via: 'desk', at: at(45) });
    await s.handoffs.change(c1.number, { kind: 'accept', agent: { username: 'sam', displayName: 'Sam' } }, at(46));
    await s.handoffs.request({ caseNumber: c2.number, channelId: 'emulator', conversationId: 'conv-u2', team: 'technical', via: 'desk', at: at(47) });
    await s.staff.create({ username: 'sam', displayName: 'Sam', role: 'agent', teams: ['general'], passwordHash: 'scrypt$test', availability: 'available', createdAt: at(1), updatedAt: at(1) });
    await s.staff.create({ username: 'lee', displayName: 'Lee', role: 'supervisor', teams: ['general', 'technical'], passwordHash: 'scrypt$test2', availability: 'away', createdAt: at(2), updatedAt: at(2) });
    await s.deskSessions.create({ id: 'a'.repeat(64), username: 'sam', csrfToken: 'csrf', createdAt: at(3), expiresAt: '2099-01-01T00:00:00.000Z', lastSeen: at(4) });
    await s.audit.record({ actor: 'lee', action: 'case.update', target: c1.number, detail: { status: 'pending' } });
    await s.audit.record({ actor: 'admin-token', action: 'customer.export', target: 'emulator/u1' });
    const events: OutcomeEvent[] = [
      { id: 'e1', kind: 'conversation.started', at: at(0), started: at(0), channelId: 'emulator', conversationId: 'conv-u1' },
      { id: 'e2', kind: 'escalation', at: at(5), started: at(0), channelId: 'emulator', conversationId: 'conv-u1', caseNumber: c1.number, contactMethod: 'live_chat', team: 'general', intent: 'login_help' },
      { id: 'e3', kind: 'message', at: at(6), started: at(0), channelId: 'emulator', conversationId: 'conv-u1', reading: 'fallback', intent: 'none', text: 'blorp', guesses: [{ intent: 'billing', score: 0.2 }] },
    ];
    await s.outcomes.record(events);
    expect((await s.reviewLabels.add([{ messageId: 'e3', text: 'blorp', key: 'blorp', intent: 'billing', language: 'en', by: 'lee', at: at(50), channelId: 'emulator', conversationId: 'conv-u1' }])).ok).to.equal(true);
    const secret = await s.sharedSecret('directline-token-signing');
    return { stateKey, cases: [c1.number, c2.number], secret };
  } finally {
    await s.close();
  }
}

/** The same questions asked of any backend: after an import, PostgreSQL must answer as the folder did. */
async function answers(s: Stores, cases: string[], stateKey: string) {
  const strip = (items: Record<string, unknown>) => Object.fromEntries(Object.entries(items).map(([k, v]) => { const { eTag: _e, ...rest } = v as Record<string, unknown>; return [k, rest]; }));
  const pages: unknown[] = [];
  let token: string | undefined;
  do { const p = await s.transcripts.getTranscriptActivities('emulator', 'conv-u1', token); pages.push(p.items.map((a) => ({ ...a, timestamp: (a.timestamp as Date).toISOString() }))); token = p.continuationToken; } while (token);
  return {
    state: strip(await s.state.read([stateKey, 'emulator/users/u1', 'nope'])),
    cases: await Promise.all(cases.map((n) => s.cases.get(n))),
    byUser: (await s.cases.listByUser('emulator', 'u1')).map((c) => c.number),
    followUps: (await s.cases.followUps()).map((c) => c.number),
    transcript: pages,
    transcriptsOfUser: await s.transcripts.conversationsOf('emulator', 'u1'),
    listed: (await s.transcripts.listTranscripts('emulator')).items.map((i) => [i.id, new Date(i.created).toISOString()]),
    feedback: await s.feedback.list(),
    directLine: await s.directLine.since('dl-1', 0),
    dlConversation: await s.directLine.get('dl-1').then((c) => c && { ...c, lastActive: undefined }),
    superseded: await s.directLine.useTokenGeneration('dl-1', 1),
    waiting: await s.handoffs.waiting(),
    withSam: await s.handoffs.withAgent('sam'),
    staff: await s.staff.list(),
    session: await s.deskSessions.get('a'.repeat(64)),
    audit: await s.audit.list(),
    outcomes: await s.outcomes.list({ from: new Date(at(0)), to: new Date(at(59)) }),
    ofCase: await s.outcomes.ofCase(cases[0]),
    labels: await s.reviewLabels.list(),
    secret: await s.sharedSecret('directline-token-signing'),
  };
}

describe('npm run db:import: an embedded DATA_DIR into PostgreSQL', function () {
  this.timeout(120_000);

  it('copies every store, says how much per store, and PostgreSQL then answers as the folder did', async () => {
    const dir = join(tempDir('import-'), 'data');
    const { stateKey, cases } = await fill(dir);
    const { url } = await freshSchema();
    const run = await dbImport(dir, url);
    expect(run.code, run.stderr).to.equal(0);
    const t = table(run.stdout);
    // [found, moved, already there]
    expect(t).to.deep.include({
      'state items': [2, 2, 0], cases: [2, 2, 0], 'transcript activities': [26, 26, 0], 'feedback answers': [2, 2, 0],
      'web chat conversations': [1, 1, 0], 'hand-offs': [2, 2, 0], 'staff accounts': [2, 2, 0], 'desk sessions': [1, 1, 0],
      'audit entries': [2, 2, 0], 'outcome events': [3, 3, 0], 'review labels': [1, 1, 0], 'shared secrets': [1, 1, 0],
    });
    expect(run.stdout).to.not.include(url);

    const embedded = await openEmbeddedStores(dir, { readOnly: true });
    const pg = await openPostgresStores(url);
    try {
      const before = await answers(embedded, cases, stateKey);
      const after = await answers(pg, cases, stateKey);
      expect(after).to.deep.equal(before);
      // and they are what was stored, not two empty answers agreeing
      expect(after.cases[0]!.notes.map((n) => n.text)).to.deep.equal(['called back']);
      expect(after.transcript).to.have.length(2);
      expect(JSON.stringify(after.transcript)).to.include('[REDACTED').and.not.include('hunter2');
      expect(after.directLine.activities.map((a) => [a.id, a.text])).to.deep.equal([['dl-1|0000000', 'welcome'], ['dl-1|0000001', 'hi'], ['dl-1|0000002', `Your case number is ${cases[0]}`]]);
      expect(after.superseded).to.equal('superseded');
      expect(after.withSam.map((h) => h.caseNumber)).to.deep.equal([cases[0]]);
      expect(after.waiting.map((h) => h.caseNumber)).to.deep.equal([cases[1]]);
      expect(after.followUps).to.deep.equal([cases[1]]);
      expect(after.labels).to.have.length(1);
      expect(await pg.reviewLabels.revision()).to.be.greaterThan(0);
      // what the database goes on with: positions continue after the imported history, numbers stay unique
      const next = await pg.directLine.append('dl-1', { type: 'message', text: 'still here?' });
      expect(next.id).to.equal('dl-1|0000003');
      await pg.transcripts.logActivity({ type: 'message', channelId: 'emulator', conversation: { id: 'conv-u1' }, from: bot, text: 'later', timestamp: new Date(at(58)) } as unknown as Activity);
      let last: Activity[] = [], token: string | undefined;
      do { const p = await pg.transcripts.getTranscriptActivities('emulator', 'conv-u1', token); last = p.items; token = p.continuationToken; } while (token);
      expect(last.at(-1)!.text).to.equal('later');
    } finally {
      await Promise.all([embedded.close(), pg.close()]);
    }
  });

  it('moves nothing the second time, and leaves what the database changed since as it is', async () => {
    const dir = join(tempDir('import-'), 'data');
    const { cases, stateKey } = await fill(dir);
    const { url, schema } = await freshSchema();
    expect((await dbImport(dir, url)).code).to.equal(0);
    const pg = await openPostgresStores(url);
    try {
      // the database goes on living before the second run: those changes must survive it
      await pg.cases.updateStatus(cases[0], 'resolved');
      await pg.state.write({ [stateKey]: { turns: 99 } });
    } finally { await pg.close(); }
    const rows = await snapshot(schema);

    const again = await dbImport(dir, url);
    expect(again.code, again.stderr).to.equal(0);
    const t = table(again.stdout);
    for (const [store, [found, moved, present]] of Object.entries(t)) {
      expect(moved, store).to.equal(0);
      expect(present, store).to.equal(found);
    }
    expect(Object.keys(t)).to.have.length(12);
    expect(again.stdout).to.match(/nothing to move/);
    expect(await snapshot(schema)).to.deep.equal(rows);
    const check = await openPostgresStores(url);
    try {
      expect((await check.cases.get(cases[0]))!.status).to.equal('resolved');
      expect((await check.state.read([stateKey]))[stateKey].turns).to.equal(99);
    } finally { await check.close(); }
  });

  const corruptions: Array<[string, (dir: string) => string, RegExp]> = [
    ['a case line that is not JSON', (dir) => { appendFileSync(join(dir, 'cases.jsonl'), '{"case": {"number": \n'); return join(dir, 'cases.jsonl'); }, /JSON/],
    ['a case of the wrong shape', (dir) => { appendFileSync(join(dir, 'cases.jsonl'), '{"case":{"number":"CS-NOPE"}}\n'); return join(dir, 'cases.jsonl'); }, /number|invalid|Invalid/],
    ['a transcript line that is not an activity', (dir) => {
      const path = findFile(join(dir, 'transcripts'), (p, text) => p.endsWith('.jsonl') && !p.endsWith('index.jsonl') && text.includes('line 3'));
      const lines = readFileSync(path, 'utf8').split('\n');
      lines.splice(2, 0, 'garbage');
      writeFileSync(path, lines.join('\n'));
      return path;
    }, /line 3 is not a stored activity/],
    ['a conversation state file that is not JSON', (dir) => {
      const path = findFile(join(dir, 'state'), (p) => p.endsWith('.json'));
      writeFileSync(path, '{"k": "emulator/conv');
      return path;
    }, /not a stored conversation state/],
    ['a web chat history line that is not JSON', (dir) => {
      const path = findFile(join(dir, 'directline'), (p) => p.endsWith('.jsonl') && !p.endsWith('index.jsonl'));
      const lines = readFileSync(path, 'utf8').split('\n');
      lines.splice(2, 0, '{oops');
      writeFileSync(path, lines.join('\n'));
      return path;
    }, /line 3 is not a stored activity/],
    ['an outcome events file with a bad event', (dir) => {
      const path = findFile(join(dir, 'outcomes'), (p) => p.endsWith('.jsonl'));
      appendFileSync(path, '{"id":"x","kind":"rating","rating":11}\n');
      return path;
    }, /not valid records/],
    ['a shared secrets file that is not JSON', (dir) => { writeFileSync(join(dir, 'secrets.json'), '{"directline'); return join(dir, 'secrets.json'); }, /not valid JSON/],
  ];
  for (const [what, corrupt, reason] of corruptions) {
    it(`refuses ${what}, naming the file and the reason, and changes nothing in the database`, async () => {
      const dir = join(tempDir('import-'), 'data');
      await fill(dir);
      const { url, schema } = await freshSchema();
      const file = corrupt(dir);
      const untouched = readFileSync(file, 'utf8');
      const run = await dbImport(dir, url);
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.stderr).to.include(file).and.match(reason).and.match(/Nothing was written to the database/);
      expect(run.stdout).to.equal('');
      // not even the schema was created, and the folder is as it was
      expect(await snapshot(schema)).to.deep.equal({});
      expect(readFileSync(file, 'utf8')).to.equal(untouched);
    });
  }

  it('refuses a folder with a corrupt record after an earlier good import, leaving every row as it was', async () => {
    const dir = join(tempDir('import-'), 'data');
    await fill(dir);
    const { url, schema } = await freshSchema();
    expect((await dbImport(dir, url)).code).to.equal(0);
    const rows = await snapshot(schema);
    const s = await openEmbeddedStores(dir);
    await s.cases.open(input('u3'));
    await s.close();
    appendFileSync(join(dir, 'feedback.jsonl'), '{"add":{"at":"x"}}\n');
    const run = await dbImport(dir, url);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include(join(dir, 'feedback.jsonl'));
    expect(await snapshot(schema)).to.deep.equal(rows);
  });

  it('refuses a folder a running server holds, and a folder that holds no store, with usage errors for missing arguments', async () => {
    const { url, schema } = await freshSchema();
    const dir = join(tempDir('import-'), 'data');
    await fill(dir);
    // this test process stands in for the server that holds the folder
    writeFileSync(join(dir, 'LOCK'), String(process.pid));
    const held = await dbImport(dir, url);
    expect(held.code).to.equal(1);
    expect(held.stderr).to.match(new RegExp(`in use by a running support-bot \\(pid ${process.pid}\\); stop it first`));
    const empty = await dbImport(tempDir('import-empty-'), url);
    expect(empty.code).to.equal(1);
    expect(empty.stderr).to.match(/holds no embedded store/);
    expect(await snapshot(schema)).to.deep.equal({});
    const noFrom = await dbImport('', url);
    expect(noFrom.code).to.equal(2);
    expect(noFrom.stderr).to.match(/--from <DATA_DIR>/);
  });
});

/** The first file under `dir` (recursively, in name order) for which `match` holds. */
function findFile(dir: string, match: (path: string, text: string) => boolean): string {
  for (const name of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, name.name);
    if (name.isDirectory()) { try { return findFile(p, match); } catch { continue; } }
    if (match(p, readFileSync(p, 'utf8'))) return p;
  }
  throw new Error(`no matching file under ${dir}`);
}
