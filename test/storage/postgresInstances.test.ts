import { expect } from 'chai';
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { openPostgresStores, type PostgresStoreOptions } from '../../src/storage/postgres/index.js';
import { ConditionalConversationState } from '../../src/storage/conditionalState.js';
import { ConversationBusyError, StateConflictError } from '../../src/storage/errors.js';
import type { FeedEvent } from '../../src/storage/directLineStore.js';
import type { Stores } from '../../src/storage/stores.js';
import { freshSchema } from '../support/postgres.js';
import { input } from '../support/cases.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try { await p; } catch (e) { return e; }
  throw new Error('expected a rejection');
}

/**
 * Two `Stores` on one schema behave as two instances of the service: what one does, the other
 * sees, and the cross-instance promises of the ports (ordering, uniqueness, delivery) hold.
 */
describe('PostgreSQL backend: two instances on one database', () => {
  let a: Stores, b: Stores;
  const open = async (options: PostgresStoreOptions = {}) => {
    const { url } = await freshSchema();
    // opened together: both migrate the new schema, one after the other
    [a, b] = await Promise.all([openPostgresStores(url, options), openPostgresStores(url, options)]);
  };
  afterEach(async () => { await Promise.all([a?.close(), b?.close()]); });

  it('runs one conversation\'s tasks one at a time across instances, others alongside', async () => {
    await open({ lockWaitMs: 5000 });
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => { log.push(`start ${name}`); await sleep(ms); log.push(`end ${name}`); return name; };
    const first = a.lock.run('conv-x', task('a1', 150));
    await sleep(30);
    const second = b.lock.run('conv-x', task('b1', 10));
    await sleep(30);
    const third = a.lock.run('conv-x', task('a2', 10));
    const other = b.lock.run('conv-y', task('other', 1));
    expect(await Promise.all([first, second, third, other])).to.deep.equal(['a1', 'b1', 'a2', 'other']);
    const own = log.filter((l) => !l.endsWith('other'));
    // one at a time: every start is followed by its own end; the one that held the lock first ran
    // first (which of the two waiters gets it next is the database's lock queue, not asserted)
    expect(own.slice(0, 2)).to.deep.equal(['start a1', 'end a1']);
    for (let i = 0; i < own.length; i += 2) expect(own[i + 1], own.join(', ')).to.equal(own[i].replace('start', 'end'));
    expect(own.filter((l) => l.startsWith('start')).sort()).to.deep.equal(['start a1', 'start a2', 'start b1']);
    expect(log.indexOf('end other'), 'another conversation does not wait').to.be.lessThan(log.indexOf('end a1'));
  });

  it('refuses a task on the other instance with ConversationBusyError after the wait limit, then serves again', async () => {
    await open({ lockWaitMs: 300 });
    let release!: () => void;
    const holding = a.lock.run('conv-busy', () => new Promise<void>((r) => { release = r; }));
    await sleep(50);
    let ran = false;
    const t0 = Date.now();
    expect(await rejection(b.lock.run('conv-busy', async () => { ran = true; }))).to.be.instanceOf(ConversationBusyError);
    expect(Date.now() - t0).to.be.at.least(250);
    expect(ran).to.equal(false);
    release();
    await holding;
    expect(await b.lock.run('conv-busy', async () => 'free')).to.equal('free');
  });

  it('keeps turns that alternate between instances from losing updates (lock + conditional state)', async () => {
    await open({ lockWaitMs: 10_000 });
    const turn = (s: Stores) => s.lock.run('emulator/conversations/count', async () => {
      const key = 'emulator/conversations/count';
      const item = (await s.state.read([key]))[key] ?? { n: 0 };
      await sleep(1);
      item.n++;
      await s.state.write({ [key]: item });
    });
    await Promise.all(Array.from({ length: 40 }, (_, i) => turn(i % 2 ? a : b)));
    expect((await a.state.read(['emulator/conversations/count']))['emulator/conversations/count'].n).to.equal(40);
  });

  it('refuses the stale one of two conditional writes made on different instances', async () => {
    await open();
    const state = (s: Stores) => new ConditionalConversationState(s.state);
    const activity = { type: 'message', channelId: 'test', conversation: { id: 'race' }, from: { id: 'u' }, recipient: { id: 'b' } } as Activity;
    const adapter = new TestAdapter(async () => undefined);
    const onA = state(a), onB = state(b);
    const propA = onA.createProperty<{ n: number }>('counter'), propB = onB.createProperty<{ n: number }>('counter');
    const seed = new TurnContext(adapter, activity);
    await propA.set(seed, { n: 1 });
    await onA.saveChanges(seed);
    const ta = new TurnContext(adapter, activity), tb = new TurnContext(adapter, activity);
    (await propA.get(ta, { n: 0 })).n = 2;
    (await propB.get(tb, { n: 0 })).n = 3;
    await onA.saveChanges(ta);
    expect(await rejection(onB.saveChanges(tb))).to.be.instanceOf(StateConflictError);
    const check = new TurnContext(adapter, activity);
    expect((await propB.get(check))!.n).to.equal(2);
  });

  it('gives unique case numbers to cases opened in parallel on both, each readable on the other', async () => {
    await open();
    const opened = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? a : b).cases.open(input(`p${i}`))));
    expect(new Set(opened.map((c) => c.number)).size).to.equal(300);
    for (const c of opened.slice(0, 20)) expect(await (opened.indexOf(c) % 2 ? b : a).cases.get(c.number)).to.deep.equal(c);
    let seen = 0, cursor: string | undefined;
    do { const page = await b.cases.list({ limit: 500, cursor }); seen += page.cases.length; cursor = page.nextCursor; } while (cursor);
    expect(seen).to.equal(300);
  });

  it('delivers a Direct Line append on one instance to a subscriber on the other within a second', async () => {
    await open();
    await a.directLine.create('dl-1', 'dl_u', []);
    const heard: Array<{ event: FeedEvent; at: number }> = [];
    const stop = b.directLine.subscribe('dl-1', (event) => heard.push({ event, at: Date.now() }));
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      const stored = await a.directLine.append('dl-1', { type: 'message', text: `reply ${i}`, from: { id: 'bot', name: 'bot' } as Activity['from'] });
      while (heard.length <= i && Date.now() - t0 < 1000) await sleep(2);
      expect(heard[i]?.event, `append ${i} heard`).to.deep.equal({ kind: 'appended', watermark: i + 1 });
      latencies.push(heard[i].at - t0);
      const read = await b.directLine.since('dl-1', i);
      expect(read.activities.map((x) => x.id)).to.deep.equal([stored.id]);
    }
    expect(Math.max(...latencies)).to.be.below(1000);
    await b.directLine.publishEphemeral('dl-1', { type: 'typing' });
    stop();
  });

  it('keeps Direct Line positions gap-free when both instances append to one conversation', async () => {
    await open();
    await a.directLine.create('dl-2', 'dl_u', [{ type: 'message', text: 'welcome' }]);
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).directLine.append('dl-2', { type: 'message', text: `m${i}` })));
    expect(new Set(results.map((r) => r.id)).size).to.equal(60);
    const all = (await a.directLine.since('dl-2', 0)).activities;
    expect(all.map((x) => x.id)).to.deep.equal(Array.from({ length: 61 }, (_, i) => `dl-2|${String(i).padStart(7, '0')}`));
    expect((await b.directLine.get('dl-2'))!.watermark).to.equal(61);
    expect(await b.directLine.useTokenGeneration('dl-2', 3)).to.equal('current');
    expect(await a.directLine.useTokenGeneration('dl-2', 2)).to.equal('superseded');
  });

  it('counts queue positions per team: both instances see the same order', async () => {
    await open();
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).handoffs.request({ caseNumber: `CS-${i}`, channelId: 'emulator', conversationId: `c${i}`, team: i < 8 ? 'general' : 'technical', via: 'desk', at: at(10 - i) })));
    const fromA = await Promise.all(Array.from({ length: 10 }, (_, i) => a.handoffs.position(`CS-${i}`)));
    const fromB = await Promise.all(Array.from({ length: 10 }, (_, i) => b.handoffs.position(`CS-${i}`)));
    expect(fromA).to.deep.equal([8, 7, 6, 5, 4, 3, 2, 1, 2, 1]);
    expect(fromB).to.deep.equal(fromA);
    expect((await b.handoffs.change('CS-7', { kind: 'end', reason: 'customer_left' }, at(30))).ok).to.equal(true);
    expect(await a.handoffs.position('CS-0')).to.equal(7);
  });

  it('gives a waiting chat to exactly one of many agents accepting it at once on two instances', async () => {
    await open();
    const at = new Date().toISOString();
    for (let round = 0; round < 5; round++) {
      await a.handoffs.request({ caseNumber: `CS-R${round}`, channelId: 'directline', conversationId: `r${round}`, team: 'general', via: 'desk', at });
      const tries = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).handoffs.change(`CS-R${round}`, { kind: 'accept', agent: { username: `agent${i}`, displayName: `Agent ${i}` } }, at)));
      const won = tries.filter((t) => t.ok);
      expect(won, `round ${round}`).to.have.length(1);
      expect(tries.filter((t) => !t.ok).map((t) => !t.ok && t.refusal)).to.deep.equal(Array(5).fill('taken'));
      const owner = won[0].ok ? won[0].record.agent!.username : '';
      expect((await b.handoffs.get(`CS-R${round}`))!.agent!.username).to.equal(owner);
    }
  });

  it('keeps one agent under their maximum of open chats when they accept on two instances at once', async () => {
    await open();
    const at = new Date().toISOString();
    await Promise.all(Array.from({ length: 6 }, (_, i) => a.handoffs.request({ caseNumber: `CS-M${i}`, channelId: 'directline', conversationId: `m${i}`, team: 'general', via: 'desk', at })));
    const agent = { username: 'sam', displayName: 'Sam' };
    const tries = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).handoffs.change(`CS-M${i}`, { kind: 'accept', agent, maxOpen: 2 }, at)));
    expect(tries.filter((t) => t.ok)).to.have.length(2);
    expect(tries.filter((t) => !t.ok).map((t) => !t.ok && t.refusal)).to.deep.equal(Array(4).fill('too_many'));
    expect(await a.handoffs.withAgent('sam')).to.have.length(2);
  });

  it('agrees on one shared secret when both instances create it at once', async () => {
    await open();
    const [x, y] = await Promise.all([a.sharedSecret('directline'), b.sharedSecret('directline')]);
    expect(x).to.equal(y);
  });

  it('hands an event published on one instance to subscribers on both', async () => {
    await open();
    const onA: unknown[] = [], onB: unknown[] = [];
    a.bus.subscribe('queue', (p) => onA.push(p));
    b.bus.subscribe('queue', (p) => onB.push(p));
    await a.bus.publish('queue', { changed: 'general' });
    for (let i = 0; i < 100 && (onA.length === 0 || onB.length === 0); i++) await sleep(10);
    expect([onA, onB]).to.deep.equal([[{ changed: 'general' }], [{ changed: 'general' }]]);
  });

  it('never lets turns holding locks starve their own queries of connections', async () => {
    // more lock holders than query connections: each holder still gets its queries through
    await open({ poolSize: 2, lockPoolSize: 8, lockWaitMs: 5000 });
    const done = await Promise.all(Array.from({ length: 8 }, (_, i) => a.lock.run(`conv-${i}`, async () => {
      await a.state.write({ [`k${i}`]: { i } });
      await sleep(20);
      return (await a.state.read([`k${i}`]))[`k${i}`].i;
    })));
    expect(done).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
