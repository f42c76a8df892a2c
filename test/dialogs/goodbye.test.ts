import { expect } from 'chai';
import type { FeedbackStore } from '../../src/storage/feedbackStore.js';
import { tempStores } from '../support/stores.js';
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
    const real = (await tempStores()).feedback;
    // the real store, whose disk refuses the write
    const broken: FeedbackStore = Object.assign(Object.create(real), { record: async () => { throw new Error('disk full'); } });
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
