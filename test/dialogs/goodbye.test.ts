import { expect } from 'chai';
import { join } from 'node:path';
import { LowdbFeedbackStore, MemoryFeedbackStore, type FeedbackStore } from '../../src/conversation/feedbackStore.js';
import { tempDir } from '../support/server.js';
import { Chat, play, head, b, m } from './harness.js';

describe('goodbye dialog', () => {
  it('asks whether it was solved and for a rating, and keeps both', async () => {
    const chat = await Chat.open();
    await play(chat, [['I forgot my password', head('recovery.password.steps')], ['yes', head('recovery.password.success')],
      ['thanks, bye', head('goodbye.ask_solved'), [b('yes'), b('no')]], ['yes', head('goodbye.ask_rating'), ['1', '5', b('skip')]], ['4', head('goodbye.bye_solved')]]);
    const [entry] = await chat.feedback.list();
    expect(entry).to.include({ solved: true, rating: 4, topic: 'password_reset', channelId: 'webchat', conversationId: 'conv-1' });
  });

  it('not solved: a person is offered first; declined, the rating comes after and the way back stays open', async () => {
    const chat = await Chat.open();
    await play(chat, [['bye', head('goodbye.ask_solved')], ['nope', head('goodbye.ask_person'), [b('yes_person'), b('no_thanks')]],
      ['no thanks', head('goodbye.ask_rating')], ['skip', head('goodbye.bye_unsolved'), [m('escalate')]]]);
    const [entry] = await chat.feedback.list();
    expect(entry.solved).to.equal(false);
    expect(entry).to.not.have.property('rating');
  });

  it('a failing feedback store never spoils the goodbye', async () => {
    const broken: FeedbackStore = { record: async () => { throw new Error('disk full'); }, list: async () => [] };
    const chat = await Chat.open({ feedback: broken });
    await play(chat, [['bye', head('goodbye.ask_solved')], ['yes', head('goodbye.ask_rating')], ['5', head('goodbye.bye_solved')]]);
    expect(chat.errors.map((e) => e.what)).to.deep.equal(['feedback']);
  });

  it('cancel, and resume after a restart', async () => {
    const chat = await Chat.open();
    await play(chat, [['goodbye', head('goodbye.ask_solved')]]);
    await chat.restart();
    await play(chat, [['yes', head('goodbye.ask_rating')], ['never mind', head('cancel.done')]]);
  });
});

/** One suite for the feedback store interface, run against both implementations. */
const stores: Array<[string, () => Promise<FeedbackStore>]> = [
  ['MemoryFeedbackStore', async () => new MemoryFeedbackStore()],
  ['LowdbFeedbackStore', async () => LowdbFeedbackStore.open(join(tempDir(), 'feedback.json'))],
];
for (const [name, make] of stores) {
  describe(`FeedbackStore contract: ${name}`, () => {
    it('lists what was recorded, in order, as copies', async () => {
      const s = await make();
      await s.record({ at: '2026-01-01T00:00:00Z', channelId: 'webchat', conversationId: 'a', solved: true, rating: 5 });
      await s.record({ at: '2026-01-02T00:00:00Z', channelId: 'msteams', conversationId: 'b', solved: false });
      const list = await s.list();
      expect(list.map((e) => e.conversationId)).to.deep.equal(['a', 'b']);
      list[0].solved = false;
      expect((await s.list())[0].solved).to.equal(true);
    });
  });
}

describe('LowdbFeedbackStore on disk', () => {
  it('keeps feedback across a restart', async () => {
    const file = join(tempDir(), 'feedback.json');
    await (await LowdbFeedbackStore.open(file)).record({ at: 'x', channelId: 'webchat', conversationId: 'a', solved: true });
    expect(await (await LowdbFeedbackStore.open(file)).list()).to.have.length(1);
  });
});
