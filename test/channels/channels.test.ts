import { expect } from 'chai';
import { startServer, startFakeConnector, type TestServer } from '../support/server.js';
import { fixture, isolate, post, next, visibleText, cardActions } from './fixtures.js';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

describe('channels: real-shaped payloads through /api/messages to a loopback connector', () => {
  let srv: TestServer;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  before(async () => {
    srv = await startServer();
    connector = await startFakeConnector();
  });
  after(async () => { await connector.close(); await srv.close(); });

  /** Posts one activity from a channel and returns what the bot posted back in that conversation. */
  async function turn(activity: any): Promise<any[]> {
    activity.serviceUrl = connector.url;
    const before = connector.posted.length;
    const status = await post(srv.base, activity);
    expect(status, 'HTTP status').to.be.oneOf([200, 201, 202]);
    return connector.posted.slice(before).filter((p) => p.conversation?.id === activity.conversation.id);
  }
  const messages = (posted: any[]) => posted.filter((p) => p.type === 'message');
  const text = (key: string) => srv.app.content.text(key);
  /** The first reply of the forgot-username / password-reset dialogs (their recovery steps). */
  const USERNAME = () => text('recovery.username.steps');
  const PASSWORD = () => text('recovery.password.steps');
  const MENU_TITLES = () => ['Sign-in help', 'Forgot username', 'Reset password', 'App problems', 'Billing', 'Check a case', 'Talk to a person'];
  /** Back to the top level, then the help menu: what a customer does before picking an option. */
  async function menu(first: any): Promise<void> {
    await turn(next(first, 'start over'));
    await turn(next(first, 'help'));
  }

  describe('Microsoft Teams', () => {
    it('strips the @mention in a personal chat and shows the help menu as an Adaptive Card 1.5 with imBack buttons', async () => {
      const posted = await turn(isolate(fixture('teams-personal-mention')));
      const [reply] = messages(posted);
      expect(visibleText(reply)).to.include(text('help.intro'));
      const card = reply.attachments.find((a: any) => a.contentType === ADAPTIVE);
      expect(card.content.version).to.equal('1.5');
      expect(cardActions(reply).map((a) => a.title)).to.include.members(['Forgot username', 'Talk to a person']);
      expect(reply.suggestedActions, 'no suggested actions: Teams shows them only in 1:1 chats').to.equal(undefined);
      expect(posted[0].type, 'typing comes first in a personal chat').to.equal('typing');
    });

    it('maps a typed "2", "option 2" or the option words to the second menu choice, and leaves free text alone', async () => {
      const first = isolate(fixture('teams-personal-mention'));
      await turn(first);
      for (const typed of ['2', 'Option 2.', 'forgot username', '<at>Support Bot</at> 2']) {
        await menu(first);
        const withMention = typed.includes('<at>') ? { ...next(first, typed), entities: fixture('teams-personal-mention').entities } : next(first, typed);
        const [reply] = messages(await turn(withMention));
        expect(visibleText(reply), `typed ${JSON.stringify(typed)}`).to.equal(USERNAME());
      }
      await menu(first);
      const [billing] = messages(await turn(next(first, 'my bill is 200 this month')));
      expect(visibleText(billing)).to.not.equal(USERNAME());
    });

    it('answers politely when a mention entity is malformed, and keeps serving', async () => {
      const odd = isolate(fixture('teams-personal-mention'));
      odd.entities = [{ type: 'mention' }, { type: 'mention', text: 42, mentioned: null }];
      const [reply] = messages(await turn(odd));
      expect(reply, 'a reply, not a crash').to.exist;
      expect(visibleText(reply)).to.not.equal(text('error.apology'));
      const [after] = messages(await turn(next(odd, 'forgot username')));
      expect(visibleText(after)).to.equal(USERNAME());
    });

    it('accepts the card click (imBack sends the value as text)', async () => {
      const first = isolate(fixture('teams-personal-mention'));
      const [menu] = messages(await turn(first));
      const choice = cardActions(menu).find((a) => a.title === 'Reset password')!;
      const [reply] = messages(await turn(next(first, choice.value)));
      expect(visibleText(reply)).to.equal(PASSWORD());
    });

    it('replies in the thread of a team channel: same ";messageid=" conversation, replyToId set, no typing', async () => {
      const incoming = isolate(fixture('teams-channel-mention'));
      const posted = await turn(incoming);
      const [reply] = messages(posted);
      expect(reply.text).to.equal(PASSWORD());
      expect(reply.conversation.id).to.equal(incoming.conversation.id).and.to.match(/;messageid=1763763245223$/);
      expect(reply.replyToId).to.equal(incoming.id);
      expect(decodeURIComponent(reply._path)).to.equal(`/v3/conversations/${incoming.conversation.id}/activities/${incoming.id}`);
      expect(posted.filter((p) => p.type === 'typing')).to.have.length(0);
    });

    it('answers when @mentioned in a group chat, with the menu card', async () => {
      const posted = await turn(isolate(fixture('teams-groupchat-mention')));
      const [reply] = messages(posted);
      expect(visibleText(reply)).to.include(text('help.intro'));
      expect(cardActions(reply).map((a) => a.title)).to.deep.equal(MENU_TITLES());
    });

    it('welcomes once when installed in personal scope', async () => {
      const install = isolate(fixture('teams-install-personal'));
      const posted = messages(await turn(install));
      expect(posted).to.have.length(1);
      expect(visibleText(posted[0])).to.include(text('welcome.greeting'));
      expect(cardActions(posted[0]).map((a) => a.title)).to.deep.equal(MENU_TITLES());
      expect(messages(await turn({ ...structuredClone(install), id: 'f:again' }))).to.have.length(0);
    });

    it('sends nothing to the channel when installed in a team or when people join the team', async () => {
      expect(await turn(isolate(fixture('teams-install-team')))).to.have.length(0);
      expect(await turn(isolate(fixture('teams-team-member-added')))).to.have.length(0);
    });
  });

  describe('Slack (Azure Bot Service channel)', () => {
    it('shows the help menu as mrkdwn text with numbered choices: no card, no buttons, no typing', async () => {
      const posted = await turn(isolate(fixture('slack-message')));
      const [reply] = messages(posted);
      expect(reply.text).to.include(text('help.intro'));
      expect(reply.text).to.match(/\n1\. Sign-in help\n2\. Forgot username\n[\s\S]*\n7\. Talk to a person$/);
      expect(reply.channelData).to.deep.include({ text: reply.text });
      expect(reply.attachments ?? []).to.have.length(0);
      expect(reply.suggestedActions).to.equal(undefined);
      expect(posted.filter((p) => p.type === 'typing')).to.have.length(0);
    });

    it('maps "2", "2." and a misspelt option name to that choice, and leaves a sentence with a number alone', async () => {
      const first = isolate(fixture('slack-message'));
      await turn(first);
      for (const typed of ['2', '2.', 'forgot usernme', 'FORGOT USERNAME']) {
        await menu(first);
        const [reply] = messages(await turn(next(first, typed)));
        expect(reply.text, `typed ${JSON.stringify(typed)}`).to.equal(USERNAME());
      }
      await menu(first);
      const [free] = messages(await turn(next(first, 'my bill is 200')));
      expect(free.text).to.not.equal(USERNAME());
    });

    it('removes the bot\'s <@U…> mention in a Slack channel before the bot reads the message', async () => {
      const first = isolate(fixture('slack-channel-mention'));
      const [direct] = messages(await turn(first));
      expect(direct.text).to.equal(USERNAME());
      await turn(next(first, '<@U05BOTUSER1> start over'));
      await turn(next(first, '<@U05BOTUSER1> help'));
      const [picked] = messages(await turn(next(first, '<@U05BOTUSER1> 3')));
      expect(picked.text, '"3" only maps to a choice once the mention is gone').to.equal(PASSWORD());
    });

    it('never sends an Adaptive Card, buttons or a typing activity to Slack, whatever it asks', async () => {
      const first = isolate(fixture('slack-message'));
      const posted = [...await turn(first)];
      // the menu, a dialog's question with choices, its answer, a retry and a free-text prompt
      for (const typed of ['start over', 'cant log in', 'blah blah', 'website', 'no', 'talk to a person']) posted.push(...await turn(next(first, typed)));
      const sent = messages(posted);
      expect(sent.length, 'a reply to every message').to.be.at.least(7);
      expect(posted.filter((p) => p.type === 'typing')).to.have.length(0);
      expect(posted.flatMap((p) => p.attachments ?? []).filter((a: any) => /card/.test(a.contentType))).to.have.length(0);
      expect(sent.filter((p) => p.suggestedActions)).to.have.length(0);
      // the choices are there all the same, as numbered lines
      expect(sent.filter((p) => /\n1\. .+\n2\. /.test(p.text ?? '')).length, 'questions with numbered choices').to.be.at.least(3);
    });
  });

  describe('Web Chat and Emulator', () => {
    it('uses suggested actions, sends typing first over Direct Line, and takes a typed number', async () => {
      const base = fixture('slack-message');
      const webchat = isolate({
        type: 'message', id: 'wc-1', channelId: 'webchat', text: 'help', serviceUrl: connector.url,
        conversation: { id: 'D7fLk2c9Q3xZpWm4rT8yU1-us' }, from: { id: 'dl_user1', name: 'Customer' }, recipient: { id: 'support-bot', name: 'Support bot' },
        locale: 'en-US', timestamp: base.timestamp,
      });
      const posted = await turn(webchat);
      expect(posted[0].type).to.equal('typing');
      const [menu] = messages(posted);
      expect(menu.suggestedActions.actions.map((a: any) => a.title)).to.include('Forgot username');
      const [reply] = messages(await turn(next(webchat, '2')));
      expect(reply.text).to.equal(USERNAME());
    });

    // Regression: typing used to be sent through the turn context, which marks the turn as
    // answered, and a prompt re-asks only when nothing was sent: an answer the buttons did not
    // cover got no reply at all on every channel with typing (Web Chat, Emulator, Teams).
    for (const channelId of ['webchat', 'emulator', 'directline']) {
      it(`${channelId}: an answer the buttons do not cover gets the question again, after typing`, async () => {
        const first = isolate({
          type: 'message', id: `${channelId}-1`, channelId, text: 'cant log in to my account', serviceUrl: connector.url,
          conversation: { id: `${channelId}-retry-conversation` }, from: { id: `${channelId}-user`, name: 'Customer' }, recipient: { id: 'support-bot', name: 'Support bot' },
          locale: 'en-US', timestamp: new Date().toISOString(),
        });
        const [question] = messages(await turn(first));
        expect(question.suggestedActions.actions.map((a: any) => a.title)).to.include.members(['Website', 'App']);
        // the Emulator also gets the recognizer's trace, which is not an answer either
        const posted = (await turn(next(first, 'blah blah'))).filter((p) => p.type !== 'trace');
        expect(posted.map((p) => p.type), 'typing, then the question again').to.deep.equal(['typing', 'message']);
        expect(posted[1].text).to.equal(`${text('prompt.retry')}\n\n${question.text}`);
        expect(posted[1].suggestedActions.actions.map((a: any) => a.title)).to.deep.equal(question.suggestedActions.actions.map((a: any) => a.title));
        const [steps] = messages(await turn(next(first, 'website')));
        expect(steps.text, 'the conversation goes on').to.match(/sign in on the website/i);
      });
    }
  });
});
