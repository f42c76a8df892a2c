import { expect } from 'chai';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { say, startServer, tempDir, type TestServer } from '../support/server.js';
import { storedText } from '../support/stores.js';
import { openEmbeddedStores } from '../../src/storage/embedded/index.js';
import { HandoffOutcomeRecorder } from '../../src/insights/handoffOutcomes.js';
import type { OutcomeEvent } from '../../src/storage/outcomeStore.js';

type Message = Extract<OutcomeEvent, { kind: 'message' }>;
const ALL = { from: new Date(0), to: new Date('2100-01-01T00:00:00Z') };

/** What one message must be recorded as: its reading, intent, flags, and the stored text (only when it was not understood well). */
interface Row { says: string; reading: Message['reading']; intent?: string; scored: boolean; flag?: 'belowThreshold' | 'outOfScope'; text?: string; topic?: string }

/** One conversation, message by message, in order: how each was taken and what is kept of it. */
const TABLE: Row[] = [
  { says: 'my bill is wrong', reading: 'routed', intent: 'billing', scored: true, topic: 'billing' },
  { says: 'yes', reading: 'answer', scored: true },
  // a button's title: routed without a classifier score
  { says: 'Billing', reading: 'routed', intent: 'billing', scored: false },
  // "Does that cover it?" cannot match it, and the classifier reads none: not understood
  { says: 'purple monkey dishwasher', reading: 'unmatched', intent: 'none', scored: true, flag: 'outOfScope', text: 'purple monkey dishwasher' },
  { says: 'yes', reading: 'answer', scored: true },
  { says: 'phone stuff', reading: 'fallback', intent: 'none', scored: true, flag: 'belowThreshold', text: 'phone stuff' },
  // the secret never reaches the store: the text kept for review is redacted
  { says: 'my pin is 4321 gloop', reading: 'fallback', intent: 'none', scored: true, flag: 'outOfScope', text: 'my pin is [REDACTED:pin] gloop' },
  { says: 'app or data', reading: 'clarify', intent: 'data_usage', scored: true, text: 'app or data' },
];

describe('outcome events: how each customer message is recorded', function () {
  this.timeout(60_000);
  let server: TestServer;
  let t = Date.parse('2026-03-02T09:00:00Z');
  beforeEach(async () => { server = await startServer({}, { now: () => new Date(t) }); });
  afterEach(async () => { await server.close(); });

  it('records every message once with how it was taken; text only when not understood well, redacted', async () => {
    for (const row of TABLE) {
      expect((await say(server.base, 'tbl', row.says)).status).to.equal(200);
      t += 1000;
    }
    const events = await server.app.stores.outcomes.list(ALL);
    expect(events.filter((e) => e.kind === 'conversation.started')).to.have.length(1);
    const messages = events.filter((e): e is Message => e.kind === 'message');
    expect(messages).to.have.length(TABLE.length);
    TABLE.forEach((row, i) => {
      const m = messages[i];
      const where = `"${row.says}"`;
      expect(m.reading, where).to.equal(row.reading);
      if (row.intent) expect(m.intent, where).to.equal(row.intent);
      expect(m.score !== undefined, `${where} scored`).to.equal(row.scored);
      expect(m.text, where).to.equal(row.text);
      expect(m.guesses?.length, where).to.equal(row.text ? 3 : undefined);
      expect(m.belowThreshold, where).to.equal(row.flag === 'belowThreshold' ? true : undefined);
      expect(m.outOfScope, where).to.equal(row.flag === 'outOfScope' ? true : undefined);
      expect(m.topic, where).to.equal(row.topic);
    });
    expect(storedText(join(server.config.dataDir, 'outcomes'))).not.to.include('4321');
    expect(events.filter((e) => e.kind === 'dialog.started').map((e) => (e as { dialog: string }).dialog)).to.deep.equal(['selfService_billing', 'selfService_billing']);
  });

  it('starts a new conversation after a day of quiet, in the same channel conversation', async () => {
    await say(server.base, 'idle', 'hi');
    t += 23 * 3_600_000;
    await say(server.base, 'idle', 'my bill is wrong');
    t += 25 * 3_600_000;
    await say(server.base, 'idle', 'hi');
    const starts = (await server.app.stores.outcomes.list(ALL)).filter((e) => e.kind === 'conversation.started');
    expect(starts).to.have.length(2);
    expect(Date.parse(starts[1].started) - Date.parse(starts[0].started)).to.equal(48 * 3_600_000);
  });

  it('never breaks a turn when the events cannot be written, and records again once they can', async () => {
    const dir = join(server.config.dataDir, 'outcomes');
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, 'not a folder');
    const r = await say(server.base, 'broken', 'my bill is wrong');
    expect(r.status).to.equal(200);
    expect(r.texts.join(' ')).to.match(/view and pay your bill/);
    expect(await server.app.stores.outcomes.list(ALL)).to.deep.equal([]);
    rmSync(dir);
    mkdirSync(dir);
    expect((await say(server.base, 'broken', 'yes')).status).to.equal(200);
    expect((await server.app.stores.outcomes.list(ALL)).map((e) => e.kind)).to.include('message');
  });
});

describe('HandoffOutcomeRecorder', () => {
  it('measures the wait from the escalation and the handle time from the first acceptance, once each, never throwing', async () => {
    const dataDir = join(tempDir('handoff-outcomes-'), 'data');
    const stores = await openEmbeddedStores(dataDir);
    try {
      const recorder = new HandoffOutcomeRecorder({ outcomes: stores.outcomes });
      const started = '2026-03-02T10:00:00.000Z';
      await recorder.accepted({ caseNumber: 'CS-NONE', at: new Date('2026-03-02T10:05:00Z') });
      await recorder.ended({ caseNumber: 'CS-1', at: new Date('2026-03-02T10:06:00Z') });
      expect(await stores.outcomes.list(ALL), 'nothing without an escalation or an acceptance').to.deep.equal([]);
      await stores.outcomes.record([{ id: 'esc', kind: 'escalation', at: '2026-03-02T10:01:00.000Z', started, channelId: 'emulator', conversationId: 'x', caseNumber: 'CS-1', contactMethod: 'live_chat', team: 'general', intent: 'billing' }]);
      await recorder.accepted({ caseNumber: 'CS-1', at: new Date('2026-03-02T10:03:30Z'), by: 'sam' });
      // after a transfer another person accepts: the wait was already measured
      await recorder.accepted({ caseNumber: 'CS-1', at: new Date('2026-03-02T10:20:00Z'), by: 'kim' });
      await recorder.ended({ caseNumber: 'CS-1', at: new Date('2026-03-02T10:30:30Z') });
      await recorder.ended({ caseNumber: 'CS-1', at: new Date('2026-03-02T11:00:00Z') });
      const events = (await stores.outcomes.ofCase('CS-1')).map(({ id, ...e }) => (id === 'esc' ? 'esc' : e));
      expect(events).to.deep.equal([
        'esc',
        { kind: 'handoff.accepted', at: '2026-03-02T10:03:30.000Z', started, channelId: 'emulator', conversationId: 'x', caseNumber: 'CS-1', waitMs: 150_000, by: 'sam' },
        { kind: 'handoff.ended', at: '2026-03-02T10:30:30.000Z', started, channelId: 'emulator', conversationId: 'x', caseNumber: 'CS-1', handleMs: 27 * 60_000 },
      ]);
      // a store that cannot write is logged, not thrown
      await stores.outcomes.record([{ id: 'esc2', kind: 'escalation', at: '2026-03-02T12:00:00.000Z', started, channelId: 'emulator', conversationId: 'y', caseNumber: 'CS-2', contactMethod: 'live_chat', team: 'general', intent: 'billing' }]);
      const dir = join(dataDir, 'outcomes');
      rmSync(dir, { recursive: true, force: true });
      writeFileSync(dir, 'not a folder');
      await recorder.accepted({ caseNumber: 'CS-2', at: new Date('2026-03-02T12:01:00Z') });
      expect((await stores.outcomes.ofCase('CS-2')).map((e) => e.kind)).to.deep.equal(['escalation']);
    } finally { await stores.close(); }
  });
});
