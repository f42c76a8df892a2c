import { expect } from 'chai';
import { startServer, startFakeConnector, request, type TestServer } from '../support/server.js';
import { fixture, isolate, next, visibleText } from './fixtures.js';

/**
 * Payloads Teams and Slack really send (recorded by Microsoft or published in its documentation
 * and test suites; sources in test/fixtures/channels/README.md), replayed against the real server.
 * Each must be answered without an error, and card or button submits must reach the same choices
 * as typed text.
 */
describe('channels: genuine Teams and Slack payloads', () => {
  let srv: TestServer;
  let connector: Awaited<ReturnType<typeof startFakeConnector>>;
  before(async () => {
    srv = await startServer();
    connector = await startFakeConnector();
  });
  after(async () => { await connector.close(); await srv.close(); });

  /** Posts one activity; returns the HTTP answer and what the bot posted back in that conversation. */
  async function send(activity: any): Promise<{ status: number; body: unknown; posted: any[] }> {
    activity.serviceUrl = connector.url;
    const before = connector.posted.length;
    const r = await request('POST', `${srv.base}/api/messages`, activity);
    return { status: r.status, body: r.body, posted: connector.posted.slice(before).filter((p) => p.conversation?.id === activity.conversation.id) };
  }
  const messages = (posted: any[]) => posted.filter((p) => p.type === 'message');
  const text = (key: string) => srv.app.content.text(key);
  const USERNAME = () => text('recovery.username.steps');

  describe('Microsoft Teams', () => {
    it('a recorded value-only card submit with data the bot never offered gets a polite reply, not an error', async () => {
      const submit = isolate(fixture('teams-card-submit-value'));
      const { status, posted } = await send(submit);
      expect(status).to.equal(200);
      const [reply] = messages(posted);
      expect(visibleText(reply)).to.not.include(text('error.apology'));
      expect(visibleText(reply).length).to.be.greaterThan(0);
    });

    it('a value-only submit maps to the same choice as typed text, whichever way the card carries it', async () => {
      const submit = isolate(fixture('teams-card-submit-value'));
      for (const value of [{ msteams: { type: 'imBack', value: 'Forgot username' } }, { choice: '2' }, { action: 'forgot username' }, 'Forgot username']) {
        await send(next(submit, 'start over'));
        await send(next(submit, 'help'));
        const click = { ...next(submit, ''), value };
        delete click.text;
        const { status, posted } = await send(click);
        expect(status).to.equal(200);
        expect(visibleText(messages(posted)[0]), JSON.stringify(value)).to.equal(USERNAME());
      }
    });

    for (const name of ['teams-invoke-fetchtask', 'teams-invoke-query', 'teams-invoke-card-action']) {
      it(`${name}: answered "not implemented" (never a 500), nothing posted to the chat`, async () => {
        const { status, posted } = await send(isolate(fixture(name)));
        // the bot has no message extensions, task modules or invoke buttons: botbuilder's 501 is the honest answer
        expect(status).to.equal(501);
        expect(messages(posted)).to.have.length(0);
      });
    }

    for (const name of ['teams-reaction-added', 'teams-reaction-removed', 'teams-installation-update', 'teams-groupchat-members-removed']) {
      it(`${name}: accepted quietly (200, nothing posted into a shared conversation)`, async () => {
        const { status, posted } = await send(isolate(fixture(name)));
        expect(status).to.equal(200);
        expect(messages(posted)).to.have.length(0);
      });
    }

    it('keeps serving the conversation after an invoke and a reaction', async () => {
      const reaction = isolate(fixture('teams-reaction-added'));
      await send(reaction);
      const { posted } = await send({ ...next(reaction, 'forgot username'), type: 'message' });
      expect(visibleText(messages(posted)[0])).to.equal(USERNAME());
    });
  });

  describe('Slack (Azure Bot Service channel)', () => {
    it('an older envelope naming the bot only in authed_users: the mention is removed, so "<@bot> 2" is choice 2', async () => {
      const first = isolate(fixture('slack-authed-users-mention'));
      const { posted } = await send(first);
      expect(messages(posted)[0].text).to.include(text('help.intro'));
      const picked = await send(next(first, '<@U05BOTUSER1> 2'));
      expect(messages(picked.posted)[0].text).to.equal(USERNAME());
    });

    it('a button click (channelData.Payload, no text) reaches the choice its value names', async () => {
      const dm = isolate(fixture('slack-message'));
      await send(dm);
      const click = isolate(fixture('slack-button-payload'));
      click.conversation = dm.conversation;
      click.channelData.Payload.actions[0].value = 'Forgot username';
      const { status, posted } = await send(click);
      expect(status).to.equal(200);
      expect(messages(posted)[0].text).to.equal(USERNAME());
    });

    it('the recorded click on a button the bot never sent gets a polite reply', async () => {
      const { status, posted } = await send(isolate(fixture('slack-button-payload')));
      expect(status).to.equal(200);
      const [reply] = messages(posted);
      expect(reply.text).to.not.include(text('error.apology'));
      expect(reply.text.length).to.be.greaterThan(0);
    });

    it('a file share is answered by its text; without text the bot asks for words', async () => {
      const share = isolate(fixture('slack-file-share'));
      const withText = await send(share);
      expect(withText.status).to.equal(200);
      expect(messages(withText.posted)[0].text).to.not.include(text('error.apology'));
      const bare = { ...structuredClone(share), id: `${share.id}-bare`, text: '' };
      bare.channelData.SlackMessage.event.text = '';
      const { posted } = await send(bare);
      expect(messages(posted)[0].text).to.equal(text('input.no_text'));
    });
  });
});
