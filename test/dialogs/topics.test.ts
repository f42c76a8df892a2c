import { expect } from 'chai';
import { Chat, play, head, b, m } from './harness.js';

const CASE = /CS-[0-9A-Z]{4}-[0-9A-Z]{4}/;

const SELF_SERVICE: Array<[string, string]> = [
  ['billing', 'I want to pay my bill'],
  ['data_usage', 'how much data have I used'],
  ['plan_change', 'I want to change my plan'],
  ['store_visit', 'where is the nearest store'],
];

describe('self-service dialogs', () => {
  for (const [topic, opener] of SELF_SERVICE) {
    describe(topic, () => {
      it('says what the customer can do and where; done', async () => {
        const chat = await Chat.open();
        await play(chat, [[opener, head(`self_service.${topic}.info`), [b('yes'), b('signin_help'), b('person')]], ['yes thanks', head('self_service.glad')]]);
      });

      it('cannot sign in → sign-in help', async () => {
        const chat = await Chat.open();
        await play(chat, [[opener, head(`self_service.${topic}.info`)], [b('signin_help'), head('login.ask_path')], ['website', head('login.signin.website')]]);
      });

      it('a person → a case for this topic', async () => {
        const chat = await Chat.open();
        await play(chat, [[opener, head(`self_service.${topic}.info`)], ['talk to a person', head('escalate.ask_method')]]);
        const done = await chat.say('text');
        const record = (await chat.cases.get(CASE.exec(done.text)![0]))!;
        expect(record).to.include({ intent: topic, contactMethod: 'text' });
        expect(done.text).to.include(head('escalate.method.text')).and.include(head('escalate.have_ready'));
      });

      it('cancel, and resume after a restart', async () => {
        const chat = await Chat.open();
        await play(chat, [[opener, head(`self_service.${topic}.info`)]]);
        await chat.restart();
        await play(chat, [['3', head('escalate.ask_method')], ['start over', head('cancel.done'), [m('escalate')]]]);
      });
    });
  }
});

const TEAMS: Array<[string, string]> = [
  ['business', 'I need help with my business account'],
  ['international', 'will my phone work when I travel to Mexico'],
  ['tech_support', 'my phone has no signal'],
];

describe('specialised support dialogs', () => {
  for (const [team, opener] of TEAMS) {
    describe(team, () => {
      it('guides, then routes to the team through escalation (the case records the team)', async () => {
        const chat = await Chat.open();
        await play(chat, [[opener, head(`specialist.${team}.info`), [b('yes'), b('no_thanks')]], ['yes', head('escalate.ask_method_team')]]);
        await play(chat, [['call me back', head('escalate.ask_callback_time')]]);
        const done = await chat.say('tomorrow morning');
        const record = (await chat.cases.get(CASE.exec(done.text)![0]))!;
        expect(record.callbackWindow).to.equal('tomorrow morning');
        expect(record).to.include({ intent: team, team, contactMethod: 'callback' });
        expect(done.text).to.include(head('escalate.team_note'));
      });

      it('no thanks; help mid-dialog; resume after a restart', async () => {
        const chat = await Chat.open();
        await play(chat, [[opener, head(`specialist.${team}.info`)], ['help', head('help.in_dialog')]]);
        await chat.restart();
        await play(chat, [['no thanks', head('specialist.no_thanks')]]);
      });
    });
  }
});
