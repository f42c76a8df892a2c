import { expect } from 'chai';
import { stateStoreContract } from './contracts/stateStore.contract.js';
import { caseStoreContract } from './contracts/caseStore.contract.js';
import { transcriptStoreContract } from './contracts/transcriptStore.contract.js';
import { feedbackStoreContract } from './contracts/feedbackStore.contract.js';
import { directLineStoreContract } from './contracts/directLineStore.contract.js';
import { coordinationContract } from './contracts/coordination.contract.js';
import { embeddedBackend } from './allBackends.js';
import type { Backend } from './backends.js';
import { instrumentStores, MEASURED_STORES, type StoreObserver } from '../../src/storage/instrumented.js';
import { StateConflictError, StoreUnavailableError } from '../../src/storage/errors.js';
import type { Stores } from '../../src/storage/stores.js';
import { tempStores } from '../support/stores.js';

/** What an observer heard: one entry per settled call. */
function recorder(): StoreObserver & { calls: Array<{ store: string; op: string; failed: boolean; seconds: number }>; made: string[] } {
  const calls: Array<{ store: string; op: string; failed: boolean; seconds: number }> = [];
  const made: string[] = [];
  return {
    calls, made,
    operation(store, op) {
      made.push(`${store}.${op}`);
      return (seconds, failed) => calls.push({ store, op, failed, seconds });
    },
  };
}

/**
 * The measuring wrapper must not change what any store does: every store contract runs again
 * through it (on the embedded backend; the wrapper does not know which backend it wraps).
 */
describe('the measuring store wrapper passes every store contract', () => {
  const measured: Backend = {
    ...embeddedBackend,
    async fresh() {
      const place = await embeddedBackend.fresh();
      return { describe: place.describe, open: async (options) => instrumentStores(await place.open(options), recorder()) };
    },
  };
  stateStoreContract(measured);
  caseStoreContract(measured);
  transcriptStoreContract(measured);
  feedbackStoreContract(measured);
  directLineStoreContract(measured);
  coordinationContract(measured);
});

describe('the measuring store wrapper', () => {
  let raw: Stores;
  let stores: Stores;
  let seen: ReturnType<typeof recorder>;
  beforeEach(async () => { raw = await tempStores(); seen = recorder(); stores = instrumentStores(raw, seen); });
  afterEach(async () => { await raw.close(); });

  it('measures each asynchronous call once, under its store and operation, and passes other members through', async () => {
    await stores.state.write({ k: { v: 1 } });
    await stores.state.read(['k']);
    await stores.state.read(['k']);
    await stores.feedback.list();
    expect(seen.calls.map((c) => `${c.store}.${c.op}:${c.failed}`)).to.deep.equal(['state.write:false', 'state.read:false', 'state.read:false', 'feedback.list:false']);
    expect(seen.calls.every((c) => c.seconds >= 0)).to.equal(true);
    // the recorder of an operation is made once, not per call
    expect(seen.made.filter((m) => m === 'state.read')).to.have.length(1);
    expect(stores.backend).to.equal('embedded');
    expect((await stores.check()).ok).to.equal(true);
    expect(await stores.sharedSecret('x')).to.equal(await raw.sharedSecret('x'));
    // synchronous members are not store round trips: not measured
    const before = seen.calls.length;
    const stop = stores.directLine.subscribe('conv', () => undefined);
    stop();
    expect(seen.calls).to.have.length(before);
    expect([...MEASURED_STORES].sort()).to.deep.equal(['audit', 'bus', 'cases', 'deskSessions', 'directLine', 'feedback', 'handoffs', 'lock', 'staff', 'state', 'transcripts']);
  });

  it('counts a failed call as an error, but a lost write race (StateConflictError) only as a call', async () => {
    await stores.state.write({ k: { v: 1 } });
    const [item] = Object.values(await stores.state.read(['k'])) as Array<{ eTag: string }>;
    await stores.state.write({ k: { v: 2, eTag: item.eTag } });
    const conflict = await stores.state.write({ k: { v: 3, eTag: item.eTag } }).catch((e: unknown) => e);
    expect(conflict).to.be.instanceOf(StateConflictError);
    const bad = await stores.state.write(null as never).catch((e: unknown) => e);
    expect(bad).to.be.instanceOf(Error);
    expect(seen.calls.slice(-2).map((c) => c.failed)).to.deep.equal([false, true]);
  });

  it('measures the lock for its wait only: once when the task starts; the task\'s own failure is not a lock error', async () => {
    let release!: () => void;
    const first = stores.lock.run('conv', () => new Promise<void>((r) => { release = r; }));
    const second = stores.lock.run('conv', async () => { throw new Error('the turn failed'); });
    await new Promise((r) => setTimeout(r, 30));
    expect(seen.calls.filter((c) => c.store === 'lock')).to.have.length(1);
    release();
    await first;
    expect(await second.catch((e: Error) => e.message)).to.equal('the turn failed');
    const locks = seen.calls.filter((c) => c.store === 'lock');
    expect(locks.map((c) => `${c.op}:${c.failed}`)).to.deep.equal(['wait:false', 'wait:false']);
    // the second waited for the first
    expect(locks[1].seconds).to.be.greaterThan(locks[0].seconds);
  });

  it('a conversation busy past the lock\'s wait limit is a lock error', async () => {
    const busy = await tempStores({ lockWaitMs: 100 });
    const watched = recorder();
    const s = instrumentStores(busy, watched);
    try {
      let release!: () => void;
      const holder = s.lock.run('conv', () => new Promise<void>((r) => { release = r; }));
      const refused = await s.lock.run('conv', async () => 'ran').catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(StoreUnavailableError);
      release();
      await holder;
      expect(watched.calls.map((c) => `${c.store}.${c.op}:${c.failed}`)).to.deep.equal(['lock.wait:false', 'lock.wait:true']);
    } finally { await busy.close(); }
  });
});
