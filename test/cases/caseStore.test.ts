import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryCaseStore } from '../../src/cases/memoryCaseStore.js';
import { LowdbCaseStore } from '../../src/cases/lowdbCaseStore.js';
import { parseCaseNumber } from '../../src/cases/caseNumber.js';
import type { CaseStore } from '../../src/cases/types.js';
import { tempDir } from '../support/server.js';
import { input, reference } from '../support/cases.js';

/** One suite for the `CaseStore` interface, run against every implementation. */
const implementations: Array<[string, () => Promise<CaseStore>]> = [
  ['MemoryCaseStore', async () => new MemoryCaseStore()],
  ['LowdbCaseStore', async () => LowdbCaseStore.open(join(tempDir(), 'cases.json'))],
];

for (const [name, make] of implementations) {
  describe(`CaseStore contract: ${name}`, () => {
    let store: CaseStore;
    beforeEach(async () => { store = await make(); });

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

    it('lists a user\'s cases only, per channel', async () => {
      const a = await store.open(input('alice'));
      const b = await store.open(input('alice'));
      await store.open(input('bob'));
      await store.open({ ...input('alice'), conversationReference: reference('alice', 'msteams') });
      const mine = await store.listByUser('emulator', 'alice');
      expect(mine.map((c) => c.number).sort()).to.deep.equal([a.number, b.number].sort());
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

    it('pages through every case exactly once, filtered by status', async () => {
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

    it('gives distinct numbers to many cases opened at once', async () => {
      const all = await Promise.all(Array.from({ length: 200 }, (_, i) => store.open(input(`par${i}`))));
      expect(new Set(all.map((c) => c.number)).size).to.equal(200);
      for (const c of all) expect(await store.get(c.number)).to.deep.equal(c);
    });
  });
}

describe('LowdbCaseStore on disk', () => {
  it('has every case on disk when open resolves, for many parallel opens', async () => {
    const file = join(tempDir(), 'cases.json');
    const store = await LowdbCaseStore.open(file);
    const checks = Array.from({ length: 100 }, async (_, i) => {
      const c = await store.open(input(`disk${i}`));
      // read the file the moment this open resolves: the number must already be there
      const onDisk = JSON.parse(readFileSync(file, 'utf8'));
      expect(onDisk.cases, c.number).to.have.property(c.number);
      return c.number;
    });
    const numbers = await Promise.all(checks);
    expect(new Set(numbers).size).to.equal(100);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).cases)).to.have.length(100);
  });

  it('keeps cases, notes and statuses across a restart', async () => {
    const file = join(tempDir(), 'cases.json');
    const a = await LowdbCaseStore.open(file);
    const c = await a.open(input());
    await a.updateStatus(c.number, 'resolved');
    await a.addNote(c.number, { author: 'staff', text: 'done' });
    const b = await LowdbCaseStore.open(file);
    const again = await b.get(c.number);
    expect(again).to.include({ status: 'resolved' });
    expect(again!.notes[0].text).to.equal('done');
  });

  it('retries when a drawn number is already taken', async () => {
    const file = join(tempDir(), 'cases.json');
    const store = await LowdbCaseStore.open(file);
    const first = await store.open(input());
    const { newCaseRecord } = await import('../../src/cases/memoryCaseStore.js');
    let draws = 0;
    const r = newCaseRecord(input(), (n) => { draws++; return draws === 1 || n === first.number; });
    expect(draws).to.be.greaterThan(1);
    expect(r.number).to.not.equal(first.number);
  });
});

describe('getCaseForUser', () => {
  it('gives a case only to the channel user who opened it, and the same answer as a missing number to anyone else', async () => {
    const { getCaseForUser } = await import('../../src/cases/visibility.js');
    const store = new MemoryCaseStore();
    const c = await store.open(input('alice'));
    expect(await getCaseForUser(store, c.number, 'emulator', 'alice')).to.deep.equal(c);
    const missing = await getCaseForUser(store, 'CS-0000-0000', 'emulator', 'alice');
    for (const [channel, user] of [['emulator', 'bob'], ['msteams', 'alice'], ['emulator', ''], [undefined, 'alice']] as const) {
      expect(await getCaseForUser(store, c.number, channel, user), `${channel}/${user}`).to.deep.equal(missing);
    }
  });
});
