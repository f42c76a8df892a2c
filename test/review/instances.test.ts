import { expect } from 'chai';
import { request, say, startServer, type TestServer } from '../support/server.js';
import { freshSchema } from '../support/postgres.js';
import type { ModelStatus } from '../../src/review/retrainer.js';

const TOKEN = 'review-instances-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two instances on one PostgreSQL database (as behind a load balancer). */
describe('review loop and insights across two instances (PostgreSQL)', function () {
  this.timeout(180_000);
  let a: TestServer, b: TestServer;
  before(async () => {
    const { url } = await freshSchema();
    a = await startServer({ ADMIN_TOKEN: TOKEN, DATABASE_URL: url });
    b = await startServer({ ADMIN_TOKEN: TOKEN, DATABASE_URL: url });
  });
  after(async () => { await a?.close(); await b?.close(); });

  it('a label taken on one instance retrains every instance; the other one then understands the message', async () => {
    expect((await say(a.base, 'on-a', 'my fone is kaput')).status).to.equal(200);
    expect((await say(b.base, 'on-b', 'fone kaput')).status).to.equal(200);
    const q = await request('GET', `${b.base}/api/review/queue`, undefined, auth);
    expect(q.json.queue.map((g: { count: number; messages: Array<{ text: string }> }) => [g.count, g.messages.map((m) => m.text).sort()]), 'one queue, both instances\' messages')
      .to.deep.equal([[2, ['fone kaput', 'my fone is kaput']]]);
    const ids = q.json.queue[0].messageIds;
    // the same group labelled on both instances at the same moment: exactly one wins
    const [ra, rb] = await Promise.all([
      request('POST', `${a.base}/api/review/labels`, { messageIds: ids, intent: 'tech_support' }, auth),
      request('POST', `${b.base}/api/review/labels`, { messageIds: ids, intent: 'tech_support' }, auth),
    ]);
    expect([ra.status, rb.status].sort()).to.deep.equal([201, 409]);
    const revision = (ra.status === 201 ? ra : rb).json.revision as number;
    for (const server of [a, b]) {
      const end = Date.now() + 90_000;
      let m: ModelStatus;
      do { await sleep(200); m = (await request('GET', `${server.base}/api/review/model`, undefined, auth)).json; } while ((m.revision < revision || m.state === 'training') && Date.now() < end);
      expect(m, server === a ? 'instance a' : 'instance b').to.include({ state: 'ready', revision, labels: 2 });
    }
    for (const server of [a, b]) {
      const r = await say(server.base, `after-${server === a ? 'a' : 'b'}`, 'my fone is kaput');
      expect(r.texts.join(' ')).to.not.match(/didn't quite get that|not sure I understood/);
    }
  });

  it('counts the conversations of every instance', async () => {
    const r = await request('GET', `${a.base}/api/insights`, undefined, auth);
    expect(r.status).to.equal(200);
    expect(r.json.totals.conversations).to.equal(4);
    expect(r.json.totals.fallbacks).to.equal(2);
    const fromB = await request('GET', `${b.base}/api/insights`, undefined, auth);
    expect(fromB.json).to.deep.equal(r.json);
  });
});
