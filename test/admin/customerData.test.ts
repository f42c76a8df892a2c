import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, request, say, tempDir, type TestServer } from '../support/server.js';
import { escalate } from '../support/cases.js';
import { storedText } from '../support/stores.js';
import { tsx } from '../support/process.js';

const TOKEN = 'admin-token-for-customer-data-tests';
const admin = { authorization: `Bearer ${TOKEN}` };
const as = (id: string) => ({ from: { id, name: id, role: 'user' } });

/** Two customers who chatted, opened cases and left feedback (one of them on two conversations). */
async function seed(base: string): Promise<{ aliceCase: string; bobCase: string }> {
  await say(base, 'alice-1', 'I forgot my password, my old password was Hunter2!', as('alice'));
  const aliceCase = await escalate(base, 'alice-2', as('alice'));
  const bobCase = await escalate(base, 'bob-1', as('bob'));
  await say(base, 'bob-1', 'thanks, bye', as('bob'));
  return { aliceCase, bobCase };
}

describe('customer data rights: export and erasure (admin API)', () => {
  let srv: TestServer;
  let cases: { aliceCase: string; bobCase: string };
  before(async () => { srv = await startServer({ ADMIN_TOKEN: TOKEN }); cases = await seed(srv.base); });
  after(async () => { await srv.close(); });

  it('refuses both without the admin token', async () => {
    expect((await request('GET', `${srv.base}/api/customers/emulator/alice/export`)).status).to.equal(401);
    expect((await request('DELETE', `${srv.base}/api/customers/emulator/alice`)).status).to.equal(401);
    expect((await request('GET', `${srv.base}/api/audit`)).status).to.equal(401);
  });

  it('exports everything stored about one customer, redacted, and nothing of anyone else', async () => {
    const r = await request('GET', `${srv.base}/api/customers/emulator/alice/export`, undefined, admin);
    expect(r.status).to.equal(200);
    expect(r.json).to.include({ channelId: 'emulator', userId: 'alice' });
    expect(r.json.conversations.map((c: { id: string }) => c.id)).to.deep.equal(['alice-1', 'alice-2']);
    const first = r.json.conversations[0];
    expect(first.transcript.some((a: { text?: string }) => /REDACTED:password/.test(a.text ?? '')), 'the customer\'s words, redacted').to.equal(true);
    expect(first.state, 'the conversation state').to.be.an('object');
    expect(r.json.cases.map((c: { number: string }) => c.number)).to.deep.equal([cases.aliceCase]);
    expect(r.body).to.not.include('Hunter2').and.not.include('bob-1').and.not.include(cases.bobCase);
  });

  it('refuses a malformed customer id with a reason', async () => {
    const r = await request('GET', `${srv.base}/api/customers/emulator/al%01ice/export`, undefined, admin);
    expect(r.status).to.equal(400);
    expect(r.json.message).to.match(/userId/);
  });

  it('erases the customer: transcripts, state and history gone, cases kept without identity; others untouched; a second run finds nothing', async () => {
    const r = await request('DELETE', `${srv.base}/api/customers/emulator/alice`, undefined, admin);
    expect(r.status).to.equal(200);
    expect(r.json.erased).to.include({ conversations: 2, transcripts: 2, casesAnonymised: 1 });
    expect(r.json.erased.states).to.be.at.least(1);
    const { stores } = srv.app;
    expect(await stores.transcripts.conversationsOf('emulator', 'alice')).to.deep.equal([]);
    expect((await stores.transcripts.getTranscriptActivities('emulator', 'alice-1')).items).to.deep.equal([]);
    const kept = (await stores.cases.get(cases.aliceCase))!;
    expect(kept).to.include({ number: cases.aliceCase, channelId: 'emulator' });
    expect(JSON.stringify(kept)).to.not.include('alice');
    expect((await stores.transcripts.getTranscriptActivities('emulator', 'bob-1')).items.length, 'bob keeps his transcript').to.be.greaterThan(0);
    expect((await stores.cases.get(cases.bobCase))!.userId).to.equal('bob');
    await stores.flush();
    // nothing on disk names her any more (the audit log says who was erased, by design)
    expect(storedText(srv.config.dataDir, (name) => name === 'audit.jsonl')).to.not.match(/alice|Hunter2/);
    const again = await request('DELETE', `${srv.base}/api/customers/emulator/alice`, undefined, admin);
    expect(again.json.erased).to.deep.equal({ conversations: 0, transcripts: 0, states: 0, directLine: 0, feedback: 0, casesAnonymised: 0 });
  });

  it('records both in the audit log, which can be read but not changed through the API', async () => {
    const r = await request('GET', `${srv.base}/api/audit?target=emulator%2Falice`, undefined, admin);
    expect(r.status).to.equal(200);
    expect(r.json.entries.map((e: { action: string }) => e.action)).to.include.members(['customer.export', 'customer.erase']);
    expect(r.json.entries[0]).to.include({ actor: 'admin-token' }).and.have.property('at');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const w = await request(method, `${srv.base}/api/audit`, method === 'DELETE' ? undefined : {}, admin);
      expect(w.status, method).to.be.oneOf([404, 405]);
    }
    expect((await request('GET', `${srv.base}/api/audit?limit=0`, undefined, admin)).status).to.equal(400);
  });
});

describe('customer data rights in the terminal (npm run -s cases -- export-customer | forget)', () => {
  it('exports and erases a customer of a stopped server\'s DATA_DIR, recording who did it; refuses while the server runs', async () => {
    const dataDir = join(tempDir(), 'data');
    const srv = await startServer({ DATA_DIR: dataDir, ADMIN_TOKEN: TOKEN });
    await say(srv.base, 'carol-1', 'my bill is wrong', as('carol'));
    const cli = (...args: string[]) => spawnSync(process.execPath, tsx('src/cli/cases.ts', ...args), { encoding: 'utf8', timeout: 60000, env: { ...process.env, DATA_DIR: dataDir } });
    const busy = cli('forget', 'emulator', 'carol');
    expect(busy.status).to.equal(1);
    expect(busy.stderr).to.match(/in use by another running support-bot/);
    await srv.close();
    const exported = cli('export-customer', 'emulator', 'carol');
    expect(exported.status, exported.stderr).to.equal(0);
    expect(JSON.parse(exported.stdout).conversations.map((c: { id: string }) => c.id)).to.deep.equal(['carol-1']);
    const forgot = cli('forget', 'emulator', 'carol');
    expect(forgot.status, forgot.stderr).to.equal(0);
    expect(JSON.parse(forgot.stdout).erased).to.include({ conversations: 1, transcripts: 1 });
    const srv2 = await startServer({ DATA_DIR: dataDir, ADMIN_TOKEN: TOKEN });
    try {
      const audit = await request('GET', `${srv2.base}/api/audit`, undefined, admin);
      expect(audit.json.entries.map((e: { action: string; actor: string }) => `${e.action} ${e.actor.split(':')[0]}`)).to.deep.equal(['customer.erase cli', 'customer.export cli']);
    } finally { await srv2.close(); }
  });
});
