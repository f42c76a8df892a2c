import { expect } from 'chai';
import { applyChange, byQueueOrder, forgottenHandoff, newHandoffRecord } from '../../src/handoff/handoffMachine.js';
import type { HandoffChange, HandoffRecord } from '../../src/storage/handoffStore.js';

// The rules every backend applies, as fixed examples: each change from each state, with the whole
// record that results (or the refusal and the record left as it was). The store contracts
// (test/storage/contracts/desk.contract.ts) check that every backend applies them atomically.

const T0 = '2026-01-05T10:00:00.000Z', T1 = '2026-01-05T10:02:00.000Z', T2 = '2026-01-05T10:05:00.000Z', T3 = '2026-01-05T10:09:00.000Z';
const SAM = { username: 'sam', displayName: 'Sam Lee' };
const ALEX = { username: 'alex', displayName: 'Alex Kim' };

const waiting = (): HandoffRecord => newHandoffRecord({ caseNumber: 'CS-2026-0001', channelId: 'webchat', conversationId: 'conv-1', team: 'technical', via: 'desk', at: T0 });
const ok = (r: ReturnType<typeof applyChange>): HandoffRecord => {
  if (!r.ok) throw new Error(`refused: ${r.refusal}`);
  return r.record;
};
const withSam = () => ok(applyChange(waiting(), { kind: 'accept', agent: SAM }, T1));
const transferredBySam = () => ok(applyChange(withSam(), { kind: 'transfer', by: 'sam', toTeam: 'business' }, T2));
const ended = () => ok(applyChange(withSam(), { kind: 'end', reason: 'ended_by_agent', by: 'sam' }, T2));

describe('hand-off state machine (handoffMachine.ts)', () => {
  it('starts a request waiting, queued at the time it was asked, with one "requested" event', () => {
    expect(waiting()).to.deep.equal({
      caseNumber: 'CS-2026-0001', channelId: 'webchat', conversationId: 'conv-1', team: 'technical', via: 'desk',
      status: 'waiting', requestedAt: T0, queuedAt: T0, events: [{ at: T0, kind: 'requested', team: 'technical' }],
    });
  });

  it('waiting → accept → with the agent: who, when, and an "accepted" event naming the team', () => {
    expect(withSam()).to.deep.equal({
      ...waiting(), status: 'with_agent', agent: SAM, acceptedAt: T1,
      events: [{ at: T0, kind: 'requested', team: 'technical' }, { at: T1, kind: 'accepted', by: 'sam', team: 'technical' }],
    });
  });

  it('keeps only the username and display name of the accepting agent', () => {
    const r = ok(applyChange(waiting(), { kind: 'accept', agent: { ...SAM, role: 'agent', extra: 1 } as typeof SAM }, T1));
    expect(r.agent).to.deep.equal(SAM);
  });

  it('returns a copy: the record it was given is left as it was, events included', () => {
    const before = waiting();
    const copy = structuredClone(before);
    const after = ok(applyChange(before, { kind: 'accept', agent: SAM }, T1));
    expect(before).to.deep.equal(copy);
    expect(after.events).to.not.equal(before.events);
  });

  it('with the agent → transfer → waiting for the new team, keeping the place in the queue, with the note', () => {
    const r = ok(applyChange(withSam(), { kind: 'transfer', by: 'sam', toTeam: 'business', note: 'billing question' }, T2));
    expect(r).to.deep.equal({
      ...withSam(), status: 'waiting', team: 'business',
      events: [...withSam().events, { at: T2, kind: 'transferred', by: 'sam', team: 'technical', toTeam: 'business', note: 'billing question' }],
    });
    expect(r.queuedAt, 'a transfer keeps the customer\'s place').to.equal(T0);
  });

  it('records a transfer without a note without a note field', () => {
    const r = ok(applyChange(withSam(), { kind: 'transfer', by: 'sam', toTeam: 'general' }, T2));
    expect(r.events.at(-1)).to.deep.equal({ at: T2, kind: 'transferred', by: 'sam', team: 'technical', toTeam: 'general' });
    expect(ok(applyChange(withSam(), { kind: 'transfer', by: 'sam', toTeam: 'general', note: '' }, T2)).events.at(-1)).to.not.have.property('note');
  });

  it('with the agent → end → ended: when, why and by whom', () => {
    expect(ended()).to.deep.equal({
      ...withSam(), status: 'ended', endedAt: T2, endReason: 'ended_by_agent',
      events: [...withSam().events, { at: T2, kind: 'ended', reason: 'ended_by_agent', by: 'sam' }],
    });
  });

  it('waiting → end (the customer left, or waited too long) without a "by"', () => {
    const r = ok(applyChange(waiting(), { kind: 'end', reason: 'timed_out', onlyIfWaiting: true }, T3));
    expect(r).to.deep.equal({ ...waiting(), status: 'ended', endedAt: T3, endReason: 'timed_out', events: [...waiting().events, { at: T3, kind: 'ended', reason: 'timed_out' }] });
  });

  it('lets the owner end their own chat', () => {
    expect(ok(applyChange(withSam(), { kind: 'end', reason: 'ended_by_agent', by: 'sam', owner: 'sam' }, T2)).status).to.equal('ended');
  });

  it('accepts again after a transfer, by someone else', () => {
    const transferred = ok(applyChange(withSam(), { kind: 'transfer', by: 'sam', toTeam: 'business' }, T2));
    const r = ok(applyChange(transferred, { kind: 'accept', agent: ALEX }, T3));
    expect(r.status).to.equal('with_agent');
    expect(r.agent).to.deep.equal(ALEX);
    expect(r.acceptedAt).to.equal(T3);
    expect(r.events.at(-1)).to.deep.equal({ at: T3, kind: 'accepted', by: 'alex', team: 'business' });
  });

  it('lets an agent under their maximum accept', () => {
    expect(ok(applyChange(waiting(), { kind: 'accept', agent: SAM, maxOpen: 3 }, T1, 2)).status).to.equal('with_agent');
    expect(ok(applyChange(waiting(), { kind: 'accept', agent: SAM }, T1, 50)).status, 'no maximum').to.equal('with_agent');
  });

  // [what, record, change, refusal]: a refusal leaves the record exactly as it was
  const REFUSED: Array<[string, () => HandoffRecord | undefined, HandoffChange, string]> = [
    ['no hand-off', () => undefined, { kind: 'accept', agent: SAM }, 'not_found'],
    ['accepting a chat someone has', withSam, { kind: 'accept', agent: ALEX }, 'taken'],
    ['accepting it again yourself', withSam, { kind: 'accept', agent: SAM }, 'taken'],
    ['accepting an ended chat', ended, { kind: 'accept', agent: ALEX }, 'ended'],
    ['transferring an ended chat', ended, { kind: 'transfer', by: 'sam', toTeam: 'general' }, 'ended'],
    ['ending an ended chat', ended, { kind: 'end', reason: 'customer_left' }, 'ended'],
    ['transferring a waiting chat', waiting, { kind: 'transfer', by: 'sam', toTeam: 'general' }, 'not_owner'],
    ['transferring someone else\'s chat', withSam, { kind: 'transfer', by: 'alex', toTeam: 'general' }, 'not_owner'],
    ['a wait limit ending a live chat', withSam, { kind: 'end', reason: 'timed_out', onlyIfWaiting: true }, 'not_waiting'],
    ['ending someone else\'s chat', withSam, { kind: 'end', reason: 'ended_by_agent', by: 'alex', owner: 'alex' }, 'not_owner'],
    ['an agent ending a waiting chat as its owner', waiting, { kind: 'end', reason: 'ended_by_agent', by: 'sam', owner: 'sam' }, 'not_owner'],
    // after a transfer the record still names the agent who had it last: that is no longer theirs
    ['the last agent transferring a chat they gave back', transferredBySam, { kind: 'transfer', by: 'sam', toTeam: 'general' }, 'not_owner'],
    ['the last agent ending a chat they gave back', transferredBySam, { kind: 'end', reason: 'ended_by_agent', by: 'sam', owner: 'sam' }, 'not_owner'],
  ];
  for (const [what, record, change, refusal] of REFUSED) {
    it(`refuses ${what} (${refusal})`, () => {
      const before = record();
      const r = applyChange(before, change, T3);
      expect(r).to.deep.equal(before ? { ok: false, refusal, record: before } : { ok: false, refusal });
    });
  }

  it('refuses an agent at their maximum of open chats (too_many), and one over it', () => {
    expect(applyChange(waiting(), { kind: 'accept', agent: SAM, maxOpen: 2 }, T1, 2)).to.deep.equal({ ok: false, refusal: 'too_many', record: waiting() });
    expect(applyChange(waiting(), { kind: 'accept', agent: SAM, maxOpen: 2 }, T1, 3)).to.deep.include({ ok: false, refusal: 'too_many' });
    expect(applyChange(waiting(), { kind: 'accept', agent: SAM, maxOpen: 0 }, T1)).to.deep.include({ ok: false, refusal: 'too_many' });
  });

  it('says a chat is taken before counting the agent\'s chats', () => {
    expect(applyChange(withSam(), { kind: 'accept', agent: ALEX, maxOpen: 1 }, T2, 5)).to.deep.include({ ok: false, refusal: 'taken' });
  });

  it('orders the queue by the time queued, then by case number byte-wise', () => {
    const at = (caseNumber: string, queuedAt: string) => ({ ...waiting(), caseNumber, queuedAt });
    const a = at('CS-2026-0002', T1), b = at('CS-2026-0001', T2), c = at('CS-2026-0003', T1), d = at('cs-2026-0000', T1);
    expect([b, c, a, d].sort(byQueueOrder).map((r) => r.caseNumber)).to.deep.equal(['CS-2026-0002', 'CS-2026-0003', 'cs-2026-0000', 'CS-2026-0001']);
    expect(byQueueOrder(a, a)).to.equal(0);
    expect(byQueueOrder(a, c)).to.be.below(0);
    expect(byQueueOrder(c, a)).to.be.above(0);
    expect(byQueueOrder(at('CS-1', '2026-01-05T10:00:00.000Z'), at('CS-0', '2026-01-05T11:00:00+01:00')), 'times compare as instants, not as text').to.be.above(0);
  });

  it('forgets a waiting hand-off by ending it (the customer left) and erasing the conversation id', () => {
    expect(forgottenHandoff(waiting(), T3)).to.deep.equal({
      ...waiting(), conversationId: 'erased', status: 'ended', endedAt: T3, endReason: 'customer_left',
      events: [...waiting().events, { at: T3, kind: 'ended', reason: 'customer_left' }],
    });
  });

  it('forgets an ended hand-off by erasing only the conversation id, keeping who took it', () => {
    const before = ended();
    const r = forgottenHandoff(before, T3);
    expect(r).to.deep.equal({ ...ended(), conversationId: 'erased' });
    expect(before.conversationId, 'the record given is not changed').to.equal('conv-1');
  });
});
