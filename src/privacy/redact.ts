/**
 * Finds and hides sensitive data in text customers type, before it is stored anywhere
 * (transcripts, case summaries, hand-off events, notes).
 *
 * Secrets (passwords, PINs, card numbers, SSNs, security answers) are replaced by a
 * `[REDACTED:kind]` marker; contact details (emails, phone numbers) are masked except their
 * last few characters, so staff can still tell two of them apart.
 */

/** Kinds of data the bot must never keep. */
export const SECRET_KINDS = ['password', 'pin', 'card', 'ssn', 'security_answer'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];
export type SensitiveKind = SecretKind | 'email' | 'phone';

export interface Redaction { text: string; found: SensitiveKind[] }

/**
 * Words that follow "password is" in complaints ("my password is not working"): not a password.
 * A false positive would hide the customer's problem and warn them for nothing.
 */
const NOT_A_VALUE = new Set([
  'not', 'wrong', 'incorrect', 'invalid', 'expired', 'locked', 'blocked', 'too', 'the', 'a', 'an', 'my', 'correct', 'right',
  'working', 'still', 'being', 'case', 'forgotten', 'lost', 'also', 'same', 'different', 'reset', 'changed', 'required',
  'missing', 'no', 'never', 'always', 'now', 'and', 'or', 'but', 'for', 'to', 'of', 'on', 'in', 'it', 'that', 'this', 'what',
  'weak', 'strong', 'long', 'short', 'rejected', 'accepted', 'saved', 'stored', 'gone', 'broken', 'fine', 'ok', 'okay',
  'there', 'here', 'set', 'supposed', 'asking', 'asked', 'needed', 'same', 'stuck', 'case-sensitive', 'unknown', 'empty',
  'reset?', 'help', 'please', 'again', 'anymore', 'any', 'all', 'so', 'just', 'really', 'very', 'definitely', 'probably',
  'correct?', 'right?', 'wrong?', 'forgot', 'forget', 'remember', 'with', 'from', 'at', 'by', 'is', 'was', 'be', 'i', 'you',
  'we', 'they', 'he', 'she', 'who', 'which', 'where', 'when', 'how', 'why', 'if', 'because', 'since', 'until', 'then',
  'recovery', 'reset.', 'change', 'update', 'updated', 'expiring', 'expire', 'doesnt', "doesn't", 'dont', "don't", 'wont',
  "won't", 'cant', "can't", 'isnt', "isn't", 'wasnt', "wasn't", 'manager', 'field', 'box', 'page', 'screen', 'link', 'email',
  'code', 'question', 'questions', 'answer', 'answers', 'did', 'does', 'do', 'has', 'have', 'had', 'will', 'would', 'should',
  'could', 'can', 'may', 'might', 'must', 'shall', 'hint', 'hints', 'requirements', 'rules', 'policy', 'problem', 'issue',
]);

/** Security answers are free text ("the name of my dog"), so only complaints are let through. */
const NOT_AN_ANSWER = new Set([
  'not', 'wrong', 'incorrect', 'invalid', 'locked', 'blocked', 'case-sensitive', 'too', 'correct', 'right', 'missing',
  'required', 'forgotten', 'lost', 'expired', 'rejected', 'accepted', 'still', 'always', 'never', 'no', 'being', 'asking',
  'asked', 'needed', 'changed', 'reset', 'and', 'or', 'but', 'for', 'to', 'of', 'on', 'in', 'doesnt', "doesn't", 'dont', "don't",
  'isnt', "isn't", 'wasnt', "wasn't", 'wont', "won't", 'cant', "can't", 'question', 'questions', 'hint', 'field', 'box', 'page',
]);

const SEP = String.raw`(?:\s*(?:(?:is|was)\b|=>|[=:#-])\s*|\s+(?:i\s+(?:use|used|typed|entered|tried|put|set)\s+(?:is|was)?\s*))`;

/** "my password is hunter2", "pw: x", "passcode = abc1", "the pass i used was Abc!" */
const PASSWORD = new RegExp(String.raw`\b((?:new\s+|old\s+|current\s+|temp(?:orary)?\s+|account\s+|wifi\s+|wi-fi\s+)?(?:pass\s?words?|passwd|pass\s?phrase|pwd|pw|pass|p\/w))(${SEP}|\s+)(["'“”‘’]?)([^\s"'“”‘’]+)["'“”‘’]?`, 'gi');

/** "pin 1234", "PIN: 1234", "my pin is 0000", "pin# 12345", "pin code 9876", "passcode 4321", "security pin is 1234" */
const PIN = /\b((?:account\s+|security\s+|sim\s+|transfer\s+|port(?:ing)?[\s-]out\s+)?(?:pin(?:\s*(?:code|number|no\.?|#))?|passcode|pass\s+code))(\s*(?:is|was|=|:|-|#)?\s*)(\d(?:[\s-]?\d){3,7})\b/gi;

/** Security answers: everything up to the end of the clause after the question's name. */
const SECURITY = new RegExp(String.raw`\b((?:my\s+)?(?:mother'?s?\s+maiden\s+name|maiden\s+name|mom'?s\s+maiden\s+name|(?:first\s+)?pet'?s?\s+name|first\s+pet|first\s+car|first\s+school|elementary\s+school|city\s+(?:i\s+was|where\s+i\s+was)\s+born|(?:security|secret)\s+(?:question\s+)?answer|answer\s+to\s+(?:my|the)\s+(?:security|secret)\s+question|security\s+word|secret\s+word))(${SEP}|\s+)([^.,;!?\n]+)`, 'gi');

/** 13–19 digits, optionally grouped by spaces or dashes (checked with Luhn before hiding). */
const CARD = /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g;

/** US SSN written 123-45-6789 or 123 45 6789; nine bare digits only next to an SSN keyword. */
const SSN_GROUPED = /(?<![\w-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w-])/g;
const SSN_BARE = /\b((?:ssn|ss#|ss\s*no\.?|social(?:\s+security)?(?:\s+(?:number|no\.?|#))?)(?:\s*(?:is|was|=|:|-|#)?\s*))((?!000|666|9\d\d)\d{3}(?!00)\d{2}(?!0000)\d{4})\b/gi;

/**
 * The lookbehind lets a match start only where a local part can start: without it a long run of
 * those characters with no "@" ("1-1-1-…", a pasted log) is rescanned from every position, and a
 * 250 KB message held the event loop for minutes. What matches is unchanged (leftmost is longest).
 */
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** US phone numbers: (555) 123-4567, 555.123.4567, +1 555 123 4567, 5551234567. */
const PHONE = /(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w-])/g;

/** Luhn check over a digit string (payment cards). */
export function luhnValid(digits: string): boolean {
  let sum = 0, double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * A payment card: a known network's prefix and length, and a valid Luhn digit. The prefix check
 * keeps other Luhn-checked numbers (a phone's 15-digit IMEI, a SIM's ICCID) out.
 */
export function looksLikeCard(digits: string): boolean {
  const n = digits.length;
  const known =
    (/^4/.test(digits) && [13, 16, 19].includes(n)) ||                                  // Visa
    (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(digits) && n === 16) ||                // Mastercard
    (/^3[47]/.test(digits) && n === 15) ||                                               // American Express
    (/^(6011|65|64[4-9]|622)/.test(digits) && n >= 16 && n <= 19) ||                      // Discover, UnionPay
    (/^35(2[89]|[3-8]\d)/.test(digits) && n >= 16 && n <= 19) ||                         // JCB
    (/^3(0[0-5]|[689])/.test(digits) && n >= 14 && n <= 19);                              // Diners Club
  return known && luhnValid(digits);
}

/** Masks every letter or digit except the last `keep` of them, keeping punctuation so the shape stays readable. */
export function maskExceptLast(s: string, keep: number): string {
  let seen = 0;
  const total = (s.match(/[A-Za-z0-9]/g) ?? []).length;
  return s.replace(/[A-Za-z0-9]/g, (c) => (++seen > total - keep ? c : '•'));
}

const marker = (kind: SecretKind) => `[REDACTED:${kind}]`;

const firstWord = (value: string) => (value.trim().split(/\s+/)[0] ?? '').toLowerCase().replace(/[.!?,;:]+$/, '');

/** How a label is joined to its value: "pw: x" is explicit, "password is x" stated, "password x" bare. */
function separator(sep: string): 'explicit' | 'stated' | 'dash' | 'space' {
  if (/[:=#]/.test(sep)) return 'explicit';
  if (/[a-z]/i.test(sep)) return 'stated';
  return sep.includes('-') ? 'dash' : 'space';
}

/** Hides secrets and masks contact details in `text`; `found` lists what was there. */
export function redact(text: string): Redaction {
  const found = new Set<SensitiveKind>();
  let t = text;
  t = t.replace(SECURITY, (m, label: string, sep: string, value: string) => {
    const first = firstWord(value);
    if (!first || (separator(sep) !== 'explicit' && NOT_AN_ANSWER.has(first))) return m;
    found.add('security_answer');
    return `${label}${sep}${marker('security_answer')}`;
  });
  t = t.replace(PIN, (_m, label: string, sep: string) => { found.add('pin'); return `${label}${sep}${marker('pin')}`; });
  t = t.replace(PASSWORD, (m, label: string, sep: string, quote: string, value: string) => {
    if (value.startsWith('[REDACTED')) return m;
    const v = firstWord(value);
    const kind = separator(sep);
    const looksSecret = /\d|[^\w\s]/.test(value.replace(/[.!?,;]+$/, '')) || /[a-z][A-Z]|[A-Z].*[a-z].*[A-Z]/.test(value);
    if (kind !== 'explicit' && NOT_A_VALUE.has(v)) return m;
    if ((kind === 'space' || kind === 'dash') && (!looksSecret || /^pass$/i.test(label))) return m;
    found.add('password');
    return `${label}${sep}${quote}${marker('password')}`;
  });
  t = t.replace(SSN_BARE, (_m, label: string) => { found.add('ssn'); return `${label}${marker('ssn')}`; });
  t = t.replace(CARD, (m) => {
    const digits = m.replace(/\D/g, '');
    if (!looksLikeCard(digits)) return m;
    found.add('card');
    return marker('card');
  });
  t = t.replace(SSN_GROUPED, () => { found.add('ssn'); return marker('ssn'); });
  t = t.replace(EMAIL, (m) => { found.add('email'); return maskExceptLast(m, 4); });
  t = t.replace(PHONE, (m) => { found.add('phone'); return maskExceptLast(m, 4); });
  return { text: t, found: [...found] };
}

/** The secrets (not contact details) in `text`: what the customer should be warned about. */
export function secretsIn(text: string): SecretKind[] {
  return redact(text).found.filter((k): k is SecretKind => (SECRET_KINDS as readonly string[]).includes(k));
}

/** Fields of an activity that hold what people wrote (ids, urls and timestamps are left alone). */
const TEXT_FIELDS = ['text', 'speak', 'summary', 'value', 'attachments', 'suggestedActions', 'channelData', 'entities'];

/** Redacts every string inside a JSON-like value. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value).text as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  }
  return value;
}

/** A copy of an activity with what people wrote redacted; ids, addresses and timestamps kept. */
export function redactActivity<T extends object>(activity: T): T {
  const out = { ...activity } as Record<string, unknown>;
  for (const f of TEXT_FIELDS) if (out[f] !== undefined) out[f] = redactDeep(out[f]);
  return out as T;
}
