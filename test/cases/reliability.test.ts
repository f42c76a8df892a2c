import { expect } from 'chai';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { runUntilThenKill, tsx } from '../support/process.js';
import { startServer, tempDir } from '../support/server.js';
import { StoreFileError } from '../../src/storage/jsonFile.js';

describe('reliability with real processes', () => {
  it('a case number that was printed survives SIGKILL right after printing', async () => {
    const file = join(tempDir(), 'cases.json');
    const r = await runUntilThenKill({
      args: tsx('test/support/children/openCases.ts', file),
      // kill on the 25th number: the child is usually in the middle of writing the 26th
      until: (_line, lines) => lines.filter((l) => l.startsWith('CASE ')).length >= 25,
    });
    expect(r.signal).to.equal('SIGKILL');
    const shown = r.lines.filter((l) => l.startsWith('CASE ')).map((l) => l.slice(5));
    expect(shown).to.have.length(25);
    const onDisk = JSON.parse(readFileSync(file, 'utf8')).cases;
    for (const n of shown) expect(onDisk, n).to.have.property(n);
    expect(new Set(shown).size).to.equal(25);
  });

  it('a crash in the middle of a write leaves the previous good file', async () => {
    const file = join(tempDir(), 'big.json');
    for (let round = 0; round < 3; round++) {
      const kill = 3 + Math.floor(Math.random() * 5);
      const r = await runUntilThenKill({ args: tsx('test/support/children/writeLoop.ts', file), until: (l) => Number(l.split(' ')[1]) >= kill });
      expect(r.signal).to.equal('SIGKILL');
      const last = Number(r.lines.at(-1)!.split(' ')[1]);
      const data = JSON.parse(readFileSync(file, 'utf8'));
      // the file is whole: the last finished write, or the one after it if it also finished
      expect(data.generation).to.be.within(last, last + 1);
      expect(data.payload).to.have.length(20_000);
    }
  });
});

describe('corrupt store files at start-up', () => {
  for (const name of ['cases.json', 'transcripts.json']) {
    it(`${name}: a clear error naming the file and reason; the server does not start; the file is untouched`, async () => {
      const dataDir = tempDir();
      const file = join(dataDir, name);
      const garbage = '{"cases": {"CS-1';
      writeFileSync(file, garbage);
      let err: unknown;
      try { const srv = await startServer({ DATA_DIR: dataDir }); await srv.close(); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(StoreFileError);
      expect((err as Error).message).to.include(file).and.match(/not valid JSON/);
      expect(readFileSync(file, 'utf8')).to.equal(garbage);
    });
  }

  it('the real server process exits with the path and reason in its log', () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'cases.json');
    writeFileSync(file, '[1, 2');
    const r = spawnSync(process.execPath, tsx('src/index.ts'), { encoding: 'utf8', timeout: 60000, env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' } });
    expect(r.status).to.equal(1);
    expect(r.stdout + r.stderr).to.include(file).and.match(/not valid JSON/);
    expect(readFileSync(file, 'utf8')).to.equal('[1, 2');
    expect(existsSync(join(dataDir, 'transcripts.json')), 'nothing else written after the failure').to.equal(false);
  });
});
