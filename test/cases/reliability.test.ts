import { expect } from 'chai';
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runUntilThenKill, tsx } from '../support/process.js';
import { request, startServer, tempDir } from '../support/server.js';
import { StoreFormatError } from '../../src/storage/errors.js';
import { openEmbeddedStores } from '../../src/storage/embedded/index.js';
import { Journal } from '../../src/storage/embedded/journal.js';

describe('reliability with real processes', function () {
  // real processes: start-up trains the classifier, which takes long on a loaded machine
  this.timeout(120_000);
  it('a case number that was printed survives SIGKILL right after printing', async () => {
    const dataDir = join(tempDir(), 'data');
    const r = await runUntilThenKill({
      args: tsx('test/support/children/openCases.ts', dataDir),
      // kill on the 25th number: the child is usually in the middle of writing the 26th
      until: (_line, lines) => lines.filter((l) => l.startsWith('CASE ')).length >= 25,
    });
    expect(r.signal).to.equal('SIGKILL');
    const shown = r.lines.filter((l) => l.startsWith('CASE ')).map((l) => l.slice(5));
    expect(shown).to.have.length(25);
    expect(new Set(shown).size).to.equal(25);
    // the dead process's lock on the folder is taken over
    const stores = await openEmbeddedStores(dataDir);
    try {
      for (const n of shown) expect(await stores.cases.get(n), n).to.not.equal(undefined);
    } finally { await stores.close(); }
  });

  it('a crash in the middle of a journal append loses nothing that was acknowledged, and replays cleanly', async () => {
    const file = join(tempDir(), 'journal.jsonl');
    for (let round = 0; round < 3; round++) {
      const kill = 3 + Math.floor(Math.random() * 5);
      const r = await runUntilThenKill({ args: tsx('test/support/children/writeLoop.ts', 'journal', file), until: (l) => Number(l.split(' ')[1]) >= kill });
      expect(r.signal).to.equal('SIGKILL');
      const acknowledged = Number(r.lines.at(-1)!.split(' ')[1]);
      const seen: number[] = [];
      const j = await Journal.open<{ n: number; payload: string[] }>(file, { what: 'test record', parse: (v) => v as { n: number; payload: string[] } }, (rec) => {
        expect(rec.payload).to.have.length(500);
        seen.push(rec.n);
      });
      await j.close();
      expect(j.quarantined, 'a torn last line is dropped, not quarantined').to.equal(0);
      const thisRound = seen.slice(seen.lastIndexOf(1));
      // every acknowledged record is there, whole and in order (the child may have written more
      // before the kill reached it: those are fine too)
      expect(thisRound.length).to.be.at.least(acknowledged);
      expect(thisRound).to.deep.equal(Array.from({ length: thisRound.length }, (_, i) => i + 1));
    }
  });

  it('a crash in the middle of replacing a file leaves the previous good file', async () => {
    const file = join(tempDir(), 'big.json');
    for (let round = 0; round < 3; round++) {
      const kill = 3 + Math.floor(Math.random() * 5);
      const r = await runUntilThenKill({ args: tsx('test/support/children/writeLoop.ts', 'replace', file), until: (l) => Number(l.split(' ')[1]) >= kill });
      expect(r.signal).to.equal('SIGKILL');
      const last = Number(r.lines.at(-1)!.split(' ')[1]);
      const data = JSON.parse(readFileSync(file, 'utf8'));
      // the file is whole: the last write the parent saw finish, or a later one that finished before the kill landed
      expect(data.generation).to.be.at.least(last);
      expect(data.payload).to.have.length(20_000);
    }
  });
});

describe('stored data this build cannot use, at start-up', function () {
  // real processes: start-up trains the classifier, which takes long on a loaded machine
  this.timeout(120_000);
  const v1 = (dataDir: string, name: string, text: string) => { mkdirSync(dataDir, { recursive: true }); writeFileSync(join(dataDir, name), text); return join(dataDir, name); };
  const refusal = async (dataDir: string) => {
    let err: unknown;
    try { const srv = await startServer({ DATA_DIR: dataDir }); await srv.close(); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(StoreFormatError);
    return (err as Error).message;
  };

  for (const name of ['cases.json', 'transcripts.json']) {
    it(`${name} from the old layout, corrupt: a clear error naming the file and reason; nothing is created or changed`, async () => {
      const dataDir = tempDir();
      const garbage = '{"cases": {"CS-1';
      const file = v1(dataDir, name, garbage);
      expect(await refusal(dataDir)).to.include(file).and.match(/not valid JSON/);
      expect(readFileSync(file, 'utf8')).to.equal(garbage);
      expect(existsSync(join(dataDir, 'cases.jsonl')), 'nothing else written').to.equal(false);
    });
  }

  const wrongShapes: Array<[string, string, RegExp]> = [
    ['cases.json', '{"cases":[]}', /wrong shape at "cases"/],
    ['cases.json', '{"cases":null}', /wrong shape at "cases"/],
    ['directline.json', '{"conversations":{"c1":{"id":"c1","userId":"dl_x","activities":null}}}', /wrong shape at "conversations\.c1\.activities"/],
    ['state.json', '{"items":{"k":{"value":"not an object"}}}', /wrong shape at "items\.k\.value"/],
  ];
  for (const [name, text, reason] of wrongShapes) {
    it(`${name} = ${text}: refused with the path and the field, unchanged`, async () => {
      const dataDir = tempDir();
      const file = v1(dataDir, name, text);
      expect(await refusal(dataDir)).to.include(file).and.match(reason);
      expect(readFileSync(file, 'utf8')).to.equal(text);
    });
  }

  it('an old Direct Line file holding one activity nested 4,000 levels deep: the server starts and serves, that activity is left in the backup (finding 1)', async () => {
    const dataDir = tempDir();
    const small = Array.from({ length: 30 }, (_, i) => ({ type: 'message', id: `c1|${i}`, text: `m${i}`, from: { id: 'dl_x', role: 'user' } }));
    const deep = `{"type":"message","id":"c1|30","channelData":${'{"a":'.repeat(4000)}1${'}'.repeat(4000)}}`;
    v1(dataDir, 'directline.json', `{"conversations":{"c1":{"id":"c1","userId":"dl_x","createdAt":"2026-01-01T00:00:00Z","lastActive":0,"next":31,"activities":[${small.map((a) => JSON.stringify(a)).join(',')},${deep}]}}}`);
    const srv = await startServer({ DATA_DIR: dataDir });
    try {
      const history = await srv.app.stores.directLine.since('c1', 0);
      expect(history.activities.map((a) => a.text)).to.deep.equal(small.map((a) => a.text));
      expect((await request('GET', `${srv.base}/healthz`)).status).to.equal(200);
      expect(existsSync(join(dataDir, 'v1-backup', 'directline.json')), 'the original is kept').to.equal(true);
    } finally { await srv.close(); }
    const again = await startServer({ DATA_DIR: dataDir });
    await again.close();
  });

  it('a layout newer than this build is refused with a clear message', async () => {
    const dataDir = tempDir();
    v1(dataDir, 'meta.json', '{"schema": 99, "createdAt": "2030-01-01T00:00:00Z"}');
    expect(await refusal(dataDir)).to.match(/layout 99, newer than this build knows/);
  });

  it('one unusable case line is moved aside and the server starts with every other case', async () => {
    const dataDir = join(tempDir(), 'data');
    const stores = await openEmbeddedStores(dataDir);
    const kept = await stores.cases.open({ intent: 'billing', summary: 'double charge', stepsTried: [], conversationReference: { channelId: 'emulator', user: { id: 'u' } as never, conversation: { id: 'c' } as never } });
    await stores.close();
    const journal = join(dataDir, 'cases.jsonl');
    writeFileSync(journal, readFileSync(journal, 'utf8') + '{"case":{"number":"CS-BAD"}}\nnot json at all\n');
    const srv = await startServer({ DATA_DIR: dataDir });
    try {
      expect(await srv.app.stores.cases.get(kept.number)).to.include({ summary: 'double charge' });
      const quarantine = readFileSync(`${journal}.quarantine`, 'utf8');
      expect(quarantine).to.include('CS-BAD').and.include('not json at all');
      expect(readFileSync(journal, 'utf8')).to.not.include('CS-BAD');
    } finally { await srv.close(); }
  });

  it('the real server process exits with the path and reason in its log', () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'cases.json');
    writeFileSync(file, '[1, 2');
    const r = spawnSync(process.execPath, tsx('src/index.ts'), { encoding: 'utf8', timeout: 60000, env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' } });
    expect(r.status).to.equal(1);
    expect(r.stdout + r.stderr).to.include(file).and.match(/not valid JSON/);
    expect(readFileSync(file, 'utf8')).to.equal('[1, 2');
    expect(existsSync(join(dataDir, 'cases.jsonl')), 'nothing else written after the failure').to.equal(false);
  });

  it('a second server on the same DATA_DIR is refused while the first runs', async () => {
    const dataDir = join(tempDir(), 'data');
    const first = await startServer({ DATA_DIR: dataDir });
    try {
      const r = spawnSync(process.execPath, tsx('src/index.ts'), { encoding: 'utf8', timeout: 60000, env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' } });
      expect(r.status).to.equal(1);
      expect(r.stdout + r.stderr).to.match(new RegExp(`in use by another running support-bot \\(pid ${process.pid}\\)`));
    } finally { await first.close(); }
  });
});
