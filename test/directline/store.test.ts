import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConversationStore } from '../../src/directline/store.js';
import { DirectLineTokens, TokenError } from '../../src/directline/tokens.js';
import { tempDir } from '../support/server.js';

const msg = (text: string) => ({ type: 'message', text });

describe('Direct Line conversation store', () => {
  it('numbers activities <conversationId>|<seq> and answers from a watermark', () => {
    const s = ConversationStore.inMemory();
    s.ensure('c1', 'dl_u');
    const a = s.append('c1', msg('one'));
    s.append('c1', msg('two'));
    expect(a.id).to.equal('c1|0000000');
    expect(s.since('c1', undefined)).to.deep.include({ watermark: '2' });
    expect(s.since('c1', '1').activities.map((x) => x.text)).to.deep.equal(['two']);
    expect(s.since('c1', '2').activities).to.deep.equal([]);
    expect(s.since('c1', 'junk').activities).to.have.length(2);
  });

  it('keeps at most maxActivities per conversation, with watermarks still counting up', () => {
    const s = ConversationStore.inMemory({ maxActivities: 3 });
    s.ensure('c', 'u');
    for (let i = 0; i < 5; i++) s.append('c', msg(`m${i}`));
    expect(s.since('c', undefined)).to.deep.equal({ activities: s.get('c')!.activities, watermark: '5' });
    expect(s.since('c', undefined).activities.map((x) => x.text)).to.deep.equal(['m2', 'm3', 'm4']);
    expect(s.since('c', '4').activities.map((x) => x.text)).to.deep.equal(['m4']);
    expect(s.since('c', '1').activities.map((x) => x.text)).to.deep.equal(['m2', 'm3', 'm4']);
  });

  it('expires idle conversations but not ones with an open stream', () => {
    let now = 1_000_000;
    const s = ConversationStore.inMemory({ idleMs: 1000, now: () => now });
    s.ensure('idle', 'u');
    s.ensure('watched', 'u');
    const off = s.subscribe('watched', () => undefined);
    now += 5000;
    expect(s.purgeIdle()).to.equal(1);
    expect(s.get('idle')).to.equal(undefined);
    expect(s.get('watched')).to.exist;
    off();
    expect(s.purgeIdle()).to.equal(1);
  });

  it('keeps at most maxConversations, dropping the least recently active', () => {
    let now = 0;
    const s = ConversationStore.inMemory({ maxConversations: 2, now: () => ++now });
    s.ensure('a', 'u');
    s.ensure('b', 'u');
    s.append('a', msg('still here'));
    s.ensure('c', 'u');
    expect([s.get('a'), s.get('b'), s.get('c')].map(Boolean)).to.deep.equal([true, false, true]);
  });

  it('pushes appended and ephemeral activities to subscribers', () => {
    const s = ConversationStore.inMemory();
    s.ensure('c', 'u');
    const got: any[] = [];
    const off = s.subscribe('c', (set) => got.push(set));
    s.append('c', msg('hi'));
    s.publishEphemeral('c', { type: 'typing' });
    off();
    s.append('c', msg('after'));
    expect(got.map((g) => g.activities[0].type)).to.deep.equal(['message', 'typing']);
    expect(s.since('c', undefined).activities.map((x) => x.type)).to.deep.equal(['message', 'message']);
  });

  it('writes to its file and reads it back (a restart)', async () => {
    const file = join(tempDir(), 'directline.json');
    const s = await ConversationStore.open(file);
    s.ensure('c', 'dl_u');
    s.append('c', msg('kept'));
    await s.flush();
    const again = await ConversationStore.open(file);
    expect(again.get('c')?.userId).to.equal('dl_u');
    expect(again.since('c', undefined).activities.map((x) => x.text)).to.deep.equal(['kept']);
  });

  it('redacts secrets a customer typed in a file written before redaction on arrival, and writes it back', async () => {
    const file = join(tempDir(), 'directline.json');
    const now = Date.now();
    writeFileSync(file, JSON.stringify({ conversations: { c: { id: 'c', userId: 'dl_u', createdAt: new Date(now).toISOString(), lastActive: now, next: 2, activities: [
      { type: 'message', id: 'c|0000000', text: 'my password is Hunter2!', from: { id: 'dl_u', role: 'user' } },
      { type: 'message', id: 'c|0000001', text: 'Call us at 555-123-4567', from: { id: 'support-bot', role: 'bot' } },
    ] } } }));
    const s = await ConversationStore.open(file);
    expect(s.since('c', undefined).activities.map((x) => x.text)).to.deep.equal(['my password is [REDACTED:password]', 'Call us at 555-123-4567']);
    await s.flush();
    expect(readFileSync(file, 'utf8')).not.to.contain('Hunter2');
  });
});

describe('Direct Line tokens', () => {
  const tokens = new DirectLineTokens('a-secret-of-enough-length', 60);
  it('round-trips claims and refuses tampering, other secrets and expiry with a reason', () => {
    const { token } = tokens.issue('conv', 'dl_user');
    expect(tokens.verify(token)).to.include({ conv: 'conv', user: 'dl_user' });
    const reason = (f: () => unknown) => { try { f(); return 'accepted'; } catch (e) { return (e as TokenError).reason; } };
    expect(reason(() => tokens.verify(undefined))).to.equal('missing');
    expect(reason(() => tokens.verify('x.y'))).to.equal('malformed');
    expect(reason(() => tokens.verify(token.slice(0, -3) + 'abc'))).to.equal('forged');
    expect(reason(() => new DirectLineTokens('another-secret-of-length', 60).verify(token))).to.equal('forged');
    expect(reason(() => new DirectLineTokens('a-secret-of-enough-length', 60, () => Date.now() + 61_000).verify(token))).to.equal('expired');
  });
  it('fails fast without a usable secret', () => {
    expect(() => new DirectLineTokens('short', 60)).to.throw(/\[DirectLineTokens\]/);
  });
});
