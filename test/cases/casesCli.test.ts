import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { openEmbeddedStores } from '../../src/storage/embedded/index.js';
import type { CaseRecord } from '../../src/cases/types.js';
import { tempDir } from '../support/server.js';
import { input } from '../support/cases.js';
import type { Activity } from 'botbuilder';
import { checkCharacter } from '../../src/cases/caseNumber.js';

/** Runs the CLI as the npm script does (`npm run -s cases` itself is run once, below). */
function cases(dataDir: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--no-deprecation', '--import', 'tsx', 'src/cli/cases.ts', ...args], { encoding: 'utf8', timeout: 60000, env: { ...process.env, DATA_DIR: dataDir } });
}

describe('npm run -s cases', () => {
  const dataDir = tempDir();
  let old: CaseRecord, recent: CaseRecord[];

  before(async () => {
    let now = new Date('2026-10-01T10:00:00Z');
    const stores = await openEmbeddedStores(dataDir, { now: () => now });
    const store = stores.cases;
    old = await store.open(input('old-user'));
    now = new Date('2026-11-15T10:00:00Z');
    recent = [await store.open(input('u1', { summary: 'No data since Monday' })), await store.open(input('u2', { intent: 'billing', summary: 'Double charge' }))];
    await store.updateStatus(recent[1].number, 'resolved');
    await stores.transcripts.logActivity({ type: 'message', id: 'm1', channelId: 'emulator', conversation: { id: 'conv-u1' }, from: { id: 'u1', name: 'c', role: 'user' }, text: 'no data, my pin is 1234', timestamp: new Date('2026-11-15T09:59:00Z') } as unknown as Activity);
    // left open, as a running server would hold it: the CLI only reads
    await stores.flush();
  });

  it('list prints one line per case, newest first, and filters by status', () => {
    const r = spawnSync('npm', ['run', '-s', 'cases', '--', 'list'], { encoding: 'utf8', timeout: 60000, env: { ...process.env, DATA_DIR: dataDir } });
    expect(r.status, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).to.have.length(3);
    expect(lines[2].split('\t')[0]).to.equal(old.number);
    const resolved = cases(dataDir, 'list', '--status', 'resolved');
    expect(resolved.stdout.trim().split('\n').map((l) => l.split('\t')[0])).to.deep.equal([recent[1].number]);
  });

  it('show prints the case (number read leniently) with its redacted transcript', () => {
    const r = cases(dataDir, 'show', recent[0].number.toLowerCase().replace(/-/g, ' '));
    expect(r.status, r.stderr).to.equal(0);
    const c = JSON.parse(r.stdout);
    expect(c).to.include({ number: recent[0].number, summary: 'No data since Monday', status: 'open' });
    expect(c.transcript).to.deep.equal([{ type: 'message', from: { id: 'u1', name: 'c', role: 'user' }, text: 'no data, my pin is [REDACTED:pin]', timestamp: '2026-11-15T09:59:00.000Z' }]);
  });

  it('export --since prints JSON lines of the cases opened since then, oldest first', () => {
    const r = cases(dataDir, 'export', '--since', '2026-11-01');
    expect(r.status, r.stderr).to.equal(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((x) => x.number).sort()).to.deep.equal(recent.map((c) => c.number).sort());
    for (const x of rows) { expect(x).to.have.property('transcript'); expect(x).to.not.have.property('conversationReference'); }
  });

  it('explains a malformed number (exit 2) and an unknown case (exit 1)', () => {
    const bad = cases(dataDir, 'show', 'CS-12');
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.match(/8 characters/).and.match(/usage:/);
    const unused = `CS-ZZZZ-ZZZ${checkCharacter('ZZZZZZZ')}`;
    const unknown = cases(dataDir, 'show', unused);
    expect(unknown.status).to.equal(1);
    expect(unknown.stderr).to.include(`There is no case ${unused}`);
  });

  it('explains a bad date', () => {
    const date = cases(dataDir, 'export', '--since', 'yesterday-ish');
    expect(date.status).to.equal(2);
    expect(date.stderr).to.match(/not a date/);
  });
});
