import { expect } from 'chai';
import { decideInterruption, type InterruptionInput } from '../../dialogs/cancelAndHelpDialog.js';
import { subtopicById } from '../../src/conversation/subtopics.js';
import type { IntentResult } from '../../src/nlu/recognizerPort.js';
import { promptChoices } from '../../src/conversation/prompts.js';
import { content } from './harness.js';
import { ESCALATION_DIALOG, OFFER_HUMAN_DIALOG, TROUBLESHOOT_DIALOG } from '../../dialogs/dialogIds.js';

const yesNo = promptChoices(content, ['fixed', 'not_fixed']);
const methods = promptChoices(content, ['live_chat', 'callback', 'phone']);
const scored = (intent: string, score: number): IntentResult => ({ text: '', intents: { [intent]: { score }, none: { score: 1 - score } }, entities: {} });
const base = (over: Partial<InterruptionInput>): InterruptionInput => ({
  text: '', result: scored('none', 1), choices: yesNo, freeText: false, topic: 'login_help', frustrated: false, stack: ['loginDialog'], ...over,
});

/** `[what, input, expected decision]`: the rules of the CancelAndHelp base in one table. */
const TABLE: Array<[string, Partial<InterruptionInput>, ReturnType<typeof decideInterruption>]> = [
  ['an exact answer is never an interruption, whatever the classifier says', { text: 'no', result: scored('tech_support', 0.98) }, undefined],
  ['a typed option number is an answer', { text: '2', result: scored('cancel', 0.9) }, undefined],
  ['help interrupts', { text: 'help', result: scored('help', 0.98) }, { kind: 'help' }],
  ['an option named by its place is an answer, though the classifier reads it as help', { text: 'the first', result: scored('help', 0.87) }, undefined],
  ['…in Spanish too, read in the conversation\'s language', { text: 'la segunda opción', result: scored('help', 0.95), language: 'es' }, undefined],
  ['…but a Spanish ordinal read as English names nothing, so help interrupts', { text: 'la segunda opción', result: scored('help', 0.95), language: 'en' }, { kind: 'help' }],
  ['cancel interrupts', { text: 'never mind', result: scored('cancel', 0.97) }, { kind: 'cancel' }],
  ['cancel interrupts even free text', { text: 'start over', result: scored('cancel', 0.97), freeText: true, choices: undefined }, { kind: 'cancel' }],
  ['a low-confidence cancel does not', { text: 'stop it', result: scored('cancel', 0.3) }, undefined],
  ['"talk to a person" escalates', { text: 'talk to a person', result: scored('escalate', 0.98) }, { kind: 'escalate' }],
  ['…unless already escalating', { text: 'talk to a person', result: scored('escalate', 0.98), stack: ['loginDialog', ESCALATION_DIALOG] }, undefined],
  ['…or it names an offered option (live chat)', { text: 'talk to a person', result: scored('escalate', 0.98), choices: methods }, undefined],
  ['frustration offers a person', { text: 'this is useless', frustrated: true }, { kind: 'frustrated' }],
  ['…but not twice in a row', { text: 'this is useless', frustrated: true, stack: ['loginDialog', OFFER_HUMAN_DIALOG] }, undefined],
  ['…and not inside a description', { text: 'the app is useless', frustrated: true, freeText: true, choices: undefined }, undefined],
  ['a clearly different request switches topic', { text: 'how much data have I used', result: scored('data_usage', 0.95) }, { kind: 'switch', intent: 'data_usage' }],
  ['the same topic does not', { text: 'i still cant log in', result: scored('login_help', 0.95) }, undefined],
  ['a fairly sure one does, when it answers none of the buttons', { text: 'my app keeps crashing', result: scored('app_install', 0.8) }, { kind: 'switch', intent: 'app_install' }],
  ['a weak guess does not', { text: 'data maybe', result: scored('data_usage', 0.6) }, undefined],
  ['a request that answers the question does not', { text: 'still not working', result: scored('tech_support', 0.95) }, undefined],
  ['free text never switches topic', { text: 'my bill is wrong', result: scored('billing', 0.99), freeText: true, choices: undefined }, undefined],
  ['a greeting does not switch', { text: 'hello', result: scored('greeting', 0.99) }, undefined],
  ['empty text does nothing', { text: '   ', result: scored('help', 1) }, undefined],
  ['"no thanks" leaves a question that has no "no"', { text: 'no thanks', leave: true, choices: methods, result: scored('goodbye', 0.99) }, { kind: 'cancel' }],
  ['…but is an answer where "no" is offered', { text: 'no thanks', leave: true, result: scored('goodbye', 0.99) }, undefined],
  ['…and a description where the customer types freely', { text: 'no thanks', leave: true, freeText: true, choices: undefined }, undefined],
  ['a specific request switches, even within the same intent', { text: 'my account is locked', result: scored('login_help', 0.99), subtopic: subtopicById('locked') },
    { kind: 'switch', intent: 'password_reset', subtopic: 'locked' }],
  ['…but not when the conversation is already on it (the same message twice)', { text: 'my account is locked', result: scored('login_help', 0.99), topic: 'password_reset', subtopic: subtopicById('locked'), currentSubtopic: 'locked' }, undefined],
  ['a step of the walk under way does not restart it', { text: 'what about cookies', subtopic: subtopicById('cache'), stack: ['loginDialog', TROUBLESHOOT_DIALOG] }, undefined],
  ['a channel named while choosing one is an answer', { text: 'can you call me back', choices: undefined, subtopic: subtopicById('contact_callback'), topic: 'escalate', stack: [ESCALATION_DIALOG] }, undefined],
  ['frustration with a clear request: empathy, then the request', { text: 'ugh, now my account is locked!!!', frustrated: true, subtopic: subtopicById('locked') },
    { kind: 'switch', intent: 'password_reset', subtopic: 'locked', empathy: true }],
  ['"I\'ve tried that" is an answer (the next step), not frustration', { text: "I've tried that already", frustrated: true }, undefined],
];

describe('interruption rules (CancelAndHelp base)', () => {
  for (const [what, input, expected] of TABLE) {
    it(what, () => expect(decideInterruption(base(input))).to.deep.equal(expected));
  }
});
