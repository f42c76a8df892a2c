import { expect } from 'chai';
import type { Stores } from '../../../src/storage/stores.js';
import { ConversationBusyError } from '../../../src/storage/errors.js';
import type { Backend, Place } from '../backends.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
};

/** The coordination contracts (per-conversation lock, event bus, shared secrets, health), run against every backend. */
export function coordinationContract(backend: Backend): void {
  describe(`ConversationLock contract: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open({ lockWaitMs: 300 }); });
    afterEach(async () => { await stores.close(); });

    it('runs tasks of one conversation one at a time, in arrival order, and others alongside', async () => {
      const log: string[] = [];
      let inside = 0, most = 0;
      const task = (name: string, ms: number) => async () => {
        inside++; most = Math.max(most, inside);
        log.push(`start ${name}`);
        await sleep(ms);
        log.push(`end ${name}`);
        inside--;
        return name;
      };
      const other = stores.lock.run('conv-2', async () => { log.push('other'); return 'other'; });
      const results = await Promise.all([stores.lock.run('conv-1', task('a', 40)), stores.lock.run('conv-1', task('b', 5)), stores.lock.run('conv-1', task('c', 5)), other]);
      expect(results).to.deep.equal(['a', 'b', 'c', 'other']);
      expect(most).to.equal(1);
      expect(log.filter((l) => l !== 'other')).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
      expect(log.indexOf('other'), 'another conversation does not wait').to.be.lessThan(log.indexOf('end a'));
    });

    it('lets the next task run after one fails, and passes the failure to its caller', async () => {
      let err: unknown;
      try { await stores.lock.run('conv-f', async () => { throw new Error('boom'); }); } catch (e) { err = e; }
      expect((err as Error).message).to.equal('boom');
      expect(await stores.lock.run('conv-f', async () => 'next')).to.equal('next');
    });

    it('gives up after the wait limit with ConversationBusyError, without running the task', async () => {
      let release!: () => void;
      const holding = stores.lock.run('conv-busy', () => new Promise<void>((r) => { release = r; }));
      await sleep(20);
      let ran = false, err: unknown;
      const t0 = Date.now();
      try { await stores.lock.run('conv-busy', async () => { ran = true; }); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(ConversationBusyError);
      expect(Date.now() - t0).to.be.at.least(250);
      expect(ran).to.equal(false);
      release();
      await holding;
      expect(await stores.lock.run('conv-busy', async () => 'free again')).to.equal('free again');
    });
  });

  describe(`EventBus, shared secrets and health: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open(); });
    afterEach(async () => { await stores.close(); });

    it('delivers published payloads to the topic\'s subscribers only', async () => {
      const got: unknown[] = [], elsewhere: unknown[] = [];
      const stop = stores.bus.subscribe('queue', (p) => got.push(p));
      stores.bus.subscribe('other', (p) => elsewhere.push(p));
      await stores.bus.publish('queue', { changed: 'general', n: 1 });
      await until(() => got.length === 1);
      expect(got[0]).to.deep.equal({ changed: 'general', n: 1 });
      stop();
      await stores.bus.publish('queue', { n: 2 });
      await sleep(100);
      expect(got).to.have.length(1);
      expect(elsewhere).to.deep.equal([]);
    });

    it('refuses a payload too large to deliver', async () => {
      let err: unknown;
      try { await stores.bus.publish('big', { blob: 'x'.repeat(8000) }); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(Error);
    });

    it('creates a shared secret once and returns the same one after a restart', async () => {
      const a = await stores.sharedSecret('directline');
      expect(a).to.be.a('string').with.length.at.least(32);
      expect(await stores.sharedSecret('directline')).to.equal(a);
      expect(await stores.sharedSecret('other')).to.not.equal(a);
      await stores.close();
      stores = await place.open();
      expect(await stores.sharedSecret('directline')).to.equal(a);
    });

    it('reports itself healthy', async () => {
      const h = await stores.check();
      expect(h).to.include({ backend: backend.name, ok: true });
      expect(h.ms).to.be.a('number');
    });
  });
}
