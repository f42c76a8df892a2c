import { expect } from 'chai';
import { startServer, type TestServer } from '../support/server.js';
import { ADMIN_TOKEN, Agent, WebCustomer, addStaff, type EventStream } from '../support/desk.js';

/**
 * The whole live chat through the desk API and a real web customer (self-hosted Direct Line), on
 * the real server: the path that works, then every refusal in the Bad input list.
 */
describe('live chat through the desk API', function () {
  this.timeout(120_000);
  let srv: TestServer;
  let sam: Agent, kim: Agent, bea: Agent, sue: Agent;
  let samEvents: EventStream, kimEvents: EventStream;

  before(async () => {
    srv = await startServer({ ADMIN_TOKEN });
    await addStaff(srv.base, { username: 'sam', displayName: 'Sam Lee', teams: ['general', 'technical'] });
    await addStaff(srv.base, { username: 'kim', displayName: 'Kim Park', teams: ['general'] });
    await addStaff(srv.base, { username: 'bea', displayName: 'Bea', teams: ['business'] });
    await addStaff(srv.base, { username: 'sue', displayName: 'Sue', role: 'supervisor' });
    [sam, kim, bea, sue] = await Promise.all(['sam', 'kim', 'bea', 'sue'].map((u) => Agent.login(srv.base, u)));
    [samEvents, kimEvents] = await Promise.all([sam.events(), kim.events()]);
  });
  after(async () => { samEvents?.close(); kimEvents?.close(); await srv?.close(); });

  const end = async (who: Agent, n: string) => expect((await who.post(`/api/desk/cases/${n}/end`, { status: 'open' })).status).to.equal(200);

  it('escalate → in the queue → accept → messages both ways → end → the customer is asked whether it was solved, and rates it', async () => {
    const customer = await WebCustomer.start(srv.base);
    const queueEvents = samEvents.events.length;
    const { caseNumber, texts } = await customer.escalate('my phone has had no signal since the update');
    expect(texts.join('\n')).to.match(/connecting you with a live agent/);
    expect(texts.at(-1)).to.match(/next in the queue for a person/);
    await samEvents.next('queue', () => true, 15_000, queueEvents);

    const queue = (await sam.get('/api/desk/queue')).json;
    const item = queue.waiting.find((w: any) => w.caseNumber === caseNumber);
    expect(item).to.include({ team: 'general', intent: 'escalate', summary: 'my phone has had no signal since the update', channelId: 'directline', position: 1 });
    expect(Date.now() - Date.parse(item.waitingSince)).to.be.within(0, 60_000);
    expect(item.stepsTried).to.deep.equal([]);

    const accepted = await sam.post(`/api/desk/cases/${caseNumber}/accept`);
    expect(accepted.status, accepted.body).to.equal(200);
    expect(accepted.json.chat).to.include({ status: 'with_agent' });
    expect(accepted.json.chat.agent).to.deep.equal({ username: 'sam', displayName: 'Sam Lee' });
    expect(await customer.waitFor(/^Sam joined the chat\.$/)).to.equal('Sam joined the chat.');
    expect((await sam.get('/api/desk/queue')).json.mine.map((m: any) => m.caseNumber)).to.deep.equal([caseNumber]);

    // the customer writes: the bot says nothing, the agent hears it live
    const from = samEvents.events.length;
    expect(await customer.say('the bars disappear when I leave wifi')).to.deep.equal([]);
    const heard = await samEvents.next('message', (e) => e.caseNumber === caseNumber, 15_000, from);
    expect(heard.message).to.include({ from: 'customer', text: 'the bars disappear when I leave wifi' });
    expect(kimEvents.events.some((e) => e.event === 'message' && e.data.caseNumber === caseNumber), 'another agent does not hear it').to.equal(false);

    const sent = await sam.post(`/api/desk/cases/${caseNumber}/messages`, { text: 'Thanks! Please restart the phone with wifi off.' });
    expect(sent.status).to.equal(200);
    expect(await customer.waitFor(/^Sam: /)).to.equal('Sam: Thanks! Please restart the phone with wifi off.');

    const messages = (await sam.get(`/api/desk/cases/${caseNumber}/messages`)).json.messages;
    const live = messages.slice(messages.findIndex((m: any) => m.text === 'Sam joined the chat.'));
    expect(live.map((m: any) => [m.from, m.name ?? '', m.text])).to.deep.equal([
      ['bot', '', 'Sam joined the chat.'],
      ['customer', '', 'the bars disappear when I leave wifi'],
      ['agent', 'Sam', 'Thanks! Please restart the phone with wifi off.'],
    ]);

    const ended = await sam.post(`/api/desk/cases/${caseNumber}/end`, { status: 'resolved', note: 'Reset the network settings' });
    expect(ended.status).to.equal(200);
    expect(ended.json).to.include({ status: 'resolved', notified: true });
    expect(ended.json.chat).to.include({ status: 'ended', endReason: 'ended_by_agent' });
    expect(await customer.waitFor(/left the chat/)).to.equal('Sam left the chat.\n\nYou\'re back with the T-Mobile Support Assistant.');
    expect(await customer.waitFor(/did I solve your problem\?/)).to.match(/did I solve your problem\?/);
    const stored = await srv.app.stores.cases.get(caseNumber);
    expect(stored).to.include({ status: 'resolved' });
    expect(stored!.handledBy).to.deep.equal(['Sam Lee (sam)']);
    expect(stored!.notes.map((n) => [n.author, n.text])).to.deep.include(['Sam Lee (sam)', 'Reset the network settings']);

    // the bot has the conversation back: the goodbye's questions, kept as feedback
    expect((await customer.say('Yes')).join('\n')).to.match(/rate this chat/);
    expect((await customer.say('5')).join('\n')).to.match(/glad|thanks/i);
    const feedback = await srv.app.stores.feedback.ofConversations('directline', [customer.conversationId]);
    expect(feedback.map((f) => [f.solved, f.rating])).to.deep.equal([[true, 5]]);
    const record = await srv.app.stores.handoffs.get(caseNumber);
    expect(record!.events.map((e) => e.kind)).to.deep.equal(['requested', 'accepted', 'ended']);
  });

  it('gives a chat two agents accept at the same moment to one of them: the other gets 409', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber } = await customer.escalate();
    const [a, b] = await Promise.all([sam.post(`/api/desk/cases/${caseNumber}/accept`), kim.post(`/api/desk/cases/${caseNumber}/accept`)]);
    expect([a.status, b.status].sort()).to.deep.equal([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.json.code).to.equal('AlreadyTaken');
    expect(loser.json.message).to.match(/(Sam Lee|Kim Park) already has the chat of case/);
    const winner = a.status === 200 ? sam : kim;
    await end(winner, caseNumber);
  });

  it('answers 403 to an agent replying to a chat they do not own (waiting, or another agent\'s)', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber } = await customer.escalate();
    const waiting = await kim.post(`/api/desk/cases/${caseNumber}/messages`, { text: 'hello' });
    expect(waiting.status).to.equal(403);
    expect(waiting.json).to.deep.equal({ code: 'NotYourChat', message: `You do not have the chat of case ${caseNumber}: accept it first.` });
    expect((await sam.post(`/api/desk/cases/${caseNumber}/accept`)).status).to.equal(200);
    for (const path of ['messages', 'transfer', 'end']) {
      const r = await kim.post(`/api/desk/cases/${caseNumber}/${path}`, { text: 'hi', team: 'technical' });
      expect(r.status, path).to.equal(403);
      expect(r.json.code).to.equal('NotYourChat');
    }
    // nor may they read it: it is not waiting for them any more and they never had it
    expect((await kim.get(`/api/desk/cases/${caseNumber}/messages`)).status).to.equal(403);
    expect((await customer.read())).to.not.include('hi');
    await end(sam, caseNumber);
  });

  it('answers 404 for an unknown case or one without a live chat, 400 for a malformed number', async () => {
    for (const path of ['', '/messages']) {
      const r = await sam.get(`/api/desk/cases/CS-0000-0000${path}`);
      expect(r.status).to.equal(404);
      expect(r.json).to.deep.equal({ code: 'CaseNotFound', message: 'There is no case CS-0000-0000.' });
    }
    for (const path of ['accept', 'messages', 'transfer', 'end', 'notes']) {
      expect((await sam.post(`/api/desk/cases/CS-0000-0000/${path}`, { text: 'x', team: 'general' })).status, path).to.equal(404);
      const bad = await sam.post(`/api/desk/cases/not-a-case/${path}`, { text: 'x', team: 'general' });
      expect(bad.status, path).to.equal(400);
      expect(bad.json.code).to.equal('BadCaseNumber');
    }
    const phone = await srv.app.stores.cases.open({ intent: 'billing', contactMethod: 'phone', summary: 'Billing question', stepsTried: [], conversationReference: { channelId: 'emulator', conversation: { id: 'x' } as never, user: { id: 'u' } as never } });
    const none = await sue.post(`/api/desk/cases/${phone.number}/accept`);
    expect(none.status).to.equal(404);
    expect(none.json.code).to.equal('NoLiveChat');
  });

  it('answers 400 for an empty message, one of 20,000 characters, or one that is not text', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber } = await customer.escalate();
    await sam.post(`/api/desk/cases/${caseNumber}/accept`);
    await customer.waitFor(/joined/);
    await customer.read();
    const cases: Array<[unknown, string]> = [['', 'EmptyText'], ['   \n ', 'EmptyText'], ['x'.repeat(20_000), 'TextTooLong'], [42, 'BadRequest'], [undefined, 'BadRequest']];
    for (const [text, code] of cases) {
      const r = await sam.post(`/api/desk/cases/${caseNumber}/messages`, { text });
      expect(r.status, String(text).slice(0, 10)).to.equal(400);
      expect(r.json.code).to.equal(code);
    }
    expect((await sam.post(`/api/desk/cases/${caseNumber}/messages`, { text: 'x'.repeat(20_000) })).json.message).to.equal('The message is 20000 characters; the most is 4000.');
    expect((await sam.post(`/api/desk/cases/${caseNumber}/notes`, { text: '' })).status).to.equal(400);
    expect(await customer.read(), 'nothing reached the customer').to.deep.equal([]);
    await end(sam, caseNumber);
  });

  it('answers 409 for anything done to an ended chat', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber } = await customer.escalate();
    await sam.post(`/api/desk/cases/${caseNumber}/accept`);
    await end(sam, caseNumber);
    for (const [path, body] of [['accept', {}], ['messages', { text: 'one more thing' }], ['transfer', { team: 'technical' }], ['end', {}]] as const) {
      const r = await sam.post(`/api/desk/cases/${caseNumber}/${path}`, body);
      expect(r.status, path).to.equal(409);
      expect(r.json).to.deep.equal({ code: 'ChatEnded', message: `The chat of case ${caseNumber} has ended.` });
    }
  });

  it('takes a customer who leaves while waiting out of the queue: accepting answers 409 (the customer left)', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber } = await customer.escalate();
    const from = samEvents.events.length;
    expect((await customer.say('never mind')).join('\n')).to.match(/taken you out of the queue/);
    await samEvents.next('case', (e) => e.caseNumber === caseNumber && e.what === 'customer_left', 15_000, from);
    expect((await sam.get('/api/desk/queue')).json.waiting.map((w: any) => w.caseNumber)).to.not.include(caseNumber);
    const r = await sam.post(`/api/desk/cases/${caseNumber}/accept`);
    expect(r.status).to.equal(409);
    expect(r.json.message).to.equal(`The chat of case ${caseNumber} has ended: the customer left.`);
    expect((await srv.app.stores.cases.get(caseNumber))!.status, 'the case stays open').to.equal('open');
  });

  it('transfers a chat to another team\'s queue with a note; the customer is told and keeps their place', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber } = await customer.escalate();
    await kim.post(`/api/desk/cases/${caseNumber}/accept`);
    expect((await kim.post(`/api/desk/cases/${caseNumber}/transfer`, { team: 'engineering' })).status).to.equal(400);
    const moved = await kim.post(`/api/desk/cases/${caseNumber}/transfer`, { team: 'technical', note: 'APN settings look wrong' });
    expect(moved.status).to.equal(200);
    expect(moved.json.chat).to.include({ status: 'waiting', team: 'technical' });
    expect(moved.json.chat.transfers).to.deep.equal([{ at: moved.json.chat.transfers[0].at, by: 'kim', from: 'general', to: 'technical', note: 'APN settings look wrong' }]);
    expect(await customer.waitFor(/passing your chat/)).to.equal('Kim is passing your chat to technical support. Please stay here: the next person sees everything so far.');
    expect((await kim.post(`/api/desk/cases/${caseNumber}/messages`, { text: 'still here' })).status, 'no longer Kim\'s').to.equal(403);
    expect((await kim.get('/api/desk/queue')).json.waiting.map((w: any) => w.caseNumber), 'Kim does not serve technical').to.not.include(caseNumber);
    const item = (await sam.get('/api/desk/queue')).json.waiting.find((w: any) => w.caseNumber === caseNumber);
    expect(item).to.include({ team: 'technical', position: 1 });
    expect((await sam.get(`/api/desk/cases/${caseNumber}`)).json.notes.map((n: any) => n.text)).to.include('Live chat transferred to the technical team. APN settings look wrong');
    expect((await sam.post(`/api/desk/cases/${caseNumber}/accept`)).status).to.equal(200);
    expect(await customer.waitFor(/^Sam joined/)).to.equal('Sam joined the chat.');
    await end(sam, caseNumber);
  });

  it('keeps each agent to the teams they serve (403), while a supervisor sees and takes any', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber } = await customer.escalate();
    const r = await bea.post(`/api/desk/cases/${caseNumber}/accept`);
    expect(r.status).to.equal(403);
    expect(r.json.code).to.equal('NotYourTeam');
    expect((await bea.get('/api/desk/queue')).json.waiting.map((w: any) => w.caseNumber)).to.not.include(caseNumber);
    expect((await bea.get(`/api/desk/cases/${caseNumber}`)).status).to.equal(403);
    expect((await sue.get('/api/desk/queue')).json.teams).to.deep.equal(['general', 'business', 'technical', 'international']);
    expect((await sue.post(`/api/desk/cases/${caseNumber}/accept`)).status).to.equal(200);
    await end(sue, caseNumber);
  });

  it('keeps internal notes from the customer', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber } = await customer.escalate();
    await sam.post(`/api/desk/cases/${caseNumber}/accept`);
    await customer.waitFor(/joined/);
    const noted = await sam.post(`/api/desk/cases/${caseNumber}/notes`, { text: 'Customer sounds upset; offer a credit' });
    expect(noted.status).to.equal(200);
    expect(noted.json.notes.at(-1)).to.include({ author: 'Sam Lee (sam)', text: 'Customer sounds upset; offer a credit' });
    await sam.post(`/api/desk/cases/${caseNumber}/messages`, { text: 'One moment please' });
    await customer.waitFor(/One moment/);
    expect(JSON.stringify(customer.received)).to.not.include('credit');
    await end(sam, caseNumber);
  });

  it('passes HTML and script through as plain text, and hides a card number an agent pastes', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber } = await customer.escalate('<img src=x onerror="alert(1)"> my <b>phone</b>');
    const item = (await sam.get('/api/desk/queue')).json.waiting.find((w: any) => w.caseNumber === caseNumber);
    expect(item.summary).to.equal('<img src=x onerror="alert(1)"> my <b>phone</b>');
    await sam.post(`/api/desk/cases/${caseNumber}/accept`);
    const r = await sam.post(`/api/desk/cases/${caseNumber}/messages`, { text: '<script>alert("x")</script> card 4111 1111 1111 1111' });
    expect(r.headers['content-type']).to.match(/^application\/json/);
    expect(await customer.waitFor(/^Sam: /)).to.equal('Sam: <script>alert("x")</script> card [REDACTED:card]');
    await end(sam, caseNumber);
  });

  it('holds each agent to the most open chats allowed (409), and counts them on the page', async () => {
    await addStaff(srv.base, { username: 'max', displayName: 'Max', teams: ['general'] });
    const max = await Agent.login(srv.base, 'max');
    const numbers: string[] = [];
    for (let i = 0; i < 4; i++) numbers.push((await (await WebCustomer.start(srv.base)).escalate()).caseNumber);
    for (const n of numbers.slice(0, 3)) expect((await max.post(`/api/desk/cases/${n}/accept`)).status).to.equal(200);
    const fourth = await max.post(`/api/desk/cases/${numbers[3]}/accept`);
    expect(fourth.status).to.equal(409);
    expect(fourth.json.code).to.equal('TooManyChats');
    expect((await max.get('/api/desk/queue')).json).to.include({ openChats: 3, maxChats: 3 });
    await end(max, numbers[0]);
    expect((await max.post(`/api/desk/cases/${numbers[3]}/accept`)).status).to.equal(200);
    for (const n of numbers.slice(1)) await end(max, n);
  });
});

describe('live chat with nobody on duty', function () {
  this.timeout(120_000);
  let srv: TestServer;
  before(async () => {
    srv = await startServer({ ADMIN_TOKEN });
    await addStaff(srv.base, { username: 'kim', displayName: 'Kim', teams: ['general'] });
  });
  after(async () => { await srv?.close(); });

  it('tells the customer at once, opens the case, and takes a call-back request onto the desk\'s follow-up list', async () => {
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber, texts } = await customer.escalate('my bill doubled this month');
    const all = texts.join('\n');
    expect(all).to.match(/I've opened case CS-/);
    expect(all).to.match(/nobody from customer care is available for live chat right now/);
    expect(all).to.not.match(/connecting you|in the queue/);
    expect(all).to.match(/call you back, text you or email you instead/);
    expect(await srv.app.stores.handoffs.get(caseNumber), 'nobody was queued').to.equal(undefined);
    expect((await customer.say('Call me back')).join('\n')).to.match(/When would you like us to call/);
    expect((await customer.say('tomorrow after 3pm')).join('\n')).to.match(/call back \(tomorrow after 3pm\)/);
    const c = await srv.app.stores.cases.get(caseNumber);
    expect(c).to.include({ contactMethod: 'callback', callbackWindow: 'tomorrow after 3pm', status: 'open' });

    const kim = await Agent.login(srv.base, 'kim');
    const list = (await kim.get('/api/desk/follow-ups')).json.followUps;
    expect(list.map((f: any) => [f.caseNumber, f.contactMethod, f.callbackWindow, f.summary])).to.deep.include([caseNumber, 'callback', 'tomorrow after 3pm', 'my bill doubled this month']);
    expect((await kim.get(`/api/desk/cases/${caseNumber}`)).status, 'an agent may read a follow-up').to.equal(200);
    const done = await kim.post(`/api/desk/follow-ups/${caseNumber}/done`, { note: 'Called, explained the prorated charge' });
    expect(done.status).to.equal(200);
    expect(done.json.followUpDone.by).to.equal('Kim (kim)');
    expect(done.json.notes.at(-1).text).to.equal('Call me back: done. Called, explained the prorated charge');
    expect((await kim.get('/api/desk/follow-ups')).json.followUps.map((f: any) => f.caseNumber)).to.not.include(caseNumber);
    const again = await kim.post(`/api/desk/follow-ups/${caseNumber}/done`);
    expect(again.status).to.equal(409);
    expect(again.json.code).to.equal('AlreadyDone');
    await kim.post('/api/desk/logout');
  });

  it('counts an agent who is signed in but away as not on duty; a text or "no thanks" are offered too', async () => {
    const kim = await Agent.login(srv.base, 'kim');
    await kim.post('/api/desk/availability', { availability: 'away' });
    const customer = await WebCustomer.start(srv.base);
    const { caseNumber, texts } = await customer.escalate();
    expect(texts.join('\n')).to.match(/nobody from customer care is available/);
    expect((await customer.say('Text message')).join('\n')).to.equal(`Done: we'll text you at the number on your account about case ${caseNumber}. Never reply with a password or PIN.`);
    expect((await srv.app.stores.cases.get(caseNumber))!.contactMethod).to.equal('text');
    const other = await WebCustomer.start(srv.base);
    const declined = await other.escalate();
    expect((await other.say('No thanks')).join('\n')).to.match(/stays open: quote it whenever/);
    expect((await srv.app.stores.cases.get(declined.caseNumber))!.contactMethod).to.equal('live_chat');
    // back to available: the next customer is queued
    await kim.post('/api/desk/availability', { availability: 'available' });
    expect((await (await WebCustomer.start(srv.base)).escalate()).texts.join('\n')).to.match(/in the queue/);
  });
});

describe('live chat wait limit', function () {
  this.timeout(120_000);

  it('ends a wait past LIVE_CHAT_WAIT_LIMIT_SECONDS, tells the customer without them writing, and offers a call back instead', async () => {
    const srv = await startServer({ ADMIN_TOKEN, LIVE_CHAT_WAIT_LIMIT_SECONDS: '5' });
    try {
      await addStaff(srv.base, { username: 'kim', displayName: 'Kim' });
      const kim = await Agent.login(srv.base, 'kim');
      const first = await WebCustomer.start(srv.base);
      const second = await WebCustomer.start(srv.base);
      const a = await first.escalate();
      const b = await second.escalate();
      await new Promise((r) => setTimeout(r, 5500));
      // the customer who writes hears it in that turn; the sweeper tells the one who stays silent
      expect((await first.say('hello?')).join('\n')).to.match(/nobody has been able to take your chat yet[\s\S]*call you back, text you or email you instead/);
      expect(await srv.app.live.sweep()).to.equal(1);
      expect(await second.waitFor(/nobody has been able to take your chat yet/)).to.match(/You've left the queue/);
      for (const n of [a.caseNumber, b.caseNumber]) {
        const r = await kim.post(`/api/desk/cases/${n}/accept`);
        expect(r.status).to.equal(409);
        expect(r.json.message).to.match(/waited too long and was offered a call back instead/);
      }
      expect((await second.say('Email')).join('\n')).to.match(/we'll email you at the address on your account/);
      expect((await srv.app.stores.cases.get(b.caseNumber))!.contactMethod).to.equal('email');
    } finally { await srv.close(); }
  });
});
