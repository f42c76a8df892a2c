import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Content, ContentError, isStaffKey } from '../../src/content/content.js';
import { currentLanguage, runInLanguage } from '../../src/content/turnLanguage.js';
import { loadConfig } from '../../src/config.js';
import { copyOfData, edit } from '../support/contentCopy.js';

const config = loadConfig({});

describe('content in English and Spanish', () => {
  const content = Content.load(config.contentDir);

  it('loads both languages with every customer key translated', () => {
    expect(content.languages).to.deep.equal(['en', 'es']);
    expect(content.translationGaps()).to.deep.equal([]);
  });

  it('answers in the turn\'s language: English outside a turn, Spanish inside runInLanguage("es")', async () => {
    expect(currentLanguage()).to.equal('en');
    expect(content.text('cancel.idle')).to.match(/nothing to cancel/);
    const inside = await runInLanguage('es', async () => {
      await new Promise((r) => setTimeout(r, 5)); // the language survives awaits
      return content.text('cancel.idle');
    });
    expect(inside).to.match(/No hay nada que cancelar/);
  });

  it('keeps two conversations\' turns apart when they run at once', async () => {
    const turn = (lang: 'en' | 'es', delay: number) => runInLanguage(lang, async () => {
      const out: string[] = [];
      for (let i = 0; i < 5; i++) { await new Promise((r) => setTimeout(r, delay)); out.push(content.text('choice.yes.title')); }
      return out;
    });
    const [en, es] = await Promise.all([turn('en', 3), turn('es', 2)]);
    expect(en).to.deep.equal(Array(5).fill('Yes'));
    expect(es).to.deep.equal(Array(5).fill('Sí'));
  });

  it('keeps staff wording in English in a Spanish turn: case summaries, platforms, step labels', () => {
    runInLanguage('es', () => {
      expect(content.text('case_summary.login_help', { platform: content.text('platform.app') })).to.equal('Cannot sign in in the T-Mobile app');
      expect(content.text('login.steps.vpn.label')).to.equal('Turned off VPN or proxy');
      expect(content.text('login.steps.vpn.text', { n: 1, total: 6 })).to.match(/^Paso 1 de 6/);
    });
    for (const k of ['case_summary.escalate', 'platform.web', 'recovery.locked.label']) expect(isStaffKey(k), k).to.equal(true);
    expect(isStaffKey('escalate.opened')).to.equal(false);
  });

  it('fills brand placeholders with the language\'s brand wording (data/es/brand.yml)', () => {
    expect(content.in('en').text('welcome.greeting')).to.include('T-Mobile Support Assistant');
    expect(content.in('es').text('welcome.greeting')).to.include('Asistente de Soporte de T-Mobile').and.include('app de T-Mobile');
    for (const k of content.keys()) for (const v of content.in('es').list(k)) expect(v, k).to.not.match(/\{brand\./);
  });

  it('offers Spanish buttons and accepts Spanish typed answers, with and without accents', () => {
    const es = content.in('es');
    expect(es.text('choice.yes.title')).to.equal('Sí');
    expect(es.list('choice.yes.synonyms')).to.include.members(['sí', 'si']);
    expect(es.text('menu.login_help')).to.equal('Ayuda para iniciar sesión');
  });

  it('refuses to start when a key exists in English only, naming the file and key', () => {
    const dir = copyOfData();
    edit(join(dir, 'messages.yml'), (t) => t.replace('cancel:\n', 'cancel:\n  brand_new: "Something new"\n'));
    expect(() => Content.load(dir)).to.throw(ContentError, /messages\.yml: cancel\.brand_new: exists in English only: add it to data\/es\//);
  });

  it('refuses a key that exists in Spanish only, and placeholders that differ', () => {
    const dir = copyOfData();
    edit(join(dir, 'es', 'messages.yml'), (t) => t.replace('cancel:\n', 'cancel:\n  solo_aqui: "Solo en español"\n'));
    expect(() => Content.load(dir)).to.throw(ContentError, /es\/messages\.yml: cancel\.solo_aqui: exists in es only/);
    const dir2 = copyOfData();
    edit(join(dir2, 'es', 'messages-escalation.yml'), (t) => t.replace('Abrí el caso {number} para ti', 'Abrí tu caso'));
    expect(() => Content.load(dir2)).to.throw(ContentError, /escalate\.opened: placeholders differ from English \(English has number, this has none\)/);
  });

  it('refuses a translated staff key (it would never be shown)', () => {
    const dir = copyOfData();
    edit(join(dir, 'es', 'messages-escalation.yml'), (t) => `${t}case_summary:\n  escalate: "El cliente pidió una persona"\n`);
    expect(() => Content.load(dir)).to.throw(ContentError, /case_summary\.escalate: is for staff and stays in English/);
  });

  it('a Spanish brand file may only translate words, not contact details', () => {
    const dir = copyOfData();
    writeFileSync(join(dir, 'es', 'brand.yml'), 'phone: "555"\n');
    expect(() => Content.load(dir)).to.throw(ContentError, /es\/brand\.yml/);
    expect(parse(readFileSync(join(config.contentDir, 'es', 'brand.yml'), 'utf8'))).to.have.keys('assistantName', 'appName');
  });
});
