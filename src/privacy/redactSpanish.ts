/**
 * The Spanish ways of typing a secret that the English patterns in `redact.ts` miss: "mi
 * contraseña es Hunter22!", "mi clave: abc123", "mi nip es 1234", "mi seguro social es
 * 123456789", "el nombre de mi primera mascota era Firulais". Run first by `redact()`, so what it
 * hides is never read again as a value (a marker is not a password). Customers write without
 * accents and mix in English ("mi password es …"): both are read.
 *
 * It reads Spanish constructions only: a Spanish label ("contraseña", "clave", "nip", "seguro
 * social", the usual security questions) with any separator, or an English one ("password", "pin")
 * announced the Spanish way ("es", "era", "que uso es"). "my password is: hunter2" is left to the
 * English rules, which know multi-word values and where a value ends.
 *
 * Every pattern is a label, a bounded separator on the label's line and a bounded value: no
 * unbounded repetition next to another, so the work stays linear in the text whatever it holds.
 */
import type { SecretKind, SensitiveKind } from './redact.js';

const W = String.raw`[^\S\n]{1,3}`; // spaces on one line: a value is on its label's line
const marker = (kind: SecretKind) => `[REDACTED:${kind}]`;

/** Words after "mi contraseña es" in complaints ("es incorrecta", "es muy larga"): not a password. */
const NOT_A_VALUE = new Set([
  'incorrecta', 'incorrecto', 'correcta', 'correcto', 'equivocada', 'mala', 'invalida', 'inválida', 'valida', 'válida', 'nueva',
  'vieja', 'antigua', 'diferente', 'distinta', 'otra', 'igual', 'misma', 'la', 'el', 'lo', 'los', 'las', 'un', 'una', 'mi', 'tu',
  'su', 'muy', 'demasiado', 'demasiada', 'bloqueada', 'bloqueado', 'no', 'si', 'sí', 'que', 'qué', 'de', 'del', 'para', 'con',
  'por', 'en', 'y', 'o', 'pero', 'porque', 'cual', 'cuál', 'segura', 'insegura', 'debil', 'débil', 'fuerte', 'larga', 'corta',
  'caducada', 'vencida', 'expirada', 'temporal', 'obligatoria', 'requerida', 'necesaria', 'esa', 'esta', 'este', 'ese', 'eso',
  'olvidada', 'perdida', 'rara', 'mas', 'más', 'menos', 'tan', 'ya', 'aun', 'aún', 'todavia', 'todavía', 'siempre', 'nunca',
  'tambien', 'también', 'solo', 'sólo', 'algo', 'nada', 'alguna', 'facil', 'fácil', 'dificil', 'difícil', 'buena', 'como',
  'cómo', 'sensible', 'distingue', 'mayusculas', 'mayúsculas', 'requisito', 'requisitos', 'problema', 'error', 'cambiada',
  'actualizada', 'reseteada', 'restablecida', 'cambiar', 'restablecer', 'se', 'me', 'le', 'cuando', 'donde', 'dónde',
]);

/** Words after a security question's name in complaints ("la respuesta de seguridad es incorrecta"). */
const NOT_AN_ANSWER = new Set(['incorrecta', 'incorrecto', 'correcta', 'correcto', 'equivocada', 'mala', 'no', 'la', 'el', 'que', 'qué',
  'muy', 'otra', 'diferente', 'distinta', 'obligatoria', 'requerida', 'necesaria', 'sensible', 'bloqueada']);

/** "es", "era", "sería", "que uso es" …: how a value is announced in Spanish. */
const STATED = String.raw`(?:${W}(?:es|era|ser[ií]a|fue|son)${W}|${W}que${W}(?:uso|us[eé]|puse|pongo|tengo|ten[ií]a|escrib[ií]|escribo|intent[eé]|ingres[eé]|eleg[ií])(?:${W}(?:es|era))?${W})`;
const EXPLICIT = String.raw`[^\S\n]{0,3}[:=][^\S\n]{0,3}`;
const H = String.raw`[^\S\n]{0,3}`;
const VALUE = String.raw`(["'“”‘’«]?)([^\s"'“”‘’»=:#>\-–—][^\s"'“”‘’»]{0,99})`;
const SPANISH_PASSWORD = String.raw`(?:(?:nueva|vieja|antigua|actual|temporal)${W})?(?:contrase(?:ñ|n)as?|clave(?:${W}de${W}acceso)?)(?:${W}(?:nueva|actual|temporal))?`;
const ENGLISH_PASSWORD = String.raw`password|passw(?:or)?d|pass|pw`;
/** Up to five more words on the value's line: a passphrase ("perro azul 22") is hidden whole (see `valueWords`). */
const MORE = String.raw`((?:[^\S\n]{1,3}[^\s"'“”‘’»]{1,40}){0,5})`;

/** "mi contraseña es X", "clave: X", "contraseña X1!" (bare: only a value that looks like one), "mi password es X". */
const PASSWORD = new RegExp(
  String.raw`(?<![\p{L}\p{N}_])(?:(${SPANISH_PASSWORD})(${STATED}|${EXPLICIT}|${W})|(${ENGLISH_PASSWORD})(${STATED}))${VALUE}${MORE}`,
  'giu',
);

/** "mi nip es 1234", "código pin: 1234", "pin de transferencia es 123456", "mi pin es 1234". */
const PIN = new RegExp(
  String.raw`(?<![\p{L}\p{N}_])(?:((?:nip|c[oó]digo${W}pin|n[uú]mero${W}pin|clave${W}pin|pin${W}de${W}(?:seguridad|la${W}cuenta|transferencia|portabilidad)))(${H}(?:es|era|:|=|-|#)?${H})|(pin)(${W}(?:es|era)${W}))(\d(?:[^\S\n-]?\d|-\d){3,7})(?!\d)`,
  'giu',
);

/** Nine bare digits after "seguro social" (grouped ones are hidden by the English pass). */
const SSN = new RegExp(
  String.raw`(?<![\p{L}\p{N}_])((?:n[uú]mero${W}de${W})?seguro${W}social)(${H}(?:es|era|:|=|-|#)?${H})((?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4})(?!\d)`,
  'giu',
);

/** Security answers: the rest of the clause after the question's name. */
const ANSWER = new RegExp(
  String.raw`(?<![\p{L}\p{N}_])((?:(?:la|mi)${W})?respuesta${W}(?:de${W}seguridad|(?:a${W}(?:la|mi)${W})?pregunta${W}(?:de${W}seguridad|secreta))|(?:el${W})?(?:apellido|nombre)${W}de${W}soltera${W}de${W}mi${W}(?:mam[aá]|madre)|(?:el${W})?nombre${W}de${W}mi${W}primer[ao]?${W}(?:mascota|perro|perrita|gato|gatita|escuela|maestra|maestro)|mi${W}primer[ao]?${W}(?:mascota|perro|gato|escuela|carro|coche|auto)|(?:la${W})?ciudad${W}(?:donde|en${W}la${W}que)${W}nac[ií])(${STATED}|${EXPLICIT}|${W}se${W}llamaba${W}|${W}se${W}llama${W})([^.,;!?\n]{1,80})`,
  'giu',
);

/** Words that start a new clause after a stated password ("… y no entra", "… pero no funciona"): the value ends before them. */
const CLAUSE_STARTS = new Set([
  'y', 'e', 'o', 'u', 'ni', 'pero', 'mas', 'porque', 'pq', 'xq', 'porq', 'que', 'q', 'no', 'me', 'se', 'le', 'lo', 'la', 'ya', 'cuando',
  'desde', 'hasta', 'para', 'por', 'pues', 'entonces', 'asi', 'así', 'si', 'sí', 'aunque', 'tampoco', 'tambien', 'también', 'pero',
  'ahora', 'hoy', 'ayer', 'nunca', 'siempre', 'todavia', 'todavía', 'aun', 'aún', 'como', 'cómo', 'and', 'but', 'because', 'it',
  'not', 'so', 'please', 'porfa', 'gracias', 'ayuda', 'help',
]);

/**
 * How much of `more` (the words after a stated value's first word) belongs to the value: words
 * up to the first that starts a clause, or the first that ends a sentence ("perro azul, pero …").
 */
function valueWords(first: string, more: string): number {
  if (/[.,;!?]$/.test(first)) return 0;
  let taken = 0;
  for (const m of more.matchAll(/([^\S\n]{1,3})(\S+)/gu)) {
    const word = m[2]!;
    const bare = word.toLowerCase().replace(/[.,;:!?¡¿]+/gu, '');
    if (!bare || CLAUSE_STARTS.has(bare) || word.startsWith('[REDACTED')) break;
    const end = /[.,;!?]+$/u.exec(word);
    if (end) { taken += m[1]!.length + word.length - end[0].length; break; }
    taken += m[0].length;
  }
  return taken;
}

const firstWord = (value: string) => (value.trim().split(/\s+/)[0] ?? '').toLowerCase().replace(/[.!?,;:¡¿]+$/u, '').replace(/^[¡¿]+/u, '');

/** Hides the secrets typed the Spanish way; `found` lists their kinds. */
export function redactSpanish(text: string): { text: string; found: SensitiveKind[] } {
  const found = new Set<SensitiveKind>();
  let t = text;
  t = t.replace(ANSWER, (m, label: string, sep: string, value: string) => {
    const explicit = /[:=]/.test(sep);
    if (!explicit && NOT_AN_ANSWER.has(firstWord(value))) return m;
    found.add('security_answer');
    return `${label}${sep}${marker('security_answer')}`;
  });
  t = t.replace(PIN, (_m, label: string | undefined, sep: string | undefined, enLabel: string | undefined, enSep: string | undefined) => {
    found.add('pin');
    return `${label ?? enLabel}${sep ?? enSep}${marker('pin')}`;
  });
  t = t.replace(SSN, (_m, label: string, sep: string) => { found.add('ssn'); return `${label}${sep}${marker('ssn')}`; });
  t = t.replace(PASSWORD, (m, esLabel: string | undefined, esSep: string | undefined, enLabel: string | undefined, enSep: string | undefined, quote: string, value: string, more: string) => {
    const label = esLabel ?? enLabel ?? '', sep = esSep ?? enSep ?? '';
    if (value.startsWith('[REDACTED')) return m;
    const explicit = /[:=]/.test(sep);
    const stated = !explicit && /\p{L}/u.test(sep);
    const bare = value.replace(/[.!?,;]+$/, '');
    const looksSecret = /\d|[^\p{L}\s]/u.test(bare) || /\p{Ll}\p{Lu}|\p{Lu}.*\p{Ll}.*\p{Lu}/u.test(bare);
    if (!explicit && NOT_A_VALUE.has(firstWord(value))) return m;
    // "contraseña X": only a value that looks like a password ("la contraseña correcta" is talk
    // about one, "mi contraseña 3 veces" a count)
    if (!explicit && !stated && (!looksSecret || bare.length < 4)) return m;
    found.add('password');
    // a bare "contraseña X1!" is one word; after "es" or ":" a passphrase runs to the clause's end
    const taken = explicit || stated ? valueWords(value, more) : 0;
    return `${label}${sep}${quote}${marker('password')}${more.slice(taken)}`;
  });
  return { text: t, found: [...found] };
}
