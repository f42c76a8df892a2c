import { expect } from 'chai';
import { Content } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';
import { mentionsChoice } from '../../src/conversation/prompts.js';

/** Content with only what these tests need, so the tests do not move with data/ edits. */
const content = new Content(Content.load(loadConfig({}).contentDir).brand, [{
  file: 'test', tree: { choice: { my_cases: { title: 'My cases', synonyms: ['show my cases', 'my tickets'] }, app: { title: 'App', synonyms: ["the app", "phone app"] } } },
}]);

describe('mentionsChoice(): free text containing a choice\'s words', () => {
  const table: Array<[string, 'my_cases' | 'app', boolean]> = [
    ['show my cases', 'my_cases', true],
    ['Can you show my cases please?', 'my_cases', true],
    ['MY CASES', 'my_cases', true], // the title
    ['where are my tickets', 'my_cases', true],
    ['my casesss', 'my_cases', false], // whole words only
    ['mycases', 'my_cases', false],
    ['a case of mine', 'my_cases', false],
    ["I can't sign in on the app", 'app', true],
    ['in the phone-app', 'app', true],
    ['on the apple website', 'app', false],
    ['', 'app', false],
  ];
  for (const [typed, id, expected] of table) it(`${JSON.stringify(typed)} mentions ${id}: ${expected}`, () => expect(mentionsChoice(content, typed, id)).to.equal(expected));
});
