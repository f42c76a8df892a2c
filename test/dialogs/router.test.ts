import { expect } from 'chai';
import type { TurnContext } from 'botbuilder';
import { TRACE_NAME } from '../../src/nlu/recognizer.js';
import type { IntentResult } from '../../src/nlu/recognizerPort.js';
import type { ServingRecognizer } from '../../src/nlu/recognizerHolder.js';
import { MAIN_MENU } from '../../src/conversation/menu.js';
import { Chat, play, head, b, m, t, content, recognizer } from './harness.js';

/** The shared trained recognizer with a few answers fixed, to reach close calls whatever the training data (nothing is trained again). */
class ScriptedRecognizer implements ServingRecognizer {
  private readonly model = recognizer();
  readonly options = this.model.options;
  readonly languageId = this.model.languageId;
  constructor(private readonly fixed: Record<string, IntentResult['intents']>) {}
  recognizeText(text: string, opts?: Parameters<ServingRecognizer['recognizeText']>[1]): IntentResult {
    const f = this.fixed[text];
    return f ? { text, intents: f, entities: {} } : this.model.recognizeText(text, opts);
  }
  recognize(context: TurnContext): Promise<IntentResult> {
    const text = context.activity.text ?? '';
    return this.fixed[text] ? Promise.resolve(this.recognizeText(text)) : this.model.recognize(context);
  }
}

describe('main router', () => {
  it('welcomes once per conversation with the main options as buttons', async () => {
    const chat = await Chat.open();
    const first = await chat.join();
    expect(first.text).to.include(head('welcome.greeting'));
    expect(first.buttons).to.deep.equal(MAIN_MENU.map(m));
    expect((await chat.join()).text).to.equal('');
  });

  it('recognizes once per turn: one Emulator trace per message, also mid-dialog', async () => {
    const chat = await Chat.open({ channelId: 'emulator', traces: true });
    for (const text of ["I can't log in", 'website', 'no', 'help', 'no', 'talk to a person']) {
      await chat.say(text);
      const traces = chat.lastActivities.filter((a) => a.type === 'trace' && a.name === TRACE_NAME);
      expect(traces, `traces for "${text}"`).to.have.length(1);
    }
  });

  it('greets and helps with the main options', async () => {
    const chat = await Chat.open();
    const hi = await chat.say('hello');
    expect(content.list('welcome.again')).to.include(hi.text);
    expect(hi.buttons).to.include(m('escalate'));
    await play(chat, [['what can you do?', head('help.intro'), MAIN_MENU.map(m)]]);
  });

  it('routes a clicked menu button by its label', async () => {
    const chat = await Chat.open();
    await play(chat, [[m('login_help'), head('login.ask_path')]]);
    await play(await Chat.open(), [[m('case_status'), head('case_status.ask_number')]]);
  });

  it('falls back with the main options, and offers a person on the second fallback in a row', async () => {
    const chat = await Chat.open();
    const first = await chat.say('what is the capital of france');
    expect(content.list('fallback.first')).to.include(first.text);
    expect(first.buttons).to.deep.equal(MAIN_MENU.map(m));
    const second = await chat.say('purple monkey dishwasher');
    expect(second.text).to.equal(t('fallback.second'));
    expect(second.buttons[0]).to.equal(m('escalate'));
    const third = await chat.say('what is the capital of spain');
    expect(content.list('fallback.first')).to.include(third.text);
  });

  it('a routed message resets the fallback count', async () => {
    const chat = await Chat.open();
    await chat.say('what is the capital of france');
    await chat.say('hello');
    expect(content.list('fallback.first')).to.include((await chat.say('purple monkey dishwasher')).text);
  });

  it('asks "Did you mean … or …?" with buttons when the top two intents are close', async () => {
    const chat = await Chat.open({ recognizer: new ScriptedRecognizer({ 'app login': { login_help: { score: 0.5 }, app_install: { score: 0.45 }, none: { score: 0.05 } } }) });
    const turn = await chat.say('app login');
    expect(turn.text).to.equal(t('clarify.ask', { a: m('login_help'), b: m('app_install') }));
    expect(turn.buttons).to.deep.equal([m('login_help'), m('app_install')]);
    await play(chat, [[m('app_install'), head('app_install.ask_device')]]);
  });

  it('offers a person straight away to a frustrated customer', async () => {
    const chat = await Chat.open();
    await play(chat, [['this is useless', head('frustration.offer'), [m('escalate')]], [m('escalate'), head('escalate.ask_method')]]);
  });

  it('says there is nothing to cancel when nothing is going on', async () => {
    await play(await Chat.open(), [['cancel', head('cancel.idle'), [m('login_help')]]]);
  });

  it('renders per channel: an Adaptive Card on Teams, numbered lines on Slack (and "2" picks the second)', async () => {
    const teams = await Chat.open({ channelId: 'msteams' });
    const turn = await teams.say("I can't log in");
    expect(turn.activities.find((a) => a.attachments?.length)?.attachments?.[0].contentType).to.equal('application/vnd.microsoft.card.adaptive');
    expect(turn.buttons).to.deep.equal([b('website'), b('app')]);
    const slack = await Chat.open({ channelId: 'slack' });
    const s = await slack.say("I can't log in");
    expect(s.text).to.include(`1. ${b('website')}`).and.include(`2. ${b('app')}`);
    await play(slack, [['2', head('login.signin.app')]]);
  });

  it('never asks for a password, PIN, card number or security answer', () => {
    const asks = /\b(what|enter|type|tell me|send me|give me|share)\b[^.?!]*\b(your )?(password|pin|card number|security (question|answer))\b[^.!]*\?/i;
    for (const key of content.keys()) for (const v of content.list(key)) expect(v, key).to.not.match(asks);
  });
});
