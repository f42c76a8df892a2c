import { expect } from 'chai';
import type { Stores } from '../../../src/storage/stores.js';
import type { FeedbackEntry } from '../../../src/storage/feedbackStore.js';
import type { Backend, Place } from '../backends.js';

const entry = (conversationId: string, at: string, extra: Partial<FeedbackEntry> = {}): FeedbackEntry =>
  ({ at, channelId: 'emulator', conversationId, topic: 'login_help', solved: true, rating: 5, ...extra });

/** The `FeedbackStore` contract, run against every backend. */
export function feedbackStoreContract(backend: Backend): void {
  describe(`FeedbackStore contract: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open(); });
    afterEach(async () => { await stores.close(); });

    it('records entries and lists them oldest first, within a range', async () => {
      await stores.feedback.record(entry('c2', '2026-02-02T10:00:00.000Z', { solved: false, rating: undefined }));
      await stores.feedback.record(entry('c1', '2026-02-01T10:00:00.000Z'));
      await stores.feedback.record(entry('c3', '2026-02-03T10:00:00.000Z', { topic: undefined, rating: 2 }));
      const all = await stores.feedback.list();
      expect(all.map((e) => e.conversationId)).to.deep.equal(['c1', 'c2', 'c3']);
      expect(all[1]).to.deep.equal({ at: '2026-02-02T10:00:00.000Z', channelId: 'emulator', conversationId: 'c2', topic: 'login_help', solved: false });
      const range = await stores.feedback.list({ from: new Date('2026-02-02T00:00:00Z'), to: new Date('2026-02-03T10:00:00Z') });
      expect(range.map((e) => e.conversationId)).to.deep.equal(['c2']);
    });

    it('finds and deletes the entries of given conversations, and purges old ones', async () => {
      await stores.feedback.record(entry('a', '2026-02-01T10:00:00.000Z'));
      await stores.feedback.record(entry('b', '2026-02-05T10:00:00.000Z'));
      await stores.feedback.record(entry('a', '2026-02-06T10:00:00.000Z', { channelId: 'msteams' }));
      expect((await stores.feedback.ofConversations('emulator', ['a'])).map((e) => e.at)).to.deep.equal(['2026-02-01T10:00:00.000Z']);
      expect(await stores.feedback.deleteConversations('emulator', ['a'])).to.equal(1);
      expect((await stores.feedback.list()).map((e) => `${e.channelId}/${e.conversationId}`)).to.deep.equal(['emulator/b', 'msteams/a']);
      expect(await stores.feedback.purgeOlderThan(new Date('2026-02-06T00:00:00Z'))).to.equal(1);
      await stores.close();
      stores = await place.open();
      expect((await stores.feedback.list()).map((e) => e.conversationId)).to.deep.equal(['a']);
    });
  });
}
