import { expect } from 'chai';
import type { Activity } from 'botbuilder';
import pg from 'pg';
import { openPostgresStores } from '../../src/storage/postgres/index.js';
import { lockId } from '../../src/storage/postgres/lock.js';
import { readWholeTranscript } from '../../src/transcripts/transcripts.js';
import type { Stores } from '../../src/storage/stores.js';
import { freshSchema } from '../support/postgres.js';
import { input } from '../support/cases.js';

const act = (conversationId: string, text: string, extra: Partial<Activity> = {}) =>
  ({ type: 'message', channelId: 'emulator', conversation: { id: conversationId }, from: { id: 'u1', role: 'user' }, text, ...extra }) as unknown as Activity;

/** What PostgreSQL makes particular: one statement per tick of transcript writes, and text it cannot hold. */
describe('PostgreSQL backend: batching and awkward input', () => {
  let stores: Stores, url: string, schema: string;
  beforeEach(async () => {
    ({ url, schema } = await freshSchema());
    stores = await openPostgresStores(url);
  });
  afterEach(async () => { await stores.close(); });

  it('writes activities logged in one tick (as botbuilder\'s transcript middleware does) in order, across conversations', async () => {
    const t = stores.transcripts;
    // botbuilder's TranscriptLogger may return void or a promise: each call is made now, in this order, and awaited together
    const log = (a: Partial<Activity>) => Promise.resolve(t.logActivity(a as Activity));
    await Promise.all([log(act('one', 'a')), log(act('two', 'x')), log(act('one', 'b')), log(act('one', 'c'))]);
    await Promise.all(Array.from({ length: 30 }, (_, i) => log(act('many', `m${i}`))));
    expect((await readWholeTranscript(t, 'emulator', 'one')).map((a) => a.text)).to.deep.equal(['a', 'b', 'c']);
    expect((await readWholeTranscript(t, 'emulator', 'two')).map((a) => a.text)).to.deep.equal(['x']);
    expect((await readWholeTranscript(t, 'emulator', 'many')).map((a) => a.text)).to.deep.equal(Array.from({ length: 30 }, (_, i) => `m${i}`));
    expect((await t.listTranscripts('emulator')).items.map((i) => i.id).sort()).to.deep.equal(['many', 'one', 'two']);
  });

  it('keeps NUL characters in stored documents, and takes ids that hold one without failing', async () => {
    await stores.transcripts.logActivity(act('nul\u0000conv', 'a\u0000b', { from: { id: 'u\u0000', role: 'user' } as Activity['from'] }));
    const [a] = (await stores.transcripts.getTranscriptActivities('emulator', 'nul\u0000conv')).items;
    expect(a.text).to.equal('a\u0000b');
    const c = await stores.cases.open(input('u\u0000x', { summary: 'odd \u0000 text' }));
    expect((await stores.cases.get(c.number))!.summary).to.equal('odd \u0000 text');
    expect(await stores.cases.listByUser('emulator', 'u\u0000x')).to.have.length(1);
    await stores.directLine.create('dl\u0000', 'dl_u', [{ type: 'message', text: '\u0000' }]);
    expect((await stores.directLine.since('dl\u0000', 0)).activities[0].text).to.equal('\u0000');
  });

  it('reads back a state key that is not valid UTF-16 under the key it was written with', async () => {
    const odd = 'emulator/conversations/\ud800';
    await stores.state.write({ [odd]: { v: 1 } });
    expect(Object.keys(await stores.state.read([odd]))).to.deep.equal([odd]);
  });

  it('reads a Direct Line watermark past the end as the end', async () => {
    await stores.directLine.create('dl-w', 'dl_u', [{ type: 'message', text: 'hi' }]);
    expect(await stores.directLine.since('dl-w', 99)).to.deep.equal({ activities: [], watermark: '1' });
    expect(await stores.directLine.since('nope', 5)).to.deep.equal({ activities: [], watermark: '5' });
  });

  it('queues one conversation\'s tasks in the instance first: one connection holds its lock, none waits in the database', async () => {
    const id = BigInt(lockId(schema, 'conv-q'));
    const unsigned = BigInt.asUintN(64, id);
    const observer = new pg.Client({ connectionString: url });
    await observer.connect();
    try {
      let release!: () => void;
      const first = stores.lock.run('conv-q', () => new Promise<void>((r) => { release = r; }));
      const rest = Array.from({ length: 5 }, () => stores.lock.run('conv-q', async () => undefined));
      await new Promise((r) => setTimeout(r, 200));
      const { rows } = await observer.query<{ granted: boolean }>(
        `select granted from pg_locks where locktype = 'advisory' and classid = $1 and objid = $2 and objsubid = 1`,
        [String(unsigned >> 32n), String(unsigned & 0xffffffffn)]);
      expect(rows.map((r) => r.granted)).to.deep.equal([true]);
      release();
      await Promise.all([first, ...rest]);
    } finally {
      await observer.end();
    }
  });
});
