import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import type { Stores } from '../../../src/storage/stores.js';
import type { DirectLineStore, FeedEvent } from '../../../src/storage/directLineStore.js';
import { manualClock, type Backend, type Place } from '../backends.js';

const msg = (text: string, role = 'user'): Partial<Activity> => ({ type: 'message', text, from: { id: role === 'user' ? 'dl_u' : 'bot', name: role, role } as Activity['from'] });
const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting for the feed');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** The `DirectLineStore` contract, run against every backend. */
export function directLineStoreContract(backend: Backend): void {
  describe(`DirectLineStore contract: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    let dl: DirectLineStore;
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open(); dl = stores.directLine; });
    afterEach(async () => { await stores.close(); });

    it('creates a conversation once, with its opening activities', async () => {
      const first = await dl.create('conv1', 'dl_u', [msg('Welcome!', 'bot')]);
      expect(first.created).to.equal(true);
      expect(first.conversation).to.include({ id: 'conv1', userId: 'dl_u', watermark: 1, tokenGeneration: 0 });
      const again = await dl.create('conv1', 'dl_other', [msg('ignored', 'bot')]);
      expect(again.created).to.equal(false);
      expect(again.conversation.userId).to.equal('dl_u');
      const set = await dl.since('conv1', 0);
      expect(set.activities.map((a) => a.text)).to.deep.equal(['Welcome!']);
      expect(set.activities[0].id).to.equal('conv1|0000000');
      expect(set.watermark).to.equal('1');
      expect(await dl.get('nope')).to.equal(undefined);
    });

    it('appends with gap-free ids, server times, and reads after a watermark', async () => {
      await dl.create('c', 'dl_u', []);
      const a = await dl.append('c', msg('one'));
      const b = await dl.append('c', { ...msg('two', 'bot'), id: 'client-chosen' });
      expect([a.id, b.id]).to.deep.equal(['c|0000000', 'c|0000001']);
      expect(Date.parse(a.timestamp as unknown as string)).to.not.be.NaN;
      expect((await dl.since('c', 1)).activities.map((x) => x.text)).to.deep.equal(['two']);
      expect((await dl.since('c', 2)).activities).to.deep.equal([]);
      expect((await dl.since('c', 2)).watermark).to.equal('2');
      expect((await dl.get('c'))!.watermark).to.equal(2);
      const limited = await dl.since('c', 0, 1);
      expect(limited.activities.map((x) => x.text)).to.deep.equal(['one']);
      expect(limited.watermark, 'the watermark after what was returned').to.equal('1');
    });

    it('refuses to append to a conversation that does not exist', async () => {
      let err: unknown;
      try { await dl.append('ghost', msg('x')); } catch (e) { err = e; }
      expect(err).to.be.instanceOf(Error);
    });

    it('keeps ids in order under many parallel appends', async () => {
      await dl.create('p', 'dl_u', []);
      const stored = await Promise.all(Array.from({ length: 50 }, (_, i) => dl.append('p', msg(`m${i}`))));
      expect(new Set(stored.map((s) => s.id)).size).to.equal(50);
      const all = (await dl.since('p', 0)).activities;
      expect(all.map((x) => x.id)).to.deep.equal(Array.from({ length: 50 }, (_, i) => `p|${String(i).padStart(7, '0')}`));
    });

    it('tells subscribers about appends and ephemeral activities, until they unsubscribe', async () => {
      await dl.create('s', 'dl_u', []);
      const heard: FeedEvent[] = [];
      const stop = dl.subscribe('s', (e) => heard.push(e));
      const other: FeedEvent[] = [];
      const stopOther = dl.subscribe('elsewhere', (e) => other.push(e));
      await dl.append('s', msg('hello'));
      await dl.publishEphemeral('s', { type: 'typing', from: { id: 'bot', name: 'bot' } as Activity['from'] });
      await until(() => heard.length >= 2);
      expect(heard.find((e) => e.kind === 'appended')).to.deep.equal({ kind: 'appended', watermark: 1 });
      expect(heard.find((e) => e.kind === 'ephemeral')).to.have.nested.property('activity.type', 'typing');
      stop();
      stopOther();
      await dl.append('s', msg('after'));
      await new Promise((r) => setTimeout(r, 100));
      expect(heard.filter((e) => e.kind === 'appended')).to.have.length(1);
      expect(other).to.deep.equal([]);
    });

    it('refuses superseded token generations', async () => {
      await dl.create('t', 'dl_u', []);
      expect(await dl.useTokenGeneration('t', 0)).to.equal('current');
      expect(await dl.useTokenGeneration('t', 2)).to.equal('current');
      expect(await dl.useTokenGeneration('t', 1)).to.equal('superseded');
      expect(await dl.useTokenGeneration('t', 2)).to.equal('current');
      expect((await dl.get('t'))!.tokenGeneration).to.equal(2);
    });

    it('lists, deletes, and keeps history across a restart', async () => {
      await dl.create('k1', 'dl_alice', [msg('Welcome', 'bot')]);
      await dl.append('k1', msg('hi'));
      await dl.create('k2', 'dl_alice', []);
      await dl.create('k3', 'dl_bob', []);
      expect((await dl.conversationsOfUser('dl_alice')).sort()).to.deep.equal(['k1', 'k2']);
      await dl.delete('k2');
      expect(await dl.get('k2')).to.equal(undefined);
      await stores.close();
      stores = await place.open();
      dl = stores.directLine;
      expect((await dl.since('k1', 0)).activities.map((a) => a.text)).to.deep.equal(['Welcome', 'hi']);
      expect(await dl.conversationsOfUser('dl_alice')).to.deep.equal(['k1']);
      const next = await dl.append('k1', msg('again'));
      expect(next.id).to.equal('k1|0000002');
    });

    it('purges conversations idle past the cutoff unless kept', async () => {
      await stores.close();
      const clock = manualClock();
      stores = await place.open({ now: clock.now });
      dl = stores.directLine;
      await dl.create('idle', 'dl_u', [msg('w', 'bot')]);
      await dl.create('socket', 'dl_u', [msg('w', 'bot')]);
      clock.advance(2 * 3_600_000);
      await dl.create('busy', 'dl_u', [msg('w', 'bot')]);
      const removed = await dl.purgeIdle(clock.now().getTime() - 3_600_000, (id) => id === 'socket');
      expect(removed).to.equal(1);
      expect(await dl.get('idle')).to.equal(undefined);
      expect(await dl.get('socket')).to.not.equal(undefined);
      expect(await dl.get('busy')).to.not.equal(undefined);
    });
  });
}
