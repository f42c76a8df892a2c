import { expect } from 'chai';
import { tempStores } from '../support/stores.js';
import { checkCharacter } from '../../src/cases/caseNumber.js';
import type { CaseStore } from '../../src/storage/caseStore.js';
import { Chat, play, head, b, t } from './harness.js';

const ref = (channelId: string, userId: string, conv = 'c') => ({ channelId, user: { id: userId, name: 'x' }, conversation: { id: conv, isGroup: false, conversationType: 'personal', name: 'x' } });
async function openCase(cases: CaseStore, channelId = 'webchat', userId = 'user-1') {
  return cases.open({ intent: 'login_help', contactMethod: 'phone', summary: 's', stepsTried: [], conversationReference: ref(channelId, userId) });
}
/** A well-formed number (valid check character) that no store holds. */
function unusedNumber(): string {
  const data = 'ZZZZ999';
  const n = data + checkCharacter(data);
  return `CS-${n.slice(0, 4)}-${n.slice(4)}`;
}
/** Changes one data character, keeping the check character: a typo the check catches. */
function typo(number: string): string {
  const c = number[3] === 'A' ? 'B' : 'A';
  return number.slice(0, 3) + c + number.slice(4);
}

describe('case status dialog', () => {
  it('looks up the number given in the message and shows the customer their own case', async () => {
    const cases = (await tempStores()).cases;
    const own = await openCase(cases);
    const chat = await Chat.open({ cases });
    const turn = await chat.say(`what's the status of ${own.number}`);
    expect(turn.text).to.include(own.number).and.include(t('case_status.status.open'));
  });

  it('asks for the number when the message has none, and reads it leniently', async () => {
    const cases = (await tempStores()).cases;
    const own = await openCase(cases);
    const chat = await Chat.open({ cases });
    await play(chat, [['check on my case', head('case_status.ask_number'), [b('my_cases')]]]);
    const sloppy = own.number.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    const turn = await chat.say(sloppy);
    expect(turn.text).to.include(own.number);
  });

  it('tells a mistyped number (check character) from a malformed one, and gives up politely after three', async () => {
    const cases = (await tempStores()).cases;
    const own = await openCase(cases);
    const chat = await Chat.open({ cases });
    await play(chat, [['check on my case', head('case_status.ask_number')], [typo(own.number), head('case_status.bad_check')],
      ['12345', head('case_status.bad_format')], ['still dunno', head('case_status.give_up')]]);
  });

  it("answers someone else's number exactly as it answers a number that does not exist", async () => {
    const cases = (await tempStores()).cases;
    const otherUser = await openCase(cases, 'webchat', 'someone-else');
    const otherChannel = await openCase(cases, 'msteams', 'user-1');
    const replies: string[] = [];
    for (const n of [otherUser.number, otherChannel.number, unusedNumber()]) {
      const chat = await Chat.open({ cases });
      await chat.say('check on my case');
      replies.push((await chat.say(n)).text);
    }
    expect(replies[0]).to.equal(t('case_status.not_found'));
    expect(replies[1]).to.equal(replies[0]);
    expect(replies[2]).to.equal(replies[0]);
    for (const r of replies) expect(r).to.not.include(otherUser.number).and.not.include(otherChannel.number);
  });

  it('"my cases" lists only the customer\'s own cases; none yet says so', async () => {
    const cases = (await tempStores()).cases;
    const a = await openCase(cases);
    const bb = await openCase(cases);
    const theirs = await openCase(cases, 'webchat', 'someone-else');
    const chat = await Chat.open({ cases });
    const turn = await chat.say('show my cases');
    expect(turn.text).to.include(a.number).and.include(bb.number).and.not.include(theirs.number);
    const empty = await Chat.open({ cases, userId: 'new-user' });
    await play(empty, [['check on my case', head('case_status.ask_number')], [b('my_cases'), head('case_status.none')]]);
  });

  it('a case opened by escalation can be checked in the same chat', async () => {
    const chat = await Chat.open();
    await chat.say('talk to a person');
    await chat.say('callback');
    await chat.say('asap');
    const number = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec((await chat.say('skip')).text)![0];
    expect((await chat.say(`status of case ${number}`)).text).to.include(number).and.include(t('case_status.status.open'));
  });

  it('interruption, cancel, and resume after a restart', async () => {
    const cases = (await tempStores()).cases;
    const own = await openCase(cases);
    const chat = await Chat.open({ cases });
    await play(chat, [['check on my case', head('case_status.ask_number')], ['help', head('help.in_dialog')]]);
    await chat.restart();
    expect((await chat.say(own.number)).text).to.include(own.number);
    await play(chat, [['check on my case', head('case_status.ask_number')], ['cancel', head('cancel.done')]]);
  });
});
