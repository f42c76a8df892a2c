import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

import { openEmbeddedStores } from '../../src/storage/embedded/index.js';
import { keyPath } from '../../src/storage/embedded/files.js';
import { StoreUnavailableError } from '../../src/storage/errors.js';
import { startRetention } from '../../src/storage/retention.js';
import { getCaseForUser } from '../../src/cases/visibility.js';
import { tempDir } from '../support/server.js';
import { storedText, tempStores } from '../support/stores.js';
import { input } from '../support/cases.js';
import { act } from './contracts/transcriptStore.contract.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const DAY = 86_400_000;

describe('embedded stores on disk', () => {
  it('has every case on disk when open resolves, for many parallel opens', async () => {
    const dataDir = join(tempDir(), 'data');
    const stores = await openEmbeddedStores(dataDir);
    const numbers = await Promise.all(Array.from({ length: 100 }, async (_, i) => {
      const c = await stores.cases.open(input(`disk${i}`));
      // read the file the moment this open resolves: the number must already be there
      expect(readFileSync(join(dataDir, 'cases.jsonl'), 'utf8'), c.number).to.include(c.number);
      return c.number;
    }));
    expect(new Set(numbers).size).to.equal(100);
    await stores.close();
  });

  it('never writes a secret to disk, in transcripts, cases or Direct Line history, on either side', async () => {
    const dataDir = join(tempDir(), 'data');
    const stores = await openEmbeddedStores(dataDir);
    await stores.transcripts.logActivity(act('c', 'my password is hunter2 and my card is 4111 1111 1111 1111', T0));
    await stores.transcripts.logActivity(act('c', 'I will email jane.doe@example.com, ssn 123-45-6789', T0 + 1, 'bot'));
    await stores.cases.open(input('u', { summary: 'pin 9876 does not work' }));
    await stores.close();
    const onDisk = storedText(dataDir);
    expect(onDisk).to.not.match(/hunter2|4111 1111|jane\.doe|123-45-6789|9876/);
    expect(onDisk).to.include('[REDACTED:password]').and.include('[REDACTED:card]').and.include('[REDACTED:ssn]');
  });

  it('loses no state write when many turns write at once, and keeps them across a restart', async () => {
    const dataDir = join(tempDir(), 'data');
    let stores = await openEmbeddedStores(dataDir);
    await Promise.all(Array.from({ length: 50 }, (_, i) => stores.state.write({ [`emulator/conversations/k${i}`]: { i } })));
    await stores.close();
    stores = await openEmbeddedStores(dataDir);
    const keys = Array.from({ length: 50 }, (_, i) => `emulator/conversations/k${i}`);
    expect(Object.keys(await stores.state.read(keys))).to.have.length(50);
    await stores.close();
  });

  it('rolls a case change back when the disk refuses it: the call rejects with a reason and nothing of it comes back later', async () => {
    const dataDir = join(tempDir(), 'data');
    const stores = await openEmbeddedStores(dataDir);
    const c = await stores.cases.open(input('u'));
    // the journal's file handle now writes to /dev/full: every write fails with ENOSPC, as on a full disk
    const journal = (stores.cases as unknown as { journal: { file: unknown } }).journal;
    const good = journal.file;
    journal.file = await open('/dev/full', 'a');
    let err: unknown;
    try { await stores.cases.addNote(c.number, { author: 'agent', text: 'lost note' }); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(StoreUnavailableError);
    expect((err as Error).message).to.match(/disk is full/);
    expect((await stores.cases.get(c.number))!.notes, 'rolled back in memory').to.deep.equal([]);
    journal.file = good;
    await stores.cases.addNote(c.number, { author: 'agent', text: 'kept note' });
    await stores.close();
    const again = await openEmbeddedStores(dataDir);
    expect((await again.cases.get(c.number))!.notes.map((n) => n.text)).to.deep.equal(['kept note']);
    await again.close();
  });

  it('refuses a Direct Line append the disk cannot take, and the next one still gets the right position', async () => {
    const dataDir = join(tempDir(), 'data');
    const stores = await openEmbeddedStores(dataDir);
    await stores.directLine.create('conv-x', 'dl_u', []);
    await stores.directLine.append('conv-x', { type: 'message', text: 'one' });
    const file = keyPath(join(dataDir, 'directline'), 'conv-x', '.jsonl');
    const saved = readFileSync(file, 'utf8');
    rmSync(file);
    mkdirSync(file);
    let err: unknown;
    try { await stores.directLine.append('conv-x', { type: 'message', text: 'two' }); } catch (e) { err = e; }
    expect(err).to.be.instanceOf(StoreUnavailableError);
    rmSync(file, { recursive: true });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, saved);
    const next = await stores.directLine.append('conv-x', { type: 'message', text: 'three' });
    expect(next.id).to.equal('conv-x|0000001');
    expect((await stores.directLine.since('conv-x', 0)).activities.map((a) => a.text)).to.deep.equal(['one', 'three']);
    await stores.close();
  });
});

describe('the embedded hand-off queue of earlier builds', () => {
  it('becomes waiting hand-offs with the same places, once', async () => {
    const dir = join(tempDir('stores-'), 'data');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'queue.jsonl'), [
      { join: { key: 'directline/abc', caseNumber: 'CS-AAAA-AAAA', team: 'tech_support', since: '2026-01-01T10:00:05.000Z' } },
      { join: { key: 'emulator/x/y', caseNumber: 'CS-BBBB-BBBB', team: 'general', since: '2026-01-01T10:00:01.000Z' } },
      { join: { key: 'emulator/gone', caseNumber: 'CS-DDDD-DDDD', team: 'general', since: '2026-01-01T10:00:00.000Z' } },
      { leave: 'emulator/gone' },
    ].map((l) => JSON.stringify(l)).join('\n') + '\n');
    let stores = await openEmbeddedStores(dir);
    try {
      expect((await stores.handoffs.waiting()).map((r) => [r.caseNumber, r.team, r.channelId, r.conversationId])).to.deep.equal([
        ['CS-BBBB-BBBB', 'general', 'emulator', 'x/y'], ['CS-AAAA-AAAA', 'technical', 'directline', 'abc'],
      ]);
      expect(existsSync(join(dir, 'queue.jsonl'))).to.equal(false);
      await stores.handoffs.change('CS-BBBB-BBBB', { kind: 'end', reason: 'customer_left' }, new Date().toISOString());
      await stores.close();
      stores = await openEmbeddedStores(dir);
      expect((await stores.handoffs.waiting()).map((r) => r.caseNumber), 'carried over once, not again').to.deep.equal(['CS-AAAA-AAAA']);
    } finally { await stores.close(); }
  });
});

describe('the retention job', () => {
  it('purges transcripts, conversation state, feedback and outcome events at start and on demand, with the injected clock', async () => {
    let now = new Date(T0);
    const stores = await tempStores({ now: () => now });
    await stores.transcripts.logActivity(act('ancient', 'a', T0));
    await stores.state.write({ 'emulator/conversations/ancient': { v: 1 } });
    await stores.feedback.record({ at: new Date(T0).toISOString(), channelId: 'emulator', conversationId: 'ancient', solved: true });
    await stores.handoffs.request({ caseNumber: 'CS-OLD', channelId: 'emulator', conversationId: 'ancient', team: 'general', via: 'desk', at: new Date(T0).toISOString() });
    await stores.handoffs.change('CS-OLD', { kind: 'end', reason: 'customer_left' }, new Date(T0).toISOString());
    await stores.handoffs.request({ caseNumber: 'CS-LIVE', channelId: 'emulator', conversationId: 'ancient', team: 'general', via: 'desk', at: new Date(T0).toISOString() });
    const started = (t: number, id: string) => ({ id, kind: 'conversation.started' as const, at: new Date(t).toISOString(), started: new Date(t).toISOString(), channelId: 'emulator', conversationId: id });
    await stores.outcomes.record([started(T0, 'ancient')]);
    now = new Date(T0 + 85 * DAY);
    await stores.outcomes.record([started(T0 + 85 * DAY, 'recent')]);
    await stores.transcripts.logActivity(act('recent', 'b', T0 + 85 * DAY));
    await stores.state.write({ 'emulator/conversations/recent': { v: 1 } });
    now = new Date(T0 + 91 * DAY);
    const retention = startRetention(stores, { days: 90, now: () => now });
    try {
      const first = await retention.runOnce();
      expect(first, 'the start-up pass already removed the old data').to.deep.equal({ transcripts: 0, 'conversation state': 0, feedback: 0, 'hand-offs': 0, 'outcome events': 0 });
      expect((await stores.outcomes.list({ from: new Date(0), to: now })).map((e) => e.conversationId)).to.deep.equal(['recent']);
      expect((await stores.transcripts.listTranscripts('emulator')).items.map((t) => t.id)).to.deep.equal(['recent']);
      expect(Object.keys(await stores.state.read(['emulator/conversations/ancient', 'emulator/conversations/recent']))).to.deep.equal(['emulator/conversations/recent']);
      expect(await stores.feedback.list()).to.deep.equal([]);
      expect(await stores.handoffs.get('CS-OLD'), 'an ended hand-off goes with its conversation').to.equal(undefined);
      expect(await stores.handoffs.get('CS-LIVE'), 'one still waiting is kept').to.not.equal(undefined);
      now = new Date(T0 + 176 * DAY);
      expect(await retention.runOnce()).to.deep.equal({ transcripts: 1, 'conversation state': 1, feedback: 0, 'hand-offs': 0, 'outcome events': 1 });
    } finally { retention.stop(); await stores.close(); }
  });
});

describe('getCaseForUser', () => {
  it('gives a case only to the channel user who opened it, and the same answer as a missing number to anyone else', async () => {
    const store = (await tempStores()).cases;
    const c = await store.open(input('alice'));
    expect(await getCaseForUser(store, c.number, 'emulator', 'alice')).to.deep.equal(c);
    const missing = await getCaseForUser(store, 'CS-0000-0000', 'emulator', 'alice');
    for (const [channel, user] of [['emulator', 'bob'], ['msteams', 'alice'], ['emulator', ''], [undefined, 'alice']] as const) {
      expect(await getCaseForUser(store, c.number, channel, user), `${channel}/${user}`).to.deep.equal(missing);
    }
  });
});

