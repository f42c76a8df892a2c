import { expect } from 'chai';
import { AutoSaveStateMiddleware, ConversationState, MemoryStorage, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { channelMiddleware } from '../../src/channels/index.js';
import { render } from '../../src/channels/render.js';
import { TYPED_TEXT } from '../../src/channels/choiceMemory.js';
import { showsTyping } from '../../src/channels/typing.js';
import { shouldWelcome, teamsScope } from '../../src/channels/teams.js';
import { fromSlackText, slackActionValue, slackBotUserId, slackBotUserIds } from '../../src/channels/slack.js';
import { fixture } from './fixtures.js';

/** A TestAdapter (botbuilder's in-process adapter) with the real channel middleware and a bot that reports what it saw. */
function harness(channelId: string, reply: (text: string, ctx: TurnContext) => Partial<Activity>[]) {
  const seen: Array<{ text: string; typed?: string }> = [];
  const adapter = new TestAdapter(async (ctx) => {
    seen.push({ text: ctx.activity.text ?? '', typed: ctx.turnState.get(TYPED_TEXT) });
    for (const a of reply(ctx.activity.text ?? '', ctx)) await ctx.sendActivity(a);
  }, { channelId, conversation: { id: `mw-${channelId}` } as any });
  const state = new ConversationState(new MemoryStorage());
  // state is saved once, when the turn ends, as the bot's composition does
  adapter.use(new AutoSaveStateMiddleware(state));
  for (const m of channelMiddleware(state)) adapter.use(m);
  return { adapter, seen };
}

const MENU = [{ title: 'Forgot username', value: 'username' }, { title: 'Reset password', value: 'password' }];

describe('channel middleware (botbuilder TestAdapter)', () => {
  it('strips the bot @mention before the bot reads the text', async () => {
    const { adapter, seen } = harness('msteams', () => [{ text: 'ok' }]);
    const incoming = fixture('teams-personal-mention');
    await adapter.send({ type: 'message', text: incoming.text, entities: incoming.entities, recipient: incoming.recipient } as any).assertReply((a) => expect(a.type).to.equal('typing')).assertReply('ok');
    expect(seen[0].text).to.equal('help');
  });

  it('maps a typed number to the value of the choice last offered, keeps what was typed, and forgets choices after a plain reply', async () => {
    const { adapter, seen } = harness('slack', (t) => [render(t === 'menu' ? { text: 'Pick', choices: MENU } : { text: `got ${t}` }, 'slack')]);
    await adapter.send('menu').assertReply((a) => expect(a.text).to.include('2. Reset password'))
      .send('2').assertReply('got password')
      .send('2').assertReply('got 2');
    expect(seen.map((s) => s.text)).to.deep.equal(['menu', 'password', '2']);
    expect(seen[1].typed).to.equal('2');
  });

  it('remembers choices offered as suggested actions by a reply that did not use render()', async () => {
    const { adapter } = harness('webchat', (t) => [t === 'menu'
      ? { type: 'message', text: 'Pick', suggestedActions: { to: [], actions: MENU.map((c) => ({ type: 'imBack', title: c.title, value: c.value })) } }
      : { type: 'message', text: `got ${t}` }]);
    await adapter.send('menu').assertReply((a) => expect(a.type).to.equal('typing')).assertReply('Pick')
      .send('reset password').assertReply((a) => expect(a.type).to.equal('typing')).assertReply('got password');
  });

  it('sends typing before the reply on Teams, never on Slack (even when the bot itself sends typing there)', async () => {
    const teams = harness('msteams', () => [{ text: 'hi' }]);
    await teams.adapter.send('hello').assertReply((a) => expect(a.type).to.equal('typing')).assertReply('hi');
    const slack = harness('slack', () => [{ type: 'typing' }, { type: 'message', text: 'hi' }]);
    await slack.adapter.send('hello').assertReply((a) => { expect(a.type).to.equal('message'); expect(a.text).to.equal('hi'); });
    expect(slack.adapter.activeQueue).to.have.length(0);
  });

  it('finds the Slack bot user id, and none (without throwing) in a malformed envelope', () => {
    const env = (authorizations: unknown) => ({ channelData: { SlackMessage: { authorizations } } });
    expect(slackBotUserId(env([{ user_id: 'U1', is_bot: false }, { user_id: 'U05BOT', is_bot: true }]))).to.equal('U05BOT');
    for (const bad of ['x', { a: 1 }, [null], [{ is_bot: true, user_id: 5 }], null]) expect(slackBotUserId(env(bad)), JSON.stringify(bad)).to.equal(undefined);
  });

  it('finds the bot in the older envelope that lists it only in authed_users (never the sender)', () => {
    const env = (SlackMessage: unknown) => ({ channelData: { SlackMessage } });
    expect(slackBotUserIds(env({ authed_users: ['U05BOT'], event: { user: 'U04PERSON' } }))).to.deep.equal(['U05BOT']);
    expect(slackBotUserIds(env({ authed_users: ['U04PERSON'], event: { user: 'U04PERSON' } }))).to.deep.equal([]);
    expect(slackBotUserIds(env({ authorizations: [{ user_id: 'U05BOT', is_bot: true }], authed_users: ['U0OTHER'] }))).to.deep.equal(['U05BOT']);
    for (const bad of [{ authed_users: 'U05BOT' }, { authed_users: [5, null, 'not an id'] }, null]) expect(slackBotUserIds(env(bad)), JSON.stringify(bad)).to.deep.equal([]);
    expect(fromSlackText('<@U05BOT> 2', ['U05BOT'])).to.equal('2');
  });

  it('reads the value of a Slack button click, and nothing from a malformed payload', () => {
    const click = (Payload: unknown) => ({ channelData: { Payload } });
    expect(slackActionValue(click({ actions: [{ name: 'x', type: 'button', value: 'Billing' }] }))).to.equal('Billing');
    expect(slackActionValue(click({ actions: [{ type: 'select', selected_options: [{ value: '2' }] }] }))).to.equal('2');
    for (const bad of [{ actions: 'x' }, { actions: [null] }, { actions: [{ value: 5 }] }, null]) expect(slackActionValue(click(bad)), JSON.stringify(bad)).to.equal(undefined);
  });

  it('reads Slack text as typed: bot mention removed, links and escapes undone', () => {
    expect(fromSlackText('<@U05BOT> I was charged &amp; billed twice, see <https://example.test/bill|my bill>', 'U05BOT')).to.equal('I was charged & billed twice, see my bill');
    expect(fromSlackText('<@U0OTHER> 2 &lt;3', 'U05BOT')).to.equal('<@U0OTHER> 2 <3');
    expect(fromSlackText('mail <mailto:a@example.test> now', undefined)).to.equal('mail mailto:a@example.test now');
  });

  it('decides typing and welcome per channel and Teams scope', () => {
    expect(showsTyping({ type: 'message', channelId: 'slack' })).to.equal(false);
    expect(showsTyping({ type: 'message', channelId: 'webchat' })).to.equal(true);
    expect(showsTyping({ type: 'message', channelId: 'webchat', deliveryMode: 'expectReplies' })).to.equal(false);
    expect(showsTyping(fixture('teams-personal-mention'))).to.equal(true);
    expect(showsTyping(fixture('teams-groupchat-mention'))).to.equal(true);
    expect(showsTyping(fixture('teams-channel-mention'))).to.equal(false);
    expect(['teams-personal-mention', 'teams-groupchat-mention', 'teams-channel-mention', 'teams-install-team'].map((f) => teamsScope(fixture(f))))
      .to.deep.equal(['personal', 'groupChat', 'channel', 'channel']);
    expect(shouldWelcome(fixture('teams-install-personal'))).to.equal(true);
    expect(shouldWelcome(fixture('teams-install-team'))).to.equal(false);
    expect(shouldWelcome(fixture('teams-team-member-added'))).to.equal(false);
    expect(shouldWelcome({ channelId: 'emulator', recipient: { id: 'bot', name: 'b' }, membersAdded: [{ id: 'bot', name: 'b' }] })).to.equal(false);
    expect(shouldWelcome({ channelId: 'emulator', recipient: { id: 'bot', name: 'b' }, membersAdded: [{ id: 'u1', name: 'u' }] })).to.equal(true);
  });
});
