import { expect } from 'chai';
import type { Stores } from '../../../src/storage/stores.js';
import type { OutcomeEvent } from '../../../src/storage/outcomeStore.js';
import type { Backend, Place } from '../backends.js';

let n = 0;
const at = (hhmm: string, day = '2026-03-02') => `${day}T${hhmm}:00.000Z`;
/** One event of conversation `c` (started at `started`), at `when`. */
function ev(c: string, started: string, when: string, body: Record<string, unknown>, channelId = 'emulator'): OutcomeEvent {
  return { id: `e${String(++n).padStart(4, '0')}`, at: when, channelId, conversationId: c, started, ...body } as OutcomeEvent;
}

/** The `OutcomeStore` contract, run against every backend. */
export function outcomeStoreContract(backend: Backend): void {
  describe(`OutcomeStore contract: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open(); });
    afterEach(async () => { await stores.close(); });

    it('lists the events of conversations that started in a range, in time order, by channel and kind', async () => {
      const s1 = at('09:00'), s2 = at('23:59', '2026-03-01'), s3 = at('10:00', '2026-03-03');
      const events = [
        ev('a', s1, s1, { kind: 'conversation.started' }),
        ev('a', s1, s1, { kind: 'message', reading: 'fallback', intent: 'none', score: 0.61, belowThreshold: true, text: 'wat is [REDACTED:pin]', guesses: [{ intent: 'billing', score: 0.2 }] }),
        // a conversation that started before midnight and went on after it belongs to its first day
        ev('b', s2, at('00:10'), { kind: 'escalation', caseNumber: 'CS-1', contactMethod: 'live_chat', team: 'general', intent: 'billing' }),
        ev('b', s2, s2, { kind: 'conversation.started' }),
        ev('t', s1, at('09:05'), { kind: 'rating', rating: 4 }, 'msteams'),
        ev('c', s3, s3, { kind: 'solved', solved: false }),
      ];
      await stores.outcomes.record(events.slice(0, 3));
      await stores.outcomes.record(events.slice(3));
      const march2 = await stores.outcomes.list({ from: new Date(at('00:00')), to: new Date(at('00:00', '2026-03-03')) });
      expect(march2.map((e) => e.conversationId + ':' + e.kind)).to.deep.equal(['a:conversation.started', 'a:message', 't:rating']);
      expect(march2[1]).to.deep.equal(events[1]);
      const wide = await stores.outcomes.list({ from: new Date(at('00:00', '2026-03-01')), to: new Date(at('00:00', '2026-03-04')), channelId: 'emulator', kinds: ['conversation.started', 'escalation', 'solved'] });
      expect(wide.map((e) => e.id)).to.deep.equal([events[3].id, events[2].id, events[0].id, events[5].id]);
      expect(await stores.outcomes.list({ from: new Date(at('00:00', '2027-01-01')), to: new Date(at('00:00', '2027-01-02')) })).to.deep.equal([]);
      expect((await stores.outcomes.get([events[4].id, 'nope', events[0].id])).map((e) => e.id)).to.deep.equal([events[0].id, events[4].id]);
      expect((await stores.outcomes.ofCase('CS-1')).map((e) => e.id)).to.deep.equal([events[2].id]);
      expect(await stores.outcomes.ofCase('CS-none')).to.deep.equal([]);
    });

    it('records an event id once, however often it is written, and keeps events across a restart', async () => {
      const s = at('11:00');
      const e = ev('x', s, s, { kind: 'message', reading: 'routed', intent: 'billing', score: 0.97, topic: 'billing' });
      await stores.outcomes.record([e]);
      await stores.outcomes.record([e, e]);
      await Promise.all([stores.outcomes.record([e]), stores.outcomes.record([e])]);
      await stores.close();
      stores = await place.open();
      const all = await stores.outcomes.list({ from: new Date(at('00:00')), to: new Date(at('23:59')) });
      expect(all).to.deep.equal([e]);
    });

    it('refuses an event of the wrong shape, writing nothing', async () => {
      const s = at('12:00');
      const bad = ev('y', s, s, { kind: 'rating', rating: 9 });
      const good = ev('y', s, s, { kind: 'rating', rating: 5 });
      let failed = false;
      await stores.outcomes.record([good, bad]).catch(() => { failed = true; });
      expect(failed).to.equal(true);
      expect(await stores.outcomes.list({ from: new Date(at('00:00')), to: new Date(at('23:59')) })).to.deep.equal([]);
    });

    it('finds, erases and purges by conversation', async () => {
      const old = at('08:00', '2026-02-01'), mid = at('08:00', '2026-02-10'), recent = at('08:00', '2026-03-01');
      const events = [
        ev('a', old, old, { kind: 'conversation.started' }),
        ev('a', mid, mid, { kind: 'conversation.started' }),
        ev('a', recent, recent, { kind: 'conversation.started' }, 'msteams'),
        ev('b', mid, at('09:00', '2026-02-10'), { kind: 'solved', solved: true }),
        ev('b', mid, at('09:30', '2026-02-10'), { kind: 'handoff.accepted', caseNumber: 'CS-9', waitMs: 1000 }),
      ];
      await stores.outcomes.record(events);
      expect((await stores.outcomes.ofConversations('emulator', ['a'])).map((e) => e.id)).to.deep.equal([events[0].id, events[1].id]);
      expect(await stores.outcomes.deleteConversations('emulator', ['a'])).to.equal(2);
      expect(await stores.outcomes.ofConversations('emulator', ['a'])).to.deep.equal([]);
      // the cutoff falls within a day: what started on that day before it goes, the rest stays
      expect(await stores.outcomes.purgeOlderThan(new Date(at('08:30', '2026-02-10')))).to.equal(2);
      expect(await stores.outcomes.ofCase('CS-9')).to.deep.equal([]);
      await stores.close();
      stores = await place.open();
      const left = await stores.outcomes.list({ from: new Date(old), to: new Date(at('00:00', '2026-04-01')) });
      expect(left.map((e) => e.id)).to.deep.equal([events[2].id]);
    });
  });
}
