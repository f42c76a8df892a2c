import { expect } from 'chai';
import { Chat, head } from './harness.js';

/**
 * Customers type answers instead of tapping: `[question reached by, typed answer, reply must contain]`.
 * Each row starts a fresh conversation at the "website or app?" / "did that get you in?" prompts.
 */
const PATH: Array<[string, string]> = [
  ['the website', 'login.signin.website'], ['website', 'login.signin.website'], ['on my laptop', 'login.signin.website'], ['1', 'login.signin.website'],
  ['app', 'login.signin.app'], ['the app', 'login.signin.app'], ['2', 'login.signin.app'], ['In the app', 'login.signin.app'],
];
const WORKED: Array<[string, string]> = [
  ['yes', 'login.success'], ['yep', 'login.success'], ['yeah it worked', 'login.success'],
  ['no', 'login.troubleshoot_intro'], ['nope', 'login.troubleshoot_intro'], ['nah', 'login.troubleshoot_intro'], ["didn't work", 'login.troubleshoot_intro'],
  ['still not working', 'login.troubleshoot_intro'],
  ['I forgot my username', 'recovery.username.steps'], ['forgot password', 'recovery.password.steps'], ['4', 'recovery.password.steps'],
];

describe('typed answers to choice prompts', () => {
  for (const [typed, key] of PATH) {
    it(`"website or app?" ← "${typed}"`, async () => {
      const chat = await Chat.open();
      await chat.say("I can't log in");
      expect((await chat.say(typed)).text).to.include(head(key));
    });
  }
  for (const [typed, key] of WORKED) {
    it(`"did that get you in?" ← "${typed}"`, async () => {
      const chat = await Chat.open();
      await chat.say("I can't log in");
      await chat.say('website');
      expect((await chat.say(typed)).text).to.include(head(key));
    });
  }
  it('something that is not an answer gets the question again', async () => {
    const chat = await Chat.open();
    await chat.say("I can't log in");
    const turn = await chat.say('hmm purple');
    expect(turn.text).to.include(head('prompt.retry')).and.include(head('login.ask_path'));
  });
});
