import { expect } from 'chai';
import type { Stores } from '../../../src/storage/stores.js';
import type { HandoffRequest } from '../../../src/storage/handoffStore.js';
import type { StaffAccount } from '../../../src/storage/staffStore.js';
import type { DeskSession } from '../../../src/storage/deskSessionStore.js';
import type { Backend, Place } from '../backends.js';

const T = (s: number) => new Date(Date.UTC(2026, 2, 1, 9, 0, s)).toISOString();
const req = (n: string, extra: Partial<HandoffRequest> = {}): HandoffRequest => ({ caseNumber: n, channelId: 'directline', conversationId: `conv-${n}`, team: 'general', via: 'desk', at: T(0), ...extra });
const sam = { username: 'sam', displayName: 'Sam' };
const kim = { username: 'kim', displayName: 'Kim' };

/** The desk's stores (hand-offs, staff accounts, sessions), run against every backend. */
export function deskContract(backend: Backend): void {
  describe(`HandoffStore contract: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open(); });
    afterEach(async () => { await stores.close(); });

    it('creates a waiting hand-off once; asking again returns it as it is', async () => {
      const r = await stores.handoffs.request(req('CS-A', { team: 'technical', at: T(5) }));
      expect(r).to.deep.equal({
        caseNumber: 'CS-A', channelId: 'directline', conversationId: 'conv-CS-A', team: 'technical', via: 'desk', status: 'waiting',
        requestedAt: T(5), queuedAt: T(5), events: [{ at: T(5), kind: 'requested', team: 'technical' }],
      });
      expect(await stores.handoffs.request(req('CS-A', { team: 'general', at: T(9) }))).to.deep.equal(r);
      expect(await stores.handoffs.get('CS-A')).to.deep.equal(r);
      expect(await stores.handoffs.get('CS-NONE')).to.equal(undefined);
    });

    it('keeps one queue per team, by time then case number, and counts places within the team', async () => {
      await stores.handoffs.request(req('CS-B', { at: T(2) }));
      await stores.handoffs.request(req('CS-A', { at: T(2) }));
      await stores.handoffs.request(req('CS-C', { at: T(1) }));
      await stores.handoffs.request(req('CS-T', { at: T(0), team: 'technical' }));
      expect((await stores.handoffs.waiting()).map((r) => r.caseNumber)).to.deep.equal(['CS-T', 'CS-C', 'CS-A', 'CS-B']);
      expect(await Promise.all(['CS-C', 'CS-A', 'CS-B', 'CS-T', 'CS-X'].map((n) => stores.handoffs.position(n)))).to.deep.equal([1, 2, 3, 1, undefined]);
    });

    it('walks the state machine: accept, transfer back to a queue keeping the place, accept again, end', async () => {
      await stores.handoffs.request(req('CS-A', { at: T(0) }));
      await stores.handoffs.request(req('CS-B', { at: T(3), team: 'technical' }));
      const accepted = await stores.handoffs.change('CS-A', { kind: 'accept', agent: sam }, T(10));
      expect(accepted.ok).to.equal(true);
      expect(accepted.ok && accepted.record).to.include({ status: 'with_agent', acceptedAt: T(10) });
      expect(accepted.ok && accepted.record.agent).to.deep.equal(sam);
      expect(await stores.handoffs.position('CS-A')).to.equal(undefined);
      expect((await stores.handoffs.withAgent('sam')).map((r) => r.caseNumber)).to.deep.equal(['CS-A']);

      expect(await stores.handoffs.change('CS-A', { kind: 'transfer', by: 'kim', toTeam: 'technical' }, T(11))).to.deep.include({ ok: false, refusal: 'not_owner' });
      const moved = await stores.handoffs.change('CS-A', { kind: 'transfer', by: 'sam', toTeam: 'technical', note: 'needs an engineer' }, T(12));
      expect(moved.ok && moved.record).to.include({ status: 'waiting', team: 'technical', queuedAt: T(0) });
      expect(await stores.handoffs.position('CS-A'), 'it waited before: first in the new queue').to.equal(1);
      expect(await stores.handoffs.position('CS-B')).to.equal(2);
      expect(await stores.handoffs.withAgent('sam')).to.deep.equal([]);

      expect((await stores.handoffs.change('CS-A', { kind: 'accept', agent: kim }, T(20))).ok).to.equal(true);
      expect(await stores.handoffs.change('CS-A', { kind: 'end', reason: 'ended_by_agent', owner: 'sam' }, T(21))).to.deep.include({ ok: false, refusal: 'not_owner' });
      const ended = await stores.handoffs.change('CS-A', { kind: 'end', reason: 'ended_by_agent', owner: 'kim', by: 'kim' }, T(30));
      expect(ended.ok && ended.record).to.include({ status: 'ended', endedAt: T(30), endReason: 'ended_by_agent' });
      const stored = (await stores.handoffs.get('CS-A'))!;
      expect(stored.events.map((e) => [e.kind, e.by ?? '', e.toTeam ?? e.reason ?? ''])).to.deep.equal([
        ['requested', '', ''], ['accepted', 'sam', ''], ['transferred', 'sam', 'technical'], ['accepted', 'kim', ''], ['ended', 'kim', 'ended_by_agent'],
      ]);
      expect(stored.events[2].note).to.equal('needs an engineer');
      // nothing happens to an ended chat
      for (const change of [{ kind: 'accept', agent: sam }, { kind: 'transfer', by: 'kim', toTeam: 'general' }, { kind: 'end', reason: 'customer_left' }] as const) {
        expect(await stores.handoffs.change('CS-A', change, T(40))).to.deep.include({ ok: false, refusal: 'ended' });
      }
      expect(await stores.handoffs.change('CS-NONE', { kind: 'accept', agent: sam }, T(40))).to.deep.equal({ ok: false, refusal: 'not_found' });
    });

    it('refuses a second accept (taken), and a wait-limit end once someone accepted', async () => {
      await stores.handoffs.request(req('CS-A'));
      expect((await stores.handoffs.change('CS-A', { kind: 'accept', agent: sam }, T(1))).ok).to.equal(true);
      const second = await stores.handoffs.change('CS-A', { kind: 'accept', agent: kim }, T(2));
      expect(second).to.deep.include({ ok: false, refusal: 'taken' });
      expect(!second.ok && second.record?.agent).to.deep.equal(sam);
      expect(await stores.handoffs.change('CS-A', { kind: 'end', reason: 'timed_out', onlyIfWaiting: true }, T(3))).to.deep.include({ ok: false, refusal: 'not_waiting' });
    });

    it('gives a chat to exactly one of several agents accepting at the same moment', async () => {
      await stores.handoffs.request(req('CS-RACE'));
      const agents = ['a1', 'a2', 'a3', 'a4', 'a5'].map((u) => ({ username: u, displayName: u }));
      const results = await Promise.all(agents.map((agent) => stores.handoffs.change('CS-RACE', { kind: 'accept', agent }, T(1))));
      expect(results.filter((r) => r.ok)).to.have.length(1);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.refusal)).to.deep.equal(['taken', 'taken', 'taken', 'taken']);
    });

    it('holds an agent to their maximum of open chats, even when they accept several at once', async () => {
      for (const n of ['CS-1', 'CS-2', 'CS-3', 'CS-4']) await stores.handoffs.request(req(n));
      const results = await Promise.all(['CS-1', 'CS-2', 'CS-3', 'CS-4'].map((n) => stores.handoffs.change(n, { kind: 'accept', agent: sam, maxOpen: 2 }, T(1))));
      expect(results.filter((r) => r.ok)).to.have.length(2);
      expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.refusal)).to.deep.equal(['too_many', 'too_many']);
      const refused = ['CS-1', 'CS-2', 'CS-3', 'CS-4'].find((_n, i) => !results[i].ok)!;
      expect((await stores.handoffs.change(refused, { kind: 'accept', agent: kim, maxOpen: 2 }, T(2))).ok, 'another agent still can').to.equal(true);
    });

    it('survives a restart, and drops ended hand-offs older than the retention cut-off', async () => {
      await stores.handoffs.request(req('CS-OLD', { at: T(0) }));
      await stores.handoffs.request(req('CS-NEW', { at: T(0) }));
      await stores.handoffs.change('CS-OLD', { kind: 'end', reason: 'customer_left' }, T(10));
      await stores.handoffs.change('CS-NEW', { kind: 'accept', agent: sam }, T(11));
      await stores.close();
      stores = await place.open();
      expect((await stores.handoffs.get('CS-NEW'))!.status).to.equal('with_agent');
      expect(await stores.handoffs.purgeEndedBefore(new Date(T(20)))).to.equal(1);
      expect(await stores.handoffs.get('CS-OLD')).to.equal(undefined);
      expect(await stores.handoffs.get('CS-NEW')).to.not.equal(undefined);
    });
  });

  describe(`HandoffStore erasure: ${backend.name}`, () => {
    let stores: Stores;
    beforeEach(async () => { stores = await (await backend.fresh()).open(); });
    afterEach(async () => { await stores.close(); });

    it('ends the erased customer\'s hand-offs and drops their conversation id, keeping who took them', async () => {
      await stores.handoffs.request(req('CS-W', { conversationId: 'gone-1' }));
      await stores.handoffs.request(req('CS-L', { conversationId: 'gone-2' }));
      await stores.handoffs.request(req('CS-X', { conversationId: 'gone-1', channelId: 'msteams' }));
      await stores.handoffs.request(req('CS-K', { conversationId: 'kept' }));
      await stores.handoffs.change('CS-L', { kind: 'accept', agent: sam }, T(1));
      expect(await stores.handoffs.forgetConversations('directline', ['gone-1', 'gone-2'], T(5))).to.equal(2);
      const w = (await stores.handoffs.get('CS-W'))!, l = (await stores.handoffs.get('CS-L'))!;
      expect(w).to.include({ status: 'ended', endReason: 'customer_left', conversationId: 'erased', endedAt: T(5) });
      expect(l).to.include({ status: 'ended', conversationId: 'erased' });
      expect(l.agent).to.deep.equal(sam);
      expect((await stores.handoffs.get('CS-X'))!.conversationId, 'another channel is another customer').to.equal('gone-1');
      expect((await stores.handoffs.get('CS-K'))!.status).to.equal('waiting');
      expect(await stores.handoffs.withAgent('sam')).to.deep.equal([]);
      expect(await stores.handoffs.forgetConversations('directline', ['gone-1'], T(9)), 'nothing left to find').to.equal(0);
    });
  });

  describe(`StaffStore contract: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open(); });
    afterEach(async () => { await stores.close(); });
    const account = (username: string, extra: Partial<StaffAccount> = {}): StaffAccount => ({
      username, displayName: username.toUpperCase(), role: 'agent', teams: ['general'], passwordHash: `scrypt$hash-of-${username}`, availability: 'available', createdAt: T(0), updatedAt: T(0), ...extra,
    });

    it('creates a username once, even when two create it at the same moment', async () => {
      const results = await Promise.all([stores.staff.create(account('sam')), stores.staff.create(account('sam', { displayName: 'Other' }))]);
      expect(results.filter(Boolean)).to.have.length(1);
      expect(await stores.staff.create(account('sam'))).to.equal(false);
      expect((await stores.staff.list()).map((a) => a.username)).to.deep.equal(['sam']);
    });

    it('reads, lists by username, updates and removes', async () => {
      await stores.staff.create(account('zoe', { role: 'supervisor', teams: ['general', 'technical'] }));
      await stores.staff.create(account('amy'));
      expect(await stores.staff.get('zoe')).to.deep.equal(account('zoe', { role: 'supervisor', teams: ['general', 'technical'] }));
      expect((await stores.staff.list()).map((a) => a.username)).to.deep.equal(['amy', 'zoe']);
      const changed = await stores.staff.update('amy', { availability: 'away', passwordHash: 'scrypt$new', displayName: undefined }, T(9));
      expect(changed).to.include({ availability: 'away', passwordHash: 'scrypt$new', displayName: 'AMY', updatedAt: T(9) });
      expect(await stores.staff.get('amy')).to.deep.equal(changed);
      expect(await stores.staff.update('nobody', { availability: 'away' }, T(9))).to.equal(undefined);
      expect(await stores.staff.remove('amy')).to.equal(true);
      expect(await stores.staff.remove('amy')).to.equal(false);
      await stores.close();
      stores = await place.open();
      expect((await stores.staff.list()).map((a) => a.username)).to.deep.equal(['zoe']);
    });
  });

  describe(`DeskSessionStore contract: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open(); });
    afterEach(async () => { await stores.close(); });
    const session = (id: string, username: string, extra: Partial<DeskSession> = {}): DeskSession => ({
      id, username, csrfToken: `csrf-${id}`, createdAt: T(0), expiresAt: T(100), lastSeen: T(0), ...extra,
    });

    it('creates, reads, touches forward only, and signs out one session or a whole person', async () => {
      await stores.deskSessions.create(session('s1', 'sam'));
      await stores.deskSessions.create(session('s2', 'sam'));
      await stores.deskSessions.create(session('k1', 'kim'));
      expect(await stores.deskSessions.get('s1')).to.deep.equal(session('s1', 'sam'));
      await stores.deskSessions.touch('s1', T(30));
      await stores.deskSessions.touch('s1', T(20));
      await stores.deskSessions.touch('nobody', T(20));
      expect((await stores.deskSessions.get('s1'))!.lastSeen).to.equal(T(30));
      expect(await stores.deskSessions.delete('k1')).to.equal(true);
      expect(await stores.deskSessions.delete('k1')).to.equal(false);
      expect(await stores.deskSessions.get('k1')).to.equal(undefined);
      expect(await stores.deskSessions.deleteUser('sam')).to.equal(2);
      expect(await stores.deskSessions.get('s2')).to.equal(undefined);
    });

    it('lists sessions seen recently and not expired; purges expired ones; survives a restart', async () => {
      await stores.deskSessions.create(session('fresh', 'sam', { lastSeen: T(50) }));
      await stores.deskSessions.create(session('stale', 'kim', { lastSeen: T(10) }));
      await stores.deskSessions.create(session('expired', 'amy', { lastSeen: T(55), expiresAt: T(58) }));
      expect((await stores.deskSessions.active(T(40), T(60))).map((s) => s.id)).to.deep.equal(['fresh']);
      await stores.close();
      stores = await place.open();
      expect(await stores.deskSessions.purgeExpired(T(60))).to.equal(1);
      expect(await stores.deskSessions.get('expired')).to.equal(undefined);
      expect((await stores.deskSessions.get('fresh'))!.lastSeen).to.equal(T(50));
    });
  });
}
