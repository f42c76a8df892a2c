import { expect } from 'chai';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryStorage, type Storage } from 'botbuilder';
import { LowdbStorage } from '../../src/storage/lowdbStorage.js';
import { StoreFileError } from '../../src/storage/jsonFile.js';
import { tempDir } from '../support/server.js';

/** One suite for the botbuilder `Storage` interface, run against every implementation. */
const implementations: Array<[string, () => Promise<Storage>]> = [
  ['MemoryStorage', async () => new MemoryStorage()],
  ['LowdbStorage', async () => LowdbStorage.open(join(tempDir(), 'state.json'))],
];

for (const [name, make] of implementations) {
  describe(`Storage contract: ${name}`, () => {
    let s: Storage;
    beforeEach(async () => { s = await make(); });

    it('reads back what was written, with an eTag', async () => {
      await s.write({ a: { n: 1, nested: { list: [1, 2] } } });
      const r = await s.read(['a', 'missing']);
      expect(r.a).to.deep.include({ n: 1, nested: { list: [1, 2] } });
      expect(r.a.eTag).to.be.a('string');
      expect(r).to.not.have.property('missing');
    });

    it('accepts a write with the current eTag and refuses a stale one', async () => {
      await s.write({ k: { v: 1 } });
      const first = (await s.read(['k'])).k;
      await s.write({ k: { ...first, v: 2 } });
      let err: unknown;
      try { await s.write({ k: { ...first, v: 3 } }); } catch (e) { err = e; }
      expect(err, 'stale eTag must be refused').to.be.instanceOf(Error);
      expect((await s.read(['k'])).k.v).to.equal(2);
    });

    it('overwrites with eTag "*"', async () => {
      await s.write({ k: { v: 1 } });
      await s.write({ k: { v: 5, eTag: '*' } });
      expect((await s.read(['k'])).k.v).to.equal(5);
    });

    it('deletes keys', async () => {
      await s.write({ a: { v: 1 }, b: { v: 2 } });
      await s.delete(['a']);
      const r = await s.read(['a', 'b']);
      expect(Object.keys(r)).to.deep.equal(['b']);
    });

    it('does not let a caller change stored items by mutating what it read', async () => {
      await s.write({ a: { list: [1] } });
      const r = await s.read(['a']);
      r.a.list.push(2);
      expect((await s.read(['a'])).a.list).to.deep.equal([1]);
    });
  });
}

describe('LowdbStorage on disk', () => {
  it('keeps state across a restart (a new instance on the same file)', async () => {
    const file = join(tempDir(), 'state.json');
    const a = await LowdbStorage.open(file);
    await a.write({ 'conv/1': { dialog: { step: 3 } } });
    const b = await LowdbStorage.open(file);
    expect((await b.read(['conv/1']))['conv/1'].dialog.step).to.equal(3);
  });

  it('loses no write when many turns write at once', async () => {
    const file = join(tempDir(), 'state.json');
    const s = await LowdbStorage.open(file);
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.write({ [`k${i}`]: { i } })));
    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(onDisk.items)).to.have.length(50);
  });

  it('purges state not written since a cutoff, and keeps the rest', async () => {
    const file = join(tempDir(), 'state.json');
    const s = await LowdbStorage.open(file);
    await s.write({ old: { v: 1 } });
    const cutoff = new Date(Date.now() + 1000);
    expect(await s.purgeOlderThan(new Date(Date.now() - 60_000))).to.equal(0);
    expect(await s.purgeOlderThan(cutoff)).to.equal(1);
    await s.write({ fresh: { v: 2 } });
    expect(Object.keys(await s.read(['old', 'fresh']))).to.deep.equal(['fresh']);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).items)).to.deep.equal(['fresh']);
  });

  it('refuses to open a corrupt file, naming it, and leaves it untouched', async () => {
    const file = join(tempDir(), 'state.json');
    writeFileSync(file, '{"items": {"a": ');
    let err: unknown;
    try { await LowdbStorage.open(file); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(StoreFileError);
    expect((err as Error).message).to.include(file).and.to.match(/not valid JSON/);
    expect(readFileSync(file, 'utf8')).to.equal('{"items": {"a": ');
  });
});
