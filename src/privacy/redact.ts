/**
 * Finds and hides sensitive data in text customers type, before it is stored anywhere
 * (transcripts, case summaries, hand-off events, notes).
 *
 * Secrets (passwords, PINs, card numbers, SSNs, security answers) are replaced by a
 * `[REDACTED:kind]` marker; contact details (emails, phone numbers) are masked except their
 * last few characters, so staff can still tell two of them apart.
 *
 * Time is linear in the length of the text, whatever it holds: a regex finds only a label
 * ("password", "pin", "ssn", …) or a run of digits, with bounded quantifiers and no optional
 * whitespace next to more optional whitespace; what follows a label (separator, value, end of
 * the clause) is read by code over a bounded window. "ssn" followed by 100,000 spaces therefore
 * costs one short look, not a rescan per space (`npm run bench:adversarial` measures it).
 * Redacting twice gives the same text as redacting once (markers are never read as values).
 */
import { ALWAYS_STOP, CLAUSE_STARTS, COMPLAINTS, NOT_A_GENERIC_ANSWER, NOT_A_VALUE, NOT_AN_ANSWER, SOFT_STOP, SUBJECT_VERBS, SUBJECTS, words } from './wordLists.js';
import { redactSpanish } from './redactSpanish.js';

/** Kinds of data the bot must never keep. */
export const SECRET_KINDS = ['password', 'pin', 'card', 'ssn', 'security_answer'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];
export type SensitiveKind = SecretKind | 'email' | 'phone';

/** The redacted text and the kinds of data that were found in it (each once). */
export interface Redaction { text: string; found: SensitiveKind[] }

/** The marker that replaces a secret of `kind`. */
export const marker = (kind: SecretKind): string => `[REDACTED:${kind}]`;

/** A labelled value ends here at the latest: far beyond any passphrase, and a bound on the work per label. */
const MAX_VALUE_CHARS = 200;
const MAX_VALUE_WORDS = 12;

// --- labels -----------------------------------------------------------------------------------

const W = String.raw`\s{1,3}`; // between the words of a label
const PASSWORD_WORD = String.raw`pass?\s?wo?rds?|passwrod|passowrd|passwd|paswd|pswd|pwd|pword|pw|p\/w|pass\s?phrase|passcode|pass`;
const PASSWORD_LABEL = String.raw`(?:(?:new|old|current|temp(?:orary)?|account|wi-?fi|email|app|login|admin|router|voicemail)${W})?(?:${PASSWORD_WORD})`;
const PIN_LABEL = String.raw`(?:(?:account|security|sim|transfer|port(?:ing)?[\s-]out|voicemail|vm|card|atm|debit|bank|phone|unlock)${W})?(?:pin(?:\s{0,2}(?:codes?|numbers?|no\.?|#))?|passcode|pass${W}code|puk(?:\s{0,2}code)?)`;
const SSN_LABEL = String.raw`ssn#?|ss#|ss\s?no\.?|ss\s?number|soc\s?sec(?:\s?(?:number|no\.?|#))?|social(?:${W}security)?(?:${W}(?:number|no\.?|#))?`;
const CVV_LABEL = String.raw`cvv2?|cvc2?|csc|cid|ccv|card${W}security${W}code|security${W}code`;
/** Answers that name themselves: a bare space is enough ("security answer fluffy", "maiden name Smith"). */
const ANSWER_STRONG = String.raw`(?:(?:mother|mom|mum|father|dad)(?:['’]?s)?${W})?maiden${W}name|(?:security|secret|memorable)${W}(?:question${W})?(?:answer|word|phrase|info(?:rmation)?)|answer${W}to${W}(?:my|the|your)${W}(?:security|secret)${W}question`;
/** The usual security questions: the answer follows "is", "was" or ":" ("first pet's name was Rex"). */
const ANSWER_QUESTION = String.raw`(?:first|childhood)${W}(?:pet|dog|cat)(?:['’]?s)?(?:${W}name)?|pet(?:['’]?s)?${W}name|first${W}(?:car|school|teacher|job|boss|employer)|(?:elementary|primary|middle|high)${W}school(?:${W}(?:name|mascot))?|city${W}(?:i${W}was|where${W}i${W}was|you${W}were)${W}born(?:${W}in)?|birth\s?place|place${W}of${W}birth|birth${W}city|favou?rite${W}(?:colou?r|food|teacher|movie|film|book|band|singer|song|sports?${W}team|team|animal)|(?:mother|mom|mum|father|dad)(?:['’]?s)?${W}middle${W}name|childhood${W}(?:best${W}friend|nickname)(?:['’]?s)?(?:${W}name)?|street${W}(?:i|you)${W}grew${W}up${W}on`;
/** "the answer is fluffy": no question named, so only after "is" or ":" and with more words let through. */
const ANSWER_GENERIC = String.raw`(?:the|my)${W}answer(?:${W}to${W}(?:it|that|this|the${W}question|my${W}question))?`;

/** A label may not start inside a word, a masked word ("•••pass") or a marker ("[REDACTED:pin]"). */
const LABEL_START = String.raw`(?<![\p{L}\p{N}_/•]|REDACTED:)`;
const LABEL_END = String.raw`(?![\p{L}\p{N}_])`;
const labelRegex = (label: string) => new RegExp(String.raw`${LABEL_START}(?:${label})${LABEL_END}`, 'giu');

const PASSWORD = labelRegex(PASSWORD_LABEL);
const PIN = labelRegex(PIN_LABEL);
const SSN = labelRegex(SSN_LABEL);
const CVV = labelRegex(CVV_LABEL);
const ANSWER = new RegExp(String.raw`${LABEL_START}(?:(?:(?:my|the)${W})?(${ANSWER_STRONG})|(?:(?:my|the)${W})?(${ANSWER_QUESTION})|(${ANSWER_GENERIC}))${LABEL_END}`, 'giu');

// --- separators ---------------------------------------------------------------------------------

const STATED = String.raw`(?:(?:is|was|are|were|has${W}been|had${W}been|will${W}be|would${W}be|should${W}be|shall${W}be|became|becomes)(?:${W}(?:now|still|currently|actually|just|literally|probably|simply|always|also|again))?(?:${W}(?:changed|set|reset|updated|switched)${W}to)?|(?:changed|set|reset|updated|switched)${W}to)(?![\p{L}\p{N}'’])`;
const WHO = String.raw`(?:(?:that|which)${W})?(?:i|we)${W}(?:use|used|typed|type|entered|enter|tried|try|put|set|chose|choose|picked|made|have|had|got|want|wanted|created|sent|send)(?:${W}(?:in|it))?(?![\p{L}\p{N}'’])`;
/**
 * How a label is joined to its value, read at one position (sticky): every part is optional and
 * bounded, so this costs the same whatever follows. Groups: possessive, leading space, "i used",
 * "is/was/will be", punctuation.
 */
const H = String.raw`[^\S\n]{0,4}`; // spaces, not a line break: a value is on its label's line ("password:\n1. Go to …" is a list)
const SEPARATOR_AT = new RegExp(String.raw`(['’]s(?![\p{L}\p{N}]))?(${H})(?:(${WHO})${H})?(?:(${STATED})${H})?([-=]{1,2}>|[→⇒]|[:=#]|[-–—]{1,2})?${H}`, 'iyu');

/** How strongly the separator says "a value follows": "pw: x" is explicit, "password is x" stated, "password x" bare. */
type Joint = 'explicit' | 'stated' | 'dash' | 'space' | 'none';

const OPEN_CLOSE: Record<string, string> = { '"': '"“”', '“': '”"', '”': '”"', "'": "'’", '‘': "’'", '’': "’'", '«': '»', '(': ')', '[': ']', '{': '}', '<': '>' };

interface Value {
  /** Where the hidden part starts and ends (quotes and brackets around it stay). */
  start: number;
  end: number;
  joint: Joint;
  quoted: boolean;
  /** First word of the value, lower-cased, without surrounding punctuation: what the guards look at. */
  first: string;
  /** First word as typed (without surrounding punctuation). */
  firstRaw: string;
  /** First word as typed, with its closing punctuation. */
  firstTyped: string;
}

/** Reads separator and value after a label ending at `pos`; undefined when nothing follows. */
function valueAfter(text: string, pos: number): Value | undefined {
  SEPARATOR_AT.lastIndex = pos;
  const m = SEPARATOR_AT.exec(text);
  if (!m) return undefined;
  const [all, poss, lead, who, stated, punct] = m;
  let joint: Joint;
  if (punct && /[:=#>→⇒]/.test(punct)) joint = 'explicit';
  else if (poss || who || stated) joint = 'stated';
  else if (punct) joint = 'dash';
  else joint = all.length > 0 && (lead?.length ?? 0) > 0 ? 'space' : 'none';
  let at = pos + all.length;
  const closers = OPEN_CLOSE[text[at] ?? ''];
  if (closers) {
    const limit = Math.min(text.length, at + 1 + MAX_VALUE_CHARS);
    for (let i = at + 1; i < limit && text[i] !== '\n'; i++) {
      if (closers.includes(text[i]!)) {
        if (i === at + 1) break;
        const first = firstWordAt(text, at + 1);
        return { start: at + 1, end: i, joint: joint === 'none' || joint === 'space' ? 'stated' : joint, quoted: true, ...first };
      }
    }
    at += 1; // an opening quote without its closer: the value starts after it
  }
  if (joint === 'none' || at >= text.length || /\s/.test(text[at]!)) return undefined;
  const end = clauseEnd(text, at);
  if (end <= at) return undefined;
  return { start: at, end, joint, quoted: false, ...firstWordAt(text, at) };
}

const TRAILING = /[.,;:)\]}"'”’»]+$/;
const bare = (w: string) => w.toLowerCase().replace(/’/g, "'").replace(/^["'“‘«(\[{<]+/, '').replace(/[.,;:!?)\]}"'”’»>]+$/, '');

function firstWordAt(text: string, at: number): { first: string; firstRaw: string; firstTyped: string } {
  let i = at;
  const limit = Math.min(text.length, at + MAX_VALUE_CHARS);
  while (i < limit && !/\s/.test(text[i]!)) i++;
  const raw = text.slice(at, i).replace(/^["'“‘«(\[{<]+/, '').replace(/[.,;:!?)\]}"'”’»>]+$/, '');
  return { first: bare(raw), firstRaw: raw, firstTyped: text.slice(at, i).replace(/^["'“‘«(\[{<]+/, '').replace(/[)\]}"'”’»>]+$/, '') };
}

/**
 * Where the clause that starts at `start` ends: at a line break, at sentence punctuation, or
 * before a word that starts a new clause ("but", "and it", "it doesn't"); a passphrase of several
 * words is kept whole. At most MAX_VALUE_WORDS words and MAX_VALUE_CHARS characters.
 */
function clauseEnd(text: string, start: number): number {
  const limit = Math.min(text.length, start + MAX_VALUE_CHARS);
  const tokens: Array<{ s: number; e: number; w: string }> = [];
  let i = start;
  while (i < limit && tokens.length <= MAX_VALUE_WORDS) {
    const s = i;
    while (i < limit && !/\s/.test(text[i]!)) i++;
    tokens.push({ s, e: i, w: bare(text.slice(s, i)) });
    // sentence punctuation at the end of a word closes the clause
    if (/[.,;!?]$/.test(text.slice(s, i)) || i >= limit) break;
    let gap = i;
    while (gap < limit && /[^\S\n]/.test(text[gap]!)) gap++;
    if (gap >= limit || text[gap] === '\n') break;
    i = gap;
  }
  let n = 1;
  for (; n < tokens.length && n < MAX_VALUE_WORDS; n++) {
    const w = tokens[n]!.w, next = tokens[n + 1]?.w ?? '';
    // a lone ")" or "-" closes or dashes off something around the value, not part of it
    if (ALWAYS_STOP.has(w) || !/[\p{L}\p{N}]/u.test(text.slice(tokens[n]!.s, tokens[n]!.e))) break;
    if (SOFT_STOP.has(w) && CLAUSE_STARTS.has(next)) break;
    if (SUBJECTS.has(w) && SUBJECT_VERBS.has(next)) break;
  }
  const last = tokens[Math.min(n, tokens.length) - 1]!;
  const lastText = text.slice(last.s, last.e);
  const trimmed = lastText.replace(TRAILING, '');
  return last.s + (trimmed.length > 0 ? trimmed.length : lastText.length);
}

/** Digits, symbols or mixed case: a word that reads like a password rather than like English. */
function looksSecret(word: string): boolean {
  return /\d|[^\p{L}\p{N}\s]/u.test(word) || /\p{Ll}\p{Lu}|\p{Lu}.*\p{Ll}.*\p{Lu}/u.test(word);
}
/** Letters with digits or symbols, six or more characters: what "pass" needs before it counts. */
function strongSecret(word: string): boolean {
  // a closing "!" counts toward the length ("aaa10!") but is no symbol ("along!")
  const core = word.replace(/[.,;:!?]+$/, '');
  return word.length >= 6 && /\p{L}/u.test(core) && /\d|[^\p{L}\p{N}]/u.test(core);
}

const isMarker = (w: string) => /^\[?redacted:/i.test(w);

/** "pw"/"pwd" mean nothing but password; "password" also names a topic; "pass" is mostly the English verb. */
function labelStrength(label: string): 'strong' | 'weak' | 'pass' {
  const word = label.trim().split(/\s+/).pop()!.toLowerCase();
  if (word === 'pass') return 'pass';
  return /^(?:pw|pwd|passwd|paswd|pswd|pword|p\/w)$/.test(word) ? 'strong' : 'weak';
}

/** Whether the value after a password label is a password, not a complaint about one. */
function passwordAccepts(label: string, v: Value, value: string): boolean {
  if (isMarker(v.first) || !v.first) return false;
  const strength = labelStrength(label);
  // a quoted phrase of several words after "is" or ":" is the value itself ("my password is \"correct horse
  // battery\""), whatever its first word; a lone quoted word may still be a complaint ("it says \"incorrect\"")
  const quotedPhrase = v.quoted && (v.joint === 'explicit' || v.joint === 'stated') && /\s/.test(value.trim());
  if (quotedPhrase) return true;
  if (v.joint === 'explicit') {
    if (COMPLAINTS.has(v.first)) return false;
  } else if (NOT_A_VALUE.has(v.first)) return false;
  if (v.joint === 'space' || v.joint === 'dash') {
    // the password-label guard: a bare "password x" / "pass x" counts only when x reads like a secret
    if (strength === 'pass') return strongSecret(v.firstTyped);
    if (strength === 'weak') return v.firstRaw.length >= 4 && looksSecret(v.firstRaw);
    return true;
  }
  return strength !== 'pass' || looksSecret(value);
}

type Rule = (label: string, groups: Array<string | undefined>, v: Value, text: string) => SecretKind | undefined;

/**
 * Replaces the value after each match of `labels` that `rule` accepts. Values are read left to
 * right; a rejected label moves the search on by the label only, an accepted one past its value.
 */
function redactLabelled(text: string, labels: RegExp, rule: Rule, found: Set<SensitiveKind>): string {
  let out = '', copied = 0;
  labels.lastIndex = 0;
  for (let m = labels.exec(text); m; m = labels.exec(text)) {
    const labelEnd = m.index + m[0].length;
    const v = valueAfter(text, labelEnd);
    // a value that holds a marker was redacted already (redacting twice changes nothing)
    const kind = v && !text.slice(v.start, v.end).includes('[REDACTED:') && rule(m[0], m.slice(1), v, text);
    // a longer label may start inside a rejected one ("the answer" / "answer to my security question")
    if (!v || !kind) { labels.lastIndex = m.index + 1; continue; }
    found.add(kind);
    out += text.slice(copied, v.start) + marker(kind);
    copied = v.end;
    // a value cut at the bound mid-word hides the rest of that word too (once: the search moves past it)
    if (copied - v.start >= MAX_VALUE_CHARS) while (copied < text.length && !/\s/.test(text[copied]!)) copied++;
    labels.lastIndex = Math.max(copied, labelEnd);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** 4–8 digits, maybe spaced ("1 2 3 4") or dashed, and nothing but the PIN. */
const PIN_VALUE = /^\d(?:[ .-]?\d){3,7}$/;
/** Nine digits, in any grouping ("123 45 6789", "123.45.6789", "123 – 45 – 6789"). */
const SSN_VALUE = /^\d(?:(?:\s{0,2}[-.\u2010-\u2015]\s{0,2}|\s{1,2})?\d){8}$/u;

/** The digits-only value right after a label, to where the digits (and their separators) end. */
function digitsAfter(text: string, v: Value): Value {
  if (v.quoted) return v;
  let i = v.start;
  const limit = Math.min(text.length, v.start + 40);
  // "•" is a masked digit: a number that runs into a masked one is part of it
  while (i < limit && /[\d• .\-\u2010-\u2015]/.test(text[i]!)) i++;
  while (i > v.start && !/[\d•]/.test(text[i - 1]!)) i--;
  return { ...v, end: i };
}

function redactDigitsAfter(text: string, labels: RegExp, kind: SecretKind, shape: RegExp, found: Set<SensitiveKind>): string {
  let out = '', copied = 0;
  labels.lastIndex = 0;
  for (let m = labels.exec(text); m; m = labels.exec(text)) {
    const after = valueAfter(text, m.index + m[0].length);
    if (!after) continue;
    const v = digitsAfter(text, after);
    const digits = text.slice(v.start, v.end);
    // a longer number ("pin 1234 5678 9012 3456") is not this kind: the card rule will look at it
    if (!shape.test(digits) || /^[\p{L}\p{N}_•]/u.test(text.slice(v.end, v.end + 1))) continue;
    found.add(kind);
    out += text.slice(copied, v.start) + marker(kind);
    copied = v.end;
    labels.lastIndex = v.end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const passwordRule: Rule = (label, _g, v, text) => (passwordAccepts(label, v, text.slice(v.start, v.end)) ? 'password' : undefined);

const answerRule: Rule = (_label, [strong, _question, generic], v) => {
  if (isMarker(v.first) || !v.first) return undefined;
  if (generic !== undefined) {
    return (v.joint === 'explicit' || v.joint === 'stated') && !NOT_A_GENERIC_ANSWER.has(v.first) ? 'security_answer' : undefined;
  }
  if (v.joint === 'explicit') return COMPLAINTS.has(v.first) ? undefined : 'security_answer';
  if (NOT_AN_ANSWER.has(v.first)) return undefined;
  if ((v.joint === 'space' || v.joint === 'dash') && strong === undefined) return undefined;
  return 'security_answer';
};

// --- values before their label ("hunter2 is my password", "I typed X as my password") ------------

const VALUE_TOKEN = String.raw`(?:["“'‘][^"“”'‘’\n]{1,64}["”'’]|[^\s"“”'‘’]{1,64})`;
const ANY_LABEL = String.raw`(${PASSWORD_LABEL})|(${PIN_LABEL})|(${SSN_LABEL})|(?:${ANSWER_STRONG}|${ANSWER_QUESTION})`;
const MODIFIER = String.raw`(?:(?:new|old|current|temp|temporary|real|actual|correct)${W})?`;
/** "Bitwarden is my password manager": a noun after the label makes it something else than the secret. */
const LABEL_CLOSES = String.raw`(?!\s{1,3}(?:manager|managers|reset|hint|hints|problem|problems|issue|issues|requirements?|rules?|policy|page|link|email|recovery|change|history|generator|strength|length|app|vault|keeper|protection|protected|expiry|expiration|question|questions|lock|locked|number|numbers|code|codes|card|cards|office|media|account|login|sign)(?![\p{L}\p{N}]))`;
const VALUE_IS_LABEL = new RegExp(String.raw`(?<![^\s"“'‘(;,])(${VALUE_TOKEN})${W}(?:is|was|=|will${W}be|shall${W}be)${W}(?:my|the|our|his|her|their)${W}${MODIFIER}(?:${ANY_LABEL})${LABEL_END}${LABEL_CLOSES}`, 'giu');
const VERB_VALUE_AS_LABEL = new RegExp(String.raw`(?<![\p{L}\p{N}_])((?:typed|type|typing|used|use|using|set|entered|enter|entering|put|tried|try|trying|chose|choose|picked|pick|made|make|created|create|changed${W}it${W}to)${W})(${VALUE_TOKEN})${W}(?:as|for|in|into)${W}(?:(?:my|the|a|our)${W})?${MODIFIER}(?:${ANY_LABEL})${LABEL_END}${LABEL_CLOSES}`, 'giu');

/** What kind a value written before its label is, if it is one. */
function kindBefore(value: string, pw?: string, pin?: string, ssn?: string): SecretKind | undefined {
  const w = bare(value);
  if (!w || isMarker(w)) return undefined;
  const digits = value.replace(/^["“'‘]|["”'’]$/g, '');
  if (pin !== undefined) return PIN_VALUE.test(digits) ? 'pin' : undefined;
  if (ssn !== undefined) return SSN_VALUE.test(digits) ? 'ssn' : undefined;
  if (NOT_A_VALUE.has(w) || NOT_A_GENERIC_ANSWER.has(w)) return undefined;
  if (pw !== undefined) return labelStrength(pw) === 'pass' && !strongSecret(digits) ? undefined : 'password';
  return 'security_answer';
}

/** A passphrase or an answer of several words may precede its label: this many more words at most. */
const MAX_WORDS_BEFORE = 4;
const STOP_BEFORE = new Set([...ALWAYS_STOP, ...SOFT_STOP, ...SUBJECTS, ...words(`
  think guess believe maybe probably well hi hello hey yes no ok okay it's its is was i'm im my the a an said says
`)]);

/**
 * Where an unquoted value that ends a clause before its label starts: up to MAX_WORDS_BEFORE
 * more words back, stopping at punctuation, a line break, or a word that starts a clause
 * ("I think hunter2 is my password" keeps "I think").
 */
function clauseStartBefore(text: string, start: number, floor: number): number {
  let at = start;
  for (let n = 0; n < MAX_WORDS_BEFORE; n++) {
    let i = at;
    while (i > floor && /[^\S\n]/.test(text[i - 1]!)) i--;
    if (i === at || i <= floor) break;
    let s = i;
    while (s > floor && !/\s/.test(text[s - 1]!)) s--;
    const word = text.slice(s, i);
    if (/[.,;:!?"”’)\]]$/.test(word) || STOP_BEFORE.has(bare(word)) || isMarker(bare(word)) || !/\p{L}/u.test(word)) break;
    at = s;
  }
  return at;
}

function redactValuesBefore(text: string, found: Set<SensitiveKind>): string {
  let out = '', copied = 0;
  VALUE_IS_LABEL.lastIndex = 0;
  for (let m = VALUE_IS_LABEL.exec(text); m; m = VALUE_IS_LABEL.exec(text)) {
    const [, value, pw, pin, ssn] = m as unknown as [string, string, string?, string?, string?];
    const kind = kindBefore(value, pw, pin, ssn);
    if (!kind) { VALUE_IS_LABEL.lastIndex = m.index + 1; continue; }
    found.add(kind);
    const words = kind === 'password' || kind === 'security_answer';
    const start = words && !/^["“'‘]/.test(value) ? clauseStartBefore(text, m.index, copied) : m.index;
    out += text.slice(copied, start) + hideInside(text.slice(start, m.index + value.length), kind);
    copied = m.index + value.length;
  }
  const t = copied === 0 ? text : out + text.slice(copied);
  return t.replace(VERB_VALUE_AS_LABEL, (m, verb: string, value: string, pw?: string, pin?: string, ssn?: string) => {
    const kind = kindBefore(value, pw, pin, ssn);
    if (!kind) return m;
    found.add(kind);
    return verb + hideInside(value, kind) + m.slice(verb.length + value.length);
  });
}

/** Replaces a value by the marker, keeping the quotes around it. */
function hideInside(value: string, kind: SecretKind): string {
  const q = /^["“'‘]/.test(value) && value.length > 2 ? 1 : 0;
  return value.slice(0, q) + marker(kind) + value.slice(value.length - q);
}

// --- cards, SSNs, contact details ------------------------------------------------------------------

/**
 * A run of digit groups separated by at most three spaces, dots or dashes ("4111 1111 1111 1111",
 * "4111.1111.1111.1111", "4111  1111"). Separators and digits are disjoint, so the run is read
 * once; a group longer than 19 digits is no card part (and stops the run).
 */
const DIGIT_RUN = /(?<![\p{L}\p{N}_•])\d{1,19}(?!\d)(?:[\t .\-_\u2010-\u2015]{1,3}\d{1,19}(?!\d))*(?![\p{L}_•])/gu;
/** After a card: its expiry date and CVV, with or without labels ("exp 12/28", "cvv 123"). */
const CARD_EXTRA = String.raw`\s{0,3}[,;/]?\s{0,3}(?:(?:exp(?:iry|ires|iration)?|expiration${W}date|exp\.?${W}date|valid${W}(?:thru|through|until|till)|good${W}(?:thru|through)|${CVV_LABEL}|code|and|&)\.?\s{0,3}[:=#-]?\s{0,3}){0,2}(?:(?:0?[1-9]|1[0-2])\s{0,2}[\/.-]\s{0,2}(?:20)?\d{2}|\d{3,4})(?![\d\/])`;
const CARD_WITH_EXTRAS = new RegExp(String.raw`\[REDACTED:card\]((?:${CARD_EXTRA}){1,3})`, 'giu');

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
 * keeps other Luhn-checked numbers (a phone's 15-digit IMEI, a SIM's 19–20-digit ICCID) out.
 */
export function looksLikeCard(digits: string): boolean {
  const n = digits.length;
  const known =
    (/^4/.test(digits) && [13, 16, 19].includes(n)) ||                                  // Visa
    (/^(5[1-5]|2(22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/.test(digits) && n === 16) ||     // Mastercard 51–55, 2221–2720
    (/^3[47]/.test(digits) && n === 15) ||                                               // American Express
    (/^(6011|65|64[4-9])/.test(digits) && n >= 16 && n <= 19) ||                          // Discover
    (/^62/.test(digits) && n >= 16 && n <= 19) ||                                        // UnionPay
    (/^35(2[89]|[3-8]\d)/.test(digits) && n >= 16 && n <= 19) ||                         // JCB
    (/^3(0[0-5]|[689])/.test(digits) && n >= 14 && n <= 19);                              // Diners Club
  return known && luhnValid(digits);
}

/**
 * Hides card numbers inside a run of digit groups, with a 3–4 digit CVV that ends the run. Group
 * bounds go in typed arrays, not one object per group: a pasted run can hold 100,000 groups.
 */
function redactCardsInRun(run: string, found: Set<SensitiveKind>): string {
  const start = new Int32Array((run.length >> 1) + 1), end = new Int32Array(start.length), at = new Int32Array(start.length);
  let groups = 0;
  for (let i = 0, d = 0; i < run.length;) {
    if (!isDigit(run.charCodeAt(i))) { i++; continue; }
    start[groups] = i; at[groups] = d;
    while (i < run.length && isDigit(run.charCodeAt(i))) { i++; d++; }
    end[groups++] = i;
  }
  const all = run.replace(/\D+/g, '');
  let out = '', copied = 0;
  for (let i = 0; i < groups; i++) {
    // every network's numbers start with 2–6; a first group of three digits is a phone number's or an SSN's
    // unless every group is three digits, as some type an Amex ("378 282 246 310 005")
    const first = all.charCodeAt(at[i]!);
    if (first < 50 || first > 54) continue;
    const threes = groups > 1 && end[i]! - start[i]! === 3;
    let best = -1;
    for (let j = i; j < groups; j++) {
      const n = at[j]! + end[j]! - start[j]! - at[i]!;
      if (n > 19 || (threes && end[j]! - start[j]! !== 3)) break;
      if (n >= 13 && looksLikeCard(all.slice(at[i]!, at[i]! + n))) best = j;
    }
    if (best < 0) continue;
    let last = best;
    const cvv = end[best + 1]! - start[best + 1]!;
    if (best + 2 === groups && cvv >= 3 && cvv <= 4) last = best + 1;
    found.add('card');
    out += run.slice(copied, start[i]) + marker('card');
    copied = end[last]!;
    i = last;
  }
  return copied === 0 ? run : out + run.slice(copied);
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** US SSN in three groups with any separator: 123-45-6789, 123.45.6789, 123 – 45 – 6789, 123 45 6789. */
const SSN_SEP = String.raw`(?:\s{0,2}[-.\u2010-\u2015]\s{0,2}|\s{1,2})`;
const SSN_GROUPED = new RegExp(String.raw`(?<![\p{L}\p{N}_•]|[\p{N}•][.\-\u2010-\u2015])(?!000|666|9\d\d)\d{3}${SSN_SEP}(?!00)\d{2}${SSN_SEP}(?!0000)\d{4}(?![\p{L}\p{N}_•]|[.\-\u2010-\u2015][\p{N}•])`, 'gu');

/**
 * The lookbehind lets a match start only where a local part can start: without it a long run of
 * those characters with no "@" ("1-1-1-…", a pasted log) is rescanned from every position. Nor
 * may it start after a mask ("•") or an "@": the unmasked end of a masked address is no address.
 */
const EMAIL = /(?<![A-Za-z0-9._%+\-•@])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;

/** US phone numbers: (555) 123-4567, 555.123.4567, +1 555 123 4567, 5551234567. */
const PHONE = /(?<![\w•-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-]?)\d{3}[\s.-]?\d{4}(?![\w•-])/g;

/** Masks every letter or digit except the last `keep` of them, keeping punctuation so the shape stays readable. */
export function maskExceptLast(s: string, keep: number): string {
  let seen = 0;
  const total = (s.match(/[A-Za-z0-9]/g) ?? []).length;
  return s.replace(/[A-Za-z0-9]/g, (c) => (++seen > total - keep ? c : '•'));
}

/** Hides secrets and masks contact details in `text`; `found` lists what was there. */
export function redact(text: string): Redaction {
  // the Spanish ways first: what they hide is a marker, never read again as a value
  const spanish = redactSpanish(text);
  const found = new Set<SensitiveKind>(spanish.found);
  let t = spanish.text;
  t = redactLabelled(t, ANSWER, answerRule, found);
  t = redactDigitsAfter(t, PIN, 'pin', PIN_VALUE, found);
  t = redactDigitsAfter(t, SSN, 'ssn', SSN_VALUE, found);
  t = redactDigitsAfter(t, CVV, 'card', /^\d{3,4}$/, found);
  t = redactLabelled(t, PASSWORD, passwordRule, found);
  t = redactValuesBefore(t, found);
  t = t.replace(DIGIT_RUN, (run) => redactCardsInRun(run, found));
  t = t.replace(CARD_WITH_EXTRAS, () => marker('card'));
  t = t.replace(SSN_GROUPED, () => { found.add('ssn'); return marker('ssn'); });
  t = t.replace(EMAIL, (m) => { found.add('email'); return maskExceptLast(m, 4); });
  t = t.replace(PHONE, (m) => { found.add('phone'); return maskExceptLast(m, 4); });
  return { text: t, found: [...found] };
}

/** The secrets (not contact details) in `text`: what the customer should be warned about. */
export function secretsIn(text: string): SecretKind[] {
  return redact(text).found.filter(isSecretKind);
}

/** Whether `k` names a secret (not a contact detail). */
export function isSecretKind(k: string): k is SecretKind {
  return (SECRET_KINDS as readonly string[]).includes(k);
}

// --- JSON values and activities -------------------------------------------------------------------

/** How deep `redactDeep` reads: far deeper than any real activity (the HTTP edge allows less). */
export const MAX_REDACT_DEPTH = 64;
/**
 * What an object or array nested deeper than `MAX_REDACT_DEPTH` is replaced by: it is not read,
 * so it cannot be vouched for, and it is not kept.
 */
export const TOO_DEEP = '[REMOVED:nested too deep]';

/**
 * Redacts every string inside a JSON-like value, returning a copy. Iterative (an explicit stack,
 * so 4,000 levels of `{"a":{"a":…}}` cannot overflow the call stack); anything nested deeper than
 * `maxDepth` is replaced by `TOO_DEEP`. An object met twice (shared or cyclic) is copied once.
 */
export function redactDeep<T>(value: T, maxDepth = MAX_REDACT_DEPTH): T {
  const root: Record<string, unknown> = {};
  const copies = new Map<object, unknown>();
  const stack: Array<[src: unknown, dst: Record<string, unknown>, key: string, depth: number]> = [[value, root, 'v', 0]];
  while (stack.length > 0) {
    const [src, dst, key, depth] = stack.pop()!;
    if (typeof src === 'string') put(dst, key, redact(src).text);
    else if (src === null || typeof src !== 'object' || src instanceof Date) put(dst, key, src);
    else if (copies.has(src)) put(dst, key, copies.get(src));
    else if (depth >= maxDepth) put(dst, key, TOO_DEEP);
    else {
      const copy: Record<string, unknown> = Array.isArray(src) ? (new Array(src.length) as unknown as Record<string, unknown>) : {};
      copies.set(src, copy);
      put(dst, key, copy);
      const entries = Object.entries(src);
      // keys are created in order now and filled as the stack unwinds, so the copy keeps the key order
      if (!Array.isArray(src)) for (const [k] of entries) put(copy, k, undefined);
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], copy, entries[i]![0], depth + 1]);
    }
  }
  return root.v as T;
}

/** Sets an own property, even one named `__proto__` (as `JSON.parse` makes it). */
function put(obj: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value: v, writable: true, enumerable: true, configurable: true });
  else obj[key] = v;
}

/** Fields of an activity that hold what people wrote (ids, urls and timestamps are left alone). */
const TEXT_FIELDS = ['text', 'speak', 'summary', 'value', 'attachments', 'suggestedActions', 'channelData', 'entities'];

/** A copy of an activity with what people wrote redacted; ids, addresses and timestamps kept. */
export function redactActivity<T extends object>(activity: T): T {
  const out = { ...activity } as Record<string, unknown>;
  for (const f of TEXT_FIELDS) if (out[f] !== undefined) out[f] = redactDeep(out[f], MAX_REDACT_DEPTH - 1);
  return out as T;
}
