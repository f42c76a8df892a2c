import { expect } from 'chai';
import type { Choice as PromptChoice } from 'botbuilder-dialogs';
import { Content } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';
import { isExactChoice, matchPromptChoice, mentionsChoice, normalise } from '../../src/conversation/prompts.js';

/** Choices as a dialog offers them (value = id, synonyms = what customers type), fixed here so shipped wording can change. */
const YES_NO: PromptChoice[] = [
  { value: 'yes', synonyms: ['Yes', 'yep', 'sure', "it's fixed"] },
  { value: 'no', synonyms: ['No', 'nope', "didn't work"] },
];
const THREE: PromptChoice[] = [{ value: 'website', synonyms: ['Website'] }, { value: 'app', synonyms: ['App'] }, { value: 'store', synonyms: ['In a store'] }];

/** Content with only what these tests need, so the tests do not move with data/ edits. */
const content = new Content(Content.load(loadConfig({}).contentDir).brand, [{
  file: 'test', tree: { choice: { my_cases: { title: 'My cases', synonyms: ['show my cases', 'my tickets'] }, app: { title: 'App', synonyms: ["the app", "phone app"] } } },
}]);

describe('normalise(): what typed text is compared as', () => {
  const table: Array<[string, string]> = [
    ["Don't", 'dont'],
    ['It’s FIXED!', 'its fixed'],
    ['  Sign-in   help  ', 'sign in help'],
    ['option #2.', 'option 2'],
    ['', ''],
    ['---', ''],
  ];
  for (const [typed, expected] of table) it(`${JSON.stringify(typed)} → ${JSON.stringify(expected)}`, () => expect(normalise(typed)).to.equal(expected));
});

describe('isExactChoice(): the whole text is one of the choices', () => {
  const table: Array<[string, PromptChoice[] | undefined, boolean]> = [
    ['yes', YES_NO, true],
    ['YES!', YES_NO, true],
    ['Yep.', YES_NO, true],
    ['its fixed', YES_NO, true], // a synonym's apostrophe ignored
    ["didnt work", YES_NO, true],
    ['no', YES_NO, true],
    ['1', YES_NO, true],
    ['2', YES_NO, true],
    ['3', YES_NO, false],
    ['0', YES_NO, false],
    ['3', THREE, true],
    ['yes please', YES_NO, false],
    ['yes, I want to talk to a person', YES_NO, false],
    ['in a store', THREE, true],
    ['store', THREE, true], // the value itself
    ['', YES_NO, false],
    ['   ', YES_NO, false],
    ['!!', YES_NO, false],
    ['yes', [], false],
    ['yes', undefined, false],
  ];
  for (const [typed, choices, expected] of table) {
    it(`${JSON.stringify(typed)} among ${choices ? choices.map((c) => c.value).join('/') || 'none' : 'undefined'} → ${expected}`, () => {
      expect(isExactChoice(typed, choices)).to.equal(expected);
    });
  }

  it('tells a number typed alone from words that contain a number', () => {
    const ratings: PromptChoice[] = [{ value: 'rate_5', synonyms: ['5 stars'] }, { value: 'plan', synonyms: ['plan 2'] }];
    expect(isExactChoice('5 stars', ratings), 'starts with a number').to.equal(true);
    expect(isExactChoice('plan 2', ratings), 'ends with a number').to.equal(true);
    expect(isExactChoice('2', ratings)).to.equal(true);
    const twelve: PromptChoice[] = Array.from({ length: 12 }, (_, i) => ({ value: `c${i + 1}` }));
    expect(isExactChoice('12', twelve), 'two digits').to.equal(true);
    expect(isExactChoice('13', twelve)).to.equal(false);
  });

  it('a choice without synonyms is matched by its value', () => {
    expect(isExactChoice('Website', [{ value: 'website' }])).to.equal(true);
  });
});

describe('matchPromptChoice(): which offered choice a typed text names, as the prompt reads it', () => {
  const table: Array<[string, PromptChoice[] | undefined, string | undefined]> = [
    ['yes', YES_NO, 'yes'],
    ['nope', YES_NO, 'no'],
    ['2', YES_NO, 'no'],
    ['the second one', YES_NO, 'no'],
    ['first', THREE, 'website'],
    ['I use the app', THREE, 'app'],
    ['hello', YES_NO, undefined],
    ['', YES_NO, undefined],
    ['   ', YES_NO, undefined],
    ['yes', [], undefined],
    ['yes', undefined, undefined],
  ];
  for (const [typed, choices, expected] of table) {
    it(`${JSON.stringify(typed)} → ${expected ?? '(none)'}`, () => expect(matchPromptChoice(typed, choices)).to.equal(expected));
  }
});

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
