import { expect } from 'chai';
import { Chat, content } from './harness.js';

const es = content.in('es');
const headIn = (w: typeof es, key: string) => w.list(key)[0].split('{')[0].slice(0, 50).trim();

/**
 * A number or an ordinal typed at a choice prompt is read in the conversation's language, not in
 * the language of the browser or app the customer happens to use, and only as the whole answer:
 * [locale the channel sends, problem, typed answer, reply must contain].
 */
const ROWS: Array<[locale: string, problem: string, typed: string, contains: string]> = [
  ['en-US', 'no puedo iniciar sesión', 'la segunda', headIn(es, 'login.signin.app')],
  ['en-US', 'no puedo iniciar sesión', 'la segunda opción', headIn(es, 'login.signin.app')],
  ['fr-FR', "I can't log in", 'the second one', headIn(content.in('en'), 'login.signin.app')],
  ['de-DE', "I can't log in", 'the first', headIn(content.in('en'), 'login.signin.website')],
  ['es-ES', 'no puedo iniciar sesión', 'la primera', headIn(es, 'login.signin.website')],
  // a number inside a sentence is not an answer: "una" is not option 1, "dos" not option 2
  ['es-ES', 'no puedo iniciar sesión', 'quiero hablar con una persona', headIn(es, 'escalate.ask_method')],
  ['es-ES', 'no puedo iniciar sesión', 'no sé cuál de las dos es la mía', headIn(es, 'prompt.retry')],
  ['en-US', "I can't log in", 'I tried 2 times already', headIn(content.in('en'), 'prompt.retry')],
];

describe('choice prompts read numbers and ordinals in the conversation\'s language', () => {
  for (const [locale, problem, typed, contains] of ROWS) {
    it(`${locale}: "${problem}" … "${typed}"`, async () => {
      const chat = await Chat.open({ locale });
      await chat.say(problem);
      expect((await chat.say(typed)).text).to.include(contains);
    });
  }
});
