import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import { openPostgresStores } from '../../src/storage/postgres/index.js';
import { StoreUnavailableError } from '../../src/storage/errors.js';
import type { FeedEvent } from '../../src/storage/directLineStore.js';
import type { Stores } from '../../src/storage/stores.js';
import { schemaBehindProxy } from '../support/postgres.js';
import type { TcpProxy } from '../support/tcpProxy.js';
import { input } from '../support/cases.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PASSWORD = 'pg-outage-s3cret';

async function outcome(p: Promise<unknown>): Promise<{ err?: unknown; ms: number }> {
  const t0 = Date.now();
  try { await p; return { ms: Date.now() - t0 }; } catch (err) { return { err, ms: Date.now() - t0 }; }
}

/** Retries `call` until it succeeds (the stores recover by themselves) or `ms` pass. */
async function eventually<T>(call: () => Promise<T>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try { return await call(); } catch (err) {
      if (Date.now() > end) throw err;
      await sleep(100);
    }
  }
}

/**
 * Losing the database: a TCP proxy between the stores and the (maybe shared) server is cut and
 * restored, so the server itself keeps running. Every call fails fast with
 * StoreUnavailableError (never a crash, never the password), and everything works again once
 * the database is back, the event bus included (its subscribers are told to resync).
 */
describe('PostgreSQL backend: losing the database and getting it back', () => {
  let proxy: TcpProxy;
  let stores: Stores;
  beforeEach(async () => {
    const db = await schemaBehindProxy(PASSWORD);
    proxy = db.proxy;
    stores = await openPostgresStores(db.url, { lockWaitMs: 3000 });
  });
  afterEach(async () => {
    proxy.restore();
    await stores.close();
    await proxy.close();
  });

  for (const mode of ['refuse', 'blackhole'] as const) {
    it(`answers every store call with StoreUnavailableError while the database is gone (${mode}), then recovers`, async () => {
      await stores.directLine.create('dl-o', 'dl_u', []);
      await stores.state.write({ k: { v: 1 } });
      const heard: FeedEvent[] = [];
      stores.directLine.subscribe('dl-o', (e) => heard.push(e));

      proxy.cut(mode);
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['state.read', () => stores.state.read(['k'])],
        ['state.write', () => stores.state.write({ k: { v: 2 } })],
        ['cases.open', () => stores.cases.open(input('u-outage'))],
        ['cases.updateStatus', () => stores.cases.updateStatus('CS-0000-0000', 'closed')],
        ['transcripts.logActivity', async () => stores.transcripts.logActivity({ type: 'message', channelId: 'emulator', conversation: { id: 'c' }, text: 'hi' } as Activity)],
        ['directLine.append', () => stores.directLine.append('dl-o', { type: 'message', text: 'lost' })],
        ['handoffs.position', () => stores.handoffs.position('CS-0000-0000')],
        ['staff.get', () => stores.staff.get('sam')],
        ['deskSessions.get', () => stores.deskSessions.get('x')],
        ['lock.run', () => stores.lock.run('conv-o', async () => 'ran')],
        ['bus.publish', () => stores.bus.publish('t', { n: 1 })],
        ['sharedSecret', () => stores.sharedSecret('directline')],
      ];
      const results = await Promise.all(calls.map(([, call]) => outcome(call())));
      results.forEach(({ err, ms }, i) => {
        const what = calls[i][0];
        if (what === 'sharedSecret' && !err) return; // may be cached from an earlier call: no database needed
        expect(err, what).to.be.instanceOf(StoreUnavailableError);
        expect((err as Error).message, what).to.match(/The database is unavailable \(/).and.not.include(PASSWORD).and.not.include('postgres://');
        expect(ms, `${what} fails fast`).to.be.below(5000);
      });
      const health = await stores.check();
      expect(health).to.include({ backend: 'postgres', ok: false });
      expect(health.reason).to.be.a('string').and.not.include(PASSWORD);

      proxy.restore();
      await eventually(() => stores.state.write({ k: { v: 3 } }));
      expect((await stores.state.read(['k'])).k.v).to.equal(3);
      expect((await stores.check()).ok).to.equal(true);
      expect(await stores.lock.run('conv-o', async () => 'ran')).to.equal('ran');
      const c = await stores.cases.open(input('u-after'));
      expect(await stores.cases.get(c.number)).to.deep.equal(c);
      // the bus listens again, after telling the subscriber it may have missed something
      await eventually(async () => { if (!heard.some((e) => e.kind === 'resync')) throw new Error('no resync yet'); });
      await stores.directLine.append('dl-o', { type: 'message', text: 'back' });
      await eventually(async () => { if (!heard.some((e) => e.kind === 'appended')) throw new Error('not heard yet'); }, 3000);
      expect((await stores.directLine.since('dl-o', 0)).activities.map((a) => a.text)).to.deep.equal(['back']);
    });
  }

  it('keeps serving after the connection of a turn holding a lock is cut mid-turn', async () => {
    let cut!: () => void;
    const cutNow = new Promise<void>((r) => { cut = r; });
    const turn = stores.lock.run('conv-mid', async () => { cut(); await sleep(300); return 'finished'; });
    await cutNow;
    proxy.cut('refuse');
    await sleep(50);
    proxy.restore();
    // the turn's work is done; only its lock's connection was lost (the server dropped the lock with it)
    expect(await turn).to.equal('finished');
    expect(await eventually(() => stores.lock.run('conv-mid', async () => 'again'))).to.equal('again');
  });

  it('refuses to open with StoreUnavailableError, without the password, when the database is not there', async () => {
    proxy.cut('refuse');
    const { url } = await schemaBehindProxy(PASSWORD, proxy);
    const { err, ms } = await outcome(openPostgresStores(url));
    expect(err).to.be.instanceOf(StoreUnavailableError);
    expect((err as Error).message).to.not.include(PASSWORD);
    expect(ms).to.be.below(5000);
  });
});
