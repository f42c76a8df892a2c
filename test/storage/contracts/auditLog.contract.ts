import { expect } from 'chai';
import type { Stores } from '../../../src/storage/stores.js';
import { manualClock, type Backend, type Place } from '../backends.js';

/** The `AuditLog` contract, run against every backend. */
export function auditLogContract(backend: Backend): void {
  describe(`AuditLog contract: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    const clock = manualClock();
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open({ now: clock.now }); });
    afterEach(async () => { await stores.close(); });

    it('records entries with the store\'s time and lists them newest first, filtered and limited, across a restart', async () => {
      const first = await stores.audit.record({ actor: 'admin-token', action: 'case.update', target: 'CS-AAAA-AAAA', detail: { status: 'resolved' } });
      expect(first).to.deep.equal({ at: clock.now().toISOString(), actor: 'admin-token', action: 'case.update', target: 'CS-AAAA-AAAA', detail: { status: 'resolved' } });
      clock.advance(1000);
      await stores.audit.record({ actor: 'jo', action: 'customer.export', target: 'emulator/u1' });
      clock.advance(1000);
      await stores.audit.record({ actor: 'admin-token', action: 'customer.erase', target: 'emulator/u1', detail: { transcripts: 2 } });
      expect((await stores.audit.list()).map((e) => e.action)).to.deep.equal(['customer.erase', 'customer.export', 'case.update']);
      expect((await stores.audit.list({ actor: 'admin-token' })).map((e) => e.action)).to.deep.equal(['customer.erase', 'case.update']);
      expect((await stores.audit.list({ target: 'emulator/u1', limit: 1 })).map((e) => e.action)).to.deep.equal(['customer.erase']);
      expect((await stores.audit.list())[1]).to.not.have.property('detail');
      await stores.close();
      stores = await place.open({ now: clock.now });
      expect(await stores.audit.list()).to.have.length(3);
    });

    it('offers no way to change or delete an entry', () => {
      expect(Object.keys(Object.getPrototypeOf(stores.audit)).concat(Object.getOwnPropertyNames(Object.getPrototypeOf(stores.audit)))
        .filter((k) => /update|delete|remove|purge|edit/i.test(k))).to.deep.equal([]);
    });
  });
}
