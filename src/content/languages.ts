/** The languages customers can chat in; the first is the default (and the one staff read). */
export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';
/** Names of the languages in themselves, for the web page's switch and the "I speak…" note. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español' };

export function isLanguage(s: unknown): s is Language {
  return typeof s === 'string' && (LANGUAGES as readonly string[]).includes(s);
}

/** The language of a BCP-47 locale (`es-US` → `es`), or undefined for one the bot does not speak. */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  const m = /^([a-z]{2,3})(?:[-_]|$)/i.exec(typeof locale === 'string' ? locale.trim() : '');
  const l = m?.[1].toLowerCase();
  return isLanguage(l) ? l : undefined;
}

/** The most preferred of `available` in an `Accept-Language` header (quality values honoured), if any. */
export function acceptedLanguage(header: string | undefined, available: readonly Language[] = LANGUAGES): Language | undefined {
  const ranked = (header ?? '').slice(0, 500).split(',').map((part, i) => {
    const [tag, ...params] = part.trim().split(';');
    const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
    return { lang: tag.trim().slice(0, 2).toLowerCase(), q: Number.isFinite(q) ? q : 0, i };
  }).filter((x) => x.q > 0).sort((a, b) => b.q - a.q || a.i - b.i);
  return ranked.find((x) => (available as readonly string[]).includes(x.lang))?.lang as Language | undefined;
}
