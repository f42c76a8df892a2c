import { expect } from 'chai';
import { IntentRecognizer } from '../../src/nlu/recognizer.js';
import { languageOfLocale } from '../../src/nlu/languages.js';
import { LanguageIdentifier, type LanguageContext } from '../../src/nlu/languageId.js';
import { defaultHeldOutFiles, languageIdReport, languageIdSet } from '../../src/nlu/offline/languageEvaluation.js';
import { ROOT } from '../../src/config.js';
import { join } from 'node:path';
import { sharedRecognizer } from '../support/recognizer.js';


describe('language identification', () => {
  let recognizer: IntentRecognizer;
  before(() => { recognizer = sharedRecognizer(); });

  it('is right on at least 98% of labelled messages of three words or more (and names third languages)', () => {
    const r = languageIdReport(recognizer, languageIdSet(join(ROOT, 'test', 'fixtures', 'langid.yml'), defaultHeldOutFiles(ROOT)));
    console.log(`      3+ words ${(100 * r.long.accuracy).toFixed(1)}% (${r.long.right}/${r.long.n}); shorter, read alone ${r.short.right}/${r.short.n}; third languages ${r.other.right}/${r.other.n}`);
    expect(r.long.n).to.be.at.least(600);
    expect(r.long.accuracy).to.be.at.least(0.98);
    expect(r.other.right / r.other.n).to.be.at.least(0.9);
  });

  // turn table: [message, what is known before it, language to answer in, what the text looks like]
  const table: Array<[string, LanguageContext, 'en' | 'es', 'en' | 'es' | 'other' | undefined]> = [
    ['no puedo iniciar sesión en la app', {}, 'es', 'es'],
    ['no puedo iniciar sesion en la app', { locale: 'en' }, 'es', 'es'], // no accents, a wrong locale
    ['la app no abre', { current: 'en' }, 'es', 'es'], // mixed: the sentence is Spanish
    ['el password no funciona', { current: 'en' }, 'es', 'es'],
    ['ola nesesito ayuda con mi cuenta', {}, 'es', 'es'], // typos
    ['xq no me llega el codigo', {}, 'es', 'es'],
    ['I forgot my password', { current: 'es', locale: 'es' }, 'en', 'en'], // the customer switched
    ['cant loggin to the app', { locale: 'es' }, 'en', 'en'],
    ['sí', { current: 'es' }, 'es', undefined], // short: kept
    ['si', { current: 'en' }, 'en', undefined],
    ['ok', { current: 'es' }, 'es', undefined],
    ['2', { current: 'es' }, 'es', undefined],
    ['thanks', { current: 'es' }, 'es', undefined],
    ['😡😡', { current: 'es' }, 'es', undefined], // no words
    ['CS-4K7P-2M9Q', { current: 'es' }, 'es', undefined],
    ['hola', {}, 'es', 'es'], // a first short message: the words decide when they can
    ['gracias', { locale: 'en' }, 'es', 'es'],
    ['ok', { locale: 'es' }, 'es', undefined], // ...otherwise the locale
    ['ok', {}, 'en', undefined],
    ['bonjour je ne peux pas me connecter', { current: 'es' }, 'es', 'other'], // a third language: answered in the conversation's
    ['ich habe mein passwort vergessen', {}, 'en', 'other'],
  ];
  for (const [text, context, language, detected] of table) {
    it(`"${text}" with ${JSON.stringify(context)} → ${language}${detected ? ` (reads as ${detected})` : ' (kept)'}`, () => {
      const g = recognizer.identify(text, context);
      expect(g.language).to.equal(language);
      expect(g.detected).to.equal(detected);
    });
  }

  it('works without training vocabularies (the detector alone), falling back on the prior for short text', () => {
    const bare = new LanguageIdentifier();
    expect(bare.identify('necesito pagar mi factura').language).to.equal('es');
    expect(bare.identify('ok', { locale: 'es' }).language).to.equal('es');
  });

  it('reads the language of a channel locale', () => {
    expect(languageOfLocale('es-US')).to.equal('es');
    expect(languageOfLocale('es_MX')).to.equal('es');
    expect(languageOfLocale('EN-gb')).to.equal('en');
    for (const bad of ['fr-FR', '', undefined, 'e', 'español', 42 as unknown as string]) expect(languageOfLocale(bad), String(bad)).to.equal(undefined);
  });
});
