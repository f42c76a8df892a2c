import { expect } from 'chai';
import { cpSync, readFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request, say, startServer, tempDir, type TestServer } from '../support/server.js';
import type { ReviewGroup } from '../../src/review/queue.js';
import type { ModelStatus } from '../../src/review/retrainer.js';
import { loadConfig } from '../../src/config.js';
import { loadIntents } from '../../src/nlu/intents.js';

const run = promisify(execFile);
const TOKEN = 'review-test-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Either wording of "I didn't get that" (data/messages.yml, fallback.first). */
const FALLBACK = /didn't quite get that|not sure I understood/;

/** What customers wrote that the shipped model does not understand ("tell me a joke" is an example of none). */
const MISUNDERSTOOD = ['my fone is kaput', 'my fone is kaput', 'the fone went kaput', 'fone kaput', 'tell me a joke', 'whats the weather'];

async function queue(server: TestServer): Promise<{ groups: number; messages: number; queue: ReviewGroup[]; model: ModelStatus }> {
  const r = await request('GET', `${server.base}/api/review/queue`, undefined, auth);
  expect(r.status, r.body).to.equal(200);
  return r.json;
}
async function model(server: TestServer): Promise<ModelStatus> {
  const r = await request('GET', `${server.base}/api/review/model`, undefined, auth);
  expect(r.status).to.equal(200);
  return r.json;
}
/** Waits until the serving model learned revision `revision` (or its retrain failed). */
async function retrained(server: TestServer, revision: number, ms = 90_000): Promise<ModelStatus> {
  const end = Date.now() + ms;
  for (;;) {
    const m = await model(server);
    if (m.state !== 'training' && (m.revision >= revision || m.lastError?.revision === revision)) return m;
    if (Date.now() > end) throw new Error(`no retrain to revision ${revision}: ${JSON.stringify(m)}`);
    await sleep(200);
  }
}
const post = (server: TestServer, body: unknown) => request('POST', `${server.base}/api/review/labels`, body as object, auth);

describe('review loop: queue, labels, background retraining', function () {
  this.timeout(240_000);
  let server: TestServer;
  before(async () => {
    server = await startServer({ ADMIN_TOKEN: TOKEN });
    let n = 0;
    for (const text of MISUNDERSTOOD) expect((await say(server.base, `m${n++}`, text)).status).to.equal(200);
  });
  after(async () => { await server?.close(); });

  it('groups misunderstood messages by similarity, with counts, redacted text and the bot\'s best guesses', async () => {
    const q = await queue(server);
    expect([q.groups, q.messages]).to.deep.equal([3, 6]);
    const fone = q.queue[0];
    expect([fone.count, fone.sample, fone.language]).to.deep.equal([4, 'my fone is kaput', 'en']);
    expect(fone.messages.map((m) => m.text).sort()).to.deep.equal(['fone kaput', 'my fone is kaput', 'my fone is kaput', 'the fone went kaput']);
    expect(fone.messageIds).to.have.length(4);
    expect(fone.guesses).to.have.length(3);
    expect(fone.guesses[0].intent).to.equal('none');
    expect(fone.now).to.include({ understood: false });
    expect(q.queue.slice(1).map((g) => g.sample).sort()).to.deep.equal(['tell me a joke', 'whats the weather']);
    expect(q.model).to.include({ state: 'ready', revision: 0, labels: 0 });
  });

  it('refuses an unknown intent, an unknown message, a bad body, and a phrasing that is another intent\'s example', async () => {
    const q = await queue(server);
    const id = q.queue[0].messageIds[0];
    const bad: Array<[unknown, number, RegExp]> = [
      [{ messageIds: [id], intent: 'weather_report' }, 400, /"weather_report" is not an intent; use one of greeting/],
      [{ messageIds: [id] }, 400, /Give an intent/],
      [{ messageIds: [id], intent: 'billing', outOfScope: true }, 400, /either an intent or outOfScope/],
      [{ messageIds: [], intent: 'billing' }, 400, /list of 1 to 1000 message ids/],
      [{ messageIds: ['no-such-message'], intent: 'billing' }, 404, /no-such-message is not in the review queue/],
      [[1, 2], 400, /Send a JSON object/],
    ];
    for (const [body, status, reason] of bad) {
      const r = await post(server, body);
      expect(r.status, JSON.stringify(body)).to.equal(status);
      expect(r.json.message, JSON.stringify(body)).to.match(reason);
    }
    // "tell me a joke" is an example in intents/none.yml: it cannot become billing
    const joke = q.queue.find((g) => g.sample === 'tell me a joke')!;
    const conflict = await post(server, { messageIds: joke.messageIds, intent: 'billing' });
    expect(conflict.status).to.equal(409);
    expect(conflict.json).to.deep.equal({ code: 'PhrasingConflict', message: '"tell me a joke" is already an example of none (intents/none.yml); one phrasing cannot be under two intents. Label it none, or change that file first.' });
    expect((await post(server, { messageIds: [id], intent: 'billing' })).status).to.equal(201);
    // undo that one, for the rest of the story
    expect((await request('DELETE', `${server.base}/api/review/labels/${id}`, undefined, auth)).status).to.equal(204);
    expect((await request('DELETE', `${server.base}/api/review/labels/${id}`, undefined, auth)).status).to.equal(404);
    expect((await request('POST', `${server.base}/api/review/labels`, { messageIds: [id], intent: 'billing' })).status).to.equal(401);
  });

  it('two supervisors labelling the same group at once: one wins, the other is told', async () => {
    const fone = (await queue(server)).queue[0];
    const [a, b] = await Promise.all([
      post(server, { messageIds: fone.messageIds, intent: 'tech_support' }),
      post(server, { messageIds: fone.messageIds, outOfScope: true }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).to.deep.equal([201, 409]);
    const lost = a.status === 409 ? a : b;
    const won = a.status === 201 ? a : b;
    expect(lost.json.code).to.equal('AlreadyLabelled');
    expect(lost.json.message).to.match(/^4 of these messages were labelled already, by admin-token as (tech_support|out of scope); nothing was changed/);
    // whichever won, the group is settled as tech support for the rest of the story
    if (won.json.labels[0].intent !== 'tech_support') {
      for (const id of fone.messageIds) await request('DELETE', `${server.base}/api/review/labels/${id}`, undefined, auth);
      expect((await post(server, { messageIds: fone.messageIds, intent: 'tech_support' })).status).to.equal(201);
    }
    const q = await queue(server);
    expect(q.queue.map((g) => g.sample), 'labelled messages leave the queue').to.not.include('my fone is kaput');
  });

  it('every label retrains in the background, turns keep being answered meanwhile, and the same message is then understood', async () => {
    const first = await request('GET', `${server.base}/api/review/labels`, undefined, auth);
    await retrained(server, first.json.revision);
    const weather = (await queue(server)).queue.find((g) => g.sample === 'whats the weather')!;
    const r = await post(server, { messageIds: weather.messageIds, outOfScope: true });
    expect(r.status).to.equal(201);
    expect((await model(server)).state, 'the retrain has started').to.equal('training');
    // customers keep chatting while the model trains: every turn is answered, by the model serving then
    const during = await Promise.all(Array.from({ length: 10 }, (_, i) => say(server.base, `during-${i}`, 'my bill is wrong')));
    expect(during.map((d) => [d.status, /pay your bill/.test(d.texts.join(' '))])).to.deep.equal(Array(10).fill([200, true]));
    const m = await retrained(server, r.json.revision);
    expect(m).to.include({ state: 'ready', revision: r.json.revision, labels: 5 });
    // the model learns English and Spanish together: both languages' examples, plus the 5 labelled messages
    const dir = loadConfig({}).intentsDir;
    const examples = (d: ReturnType<typeof loadIntents>) => d.reduce((n, i) => n + i.examples.length, 0);
    expect(m.examples).to.equal(examples(loadIntents(dir)) + examples(loadIntents(join(dir, 'es'))) + 5);
    const now = await say(server.base, 'after-label', 'my fone is kaput');
    expect(now.texts.join(' ')).to.not.match(FALLBACK);
    const last = (await server.app.stores.outcomes.list({ from: new Date(0), to: new Date(Date.now() + 60_000), kinds: ['message'] })).filter((e) => e.conversationId === 'after-label');
    expect(last.map((e) => [e.kind === 'message' && e.reading, e.kind === 'message' && e.intent])).to.deep.equal([['routed', 'tech_support']]);
    const after = await request('GET', `${server.base}/api/review/labels`, undefined, auth);
    expect(after.json.labels.map((l: { text: string; learned: boolean; now: { intent: string } }) => [l.text, l.now.intent, l.learned]))
      .to.deep.include.members([['my fone is kaput', 'tech_support', true], ['fone kaput', 'tech_support', true], ['whats the weather', 'none', true]]);
  });

  it('measures cross-validated accuracy before and after the labels, in the background', async () => {
    const started = await request('POST', `${server.base}/api/review/model/evaluate`, undefined, auth);
    expect(started.status).to.equal(202);
    expect(started.json.evaluation.state).to.equal('running');
    let m = started.json as ModelStatus;
    const end = Date.now() + 180_000;
    while (m.evaluation.state === 'running' && Date.now() < end) { await sleep(500); m = await model(server); }
    expect(m.evaluation.state).to.equal('done');
    const { before, after, folds } = m.evaluation;
    expect(folds).to.equal(5);
    expect(after!.examples - before!.examples).to.equal(5);
    expect(after!.revision).to.equal(m.revision);
    for (const x of [before!, after!]) expect(x.accuracy).to.be.within(0.8, 1);
  });

  it('npm run -s review -- export writes the labels into a copy of intents/, keeping the file, and again adds nothing', async () => {
    const dir = join(tempDir('intents-copy-'), 'intents');
    cpSync(loadConfig({}).intentsDir, dir, { recursive: true });
    const before = readFileSync(join(dir, 'tech_support.yml'), 'utf8');
    const env = { ...process.env, DATA_DIR: server.config.dataDir, DATABASE_URL: '' };
    const first = await run('npm', ['run', '-s', 'review', '--', 'export', '--intents', dir], { env });
    expect(first.stdout).to.match(/added 3 to .*tech_support\.yml/).and.match(/added 1 to .*none\.yml/);
    const written = readFileSync(join(dir, 'tech_support.yml'), 'utf8');
    expect(written.startsWith(before.trimEnd()), 'the file as it was, then the new examples').to.equal(true);
    const added = written.slice(before.trimEnd().length).split('\n').filter(Boolean);
    expect(added[0]).to.equal('  # from the review queue (npm run -s review -- export)');
    expect(added.slice(1).sort()).to.deep.equal(['  - fone kaput', '  - my fone is kaput', '  - the fone went kaput']);
    expect(loadIntents(dir).find((d) => d.intent === 'tech_support')!.examples.slice(-3).sort()).to.deep.equal(['fone kaput', 'my fone is kaput', 'the fone went kaput']);
    const again = await run('npm', ['run', '-s', 'review', '--', 'export', '--intents', dir], { env });
    expect(again.stdout).to.match(/0 phrasings written, 4 skipped/);
    expect(readFileSync(join(dir, 'tech_support.yml'), 'utf8')).to.equal(written);
  });
});

describe('review loop: a retrain that fails', function () {
  this.timeout(120_000);
  it('keeps the old model serving, logs it and shows it', async () => {
    // a training thread with 8 MB of heap runs out of memory: a real failure, not a pretend one
    const server = await startServer({ ADMIN_TOKEN: TOKEN, REVIEW_TRAINING_MEMORY_MB: '8' });
    try {
      await say(server.base, 'f1', 'my fone is kaput');
      const group = (await queue(server)).queue[0];
      const r = await post(server, { messageIds: group.messageIds, intent: 'tech_support' });
      expect(r.status).to.equal(201);
      const m = await retrained(server, r.json.revision);
      expect(m.state).to.equal('failed');
      expect(m.revision, 'still the shipped model').to.equal(0);
      expect(m.lastError).to.include({ revision: r.json.revision });
      expect(m.lastError!.message).to.match(/ran out of memory \(limit 8 MB\)/);
      const reply = await say(server.base, 'f2', 'my fone is kaput');
      expect(reply.status).to.equal(200);
      expect(reply.texts.join(' '), 'the old model answers as before').to.match(FALLBACK);
    } finally { await server.close(); }
  });
});
