/**
 * Every comparison of what a customer typed with words the bot offered or listed: a button or a
 * prompt's choice, a phrase from `data/` (leave, none of these, frustration, subtopics), a menu
 * label, the words that leave the hand-off queue. The recognizer's own reading of text is
 * `normalize.ts`; edit distances are `distance.ts`.
 */
import { findChoices, PromptCultureModels, recognizeChoices, type Choice as PromptChoice, type FoundChoice } from 'botbuilder-dialogs';
import type { Content } from '../content/content.js';
import type { Language } from '../content/languages.js';
import { typoDistance } from './distance.js';

/**
 * The form typed text and listed phrases are compared in: lower case, accents and the tilde
 * dropped ("sí" = "si", "contraseña" = "contrasena": Spanish customers often type without them),
 * apostrophes dropped ("don't" = "dont"), everything else but letters a-z and digits a single space.
 */
export function matchKey(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’']/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Whether the whole text is one of the phrases (case, accents and punctuation ignored). */
export function isPhrase(text: string, phrases: readonly string[]): boolean {
  const t = matchKey(text);
  return t !== '' && phrases.some((p) => matchKey(p) === t);
}

/** Whether one of the phrases appears in the text as whole words ("show my cases please" has "my cases"). */
export function containsPhrase(text: string, phrases: readonly string[]): boolean {
  const t = ` ${matchKey(text)} `;
  return phrases.some((p) => t.includes(` ${matchKey(p)} `));
}

/** Whether the text is a button's label, typed or clicked (case and surrounding spaces ignored, nothing else). */
export function isLabel(text: string, label: string): boolean {
  const t = text.trim().toLowerCase();
  return t !== '' && label.toLowerCase() === t;
}

/**
 * Whether a customer waiting for a person asks to stop waiting: the whole message is one of the
 * leave words or the button's title (`handoff.leave_words`, `handoff.cancel_button`) of any
 * language the bot speaks ("cancelar" leaves an English conversation's queue too), case, accents
 * and punctuation ignored ("Olvídalo" = "olvidalo").
 */
export function leavesQueue(text: string, content: Pick<Content, 'languages' | 'in'>): boolean {
  return isPhrase(text, content.languages.flatMap((l) => [...content.in(l).list('handoff.leave_words'), content.in(l).text('handoff.cancel_button')]));
}

// ---- choices a prompt offers (value = id, synonyms = title and typed variants) ----

/**
 * The culture numbers and ordinals are read in ("2", "the second one", "la segunda"): the
 * conversation's language, never the browser's or app's locale (a Spanish speaker on an English
 * browser writes "la segunda"; an English one on a French browser writes "the second one").
 */
export function choiceCulture(language: Language): string {
  return language === 'es' ? PromptCultureModels.Spanish.locale : PromptCultureModels.English.locale;
}

/**
 * Which offered choice (by id) a typed text names, if any, matched the way botbuilder's
 * `ChoicePrompt` matches (names and synonyms, then ordinals and numbers read in `language`).
 */
export function matchPromptChoice(text: string, choices: PromptChoice[] | undefined, language: Language = 'en'): string | undefined {
  if (!text.trim() || !choices?.length) return undefined;
  return readPromptChoice(text, choices, language)?.value;
}

/**
 * What a waiting `ChoicePrompt` takes a typed answer for: a choice named by its words or synonyms
 * anywhere in the text (botbuilder's `findChoices`), or by its number or place ("2", "the second
 * one", "la segunda opción") when that is the whole answer, give or take a few words around it
 * ("option", "please", "la", "por favor"). A number inside a sentence is not an answer: "quiero
 * hablar con una persona" is not option 1, "no sé cuál de las dos" not option 2.
 */
export function readPromptChoice(text: string, choices: PromptChoice[], language: Language): FoundChoice | undefined {
  const named = findChoices(text, choices);
  if (named.length) return named[0].resolution;
  // nothing named: numbers and places (recognizeChoices looks for names first, finds none, reads them)
  const found = recognizeChoices(text, choices, { recognizeNumbers: true, recognizeOrdinals: true, locale: choiceCulture(language) });
  return found.find((f) => isWholeAnswer(text, f.start, f.end))?.resolution;
}

/** Whether the text is the span `start..end` (inclusive) and only the words people put around an option. */
function isWholeAnswer(text: string, start: number, end: number): boolean {
  let rest = typedKey(`${text.slice(0, start)} ${text.slice(end + 1)}`).replace(LEADING, '');
  for (let before = ''; before !== rest;) { before = rest; rest = rest.replace(TRAILING, '').replace(LEADING, ''); }
  return words(rest) === '';
}

/**
 * Reading numbers and ordinals is slow the first times a culture is used (@microsoft/recognizers-text
 * builds its models, V8 then compiles their regular expressions): measured about 2 s for Spanish and
 * 80 ms for English on a busy 2-core machine, during which the process serves no one. Done at
 * start-up for each language the bot speaks; returns the milliseconds it took.
 */
export function primeChoiceReading(languages: readonly Language[]): number {
  const t0 = performance.now();
  // one choice, and only places and numbers past it: the ordinals find none, so numbers are read too
  const phrase: Record<Language, string> = { en: 'the second or third, two, number 4', es: 'la segunda o la tercera, dos, el número 4' };
  // twice: V8 interprets a regular expression the first time and compiles it the second, and the
  // Spanish number expressions are large (measured: 1.7 s, then 0.5 s, then 2 ms)
  for (let pass = 0; pass < 2; pass++) for (const l of languages) matchPromptChoice(phrase[l], [{ value: 'only' }], l);
  return performance.now() - t0;
}

/** True when the whole text is one of the choices' words or its number (not just a word inside a longer request). */
export function isExactChoice(text: string, choices: PromptChoice[] | undefined): boolean {
  const t = matchKey(text);
  if (!t || !choices?.length) return false;
  if (/^\d+$/.test(t)) { const n = Number(t); return n >= 1 && n <= choices.length; }
  return choices.some((c) => [c.value, ...(c.synonyms ?? [])].some((s) => matchKey(s) === t));
}

// ---- buttons a channel showed (title and the value clicking sends) ----

/** A button as the channel layer offers it (`Choice` in `src/channels/render.ts`). */
export interface Offered { title: string; value: string }

/** Words people put around an option's number or name that do not change which one they mean. */
const LEADING = /^(?:(?:i(?:'d| would)? (?:like|want|pick|choose|take)|i'll (?:take|go with|pick)|(?:let's )?go with|give me|show me|pick|choose|select|the|option|choice|number|num|no\.?|nr\.?|#|quiero|prefiero|elijo|escojo|dame|la|el|opcion|numero)\s*)+/;
const TRAILING = /\s*(?:please|pls|plz|thanks|thank you|thx|one|option|por favor|porfa|porfavor|xfa|gracias|opcion)$/;

/** Like `matchKey`, but keeping the `#`, `.` and `'` the leading and trailing words above need, and every script's letters. */
function typedKey(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/[‘’`]/g, "'").replace(/[^\p{L}\p{N}#'. ]+/gu, ' ').replace(/\s+/g, ' ').trim()
    .replace(/[.!?]+$/, '').trim();
}

function words(s: string): string {
  return s.replace(/[#.']/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Maps a typed answer back to one of the buttons last offered: its number ("2", "2.", "#2",
 * "option 2", "number 2 please") or its words ("forgot username", "FORGOT USERNAME!", a small
 * typo like "forgot usernme"), in Spanish too ("opción 2", "la 2 por favor"). Returns undefined for anything else, so free text that merely
 * contains a number ("my bill is 200") or a longer sentence is left to the recognizer.
 */
export function matchChoice<C extends Offered>(text: string, choices: C[]): C | undefined {
  if (!choices.length) return undefined;
  let t = typedKey(text);
  if (!t || t.length > 80) return undefined;
  const keys = choices.map((c) => [words(typedKey(c.title)), words(typedKey(c.value))]);
  // a title that itself starts with one of the words around a choice ("Quiero un plan nuevo") as typed
  const whole = choices.findIndex((_, i) => keys[i].includes(words(t)));
  if (whole >= 0) return choices[whole];
  for (let prev = ''; prev !== t;) { prev = t; t = t.replace(LEADING, '').replace(TRAILING, '').replace(/[.!?)]+$/, '').trim(); }
  const num = /^#?\s*(\d{1,2})\s*[.)]?$/.exec(t);
  if (num) {
    const n = Number.parseInt(num[1], 10);
    return n >= 1 && n <= choices.length ? choices[n - 1] : undefined;
  }
  const w = words(t);
  if (!w) return undefined;
  const exact = choices.findIndex((_, i) => keys[i].includes(w));
  if (exact >= 0) return choices[exact];
  // Light fuzziness: a typo or two, and only when exactly one option is that close.
  const close = choices.filter((_, i) => keys[i].some((k) => k.length >= 4 && typoDistance(w, k) <= Math.max(1, Math.floor(k.length / 6))));
  return close.length === 1 ? close[0] : undefined;
}
