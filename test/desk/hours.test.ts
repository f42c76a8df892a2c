import { expect } from 'chai';
import { isOpen, LiveChatHours } from '../../src/handoff/hours.js';
import { Content } from '../../src/content/content.js';
import { Chat, content } from '../dialogs/harness.js';

const hours = (h: Record<string, unknown>) => LiveChatHours.parse(h);

describe('live chat opening hours (data/brand.yml liveChat)', () => {
  const ny = hours({ timeZone: 'America/New_York', hours: { mon: '08:00-20:00', sat: '09:00-12:00, 13:00-17:00', sun: '10:00-24:00' } });
  const at = (iso: string) => new Date(iso);
  const table: Array<[string, boolean, string]> = [
    ['2026-03-02T12:59:00Z', false, 'Monday 07:59 in New York'],
    ['2026-03-02T13:00:00Z', true, 'Monday 08:00'],
    ['2026-03-03T00:59:00Z', true, 'Monday 19:59'],
    ['2026-03-03T01:00:00Z', false, 'Monday 20:00 (ends)'],
    ['2026-03-03T15:00:00Z', false, 'Tuesday: not listed, closed'],
    ['2026-03-07T16:30:00Z', true, 'Saturday 11:30'],
    ['2026-03-07T17:30:00Z', false, 'Saturday 12:30, the lunch gap'],
    ['2026-03-09T03:59:00Z', true, 'Sunday 23:59 (24:00 ends at midnight)'],
    ['2026-07-06T12:30:00Z', true, 'Monday 08:30 in summer time (UTC-4)'],
  ];
  for (const [iso, open, what] of table) it(`${what}: ${open ? 'open' : 'closed'}`, () => expect(isOpen(ny, at(iso))).to.equal(open));

  it('is always open when no hours are set', () => {
    expect(isOpen(hours({}), at('2026-03-03T03:00:00Z'))).to.equal(true);
  });

  it('refuses hours it cannot read, and hours without a time zone', () => {
    expect(() => hours({ timeZone: 'Mars/Olympus', hours: {} })).to.throw(/IANA time zone/);
    expect(() => hours({ timeZone: 'UTC', hours: { mon: '8am-5pm' } })).to.throw(/must look like/);
    expect(() => hours({ timeZone: 'UTC', hours: { funday: '08:00-09:00' } })).to.throw();
    expect(() => hours({ hours: { mon: '08:00-09:00' } })).to.throw(/hours need a timeZone/);
  });
});

describe('asking for live chat while it is closed', () => {
  it('says so at once with the hours, opens the case, and takes a call back instead', async () => {
    const closed = new Content({ ...content.brand, liveChat: hours({ timeZone: 'UTC', hours: { mon: '00:00-00:00' }, hoursText: '8am to 8pm, Monday to Friday' }) },
      [{ file: 'all', tree: Object.fromEntries(content.keys().map((k) => [k, content.list(k)])) }]);
    const chat = await Chat.open({ content: closed, liveChat: true });
    try {
      await chat.say('I want to talk to a person');
      await chat.say('Live chat');
      const turn = await chat.say('my bill is wrong');
      expect(turn.text).to.match(/I've opened case CS-/);
      expect(turn.text).to.include("live chat is closed right now (it's open 8am to 8pm, Monday to Friday)");
      expect(turn.text).to.not.match(/connecting you/);
      expect(turn.buttons).to.deep.equal(['Call me back', 'Text message', 'Email', 'No, thanks']);
      const caseNumber = /CS-\w{4}-\w{4}/.exec(turn.text)![0];
      expect(await chat.stores!.handoffs.get(caseNumber)).to.equal(undefined);
      expect((await chat.say('Call me back')).text).to.match(/When would you like us to call/);
      expect((await chat.say('In the evening')).text).to.match(/call back \(in the evening\)/);
      const c = await chat.cases.get(caseNumber);
      expect(c).to.include({ contactMethod: 'callback', callbackWindow: 'In the evening' });
      expect(c!.notes.map((n) => n.text)).to.deep.equal([content.text('live.note.unavailable'), content.text('live.note.alternative', { method: 'Call me back' })]);
      expect((await chat.say('thanks, bye')).text, 'the conversation carries on').to.match(/solve your problem/);
    } finally { await chat.close(); }
  });
});
