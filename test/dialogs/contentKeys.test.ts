import { expect } from 'chai';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentError } from '../../src/content/content.js';
import { FrustrationDetector } from '../../src/conversation/frustration.js';
import { APP_STEPS } from '../../dialogs/appInstallDialog.js';
import { LOGIN_STEPS } from '../../dialogs/loginDialog.js';
import { MainDialog, requiredContentKeys } from '../../dialogs/mainDialog.js';
import { tempStores } from '../support/stores.js';
import { optionalSubtopicKeys } from '../../src/conversation/subtopics.js';
import { ProgressAccessor } from '../../src/conversation/progress.js';
import { Content } from '../../src/content/content.js';
import { ConversationState, MemoryStorage } from 'botbuilder';
import { config, content, recognizer } from './harness.js';
import { tempDir } from '../support/server.js';

const ROOT = join(config.contentDir, '..');
const SOURCES = [
  ...readdirSync(join(ROOT, 'dialogs')).filter((f) => f.endsWith('.ts')).map((f) => join(ROOT, 'dialogs', f)),
  // frustration.ts builds YAML paths for its own error messages, not content keys
  ...readdirSync(join(ROOT, 'src/conversation')).filter((f) => f.endsWith('.ts') && f !== 'frustration.ts').map((f) => join(ROOT, 'src/conversation', f)),
  join(ROOT, 'src/bot.ts'),
];

/** Every key a dialog builds at run time, expanded from the same constants the dialogs use. */
const DYNAMIC = requiredContentKeys();
const steps = [...new Set([...LOGIN_STEPS.website, ...LOGIN_STEPS.app, ...APP_STEPS])];

/** Quoted literals that look like content keys (`login.ask_path`), and template literals that build one. */
function keysInSource(): { literals: Map<string, string>; templates: Map<string, string> } {
  const literals = new Map<string, string>();
  const templates = new Map<string, string>();
  for (const file of SOURCES) {
    const src = readFileSync(file, 'utf8');
    for (const mm of src.matchAll(/'([a-z_]+(?:\.[a-z0-9_]+)+)'/g)) literals.set(mm[1], file);
    for (const mm of src.matchAll(/`([^`]*\$\{[^`]*)`/g)) {
      const tpl = mm[1];
      if (/^[a-z_${}.]/.test(tpl) && /^[a-z_]*(\$\{[^}]+\}|[a-z0-9_]+)(\.(\$\{[^}]+\}|[a-z0-9_]+))+$/.test(tpl)) templates.set(tpl, file);
    }
  }
  return { literals, templates };
}

describe('content keys used by the dialogs', () => {
  const { literals, templates } = keysInSource();

  it('finds the keys (the scan itself works)', () => {
    expect(literals.size).to.be.greaterThan(40);
    expect(templates.size).to.be.greaterThan(10);
  });

  it('every key literal in dialog code exists and is not empty', () => {
    for (const [key, file] of literals) {
      const isGroupOfSteps = steps.includes(key);
      if (isGroupOfSteps) continue;
      expect(content.has(key), `${file}: "${key}" is not in data/messages*.yml`).to.equal(true);
      for (const v of content.list(key)) expect(v.trim(), `${key} is empty`).to.not.equal('');
    }
  });

  it('every key built at run time exists and is not empty', () => {
    for (const key of DYNAMIC) {
      expect(content.has(key), `"${key}" is not in data/messages*.yml`).to.equal(true);
      for (const v of content.list(key)) expect(v.trim(), `${key} is empty`).to.not.equal('');
    }
  });

  it('every key-building template in the code is covered by the expansions above', () => {
    for (const [tpl, file] of templates) {
      const re = new RegExp(`^${tpl.split(/\$\{[^}]+\}/).map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[a-z0-9_.]+')}$`);
      expect([...DYNAMIC, ...optionalSubtopicKeys()].some((k) => re.test(k)), `${file}: \`${tpl}\` builds keys this test does not expand; add them to DYNAMIC`).to.equal(true);
    }
  });

  it('a missing run-time key stops start-up, naming it', async () => {
    const stores = await tempStores();
    const partial = new Content(content.brand, [{ file: 'x.yml', tree: { choice: { yes: { title: 'Yes', synonyms: ['y'] } } } }]);
    const deps = {
      recognizer: recognizer(), content: partial, cases: stores.cases, handoff: { initiate: async () => {} }, feedback: stores.feedback,
      frustration: FrustrationDetector.load(join(config.contentDir, 'frustration.yml')), progress: new ProgressAccessor(new ConversationState(new MemoryStorage())),
    };
    expect(() => new MainDialog(deps)).to.throw(/\[MainDialog\]: content keys missing.*login\.steps\.connection\.text/);
  });

  it('the "not found" reply has one wording, so another customer\'s case looks exactly like a missing one', () => {
    expect(content.list('case_status.not_found')).to.have.length(1);
  });

  it('leaves no unknown {placeholder} in messages without variables', () => {
    const vars = /\{(n|total|store|number|team|phone|hours|email|handles|platform|a|b|status|updated|created|position|caseNumber|summary|request|failed|shown|window|name|text|method)\}/g;
    for (const key of content.keys()) for (const v of content.list(key)) expect(v.replace(vars, ''), key).to.not.match(/\{[a-z_.]+\}/i);
  });
});

describe('frustration word list', () => {
  const f = FrustrationDetector.load(join(config.contentDir, 'frustration.yml'));
  const yes = ['this is useless', "I've tried that already", 'omg this is a WASTE OF TIME', 'wtf', 'f*ck this', 'are you even listening!!!'];
  const no = ['I forgot my password', 'no', 'still not working', 'how do I use my phone abroad', 'it was useful', 'my fuse box'];
  for (const s of yes) it(`"${s}" is frustrated`, () => expect(f.test(s)).to.equal(true));
  for (const s of no) it(`"${s}" is not`, () => expect(f.test(s)).to.equal(false));
  // the Spanish twin (data/es/frustration.yml) is read with the English list, accents or not
  const sí = ['esto no sirve para nada', 'ya lo intenté', 'qué pérdida de tiempo', 'ya estoy harta de esto', 'pinche bot', 'esto es useless'];
  const no_ = ['olvidé mi contraseña', 'no', 'sigue sin funcionar', 'la app no sirve', 'mi mamá se llama Carmen', 'estoy en el trabajo'];
  for (const s of sí) it(`(es) "${s}" is frustrated`, () => expect(f.test(s)).to.equal(true));
  for (const s of no_) it(`(es) "${s}" is not`, () => expect(f.test(s)).to.equal(false));

  it('a bad pattern stops start-up naming the file and key', () => {
    const file = join(tempDir(), 'frustration.yml');
    writeFileSync(file, 'phrases: [useless]\npatterns: ["(unclosed"]\n');
    expect(() => FrustrationDetector.load(file)).to.throw(ContentError, /frustration\.yml: patterns\.0/);
  });
});

describe('optional content keys', () => {
  it('"unless" words exist only for requests that have phrases, and are not empty', () => {
    for (const key of optionalSubtopicKeys().filter((k) => content.has(k))) {
      expect(content.has(key.replace(/\.unless$/, '.phrases')), key).to.equal(true);
      for (const v of content.list(key)) expect(v.trim(), key).to.not.equal('');
    }
    expect(optionalSubtopicKeys().filter((k) => content.has(k)).length).to.be.greaterThan(0);
  });
});
