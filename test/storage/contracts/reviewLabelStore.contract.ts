import { expect } from 'chai';
import type { Stores } from '../../../src/storage/stores.js';
import type { ReviewLabel } from '../../../src/storage/reviewLabelStore.js';
import type { Backend, Place } from '../backends.js';

const label = (messageId: string, key: string, intent: string, extra: Partial<ReviewLabel> = {}): ReviewLabel => ({
  messageId, text: key.toUpperCase(), key, intent, language: 'en', by: 'sam', at: '2026-03-02T10:00:00.000Z',
  channelId: 'emulator', conversationId: `c-${messageId}`, ...extra,
});

/** The `ReviewLabelStore` contract, run against every backend. */
export function reviewLabelStoreContract(backend: Backend): void {
  describe(`ReviewLabelStore contract: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open(); });
    afterEach(async () => { await stores.close(); });

    it('adds labels all together, lists them oldest first, and raises the revision with each change', async () => {
      const l = stores.reviewLabels;
      expect(await l.revision()).to.equal(0);
      expect(await l.add([label('m1', 'pay bil', 'billing'), label('m2', 'pay bil', 'billing')])).to.deep.equal({ ok: true, revision: 1 });
      // the same phrasing in another language may mean something else
      expect(await l.add([label('m3', 'pay bil', 'none', { language: 'es' })])).to.deep.equal({ ok: true, revision: 2 });
      expect((await l.list()).map((x) => x.messageId)).to.deep.equal(['m1', 'm2', 'm3']);
      expect((await l.list())[0]).to.deep.equal(label('m1', 'pay bil', 'billing'));
      expect(await l.remove('m2')).to.equal(true);
      expect(await l.remove('m2')).to.equal(false);
      expect(await l.revision()).to.equal(3);
      await stores.close();
      stores = await place.open();
      expect((await stores.reviewLabels.list()).map((x) => x.messageId)).to.deep.equal(['m1', 'm3']);
      expect(await stores.reviewLabels.revision(), 'the revision survives a restart').to.equal(3);
    });

    it('refuses a message that has a label, and a phrasing under another intent, adding nothing', async () => {
      const l = stores.reviewLabels;
      await l.add([label('m1', 'cancel my line', 'escalate')]);
      const taken = await l.add([label('m9', 'fresh words', 'billing'), label('m1', 'cancel my line', 'none', { by: 'kim' })]);
      expect(taken).to.deep.equal({ ok: false, reason: 'taken', labels: [label('m1', 'cancel my line', 'escalate')] });
      const conflict = await l.add([label('m5', 'cancel my line', 'billing')]);
      expect(conflict).to.deep.equal({ ok: false, reason: 'conflict', labels: [label('m1', 'cancel my line', 'escalate')] });
      expect((await l.list()).map((x) => x.messageId)).to.deep.equal(['m1']);
      expect(await l.revision()).to.equal(1);
    });

    it('of two supervisors labelling the same messages at once, exactly one wins', async () => {
      const group = ['g1', 'g2', 'g3'];
      const results = await Promise.all([
        stores.reviewLabels.add(group.map((id) => label(id, 'my phone is dead', 'tech_support', { by: 'sam' }))),
        stores.reviewLabels.add(group.map((id) => label(id, 'my phone is dead', 'none', { by: 'kim' }))),
      ]);
      expect(results.filter((r) => r.ok)).to.have.length(1);
      const lost = results.find((r) => !r.ok);
      expect(lost && !lost.ok && lost.reason).to.be.oneOf(['taken', 'conflict']);
      const kept = await stores.reviewLabels.list();
      expect(kept).to.have.length(3);
      expect(new Set(kept.map((x) => x.by)).size, 'all three from the same supervisor').to.equal(1);
    });

    it('erases the labels of given conversations', async () => {
      await stores.reviewLabels.add([label('m1', 'a', 'billing'), label('m2', 'b', 'billing', { conversationId: 'other' }), label('m3', 'c', 'billing', { channelId: 'msteams', conversationId: 'c-m1' })]);
      expect(await stores.reviewLabels.deleteConversations('emulator', ['c-m1'])).to.equal(1);
      expect(await stores.reviewLabels.deleteConversations('emulator', ['c-m1'])).to.equal(0);
      expect((await stores.reviewLabels.list()).map((x) => x.messageId)).to.deep.equal(['m2', 'm3']);
      expect(await stores.reviewLabels.revision()).to.equal(2);
    });
  });
}
