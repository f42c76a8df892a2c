import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import type { Stores } from '../../../src/storage/stores.js';
import type { TranscriptStore } from '../../../src/storage/transcriptStore.js';
import { readWholeTranscript } from '../../../src/transcripts/transcripts.js';
import { manualClock, type Backend, type Place } from '../backends.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
let seq = 0;
export function act(conversationId: string, text: string, at: number, role = 'user', channelId = 'emulator', extra: Partial<Activity> = {}): Activity {
  return {
    type: 'message', id: `a${++seq}`, channelId, conversation: { id: conversationId }, text, timestamp: new Date(at),
    from: { id: role === 'user' ? 'u1' : 'bot', name: role, role }, recipient: { id: 'x', name: 'x' }, serviceUrl: 'http://127.0.0.1:9/', ...extra,
  } as unknown as Activity;
}

/** The `TranscriptStore` contract (botbuilder's interface plus retention and erasure), run against every backend. */
export function transcriptStoreContract(backend: Backend): void {
  describe(`TranscriptStore contract: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    let store: TranscriptStore;
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open(); store = stores.transcripts; });
    afterEach(async () => { await stores.close(); });

    it('returns a conversation\'s activities in the order they were logged', async () => {
      await store.logActivity(act('c1', 'first', T0 + 1000));
      await store.logActivity(act('c1', 'second', T0 + 2000, 'bot'));
      await store.logActivity(act('c2', 'other', T0));
      const page = await store.getTranscriptActivities('emulator', 'c1');
      expect(page.items.map((a) => a.text)).to.deep.equal(['first', 'second']);
      expect(page.items[0].from.role).to.equal('user');
      expect(new Date(page.items[0].timestamp!).getTime()).to.equal(T0 + 1000);
      expect(page.continuationToken).to.equal(undefined);
    });

    it('pages activities 20 at a time with a continuation token, from a start date', async () => {
      for (let i = 0; i < 45; i++) await store.logActivity(act('long', `m${i}`, T0 + i * 1000));
      const p1 = await store.getTranscriptActivities('emulator', 'long');
      const p2 = await store.getTranscriptActivities('emulator', 'long', p1.continuationToken);
      const p3 = await store.getTranscriptActivities('emulator', 'long', p2.continuationToken);
      expect([p1.items.length, p2.items.length, p3.items.length]).to.deep.equal([20, 20, 5]);
      expect(p3.continuationToken).to.equal(undefined);
      expect([...p1.items, ...p2.items, ...p3.items].map((a) => a.text)).to.deep.equal(Array.from({ length: 45 }, (_, i) => `m${i}`));
      const late = await store.getTranscriptActivities('emulator', 'long', undefined, new Date(T0 + 40_000));
      expect(late.items.map((a) => a.text)).to.deep.equal(['m40', 'm41', 'm42', 'm43', 'm44']);
      expect(await readWholeTranscript(store, 'emulator', 'long')).to.have.length(45);
    });

    it('pages by position, so activities that share an id neither loop nor vanish', async () => {
      for (let i = 0; i < 25; i++) await store.logActivity(act('dup', `t${i}`, T0 + i, 'user', 'emulator', { id: 'dup' }));
      const all = await readWholeTranscript(store, 'emulator', 'dup');
      expect(all.map((a) => a.text)).to.deep.equal(Array.from({ length: 25 }, (_, i) => `t${i}`));
      const p1 = await store.getTranscriptActivities('emulator', 'dup');
      expect((await store.getTranscriptActivities('emulator', 'dup', p1.continuationToken)).items).to.have.length(5);
      expect((await store.getTranscriptActivities('emulator', 'dup', 'not-a-position')).items, 'a token that is not a position').to.deep.equal([]);
    });

    it('lists transcripts of a channel by creation time, paged', async () => {
      for (let i = 0; i < 25; i++) await store.logActivity(act(`conv${i}`, 'hi', T0 + i * 1000));
      await store.logActivity(act('elsewhere', 'hi', T0, 'user', 'msteams'));
      const p1 = await store.listTranscripts('emulator');
      const p2 = await store.listTranscripts('emulator', p1.continuationToken);
      expect(p1.items).to.have.length(20);
      expect(p1.items[0]).to.include({ channelId: 'emulator', id: 'conv0' });
      expect(new Date(p1.items[0].created).getTime()).to.equal(T0);
      expect(p2.items.map((t) => t.id)).to.deep.equal(['conv20', 'conv21', 'conv22', 'conv23', 'conv24']);
      expect((await store.listTranscripts('msteams')).items.map((t) => t.id)).to.deep.equal(['elsewhere']);
      expect((await store.listTranscripts('slack')).items).to.deep.equal([]);
    });

    it('deletes one transcript and nothing else', async () => {
      await store.logActivity(act('gone', 'x', T0));
      await store.logActivity(act('kept', 'y', T0));
      await store.deleteTranscript('emulator', 'gone');
      expect((await store.getTranscriptActivities('emulator', 'gone')).items).to.deep.equal([]);
      expect((await store.getTranscriptActivities('emulator', 'kept')).items).to.have.length(1);
      expect((await store.listTranscripts('emulator')).items.map((t) => t.id)).to.deep.equal(['kept']);
      await store.deleteTranscript('emulator', 'never-there');
    });

    it('refuses calls without a channel or conversation', async () => {
      for (const call of [() => store.getTranscriptActivities('', 'c'), () => store.getTranscriptActivities('emulator', ''), () => store.listTranscripts(''), () => store.deleteTranscript('emulator', '')]) {
        let err: unknown;
        try { await call(); } catch (e) { err = e; }
        expect(err).to.be.instanceOf(Error);
      }
    });

    it('never stores a secret the customer typed, in any field', async () => {
      await store.logActivity(act('sec', 'my password is Hunter2! and card 4111 1111 1111 1111', T0, 'user', 'emulator', { value: { note: 'pin 1234' } as unknown as Activity['value'] }));
      const [a] = (await store.getTranscriptActivities('emulator', 'sec')).items;
      expect(JSON.stringify(a)).to.not.match(/Hunter2|4111 1111|1234/);
      expect(a.text).to.include('[REDACTED:password]');
    });

    it('keeps ids like __proto__ and constructor as plain conversations', async () => {
      for (const id of ['__proto__', 'constructor', 'toString']) await store.logActivity(act(id, 'x', T0, 'user', id));
      expect((await store.getTranscriptActivities('__proto__', '__proto__')).items).to.have.length(1);
      expect(({} as Record<string, unknown>).x).to.equal(undefined);
    });

    it('knows the conversations a user wrote in, per channel', async () => {
      await store.logActivity(act('c-a1', 'hi', T0, 'user', 'emulator', { from: { id: 'alice', role: 'user' } as Activity['from'] }));
      await store.logActivity(act('c-a2', 'hi', T0, 'user', 'emulator', { from: { id: 'alice', role: 'user' } as Activity['from'] }));
      await store.logActivity(act('c-b', 'hi', T0, 'user', 'emulator', { from: { id: 'bob', role: 'user' } as Activity['from'] }));
      await store.logActivity(act('c-bot', 'hi', T0, 'bot', 'emulator', { recipient: { id: 'alice' } as Activity['recipient'] }));
      expect((await store.conversationsOf('emulator', 'alice')).sort()).to.deep.equal(['c-a1', 'c-a2']);
      expect(await store.conversationsOf('msteams', 'alice')).to.deep.equal([]);
    });

    it('keeps transcripts across a restart', async () => {
      await store.logActivity(act('kept', 'one', T0));
      await store.logActivity(act('kept', 'two', T0 + 1));
      await stores.flush();
      await stores.close();
      stores = await place.open();
      store = stores.transcripts;
      expect((await store.getTranscriptActivities('emulator', 'kept')).items.map((a) => a.text)).to.deep.equal(['one', 'two']);
      await store.logActivity(act('kept', 'three', T0 + 2));
      expect((await readWholeTranscript(store, 'emulator', 'kept')).map((a) => a.text)).to.deep.equal(['one', 'two', 'three']);
    });

    it('purges activities older than the cutoff, dropping conversations left empty', async () => {
      await stores.close();
      const clock = manualClock(T0);
      stores = await place.open({ now: clock.now });
      store = stores.transcripts;
      await store.logActivity(act('old', 'x', T0));
      await store.logActivity(act('mixed', 'early', T0));
      await store.logActivity(act('mixed', 'late', T0 + 5 * 86_400_000));
      await store.logActivity(act('new', 'y', T0 + 5 * 86_400_000));
      const removed = await store.purgeOlderThan(new Date(T0 + 86_400_000));
      expect(removed).to.equal(2);
      expect((await store.listTranscripts('emulator')).items.map((t) => t.id).sort()).to.deep.equal(['mixed', 'new']);
      expect((await store.getTranscriptActivities('emulator', 'mixed')).items.map((a) => a.text)).to.deep.equal(['late']);
    });
  });
}
