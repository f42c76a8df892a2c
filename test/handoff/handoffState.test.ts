import { expect } from 'chai';
import { ConversationState, MemoryStorage, type TurnContext } from 'botbuilder';
import { handoffAccessor, HandoffQueue, queueKey } from '../../src/handoff/handoffState.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 9, minute));

describe('HandoffQueue: who waits for a person, in what order', () => {
  it('orders by when each conversation joined, whatever order they are added in', () => {
    const q = new HandoffQueue();
    q.join('webchat/c', at(3));
    q.join('webchat/a', at(1));
    q.join('webchat/b', at(2));
    expect(['webchat/a', 'webchat/b', 'webchat/c'].map((k) => q.position(k, at(59)))).to.deep.equal([1, 2, 3]);
    expect(q.size).to.equal(3);
  });

  it('orders by time, not by key, when the two disagree', () => {
    const q = new HandoffQueue();
    q.join('webchat/zed', at(1));
    q.join('webchat/amy', at(2));
    expect([q.position('webchat/zed', at(1)), q.position('webchat/amy', at(2))]).to.deep.equal([1, 2]);
  });

  it('breaks a tie of the same time by key, so two conversations never share a place', () => {
    const q = new HandoffQueue();
    q.join('webchat/y', at(5));
    q.join('webchat/x', at(5));
    expect([q.position('webchat/x', at(5)), q.position('webchat/y', at(5))]).to.deep.equal([1, 2]);
  });

  it('keeps the first time a conversation joined (joining again does not send it to the back)', () => {
    const q = new HandoffQueue();
    q.join('a', at(1));
    q.join('b', at(2));
    q.join('a', at(9));
    expect(q.position('a', at(9))).to.equal(1);
    expect(q.size).to.equal(2);
  });

  it('moves everyone behind up when one leaves; leaving twice or unknown keys change nothing', () => {
    const q = new HandoffQueue();
    for (const [k, m] of [['a', 1], ['b', 2], ['c', 3]] as const) q.join(k, at(m));
    q.leave('a');
    q.leave('a');
    q.leave('nobody');
    expect(q.size).to.equal(2);
    expect([q.position('b', at(2)), q.position('c', at(3))]).to.deep.equal([1, 2]);
  });

  it('position() puts a conversation it does not know yet in its place (after a restart, from its saved time)', () => {
    const q = new HandoffQueue();
    q.join('late', at(30));
    expect(q.position('early', at(10)), 'rejoined from its own saved time').to.equal(1);
    expect(q.position('late', at(30))).to.equal(2);
    expect(q.size).to.equal(2);
  });

  it('keys a conversation by channel and id (ids are only unique within a channel)', () => {
    expect(queueKey('webchat', 'c1')).to.equal('webchat/c1');
    expect(queueKey('slack', 'c1')).to.not.equal(queueKey('webchat', 'c1'));
    expect(queueKey(undefined, undefined)).to.equal('/');
    expect(queueKey('msteams', undefined)).to.equal('msteams/');
  });

  it('keeps the hand-off in conversation state under "handoff" (state saved before a restart or deploy is read back)', async () => {
    const storage = new MemoryStorage();
    const ctx = () => ({ activity: { channelId: 'webchat', conversation: { id: 'k-1' } }, turnState: new Map() }) as unknown as TurnContext;
    const first = new ConversationState(storage);
    const c1 = ctx();
    await handoffAccessor(first).set(c1, { status: 'waiting', caseNumber: 'CS-4K7P-2M9Q', since: at(1).toISOString() });
    await first.saveChanges(c1);
    const raw = await storage.read(['webchat/conversations/k-1/']);
    expect(raw['webchat/conversations/k-1/']).to.deep.include({ handoff: { status: 'waiting', caseNumber: 'CS-4K7P-2M9Q', since: at(1).toISOString() } });
    const c2 = ctx();
    expect(await handoffAccessor(new ConversationState(storage)).get(c2)).to.deep.equal({ status: 'waiting', caseNumber: 'CS-4K7P-2M9Q', since: at(1).toISOString() });
  });
});
