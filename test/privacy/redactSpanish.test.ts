import { expect } from 'chai';
import { redact } from '../../src/privacy/redact.js';
import { withoutSecrets } from '../../src/conversation/secrets.js';
import { Content } from '../../src/content/content.js';
import { loadConfig } from '../../src/config.js';

/** `[what a Spanish-speaking customer types, what may be kept]`: secrets hidden, complaints about them left alone. */
const HIDDEN: Array<[string, string]> = [
  ['mi contraseña es Hunter22!', 'mi contraseña es [REDACTED:password]'],
  ['mi contrasena es perrito', 'mi contrasena es [REDACTED:password]'],
  ['mi password es Azul#2024 y no puedo entrar', 'mi password es [REDACTED:password] y no puedo entrar'],
  ['clave: abc123', 'clave: [REDACTED:password]'],
  ['la contraseña que uso es Tigre99', 'la contraseña que uso es [REDACTED:password]'],
  ['mi nueva contraseña es "Mar.2025"', 'mi nueva contraseña es "[REDACTED:password]"'],
  ['contraseña Xy7!kLm', 'contraseña [REDACTED:password]'],
  // a passphrase of several words is hidden whole, up to where a new clause starts
  ['mi contraseña es perro azul 22', 'mi contraseña es [REDACTED:password]'],
  ['la contraseña: mi gato feliz', 'la contraseña: [REDACTED:password]'],
  ['mi password es hola mundo pero no entra', 'mi password es [REDACTED:password] pero no entra'],
  ['mi clave es luna llena, no me deja', 'mi clave es [REDACTED:password], no me deja'],
  ['contraseña nueva = Perro azul', 'contraseña nueva = [REDACTED:password]'],
  ['mi contrasena es sol de verano y no funciona', 'mi contrasena es [REDACTED:password] y no funciona'],
  ['mi clave es Casa2024! porfa ayuda', 'mi clave es [REDACTED:password] porfa ayuda'],
  ['mi pin es 4821', 'mi pin es [REDACTED:pin]'],
  ['mi nip es 0000', 'mi nip es [REDACTED:pin]'],
  ['el pin de transferencia es 123456', 'el pin de transferencia es [REDACTED:pin]'],
  ['mi seguro social es 123456789', 'mi seguro social es [REDACTED:ssn]'],
  ['mi numero de seguro social: 123-45-6789', 'mi numero de seguro social: [REDACTED:ssn]'],
  ['el nombre de mi primera mascota era Firulais', 'el nombre de mi primera mascota era [REDACTED:security_answer]'],
  ['la respuesta de seguridad es rojo, pero no la acepta', 'la respuesta de seguridad es [REDACTED:security_answer], pero no la acepta'],
  ['el apellido de soltera de mi mamá es García', 'el apellido de soltera de mi mamá es [REDACTED:security_answer]'],
];

const KEPT = [
  'mi contraseña es incorrecta',
  'mi contraseña no funciona',
  'olvide mi contraseña',
  'la contraseña es muy larga y no la recuerdo',
  'mi clave es la de siempre pero no entra',
  'la clave es que no me deja entrar',
  'quiero cambiar mi contraseña',
  'me pide el pin pero no me llega',
  'no tengo mi numero de seguro social a la mano',
  'la respuesta de seguridad es incorrecta',
  'mi contraseña tiene mayúsculas',
  'my password is not working',
  'intenté mi contraseña 3 veces',
  'mi pin de 4 digitos no funciona',
];

/** `[typed, stored, kinds found]`: the bare form ("contraseña X") takes only a value that looks like one; punctuation around the first word is not part of it. */
const FORMS: Array<[string, string, string[]]> = [
  ['mi seguro social es 123456789', 'mi seguro social es [REDACTED:ssn]', ['ssn']],
  ['mi pin es 4821', 'mi pin es [REDACTED:pin]', ['pin']],
  ['el nombre de mi primera mascota era Firulais', 'el nombre de mi primera mascota era [REDACTED:security_answer]', ['security_answer']],
  ['mi contraseña: incorrecta', 'mi contraseña: [REDACTED:password]', ['password']],
  ['mi contraseña es Perro.', 'mi contraseña es [REDACTED:password]', ['password']],
  ['contraseña abcD', 'contraseña [REDACTED:password]', ['password']],
  ['contraseña abc1', 'contraseña [REDACTED:password]', ['password']],
  ['contraseña abc1.', 'contraseña [REDACTED:password]', ['password']],
  ['contraseña HelloWorld', 'contraseña [REDACTED:password]', ['password']],
  ['contraseña ABcDe', 'contraseña [REDACTED:password]', ['password']],
  ['contraseña ÁrBOL', 'contraseña [REDACTED:password]', ['password']],
  ['contraseña 1234!', 'contraseña [REDACTED:password]', ['password']],
  ['contraseña ab1', 'contraseña ab1', []],
  ['contraseña Abc,', 'contraseña Abc,', []],
  ['contraseña Abcd', 'contraseña Abcd', []],
  ['contraseña aBc', 'contraseña aBc', []],
  ['contraseña perro.', 'contraseña perro.', []],
  ['mi contraseña es incorrecta.', 'mi contraseña es incorrecta.', []],
  ['mi contraseña es ¡incorrecta!', 'mi contraseña es ¡incorrecta!', []],
  ['la respuesta de seguridad es incorrecta.', 'la respuesta de seguridad es incorrecta.', []],
  ['la respuesta de seguridad es ¿incorrecta?', 'la respuesta de seguridad es ¿incorrecta?', []],
  ['mi contraseña es [REDACTED:password]', 'mi contraseña es [REDACTED:password]', []],
  ['contraseña ab.cd', 'contraseña [REDACTED:password]', ['password']],
  ['contraseña ab#cd', 'contraseña [REDACTED:password]', ['password']],
  ['contraseña abc!!', 'contraseña abc!!', []],
  ['la respuesta de seguridad es    incorrecta', 'la respuesta de seguridad es    incorrecta', []],
  ['la respuesta de seguridad es incorrecta!!', 'la respuesta de seguridad es incorrecta!!', []],
  ['la respuesta de seguridad es ¡¡incorrecta!!', 'la respuesta de seguridad es ¡¡incorrecta!!', []],
];

describe('redaction of secrets typed in Spanish', () => {
  for (const [typed, stored, found] of FORMS) it(`"${typed}" → "${stored}" (found: ${found.join(', ') || 'nothing'})`, () => expect(redact(typed)).to.deep.equal({ text: stored, found }));
  for (const [typed, kept] of HIDDEN) it(`"${typed}" → "${kept}"`, () => expect(redact(typed).text).to.equal(kept));
  for (const typed of KEPT) it(`"${typed}" is left as written`, () => expect(redact(typed).text).to.equal(typed));

  it('redacts none of the bot\'s own Spanish replies (transcripts redact both sides)', () => {
    const es = Content.load(loadConfig({}).contentDir).in('es');
    const replies = es.keys().flatMap((key) => es.list(key));
    expect(replies.length).to.be.greaterThan(100);
    expect(replies.filter((t) => redact(t).text !== t)).to.deep.equal([]);
  });

  it('names what it found, for the privacy warning', () => {
    expect(redact('mi contraseña es Hunter22! y mi pin es 1234').found).to.have.members(['password', 'pin']);
  });

  it('a statement that only carried the secret asks for nothing; one with a request keeps the request', () => {
    expect(withoutSecrets(redact('mi seguro social es 123-45-6789').text)).to.equal('');
    expect(withoutSecrets(redact('mi contraseña es Hunter22!').text)).to.equal('');
    expect(withoutSecrets(redact('mi contraseña es Hunter22! y no puedo entrar al sitio web').text)).to.equal('no puedo entrar al sitio web');
  });
});
