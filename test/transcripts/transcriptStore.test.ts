import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryTranscriptStore, type Activity, type TranscriptStore } from 'botbuilder';
import { LowdbTranscriptStore } from '../../src/transcripts/lowdbTranscriptStore.js';
import { readWholeTranscript, startRetention } from '../../src/transcripts/transcripts.js';
import { tempDir } from '../support/server.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
let seq = 0;
function act(conversationId: string, text: string, at: number, role = 'user', channelId = 'emulator'): Activity {
  return {
    type: 'message', id: `a${++seq}`, channelId, conversation: { id: conversationId }, text, timestamp: new Date(at),
    from: { id: role === 'user' ? 'u1' : 'bot', name: role, role }, recipient: { id: 'x', name: 'x' }, serviceUrl: 'http://127.0.0.1:9/',
  } as unknown as Activity;
}

/** One suite for botbuilder's `TranscriptStore`, run against botbuilder's own store and ours. */
const implementations: Array<[string, () => Promise<TranscriptStore>]> = [
  ['MemoryTranscriptStore', async () => new MemoryTranscriptStore()],
  ['LowdbTranscriptStore', async () => LowdbTranscriptStore.open(join(tempDir(), 'transcripts.json'))],
];

for (const [name, make] of implementations) {
  describe(`TranscriptStore contract: ${name}`, () => {
    let store: TranscriptStore;
    beforeEach(async () => { store = await make(); });

    it('returns a conversation\'s activities in time order', async () => {
      await store.logActivity(act('c1', 'second', T0 + 2000, 'bot'));
      await store.logActivity(act('c1', 'first', T0 + 1000));
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
      await store.deleteTranscript('emulator', 'never-there');
    });

    it('refuses calls without a channel or conversation', async () => {
      for (const call of [() => store.getTranscriptActivities('', 'c'), () => store.getTranscriptActivities('emulator', ''), () => store.listTranscripts(''), () => store.deleteTranscript('emulator', '')]) {
        let err: unknown;
        try { await call(); } catch (e) { err = e; }
        expect(err).to.be.instanceOf(Error);
      }
    });
  });
}

describe('LowdbTranscriptStore on disk', () => {
  it('never writes a secret to the file, on either side of the conversation', async () => {
    const file = join(tempDir(), 'transcripts.json');
    const store = await LowdbTranscriptStore.open(file);
    await store.logActivity(act('c', 'my password is hunter2 and my card is 4111 1111 1111 1111', T0));
    await store.logActivity(act('c', 'I will email jane.doe@example.com, ssn 123-45-6789', T0 + 1, 'bot'));
    await store.flush();
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).to.not.match(/hunter2|4111 1111|jane\.doe|123-45-6789/);
    expect(onDisk).to.include('[REDACTED:password]').and.include('[REDACTED:card]').and.include('[REDACTED:ssn]');
  });

  it('keeps transcripts across a restart', async () => {
    const file = join(tempDir(), 'transcripts.json');
    const a = await LowdbTranscriptStore.open(file);
    void a.logActivity(act('c', 'one', T0));
    void a.logActivity(act('c', 'two', T0 + 1));
    await a.flush();
    const b = await LowdbTranscriptStore.open(file);
    expect((await b.getTranscriptActivities('emulator', 'c')).items.map((x) => x.text)).to.deep.equal(['one', 'two']);
  });

  it('purges activities older than the cutoff, dropping conversations left empty', async () => {
    const file = join(tempDir(), 'transcripts.json');
    const store = await LowdbTranscriptStore.open(file);
    const day = 86_400_000;
    await store.logActivity(act('old', 'a', T0));
    await store.logActivity(act('mixed', 'b', T0));
    await store.logActivity(act('mixed', 'c', T0 + 100 * day));
    await store.logActivity(act('new', 'd', T0 + 100 * day));
    expect(await store.purgeOlderThan(new Date(T0 + 10 * day))).to.equal(2);
    expect((await store.listTranscripts('emulator')).items.map((t) => t.id).sort()).to.deep.equal(['mixed', 'new']);
    expect((await store.getTranscriptActivities('emulator', 'mixed')).items.map((x) => x.text)).to.deep.equal(['c']);
    const reopened = await LowdbTranscriptStore.open(file);
    expect((await reopened.listTranscripts('emulator')).items).to.have.length(2);
  });

  it('retention purges at start and on demand with the injected clock and days', async () => {
    const store = await LowdbTranscriptStore.open(join(tempDir(), 'transcripts.json'));
    const day = 86_400_000;
    await store.logActivity(act('ancient', 'a', T0));
    await store.logActivity(act('recent', 'b', T0 + 85 * day));
    let now = new Date(T0 + 91 * day);
    const retention = startRetention(store, { days: 90, now: () => now });
    try {
      // the start-up pass has already run (no timer tick needed)
      expect((await store.listTranscripts('emulator')).items.map((t) => t.id)).to.deep.equal(['recent']);
      expect(await retention.runOnce(), 'nothing left to purge yet').to.equal(0);
      now = new Date(T0 + 176 * day);
      expect(await retention.runOnce()).to.equal(1);
      expect((await store.listTranscripts('emulator')).items).to.deep.equal([]);
    } finally { retention.stop(); }
  });
});

describe('LowdbTranscriptStore with hostile ids', () => {
  it('keeps ids like __proto__ and constructor as plain conversations and never touches Object.prototype', async () => {
    const path = join(tempDir(), 'transcripts.json');
    const store = await LowdbTranscriptStore.open(path);
    await store.logActivity(act('polluted', 'via channel', T0, 'user', '__proto__'));
    await store.logActivity(act('__proto__', 'via conversation', T0 + 1));
    await store.logActivity(act('constructor', 'another', T0 + 2));
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype untouched').to.equal(undefined);
    expect((await store.getTranscriptActivities('__proto__', 'polluted')).items.map((a) => a.text)).to.deep.equal(['via channel']);
    expect((await store.getTranscriptActivities('emulator', '__proto__')).items.map((a) => a.text)).to.deep.equal(['via conversation']);
    expect((await store.getTranscriptActivities('emulator', 'constructor')).items.map((a) => a.text)).to.deep.equal(['another']);
    expect((await store.getTranscriptActivities('emulator', 'toString')).items).to.deep.equal([]);
    await store.flush();
    const reopened = await LowdbTranscriptStore.open(path);
    expect((await reopened.getTranscriptActivities('emulator', '__proto__')).items.map((a) => a.text)).to.deep.equal(['via conversation']);
    await reopened.deleteTranscript('emulator', '__proto__');
    expect((await reopened.getTranscriptActivities('emulator', '__proto__')).items).to.deep.equal([]);
  });
});
