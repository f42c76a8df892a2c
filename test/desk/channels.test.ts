import { expect } from 'chai';
import { startServer, startFakeConnector, type TestServer } from '../support/server.js';
import { fixture, isolate, post, next, visibleText, cardActions } from '../channels/fixtures.js';
import { ADMIN_TOKEN, Agent, addStaff, type EventStream } from '../support/desk.js';

/**
 * The live chat on channels whose replies are not the HTTP response (Teams, Slack): genuine
 * payloads through `/api/messages`, the bot's and the agent's messages posted to a loopback
 * connector by proactive turns, each rendered for its channel.
 */
describe('live chat on Teams and Slack (proactive messages through the channel connector)', function () {
  this.timeout(120_000);
  let srv: TestServer;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  let sam: Agent;
  let events: EventStream;
  before(async () => {
    srv = await startServer({ ADMIN_TOKEN });
    connector = await startFakeConnector();
    await addStaff(srv.base, { username: 'sam', displayName: 'Sam Lee' });
    sam = await Agent.login(srv.base, 'sam');
    events = await sam.events();
  });
  after(async () => { events?.close(); await connector?.close(); await srv?.close(); });

  const sent = (conversationId: string) => connector.posted.filter((p) => p.conversation?.id === conversationId && p.type === 'message');
  async function say(first: any, text: string): Promise<void> {
    const a = next(first, text);
    a.serviceUrl = connector.url;
    expect(await post(srv.base, a)).to.be.oneOf([200, 201, 202]);
  }
  async function until(conversationId: string, re: RegExp): Promise<any> {
    const t0 = Date.now();
    for (;;) {
      const hit = sent(conversationId).find((p) => re.test(visibleText(p)));
      if (hit) return hit;
      if (Date.now() - t0 > 15_000) throw new Error(`nothing matching ${re} was posted; got ${JSON.stringify(sent(conversationId).map(visibleText))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  for (const [channel, name] of [['Teams', 'teams-personal-mention'], ['Slack', 'slack-message']] as const) {
    it(`${channel}: joined, messages both ways, and the end with "solved?" rendered for ${channel}`, async () => {
      const first = isolate(fixture(name));
      const conv = first.conversation.id;
      await say(first, 'I want to talk to a person');
      await until(conv, /How would you like to reach them/);
      await say(first, 'Live chat');
      await until(conv, /what do you need help with/);
      await say(first, `my ${channel} messages fail`);
      const opened = await until(conv, /I've opened case/);
      const caseNumber = /CS-\w{4}-\w{4}/.exec(visibleText(opened))![0];

      expect((await sam.post(`/api/desk/cases/${caseNumber}/accept`)).status).to.equal(200);
      await until(conv, /Sam joined the chat/);
      const from = events.events.length;
      const before = sent(conv).length;
      await say(first, 'are you there?');
      expect((await events.next('message', (e) => e.caseNumber === caseNumber, 15_000, from)).message.text).to.equal('are you there?');
      expect(sent(conv).length, 'the bot said nothing (its replies are posted within the turn)').to.equal(before);
      if (channel === 'Teams') {
        const typing = connector.posted.filter((p) => p.conversation?.id === conv && p.type === 'typing');
        expect(typing.length, 'Teams shows typing while the bot works').to.be.greaterThan(0);
        const last = connector.posted.filter((p) => p.conversation?.id === conv).at(-1);
        expect(last.type, 'but not while a person has the chat').to.equal('message');
      }
      expect((await sam.post(`/api/desk/cases/${caseNumber}/messages`, { text: 'Yes: please reinstall the app' })).status).to.equal(200);
      await until(conv, /Sam: Yes: please reinstall the app/);

      expect((await sam.post(`/api/desk/cases/${caseNumber}/end`, { status: 'resolved' })).json.notified).to.equal(true);
      await until(conv, /Sam left the chat/);
      const solved = await until(conv, /did I solve your problem/);
      if (channel === 'Teams') expect(cardActions(solved).map((x) => x.title)).to.deep.equal(['Yes', 'No']);
      else expect(solved.text).to.match(/1\. Yes[\s\S]*2\. No/);
    });
  }
});
