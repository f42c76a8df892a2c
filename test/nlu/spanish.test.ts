import { expect } from 'chai';
import { join } from 'node:path';
import { loadConfig, ROOT } from '../../src/config.js';
import { INTENTS, loadIntents } from '../../src/nlu/intents.js';
import { normalizeSpanish } from '../../src/text/normalize.js';
import { IntentRecognizer } from '../../src/nlu/recognizer.js';
import { topIntent } from '../../src/nlu/recognizerPort.js';
import { heldOutLanguages, readHeldOut } from '../../src/nlu/offline/languageEvaluation.js';
import { SpellingCorrector } from '../../src/nlu/spelling.js';
import { SpanishWords, eitherOf, englishLookup } from '../../src/nlu/wordLists.js';
import { Featurizer } from '../../src/nlu/features.js';
import { sharedRecognizer } from '../support/recognizer.js';

const config = loadConfig({});
const ES_DIR = join(config.intentsDir, 'es');

describe('Spanish intents and classifier', () => {
  let recognizer: IntentRecognizer;
  before(() => { recognizer = sharedRecognizer(); });
  const read = (text: string) => { const r = recognizer.recognizeText(text); return { intent: topIntent(r).intent, language: r.language }; };

  it('has a Spanish file for every contract intent, each with at least 40 phrasings (none: a broad set)', () => {
    const defs = loadIntents(ES_DIR);
    expect(defs.map((d) => d.intent).sort()).to.deep.equal([...INTENTS].sort());
    for (const d of defs) expect(d.examples.length, d.intent).to.be.at.least(d.intent === 'none' ? 250 : 40);
  });

  it('never trains on a held-out Spanish phrasing (as the classifier reads them: folded, shorthand expanded)', () => {
    // the joint model trains on both languages, so neither language's intents may hold one
    const trained = new Set([ES_DIR, config.intentsDir].flatMap((dir) => loadIntents(dir).flatMap((d) => d.examples)).map(normalizeSpanish));
    const leaked = readHeldOut(join(ROOT, 'test', 'fixtures', 'nlu-heldout-es.yml')).filter((e) => trained.has(normalizeSpanish(e.text)));
    expect(leaked.map((e) => e.text)).to.deep.equal([]);
  });

  it('meets the targets on held-out phrasings: Spanish ≥95% and none recall ≥90%; English no worse than 97.9%', () => {
    const files = { en: join(ROOT, 'test/fixtures/nlu-heldout.yml'), es: join(ROOT, 'test/fixtures/nlu-heldout-es.yml') };
    const [en, es] = heldOutLanguages(config.intentsDir, files, 'joint', config.nluThreshold, recognizer);
    console.log(`      held-out en ${(100 * en.accuracy).toFixed(1)}% (${en.n}), none recall ${(100 * en.noneRecall).toFixed(1)}%; es ${(100 * es.accuracy).toFixed(1)}% (${es.n}), none recall ${(100 * es.noneRecall).toFixed(1)}%`);
    expect(es.n).to.be.at.least(200);
    expect(es.accuracy).to.be.at.least(0.95);
    expect(es.noneRecall).to.be.at.least(0.9);
    expect(en.accuracy).to.be.at.least(0.979);
  });

  const table: Array<[string, string]> = [
    ['no puedo iniciar sesión en la app', 'login_help'], // the example (went to app install)
    ['no puedo iniciar sesion en la app', 'login_help'],
    ['hablar con un agente', 'escalate'],
    ['la app no abre', 'app_install'],
    ['olvide el password', 'password_reset'],
    ['se me olvido mi usuario', 'forgot_username'],
    ['cuanto debo este mes', 'billing'],
    ['no tengo señal', 'tech_support'],
    ['no tengo senal', 'tech_support'],
    ['voy a viajar a mexico', 'international'],
    ['estado de mi caso CS-4K7P-2M9Q', 'case_status'],
    ['tienda mas serca', 'store_visit'],
    ['cancela', 'cancel'],
    ['cancelar mi linea', 'plan_change'], // cancelling service is a plan change, not "stop"
    ['hola', 'greeting'],
    ['gracias', 'goodbye'],
    ['ayuda', 'help'],
    ['cuentame un chiste', 'none'],
    ['receta de tamales', 'none'],
  ];
  for (const [text, intent] of table) it(`"${text}" → ${intent} (read as Spanish)`, () => expect(read(text)).to.deep.equal({ intent, language: 'es' }));

  it('keeps English as it was: the English table reads as English with the same intents', () => {
    for (const [text, intent] of [['cant loggin', 'login_help'], ['pasword reset pls', 'password_reset'], ['tell me a story', 'none'], ['why are my plants dying', 'none']]) {
      expect(read(text), text).to.deep.equal({ intent, language: 'en' });
    }
  });

  it('answers none for Spanish everyday words near intent words ("cuento" is not "cuenta", "plantas" not "planes")', () => {
    for (const text of ['cuentame un cuento', 'mis plantas se estan muriendo', 'vendo mi casa', 'quiero aprender a nadar']) expect(read(text).intent, text).to.equal('none');
  });
});

describe('Spanish spelling correction', () => {
  const vocab = ['contrasena', 'contrasena', 'cuenta', 'caso', 'caso', 'planes', 'factura', 'usuario', 'servicio', 'sesion', 'tienda'];
  const plain = new SpellingCorrector(vocab);
  const withWords = new SpellingCorrector(vocab, eitherOf(SpanishWords.load(), englishLookup()));

  // turn table: [typed, corrected by edit distance alone, corrected with the Spanish word list]
  const rows: Array<[string, string, string]> = [
    ['contrasela', 'contrasena', 'contrasena'], // typos of vocabulary words are corrected
    ['factrua', 'factura', 'factura'],
    ['ususario', 'usuario', 'usuario'],
    ['sevicio', 'servicio', 'servicio'],
    ['cuento', 'cuenta', 'cuento'], // real words are left alone
    ['casa', 'caso', 'casa'],
    ['plantas', 'planes', 'plantas'],
    ['tienta', 'tienda', 'tienta'],
  ];
  for (const [typed, without, withList] of rows) {
    it(`"${typed}" → "${without}" by edit distance, "${withList}" with the Spanish word list`, () => {
      expect(plain.correct(typed)).to.equal(without);
      expect(withWords.correct(typed)).to.equal(withList);
    });
  }

  it('looks words up folded: "contrasena" is "contraseña", accents are optional', () => {
    const words = SpanishWords.load();
    expect(words.size).to.be.greaterThan(600_000);
    for (const w of ['contrasena', 'senal', 'sesion', 'telefono', 'cuenta', 'casa', 'nino']) expect(words.has(w), w).to.equal(true);
    for (const w of ['contrasela', 'cerbicio', 'factrua', 'app', 'zzzz']) expect(words.has(w), w).to.equal(false);
  });

  it('normalises Spanish as customers type it: no accents, ñ, ¿¡, shorthand', () => {
    expect(normalizeSpanish('¿Olvidé mi CONTRASEÑA?')).to.equal('olvide mi contrasena');
    expect(normalizeSpanish('xq no me llega el código q pedí')).to.equal('porque no me llega el codigo que pedi');
    expect(normalizeSpanish('¡No puedo iniciar sesión en T-Mobile!')).to.equal('no puedo iniciar sesion en tmobile');
  });

  it('stems Spanish with the accents restored where customers drop them ("aplicacion" = "aplicación")', () => {
    const f = new Featurizer({ ...new Featurizer().options, language: 'es', spellCorrect: false });
    expect(f.analyse('aplicacion').stems).to.deep.equal(f.analyse('aplicación').stems);
    expect(f.analyse('facturas').stems).to.deep.equal(f.analyse('factura').stems);
  });
});
