import { expect } from 'chai';
import { findSubtopic, SUBTOPICS, subtopicById } from '../../src/conversation/subtopics.js';
import { hadSecret, withoutSecrets } from '../../src/conversation/secrets.js';
import { content } from './harness.js';
import { runInLanguage } from '../../src/content/turnLanguage.js';

/** `[customer writes, specific request recognised (or undefined: none)]`. */
const TABLE: Array<[string, string | undefined]> = [
  ['my account is locked', 'locked'],
  ['I got locked out after too many attempts', 'locked'],
  ['the reset code never arrives', 'code_missing'],
  ["I didn't get the code", 'code_missing'],
  ['I never created a username', 'create_username'],
  ["I don't have a username yet", 'create_username'],
  ['will they ask me security questions?', 'verify_identity'],
  ['what do I need to verify my identity', 'verify_identity'],
  ['how do I clear my cache and cookies', 'cache'],
  ['could my VPN be the problem', 'vpn'],
  ['it says my phone is not compatible', 'compatibility'],
  ['storage full', 'storage'],
  ['reinstall', 'reinstall'],
  ['I want to cancel my service', 'cancel_service'],
  ['how do I port my number out', 'port_out'],
  ['I want to upgrade my phone', 'device_upgrade'],
  ['how do I turn on my hotspot', 'hotspot'],
  ['does my plan include roaming', 'roaming'],
  ['is there an outage in my area', 'outage'],
  ['what are your hours', 'hours'],
  ['do you have a help center', 'help_center'],
  ['can I DM you on Twitter', 'social'],
  ['can someone call me back', 'contact_callback'],
  ['can I text you', 'contact_text'],
  ['can I email you', 'contact_email'],
  ['what number do I call', 'contact_phone'],
  ['I want live chat', 'contact_live_chat'],
  ['my Verizon bill', 'other_company'],
  ['my Netflix isnt working', 'other_company'],
  ['AT&T', 'other_company'],
  ['my verizon account is locked', 'other_company'],
  ['my instagram got hacked', 'other_company'],
  ['I want to cancel my service and switch to Verizon', 'cancel_service'],
  ['how do I switch to verizon and keep my number', 'port_out'],
  // not specific requests (or not the one the words suggest): the intent decides
  ['add netflix to my plan', undefined],
  ['chocolate chip cookie recipe', undefined],
  ['how much hotspot data do i have left', undefined],
  ['is the store open on sunday', undefined],
  ['text me a reset code', undefined],
  ['email me my username', undefined],
  ['power outage in my area', undefined],
  ['uninstall candy crush', undefined],
  ["I've been trying to log in for 2 hours and I'm so fed up", undefined],
  ['I forgot my username', undefined],
  ['I want to change my phone number', undefined],
  ["I'm looking at t-mobile plans", undefined],
  ['my phone has no signal', undefined],
  ['I need help with my business account', undefined],
  ['talk to a person', undefined],
  ['', undefined],
  ['😡😡', undefined],
];

/** The same in Spanish, as Spanish-speaking customers write (a Spanish turn; without accents, Spanglish). */
const SPANISH: Array<[string, string | undefined]> = [
  ['mi cuenta esta bloqueada', 'locked'],
  ['me bloquearon la cuenta por demasiados intentos', 'locked'],
  ['mi cuenta esta locked', 'locked'],
  ['no me llega el código para restablecer la contraseña', 'code_missing'],
  ['el codigo de verificacion nunca me llego', 'code_missing'],
  ['nunca cree un usuario', 'create_username'],
  ['me van a hacer preguntas de seguridad?', 'verify_identity'],
  ['cómo borro la caché y las cookies', 'cache'],
  ['estoy usando una vpn en el trabajo', 'vpn'],
  ['dice que mi teléfono no es compatible', 'compatibility'],
  ['el almacenamiento esta lleno', 'storage'],
  ['reinstalar', 'reinstall'],
  ['quiero cancelar mi servicio', 'cancel_service'],
  ['quiero dar de baja mi linea', 'cancel_service'],
  ['como porto mi numero a otra compañia', 'port_out'],
  ['quiero cambiar mi telefono por uno nuevo', 'device_upgrade'],
  ['como activo el hotspot', 'hotspot'],
  ['mi plan incluye roaming?', 'roaming'],
  ['hay una falla en la red en mi zona', 'outage'],
  ['cual es su horario de atencion', 'hours'],
  ['tienen un centro de ayuda?', 'help_center'],
  ['les puedo mandar un dm por twitter', 'social'],
  ['me pueden llamar?', 'contact_callback'],
  ['les puedo mandar un mensaje de texto', 'contact_text'],
  ['les puedo escribir un correo', 'contact_email'],
  ['a que numero llamo', 'contact_phone'],
  ['quiero chat en vivo', 'contact_live_chat'],
  ['necesito ayuda con mi factura de verizon', 'other_company'],
  ['mi netflix no funciona', 'other_company'],
  ['quiero cambiarme a verizon y llevarme mi numero', 'port_out'],
  // an English phrase still counts in a Spanish turn, and English 'unless' words too
  ['my account is locked', 'locked'],
  ['add netflix to my plan', undefined],
  // not specific requests
  ['agregar netflix a mi plan', undefined],
  ['cuanto hotspot me queda', undefined],
  ['me mandan el codigo por mensaje de texto', undefined],
  ['recibo mi factura por correo', undefined],
  ['se fue la luz, hay una falla de luz en mi zona', undefined],
  ['a que hora abre la tienda', undefined],
  ['quiero cambiar mi numero de telefono', undefined],
  ['mi telefono no tiene señal', undefined],
  ['olvide mi usuario', undefined],
  ['quiero hablar con una persona', undefined],
];

describe('specific requests (subtopics)', () => {
  for (const [text, id] of TABLE) it(`"${text}" → ${id ?? 'none'}`, () => expect(findSubtopic(content, text)?.id).to.equal(id));
  for (const [text, id] of SPANISH) it(`(es) "${text}" → ${id ?? 'none'}`, () => expect(runInLanguage('es', () => findSubtopic(content, text))?.id).to.equal(id));

  it('a short Spanish request in an English conversation still finds its request', () => {
    expect(runInLanguage('en', () => findSubtopic(content, 'cuenta bloqueada'))?.id).to.equal('locked');
  });

  it('every phrase leads to its own request (none is shadowed by an earlier one), in each language', () => {
    for (const language of content.languages) {
      runInLanguage(language, () => {
        for (const s of SUBTOPICS) for (const p of content.list(`subtopic.${s.id}.phrases`)) expect(findSubtopic(content, p)?.id, `${language} ${s.id}: "${p}"`).to.equal(s.id);
      });
    }
  });

  it('every request has words, and every answer its text; unknown ids from old state are ignored', () => {
    for (const s of SUBTOPICS) {
      expect(content.list(`subtopic.${s.id}.phrases`).length, s.id).to.be.greaterThan(0);
      if (s.route.kind === 'answer') expect(content.has(`answer.${s.id}.text`), s.id).to.equal(true);
    }
    expect(subtopicById('no_such_thing')).to.equal(undefined);
    expect(subtopicById(undefined)).to.equal(undefined);
  });
});

describe('what is left of a message once its secret is redacted', () => {
  const rows: Array<[string, string]> = [
    ['my ssn is [REDACTED:ssn]', ''],
    ['my pin is [REDACTED:pin]', ''],
    ['card [REDACTED:card]', ''],
    ["my password is [REDACTED:password] and I can't log in", "I can't log in"],
    ["I can't log in, my password is [REDACTED:password]", "I can't log in"],
  ];
  for (const [text, left] of rows) it(`"${text}" → "${left}"`, () => expect(withoutSecrets(text)).to.equal(left));
  it('notices only the redaction markers of secrets', () => {
    expect(hadSecret('my pin is [REDACTED:pin]')).to.equal(true);
    expect(hadSecret('call me on •••-•••-4567')).to.equal(false);
    expect(hadSecret('[REDACTED:something_else]')).to.equal(false);
  });
});
