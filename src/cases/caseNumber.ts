import { randomInt } from 'node:crypto';

/** Crockford base32: no I, L, O or U, so numbers read aloud or typed are hard to confuse. */
export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = ALPHABET.length;

/** Luhn mod N check character over `data` (characters of ALPHABET). */
export function checkCharacter(data: string): string {
  let factor = 2, sum = 0;
  for (let i = data.length - 1; i >= 0; i--) {
    const code = ALPHABET.indexOf(data[i]);
    if (code < 0) throw new Error(`checkCharacter: '${data[i]}' is not a Crockford base32 character`);
    const addend = factor * code;
    factor = factor === 2 ? 1 : 2;
    sum += Math.floor(addend / N) + (addend % N);
  }
  return ALPHABET[(N - (sum % N)) % N];
}

/** A new case number `CS-XXXX-XXXX`: seven random characters (35 bits, CSPRNG) and a check character. */
export function generateCaseNumber(): string {
  let data = '';
  for (let i = 0; i < 7; i++) data += ALPHABET[randomInt(N)];
  return format(data + checkCharacter(data));
}

function format(eight: string): string {
  return `CS-${eight.slice(0, 4)}-${eight.slice(4)}`;
}

export type ParsedCaseNumber =
  | { ok: true; number: string }
  | { ok: false; reason: 'format' | 'check'; message: string };

/**
 * Reads a case number leniently, the Crockford way: any case, dashes and spaces optional,
 * O→0 and I/L→1. Tells a malformed number apart from one with a wrong check character
 * (a mistyped or swapped character).
 */
export function parseCaseNumber(input: string): ParsedCaseNumber {
  let s = input.trim().toUpperCase().replace(/[\s-]+/g, '');
  if (s.startsWith('CS')) s = s.slice(2);
  s = s.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== 8) return { ok: false, reason: 'format', message: 'A case number has 8 characters after "CS-", like CS-4K7P-2M9Q.' };
  const bad = [...s].find((c) => !ALPHABET.includes(c));
  if (bad) return { ok: false, reason: 'format', message: `"${bad}" cannot appear in a case number.` };
  if (checkCharacter(s.slice(0, 7)) !== s[7]) {
    return { ok: false, reason: 'check', message: 'That case number does not add up: one character may be mistyped or two swapped.' };
  }
  return { ok: true, number: format(s) };
}

/** Candidate case numbers inside free text (valid or not), for entity extraction. */
export const CASE_NUMBER_IN_TEXT = /\bcs[\s-]*([0-9a-z]{4})[\s-]*([0-9a-z]{4})\b/gi;
