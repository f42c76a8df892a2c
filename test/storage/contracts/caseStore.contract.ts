import { expect } from 'chai';
import { parseCaseNumber } from '../../../src/cases/caseNumber.js';
import type { Stores } from '../../../src/storage/stores.js';
import type { CaseStore } from '../../../src/storage/caseStore.js';
import { input, reference } from '../../support/cases.js';
import { manualClock, type Backend, type Place } from '../backends.js';

/** The `CaseStore` contract, run against every backend. */
export function caseStoreContract(backend: Backend): void {
  describe(`CaseStore contract: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    let store: CaseStore;
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open(); store = stores.cases; });
    afterEach(async () => { await stores.close(); });

    it('opens a case with a valid number, status open and everything the dialog knew', async () => {
      const c = await store.open(input('u1', { team: 'tech_support', contactMethod: 'live_chat' }));
      expect(parseCaseNumber(c.number)).to.deep.equal({ ok: true, number: c.number });
      expect(c).to.include({ status: 'open', intent: 'login_help', team: 'tech_support', contactMethod: 'live_chat', channelId: 'emulator', userId: 'u1', conversationId: 'conv-u1', summary: 'Cannot sign in on the app' });
      expect(c.stepsTried).to.deep.equal(['login.clear_cache']);
      expect(c.conversationReference.serviceUrl).to.equal('http://127.0.0.1:9/');
      expect(c.notes).to.deep.equal([]);
      expect(Date.parse(c.createdAt)).to.be.a('number').and.not.NaN;
      expect(await store.get(c.number)).to.deep.equal(c);
    });

    it('redacts secrets the customer typed in the summary', async () => {
      const c = await store.open(input('u1', { summary: 'says my password is hunter2 and card 4111 1111 1111 1111' }));
      expect(c.summary).to.not.match(/hunter2|4111/);
      expect((await store.get(c.number))!.summary).to.equal(c.summary);
    });

    it('returns undefined for a number it does not hold', async () => {
      expect(await store.get('CS-0000-0000')).to.equal(undefined);
      expect(await store.updateStatus('CS-0000-0000', 'resolved')).to.equal(undefined);
      expect(await store.addNote('CS-0000-0000', { author: 'x', text: 'y' })).to.equal(undefined);
    });

    it('lists a user\'s cases only, per channel, newest first', async () => {
      const a = await store.open(input('alice'));
      const b = await store.open(input('alice'));
      await store.open(input('bob'));
      await store.open({ ...input('alice'), conversationReference: reference('alice', 'msteams') });
      const mine = await store.listByUser('emulator', 'alice');
      expect(mine.map((c) => c.number).sort()).to.deep.equal([a.number, b.number].sort());
      expect(mine[0].createdAt >= mine[1].createdAt).to.equal(true);
      expect(await store.listByUser('emulator', 'nobody')).to.deep.equal([]);
    });

    it('changes status and adds notes, updating the time', async () => {
      const c = await store.open(input());
      const s = await store.updateStatus(c.number, 'pending');
      expect(s!.status).to.equal('pending');
      const n = await store.addNote(c.number, { author: 'agent-7', text: 'Called back' });
      expect(n!.notes).to.have.length(1);
      expect(n!.notes[0]).to.include({ author: 'agent-7', text: 'Called back' });
      expect(n!.status).to.equal('pending');
      expect((await store.get(c.number))!.notes[0].text).to.equal('Called back');
    });

    it('updates the contact method, call-back window (redacted), handlers (once each) and follow-up', async () => {
      const c = await store.open(input('u1', { contactMethod: 'live_chat' }));
      const u = await store.update(c.number, { contactMethod: 'callback', callbackWindow: 'after 5, my pin is 4321', handledBy: 'Sam (sam)' });
      expect(u).to.include({ contactMethod: 'callback', status: 'open' });
      expect(u!.callbackWindow).to.include('after 5').and.not.include('4321');
      expect((await store.update(c.number, { handledBy: 'Sam (sam)' }))!.handledBy).to.deep.equal(['Sam (sam)']);
      expect((await store.update(c.number, { handledBy: 'Kim (kim)', status: 'pending' }))!.handledBy).to.deep.equal(['Sam (sam)', 'Kim (kim)']);
      const done = await store.update(c.number, { followUpDone: { at: '2026-03-01T10:00:00.000Z', by: 'sam' } });
      expect(done!.followUpDone).to.deep.equal({ at: '2026-03-01T10:00:00.000Z', by: 'sam' });
      expect(await store.get(c.number)).to.deep.equal(done);
      expect(await store.update('CS-0000-0000', { status: 'closed' })).to.equal(undefined);
    });

    it('lists follow-ups: open or pending call-backs, texts and emails not yet done, oldest first', async () => {
      await stores.close();
      const clock = manualClock();
      stores = await place.open({ now: () => { clock.advance(1000); return clock.now(); } });
      store = stores.cases;
      const call = await store.open(input('a', { contactMethod: 'callback', callbackWindow: 'In the morning' }));
      const text = await store.open(input('b', { contactMethod: 'text' }));
      const mail = await store.open(input('c', { contactMethod: 'email' }));
      await store.open(input('d', { contactMethod: 'live_chat' }));
      await store.open(input('e', { contactMethod: 'phone' }));
      const resolved = await store.open(input('f', { contactMethod: 'callback' }));
      await store.updateStatus(resolved.number, 'resolved');
      const done = await store.open(input('g', { contactMethod: 'email' }));
      await store.update(done.number, { followUpDone: { at: '2026-03-01T10:00:00.000Z', by: 'sam' } });
      await store.updateStatus(text.number, 'pending');
      const later = await store.open(input('h', { contactMethod: 'live_chat' }));
      await store.update(later.number, { contactMethod: 'callback', callbackWindow: 'tonight' });
      const list = await store.followUps();
      expect(list.map((c) => c.number)).to.deep.equal([call, text, mail, later].map((c) => c.number));
      expect(list[0].callbackWindow).to.equal('In the morning');
      expect((await store.followUps(2)).map((c) => c.number)).to.deep.equal([call.number, text.number]);
    });

    it('pages through every case exactly once, newest first, filtered by status', async () => {
      const opened = [];
      for (let i = 0; i < 7; i++) opened.push(await store.open(input(`p${i}`)));
      await store.updateStatus(opened[2].number, 'resolved');
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.list({ limit: 3, cursor });
        expect(page.cases.length).to.be.at.most(3);
        seen.push(...page.cases.map((c) => c.number));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.slice().sort()).to.deep.equal(opened.map((c) => c.number).sort());
      const resolved = await store.list({ status: 'resolved' });
      expect(resolved.cases.map((c) => c.number)).to.deep.equal([opened[2].number]);
      expect(resolved.nextCursor).to.equal(undefined);
      expect((await store.list({ cursor: 'CS-0000-0000' })).cases, 'unknown cursor').to.deep.equal([]);
    });

    it('does not let a caller change stored cases by mutating what it got', async () => {
      const c = await store.open(input());
      c.notes.push({ at: '', author: 'x', text: 'sneaky' });
      c.status = 'closed';
      const again = await store.get(c.number);
      expect(again!.notes).to.deep.equal([]);
      expect(again!.status).to.equal('open');
    });

    it('gives distinct numbers to many cases opened at once, each stored when its open resolves', async () => {
      const all = await Promise.all(Array.from({ length: 200 }, (_, i) => store.open(input(`par${i}`))));
      expect(new Set(all.map((c) => c.number)).size).to.equal(200);
      for (const c of all) expect(await store.get(c.number)).to.deep.equal(c);
    });

    it('keeps cases, notes and statuses across a restart', async () => {
      const c = await store.open(input());
      await store.updateStatus(c.number, 'resolved');
      await store.addNote(c.number, { author: 'staff', text: 'done' });
      await stores.close();
      stores = await place.open();
      store = stores.cases;
      const again = await store.get(c.number);
      expect(again).to.include({ status: 'resolved' });
      expect(again!.notes[0].text).to.equal('done');
    });

    it('forgets a customer: identity and words removed, the case kept for statistics', async () => {
      const mine = await store.open(input('alice', { summary: 'my bill says alice@example.com owes $40' }));
      await store.addNote(mine.number, { author: 'agent-1', text: 'Called Alice back' });
      const other = await store.open(input('bob'));
      expect(await store.forgetCustomer('emulator', 'alice')).to.equal(1);
      const after = (await store.get(mine.number))!;
      expect(after).to.include({ number: mine.number, intent: 'login_help', status: 'open', channelId: 'emulator' });
      expect(after.userId).to.not.equal('alice');
      expect(after.conversationId).to.not.equal('conv-alice');
      expect(JSON.stringify(after)).to.not.match(/alice|Alice|owes/);
      expect(await store.listByUser('emulator', 'alice')).to.deep.equal([]);
      expect(await store.get(other.number)).to.deep.equal(other);
    });
  });
}
