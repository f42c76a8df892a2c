import { parseCaseNumber, CASE_NUMBER_IN_TEXT } from '../cases/caseNumber.js';

export type Platform = 'ios' | 'android' | 'web';

export interface CaseNumberEntity { text: string; value: string; valid: boolean }

export interface Entities {
  platform?: Platform[];
  caseNumber?: CaseNumberEntity[];
}

const PLATFORM_PATTERNS: Array<[Platform, RegExp]> = [
  ['ios', /\b(i\s?phone|ipad|ios|apple|app\s?store|itunes)\b/i],
  ['android', /\b(android|samsung|galaxy|pixel|google\s?play|play\s?store|motorola|moto|oneplus)\b/i],
  ['web', /\b(web\s?site|web|browser|chrome|safari|firefox|edge|laptop|computer|desktop|pc|mac|online|site)\b/i],
];

/** Extracts the platform the customer mentions and any case numbers they typed. */
export function extractEntities(text: string): Entities {
  const out: Entities = {};
  const platforms = PLATFORM_PATTERNS.filter(([, re]) => re.test(text)).map(([p]) => p);
  if (platforms.length) out.platform = platforms;
  const cases: CaseNumberEntity[] = [];
  for (const m of text.matchAll(CASE_NUMBER_IN_TEXT)) {
    const parsed = parseCaseNumber(m[0]);
    cases.push({ text: m[0], value: parsed.ok ? parsed.number : m[0].toUpperCase(), valid: parsed.ok });
  }
  if (cases.length) out.caseNumber = cases;
  return out;
}
