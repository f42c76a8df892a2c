import { expect } from 'chai';
import { readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DurableWriter } from '../../src/cases/durableWriter.js';
import { tempDir } from '../support/server.js';

describe('DurableWriter', () => {
  it('resolves each write only once a file holding that change is in place, grouping concurrent writes', async () => {
    const dir = tempDir();
    const file = join(dir, 'data.json');
    const data: number[] = [];
    let snapshots = 0;
    const w = new DurableWriter(file, () => { snapshots++; return JSON.stringify(data); });
    await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      data.push(i);
      await w.write();
      expect(JSON.parse(readFileSync(file, 'utf8')), `change ${i}`).to.include(i);
    }));
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.have.length(50);
    expect(snapshots, 'concurrent callers share writes').to.be.lessThan(50);
    expect(existsSync(join(dir, '.data.json.tmp')), 'no temporary file left').to.equal(false);
  });

  it('reports a failed write to its caller, and writes again afterwards', async () => {
    const dir = tempDir();
    const w = new DurableWriter(join(dir, 'missing-dir', 'x.json'), () => '{}');
    let err: unknown;
    try { await w.write(); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(Error);
    mkdirSync(join(dir, 'missing-dir'));
    await w.write();
    expect(JSON.parse(readFileSync(join(dir, 'missing-dir', 'x.json'), 'utf8'))).to.deep.equal({});
  });
});
