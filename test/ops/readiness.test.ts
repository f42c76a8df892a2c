import { expect } from 'chai';
import { startServer, request, say, type TestServer } from '../support/server.js';
import { schemaBehindProxy } from '../support/postgres.js';
import type { TcpProxy } from '../support/tcpProxy.js';
import { delta, scrape } from '../support/metrics.js';

const TOKEN = 'readiness-test-metrics-token-01';
const PASSWORD = 'readyz-s3cret-pw';

/** Retries until `check` holds (the stores reconnect by themselves) or `ms` pass. */
async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/**
 * Liveness and readiness on the PostgreSQL backend. The database is lost through a TCP proxy in
 * front of the (maybe shared) test server, which itself keeps running: /readyz says 503 with a
 * reason while it is gone and 200 once it is back; /healthz stays a cheap 200 throughout.
 */
describe('/readyz and /healthz when the PostgreSQL database goes away and comes back', () => {
  let proxy: TcpProxy;
  let srv: TestServer;
  beforeEach(async () => {
    const db = await schemaBehindProxy(PASSWORD);
    proxy = db.proxy;
    srv = await startServer({ DATABASE_URL: db.url, METRICS_TOKEN: TOKEN, LOCK_WAIT_MS: '3000' });
  });
  afterEach(async () => {
    proxy.restore();
    await srv.close();
    await proxy.close();
  });

  for (const mode of ['refuse', 'blackhole'] as const) {
    it(`503 while the database is gone (${mode}), 200 when it returns; liveness never waits for it`, async () => {
      const ok = await request('GET', `${srv.base}/readyz`);
      expect(ok.status).to.equal(200);
      expect(ok.json).to.deep.include({ status: 'ready' });
      expect(ok.json.checks.storage).to.include({ backend: 'postgres', ok: true });
      expect(ok.json.checks.model).to.include({ ok: true, intents: 18 });

      proxy.cut(mode);
      let readyDone = false;
      const pending = request('GET', `${srv.base}/readyz`).then((r) => { readyDone = true; return r; });
      const health = await request('GET', `${srv.base}/healthz`);
      expect(health.status).to.equal(200);
      expect(health.json.status).to.equal('ok');
      if (mode === 'blackhole') expect(readyDone, '/healthz answered while /readyz still waited for the database').to.equal(false);
      const down = await pending;
      expect(down.status).to.equal(503);
      expect(down.headers['cache-control']).to.equal('no-store');
      expect(down.json).to.include({ status: 'unavailable' });
      expect(down.json.reason).to.match(/database/i).and.not.include(PASSWORD).and.not.include('postgres://');
      expect(down.json.checks.storage).to.include({ backend: 'postgres', ok: false });

      proxy.restore();
      expect(await eventually(async () => (await request('GET', `${srv.base}/readyz`)).status === 200), 'ready again').to.equal(true);
      expect((await say(srv.base, `back-${mode}`, 'I forgot my password')).status).to.equal(200);
    });
  }

  it('pool gauges are there on PostgreSQL; a turn refused for a lost database is a lock error, not a turn', async () => {
    const before = await scrape(`${srv.base}/metrics`, TOKEN);
    for (const pool of ['query', 'lock']) {
      expect(before.series('supportbot_db_pool_in_use').map((s) => s.labels.pool), pool).to.include(pool);
      expect(before.series('supportbot_db_pool_waiting').map((s) => s.labels.pool), pool).to.include(pool);
    }
    expect((await say(srv.base, 'pg-m-1', 'I forgot my password')).status).to.equal(200);
    const mid = await scrape(`${srv.base}/metrics`, TOKEN);
    expect(delta(before, mid)('supportbot_turns_total', { channel: 'emulator', intent: 'password_reset', outcome: 'ok' })).to.equal(1);
    expect(delta(before, mid)('supportbot_store_operation_seconds_count', { store: 'lock', op: 'wait' })).to.equal(1);
    expect(delta(before, mid)('supportbot_store_errors_total', { store: 'lock' })).to.equal(0);

    proxy.cut('refuse');
    const refused = await say(srv.base, 'pg-m-1', 'it still does not work');
    expect(refused.status).to.equal(503);
    proxy.restore();
    const after = await scrape(`${srv.base}/metrics`, TOKEN);
    expect(delta(mid, after)('supportbot_store_errors_total', { store: 'lock' })).to.equal(1);
    expect(delta(mid, after)('supportbot_turns_total', { channel: 'emulator', intent: 'password_reset', outcome: 'ok' })).to.equal(0);
    expect(after.series('supportbot_turns_total').reduce((n, s) => n + s.value, 0) - mid.series('supportbot_turns_total').reduce((n, s) => n + s.value, 0)).to.equal(0);
  });
});
