import { expect } from 'chai';
import { AutoSaveStateMiddleware, ConversationState, MessageFactory, TestAdapter, TurnContext, type Activity, type Storage } from 'botbuilder';
import { Dialog, DialogSet, TextPrompt, WaterfallDialog } from 'botbuilder-dialogs';
import { ConditionalConversationState } from '../../../src/storage/conditionalState.js';
import { StateConflictError } from '../../../src/storage/errors.js';
import type { Stores } from '../../../src/storage/stores.js';
import { manualClock, type Backend, type Place } from '../backends.js';

async function rejects(p: Promise<unknown>): Promise<unknown> {
  try { await p; } catch (e) { return e; }
  throw new Error('expected a rejection');
}

/**
 * The conversation-state `Storage` contract: the checks botbuilder-js runs on its own storage
 * providers (libraries/botbuilder-core/tests/storageBaseTests.js), written here in this
 * project's terms, plus the conditional writes `ConditionalConversationState` relies on.
 */
export function stateStoreContract(backend: Backend): void {
  describe(`StateStore contract: ${backend.name}`, () => {
    let place: Place;
    let stores: Stores;
    let s: Storage;
    beforeEach(async () => { place = await backend.fresh(); stores = await place.open(); s = stores.state; });
    afterEach(async () => { await stores.close(); });

    it('reads nothing for an unknown key', async () => {
      const r = await s.read(['unknown']);
      expect(r).to.be.an('object');
      expect(Object.keys(r)).to.have.length(0);
    });

    it('refuses null keys and null changes with a reason, and accepts writing no items', async () => {
      expect(await rejects(s.read(null as unknown as string[]))).to.be.instanceOf(Error);
      expect(await rejects(s.write(null as unknown as Record<string, never>))).to.be.instanceOf(Error);
      await s.write({});
      await s.write([] as unknown as Record<string, never>);
    });

    it('creates objects and gives each an eTag', async () => {
      await s.write({ createPoco: { id: 1 }, createPocoStoreItem: { id: 2 } });
      const r = await s.read(['createPoco', 'createPocoStoreItem']);
      expect(r.createPoco.id).to.equal(1);
      expect(r.createPocoStoreItem.id).to.equal(2);
      expect(r.createPoco.eTag).to.be.a('string').and.not.equal('');
      expect(r.createPocoStoreItem.eTag).to.be.a('string').and.not.equal(r.createPoco.eTag);
    });

    it('handles keys with any characters', async () => {
      const key = '!@#$%^&*()~/\\><,.?\';"`~ \u0000é漢__proto__';
      await s.write({ [key]: { id: 1 } });
      expect((await s.read([key]))[key].id).to.equal(1);
      expect(({} as Record<string, unknown>).id, 'no prototype pollution').to.equal(undefined);
    });

    it('updates: no eTag and "*" overwrite, the current eTag succeeds, a stale eTag is refused and changes nothing', async () => {
      await s.write({ pocoItem: { id: 1, count: 1 }, pocoStoreItem: { id: 1, count: 1 } });
      const loaded = await s.read(['pocoItem', 'pocoStoreItem']);
      const poco = loaded.pocoItem;
      delete poco.eTag;
      const storeItem = loaded.pocoStoreItem;
      const staleTag = storeItem.eTag;
      poco.count++;
      storeItem.count++;
      await s.write(loaded);
      const reloaded = await s.read(['pocoItem', 'pocoStoreItem']);
      expect(reloaded.pocoItem.count).to.equal(2);
      expect(reloaded.pocoStoreItem.count).to.equal(2);
      expect(reloaded.pocoStoreItem.eTag).to.not.equal(staleTag);

      poco.count = 123;
      await s.write({ pocoItem: poco });
      const stale = { ...storeItem, count: 123, eTag: staleTag };
      expect(await rejects(s.write({ pocoStoreItem: stale }))).to.be.instanceOf(StateConflictError);
      const after = await s.read(['pocoItem', 'pocoStoreItem']);
      expect(after.pocoItem.count).to.equal(123);
      expect(after.pocoStoreItem.count).to.equal(2);

      await s.write({ pocoItem: { ...after.pocoItem, count: 100 }, pocoStoreItem: { ...after.pocoStoreItem, count: 100, eTag: '*' } });
      const final = await s.read(['pocoItem', 'pocoStoreItem']);
      expect([final.pocoItem.count, final.pocoStoreItem.count]).to.deep.equal([100, 100]);
    });

    it('sets the new eTag on the written object, so it can be written again', async () => {
      await s.write({ k: { v: 1 } });
      const item = (await s.read(['k'])).k;
      const before = item.eTag;
      item.v = 2;
      await s.write({ k: item });
      expect(item.eTag).to.be.a('string').and.not.equal(before);
      item.v = 3;
      await s.write({ k: item });
      expect((await s.read(['k'])).k.v).to.equal(3);
    });

    it('refuses a whole batch when one item is stale', async () => {
      await s.write({ a: { v: 1 }, b: { v: 1 } });
      const r = await s.read(['a', 'b']);
      await s.write({ b: { ...r.b, v: 2 } });
      expect(await rejects(s.write({ a: { ...r.a, v: 9 }, b: { ...r.b, v: 9 } }))).to.be.instanceOf(StateConflictError);
      const after = await s.read(['a', 'b']);
      expect([after.a.v, after.b.v]).to.deep.equal([1, 2]);
    });

    it('deletes objects, unknown ones without complaint, and in batches', async () => {
      await s.write({ delete1: { id: 1, count: 1 }, batch1: { count: 10 }, batch2: { count: 20 } });
      expect((await s.read(['delete1'])).delete1.count).to.equal(1);
      await s.delete(['delete1']);
      expect((await s.read(['delete1'])).delete1).to.equal(undefined);
      await s.delete(['unknown_key']);
      await s.delete(['batch1', 'batch2']);
      expect(await s.read(['batch1', 'batch2'])).to.deep.equal({});
    });

    it('returns copies: changing what was read changes nothing stored', async () => {
      await s.write({ k: { list: [1] } });
      const r = await s.read(['k']);
      r.k.list.push(2);
      expect((await s.read(['k'])).k.list).to.deep.equal([1]);
    });

    for (const [name, State] of [['ConversationState', ConversationState], ['ConditionalConversationState', ConditionalConversationState]] as const) {
      it(`proceeds through a waterfall with a prompt, state saved every turn (${name})`, async () => {
        const convoState = new State(s);
        const dialogs = new DialogSet(convoState.createProperty('dialogState'));
        dialogs.add(new TextPrompt('textPrompt', async (pc) => {
          if (pc.recognized.value!.length > 3) { await pc.context.sendActivity(`You got it at the ${pc.attemptCount}th try!`); return true; }
          await pc.context.sendActivity(`Please send a name that is longer than 3 characters. ${pc.attemptCount}`);
          return false;
        }));
        dialogs.add(new WaterfallDialog('waterfallDialog', [
          async (step) => { await step.context.sendActivity('step1'); return Dialog.EndOfTurn; },
          async (step) => step.prompt('textPrompt', { prompt: MessageFactory.text('Please type your name.') }),
          async (step) => { await step.context.sendActivity('step3'); return Dialog.EndOfTurn; },
        ]));
        const adapter = new TestAdapter(async (tc) => {
          const dc = await dialogs.createContext(tc);
          await dc.continueDialog();
          if (!tc.responded) await dc.beginDialog('waterfallDialog');
        }).use(new AutoSaveStateMiddleware(convoState));
        await adapter.send('hello').assertReply('step1')
          .send('hello').assertReply('Please type your name.')
          .send('hi').assertReply('Please send a name that is longer than 3 characters. 1')
          .send('hi').assertReply('Please send a name that is longer than 3 characters. 2')
          .send('Kyle').assertReply('You got it at the 3th try!').assertReply('step3')
          .startTest();
      });
    }

    it('ConditionalConversationState: of two turns that read the same version, the second save is refused and the first one kept', async () => {
      const state = new ConditionalConversationState(s);
      const prop = state.createProperty<{ n: number }>('counter');
      const adapter = new TestAdapter(async () => undefined);
      const activity = { type: 'message', channelId: 'test', conversation: { id: 'race' }, from: { id: 'u' }, recipient: { id: 'b' } } as Activity;
      const first = new TurnContext(adapter, activity);
      await prop.set(first, { n: 1 });
      await state.saveChanges(first);
      const a = new TurnContext(adapter, activity);
      const b = new TurnContext(adapter, activity);
      (await prop.get(a, { n: 0 })).n = 2;
      (await prop.get(b, { n: 0 })).n = 3;
      await state.saveChanges(a);
      expect(await rejects(state.saveChanges(b))).to.be.instanceOf(StateConflictError);
      const check = new TurnContext(adapter, activity);
      expect((await prop.get(check))!.n).to.equal(2);
      // the winner can save again in the same turn: its object carries the new eTag
      (await prop.get(a))!.n = 4;
      await state.saveChanges(a);
      const again = new TurnContext(adapter, activity);
      expect((await prop.get(again))!.n).to.equal(4);
    });

    it('keeps state across a restart', async () => {
      await s.write({ 'emulator/conversations/c1': { dialog: { stack: [1, 2] } } });
      await stores.close();
      stores = await place.open();
      s = stores.state;
      expect((await s.read(['emulator/conversations/c1']))['emulator/conversations/c1'].dialog.stack).to.deep.equal([1, 2]);
    });

    it('purges items not written since the cutoff', async () => {
      await stores.close();
      const clock = manualClock();
      stores = await place.open({ now: clock.now });
      s = stores.state;
      await s.write({ old: { v: 1 } });
      clock.advance(10 * 86_400_000);
      await s.write({ fresh: { v: 1 } });
      expect(await stores.state.purgeOlderThan(new Date(clock.now().getTime() - 86_400_000))).to.equal(1);
      expect(Object.keys(await s.read(['old', 'fresh']))).to.deep.equal(['fresh']);
    });
  });
}
