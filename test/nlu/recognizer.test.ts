import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { IntentRecognizer } from '../../src/nlu/recognizer.js';
import { topIntent } from '../../src/nlu/recognizerPort.js';
import { INTENTS, loadIntents, ContentError } from '../../src/nlu/intents.js';
import { normalize } from '../../src/text/normalize.js';
import { tempDir } from '../support/server.js';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedRecognizer } from '../support/recognizer.js';

const config = loadConfig({});

describe('intent recognizer', () => {
  let recognizer: IntentRecognizer;
  before(() => { recognizer = sharedRecognizer(); });
  const intentOf = (text: string) => topIntent(recognizer.recognizeText(text)).intent;

  it('loads one file per contract intent, each with at least 25 examples', () => {
    const defs = loadIntents(config.intentsDir);
    expect(defs.map((d) => d.intent).sort()).to.deep.equal([...INTENTS].sort());
    for (const d of defs) expect(d.examples.length, d.intent).to.be.at.least(25);
  });

  it('classifies held-out phrasings it was never trained on (per-intent accuracy report)', () => {
    const heldout = parse(readFileSync('test/fixtures/nlu-heldout.yml', 'utf8')) as Record<string, string[]>;
    const rows: string[] = [];
    let ok = 0, n = 0;
    for (const [intent, texts] of Object.entries(heldout)) {
      const right = texts.filter((t) => intentOf(t) === intent).length;
      ok += right; n += texts.length;
      rows.push(`${intent.padEnd(16)} ${right}/${texts.length}`);
    }
    console.log(`      held-out accuracy ${(100 * ok / n).toFixed(1)}% (${ok}/${n})\n      ${rows.join('\n      ')}`);
    expect(ok / n).to.be.at.least(0.85);
  });

  const table: Array<[string, string]> = [
    ['pasword reset pls', 'password_reset'],
    ['cant loggin', 'login_help'],
    ["I can't log in to my account", 'login_help'],
    ['I CANT SIGN IN!!!', 'login_help'],
    ['the T-Mobile app wont install on my phone', 'app_install'],
    ['tmobile app keeps crashing', 'app_install'],
    ['t mobile app crashes', 'app_install'],
    ['i want to talk to a real person', 'escalate'],
    ['whats the status of CS-4K7P-2M9Q', 'case_status'],
    ['hi', 'greeting'],
    ['thanks bye', 'goodbye'],
    ['never mind', 'cancel'],
    ['what is the capital of france', 'none'],
    ['asdkjh qwe', 'none'],
  ];
  for (const [text, intent] of table) it(`"${text}" → ${intent}`, () => expect(intentOf(text)).to.equal(intent));

  it('returns scores in 0..1 for contract intent names only', () => {
    const r = recognizer.recognizeText('my bill is too high');
    for (const [name, { score }] of Object.entries(r.intents)) {
      expect(INTENTS).to.include(name);
      expect(score).to.be.within(0, 1);
    }
  });

  it('makes none the top intent below the threshold, whatever the threshold', () => {
    const strict = new IntentRecognizer(loadIntents(config.intentsDir), { threshold: 0.999 });
    expect(topIntent(strict.recognizeText('help me with my bill')).intent).to.equal('none');
  });

  it('answers none for empty, emoji-only and non-Latin text', () => {
    for (const t of ['', '   ', '😡😡', 'Не могу войти']) expect(intentOf(t), t).to.equal('none');
  });

  it('extracts the platform and case numbers', () => {
    expect(recognizer.recognizeText('app on my iPhone').entities.platform).to.deep.equal(['ios']);
    expect(recognizer.recognizeText('samsung galaxy').entities.platform).to.deep.equal(['android']);
    expect(recognizer.recognizeText('on the website').entities.platform).to.deep.equal(['web']);
    const cn = recognizer.recognizeText('case cs 4k7p 2m9q please').entities.caseNumber;
    expect(cn).to.have.length(1);
    expect(cn![0].value).to.match(/^CS-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  });

  it('normalises brand spellings, contractions and punctuation', () => {
    expect(normalize('T-Mobile')).to.equal('tmobile');
    expect(normalize('t mobile')).to.equal('tmobile');
    expect(normalize('TMobile')).to.equal('tmobile');
    expect(normalize("I can't sign in!!")).to.equal('i can not sign in');
    expect(normalize('dont know')).to.equal('do not know');
  });

  it('names the file and key of invalid intent content', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'i'));
    writeFileSync(join(dir, 'i', 'billing.yml'), 'intent: billing\nexamples: []\n');
    expect(() => loadIntents(join(dir, 'i'))).to.throw(ContentError, /billing\.yml: examples: /);
    writeFileSync(join(dir, 'i', 'billing.yml'), 'intent: bills\nexamples: [a]\n');
    expect(() => loadIntents(join(dir, 'i'))).to.throw(ContentError, /billing\.yml: intent: .*does not match/);
  });
});
