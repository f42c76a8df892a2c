import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ContentError, readYamlFile } from './yamlFile.js';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from './languages.js';
import { currentLanguage } from './turnLanguage.js';
import { LiveChatHours } from '../handoff/hours.js';

export { ContentError };
export type { Language };

/**
 * Keys written for staff, not customers: they stay in English in every conversation (agents read
 * case summaries and the steps a customer tried in one language) and have no translation.
 * `platform.*` fills the summaries' `{platform}`; `live.note.*` are what the live chat notes on a case.
 */
export const STAFF_KEYS: readonly RegExp[] = [/^case_summary\./, /^platform\./, /\.label$/, /^live\.note\./];

export function isStaffKey(key: string): boolean {
  return STAFF_KEYS.some((re) => re.test(key));
}

/** One content file's parsed tree, as `Content` takes it. */
export interface MessageFile { file: string; tree: Record<string, unknown> }

/** A page the bot may link to: empty (no link; the wording says where to look instead) or an https URL. */
const PageUrl = z.string().trim().refine((s) => s === '' || isHttpsUrl(s), 'must be empty or an https:// URL');

function isHttpsUrl(s: string): boolean {
  try { return new URL(s).protocol === 'https:'; } catch { return false; }
}

const Brand = z.object({
  name: z.string().min(1),
  assistantName: z.string().min(1),
  appName: z.string().min(1),
  colors: z.object({ primary: z.string().regex(/^#[0-9a-fA-F]{6}$/), onPrimary: z.string().regex(/^#[0-9a-fA-F]{6}$/), background: z.string().regex(/^#[0-9a-fA-F]{6}$/) }),
  website: z.string(),
  contactPage: z.string(),
  phone: z.string(),
  phoneHours: z.string(),
  email: z.string(),
  social: z.record(z.string(), z.string()),
  /** Pages answers link to, by id (`sign_in`, `store_locator`, …); each has a title at `link.<id>`. */
  links: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'link ids are lower_snake_case'), PageUrl).default({}),
  /** When people answer live chat (the agent desk); none: whenever an agent is on duty. */
  liveChat: LiveChatHours.default({ timeZone: '', hours: {}, hoursText: '' }),
});
export type Brand = z.infer<typeof Brand>;

/**
 * What another language may say differently about the brand (`data/<lang>/brand.yml`, optional):
 * the assistant's and the app's names and the opening hours (`phoneHours`, and `liveChatHoursText` for
 * `liveChat.hoursText`) are words; numbers, addresses and colours are the same in every language
 * and stay in `data/brand.yml` alone.
 */
const BrandWording = z.object({ assistantName: z.string().min(1), appName: z.string().min(1), phoneHours: z.string(), liveChatHoursText: z.string() }).partial().strict();
export type BrandWording = z.infer<typeof BrandWording>;

/** A message is one string or several variants (the bot picks one, so repeated replies vary). */
const Message = z.union([z.string().trim().min(1, 'is empty'), z.array(z.string().trim().min(1, 'is empty')).min(1, 'has no variants')]);
const Messages = z.record(z.string(), z.union([Message, z.record(z.string(), z.unknown())]));

export type Vars = Record<string, string | number | undefined>;

/** What dialogs and middleware read: `Content` itself (the turn's language) or one language's view. */
export interface Wording {
  readonly brand: Brand;
  has(key: string): boolean;
  keys(): string[];
  text(key: string, vars?: Vars): string;
  list(key: string, vars?: Vars): string[];
}

/** A key present in one language and missing in another, or with other placeholders. */
export interface TranslationGap {
  key: string;
  language: Language;
  problem: 'missing' | 'only-here' | 'placeholders' | 'staff-key';
  /** The file that has the key (the English one for `missing`). */
  file: string;
  detail?: string;
}

/**
 * Customer-facing wording, looked up by key (`login.ask_platform`), in English and every other
 * language the bot speaks. Loaded from `data/*.yml` (English) and `data/<lang>/messages*.yml` at
 * start-up and validated; `{brand.name}` and `{var}` placeholders are filled in.
 *
 * `text(key)` answers in the current turn's language (`currentLanguage()`, set for the turn by
 * the language middleware), so dialogs never pass a language along; `in(language)` gives a
 * fixed-language view for code outside a turn. Staff keys (`STAFF_KEYS`) are always English.
 */
export class Content implements Wording {
  private readonly messages = new Map<Language, Map<string, string[]>>();
  private readonly files = new Map<Language, Map<string, string>>();
  private counter = 0;

  /**
   * @param messageFiles the English wording.
   * @param translations other languages' wording; every customer key must be in each (see `translationGaps`).
   */
  private readonly brands = new Map<Language, Brand>();

  constructor(brand: Brand, messageFiles: MessageFile[], translations: Partial<Record<Language, MessageFile[]>> = {}, private readonly brandWording: Partial<Record<Language, BrandWording>> = {}) {
    this.brand = brand;
    this.add(DEFAULT_LANGUAGE, messageFiles);
    for (const l of LANGUAGES) if (l !== DEFAULT_LANGUAGE && translations[l]) this.add(l, translations[l]!);
    const gaps = this.translationGaps();
    if (gaps.length) {
      const g = gaps[0];
      throw new ContentError(g.file, g.key, `${describeGap(g)}${gaps.length > 1 ? ` (and ${gaps.length - 1} more: npm run -s translations)` : ''}`);
    }
  }

  /**
   * Loads `brand.yml` and every `messages*.yml` in `dir` (`messages.yml`, `messages-cases.yml`, …:
   * one file per area keeps edits apart), and each language's `dir/<lang>/messages*.yml`. A key
   * defined in two files is an error, and so is a customer key in one language only.
   */
  static load(dir: string): Content {
    const { brand, english, translations, brandWording } = Content.read(dir);
    return new Content(brand, english, translations, brandWording);
  }

  /** Every translation gap under `dir`, without refusing to load (for `npm run -s translations`). */
  static gapsIn(dir: string): TranslationGap[] {
    const { brand, english, translations } = Content.read(dir);
    const c = new Content(brand, english);
    for (const [l, files] of Object.entries(translations) as Array<[Language, MessageFile[]]>) c.add(l, files);
    return c.translationGaps();
  }

  private static read(dir: string): { brand: Brand; english: MessageFile[]; translations: Partial<Record<Language, MessageFile[]>>; brandWording: Partial<Record<Language, BrandWording>> } {
    const brand = readYamlFile(join(dir, 'brand.yml'), Brand);
    const english = readMessageFiles(dir, true);
    const translations: Partial<Record<Language, MessageFile[]>> = {};
    const brandWording: Partial<Record<Language, BrandWording>> = {};
    for (const l of LANGUAGES) {
      if (l === DEFAULT_LANGUAGE || !existsSync(join(dir, l))) continue;
      translations[l] = readMessageFiles(join(dir, l), true);
      if (existsSync(join(dir, l, 'brand.yml'))) brandWording[l] = readYamlFile(join(dir, l, 'brand.yml'), BrandWording);
    }
    return { brand, english, translations, brandWording };
  }

  /**
   * The brand as the turn's language says it (names and opening hours may be translated), so
   * dialogs reading `content.brand.phoneHours` get the customer's wording. Setting it replaces
   * the brand for every language (tests and scenarios try other contact details).
   */
  get brand(): Brand { return this.brandIn(currentLanguage()); }
  set brand(brand: Brand) {
    for (const l of LANGUAGES) {
      const { liveChatHoursText, ...words } = this.brandWording[l] ?? {};
      this.brands.set(l, { ...brand, ...words, ...(liveChatHoursText !== undefined ? { liveChat: { ...brand.liveChat, hoursText: liveChatHoursText } } : {}) });
    }
  }

  /** The brand as a language says it (names and hours may be translated). */
  brandIn(language: Language): Brand { return this.brands.get(language) ?? this.brands.get(DEFAULT_LANGUAGE)!; }

  /** The languages with wording (English first). */
  get languages(): Language[] { return [...this.messages.keys()]; }

  has(key: string): boolean { return this.messages.get(DEFAULT_LANGUAGE)!.has(key); }

  /** The keys of every message, for the content test. */
  keys(): string[] { return [...this.messages.get(DEFAULT_LANGUAGE)!.keys()]; }

  /** One variant of the message at `key` in the turn's language, placeholders filled; throws for an unknown key. */
  text(key: string, vars: Vars = {}): string {
    return this.textIn(currentLanguage(), key, vars);
  }

  /** Every variant of a message (e.g. a list of steps), in the turn's language. */
  list(key: string, vars: Vars = {}): string[] {
    return this.listIn(currentLanguage(), key, vars);
  }

  /** The wording in one language, whatever the turn's (a language without wording reads English). */
  in(language: Language): Wording {
    return {
      brand: this.brandIn(language),
      has: (key) => this.has(key),
      keys: () => this.keys(),
      text: (key, vars = {}) => this.textIn(language, key, vars),
      list: (key, vars = {}) => this.listIn(language, key, vars),
    };
  }

  /**
   * Keys missing from a language, present only in it, with other placeholders than English, or
   * staff keys translated (they would never be used). Empty when every language is complete.
   */
  translationGaps(): TranslationGap[] {
    const gaps: TranslationGap[] = [];
    const en = this.messages.get(DEFAULT_LANGUAGE)!, enFiles = this.files.get(DEFAULT_LANGUAGE)!;
    for (const [l, m] of this.messages) {
      if (l === DEFAULT_LANGUAGE) continue;
      const files = this.files.get(l)!;
      for (const [key, variants] of en) {
        if (isStaffKey(key)) continue;
        const other = m.get(key);
        if (!other) { gaps.push({ key, language: l, problem: 'missing', file: enFiles.get(key)! }); continue; }
        const want = placeholders(variants), got = placeholders(other);
        if (want !== got) gaps.push({ key, language: l, problem: 'placeholders', file: files.get(key)!, detail: `English has ${want || 'none'}, this has ${got || 'none'}` });
      }
      for (const key of m.keys()) {
        if (isStaffKey(key)) gaps.push({ key, language: l, problem: 'staff-key', file: files.get(key)! });
        else if (!en.has(key)) gaps.push({ key, language: l, problem: 'only-here', file: files.get(key)! });
      }
    }
    return gaps;
  }

  private textIn(language: Language, key: string, vars: Vars): string {
    const variants = this.variants(language, key);
    const v = variants.length === 1 ? variants[0] : variants[this.counter++ % variants.length];
    return this.fill(v, vars, this.brandFor(language, key));
  }

  private listIn(language: Language, key: string, vars: Vars): string[] {
    const brand = this.brandFor(language, key);
    return this.variants(language, key).map((v) => this.fill(v, vars, brand));
  }

  private brandFor(language: Language, key: string): Brand {
    return this.brandIn(isStaffKey(key) ? DEFAULT_LANGUAGE : language);
  }

  private variants(language: Language, key: string): string[] {
    const lang = isStaffKey(key) ? DEFAULT_LANGUAGE : language;
    // validated complete at start-up; English covers a language built without wording (tests)
    const variants = this.messages.get(lang)?.get(key) ?? this.messages.get(DEFAULT_LANGUAGE)!.get(key);
    if (!variants) throw new Error(`[Content]: no message with key "${key}"`);
    return variants;
  }

  private add(language: Language, files: MessageFile[]): void {
    if (!this.messages.has(language)) { this.messages.set(language, new Map()); this.files.set(language, new Map()); }
    for (const { file, tree } of files) this.flatten(language, file, '', tree);
  }

  private fill(template: string, vars: Vars, brand: Brand = this.brand): string {
    return template.replace(/\{([\w.]+)\}/g, (m, name: string) => {
      if (name.startsWith('brand.')) {
        const v = (brand as unknown as Record<string, unknown>)[name.slice(6)];
        return typeof v === 'string' ? v : m;
      }
      const v = vars[name];
      return v === undefined ? m : String(v);
    });
  }

  private flatten(language: Language, file: string, prefix: string, tree: Record<string, unknown>): void {
    const messages = this.messages.get(language)!, files = this.files.get(language)!;
    for (const [k, v] of Object.entries(tree)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (typeof v === 'string' || Array.isArray(v)) {
        const r = Message.safeParse(v);
        if (!r.success) throw new ContentError(file, key, r.error.issues[0].message);
        if (messages.has(key)) throw new ContentError(file, key, 'defined twice');
        messages.set(key, Array.isArray(r.data) ? r.data : [r.data]);
        files.set(key, file);
      } else if (v && typeof v === 'object') {
        this.flatten(language, file, key, v as Record<string, unknown>);
      } else {
        throw new ContentError(file, key, 'must be text, a list of texts, or a group of keys');
      }
    }
  }
}

function readMessageFiles(dir: string, required: boolean): MessageFile[] {
  const files = readdirSync(dir).filter((f) => /^messages.*\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
  if (files.length === 0 && required) throw new ContentError(join(dir, 'messages.yml'), '(file)', 'missing');
  return files.map((file) => ({ file, tree: readYamlFile(file, Messages) as Record<string, unknown> }));
}

/** The `{placeholders}` a message's variants use, as one sorted list (`{brand.*}` included). */
function placeholders(variants: string[]): string {
  return [...new Set(variants.flatMap((v) => [...v.matchAll(/\{([\w.]+)\}/g)].map((m) => m[1])))].sort().join(', ');
}

function describeGap(g: TranslationGap): string {
  switch (g.problem) {
    case 'missing': return `exists in English only: add it to data/${g.language}/ (translated)`;
    case 'only-here': return `exists in ${g.language} only: English has no such key (renamed or removed?)`;
    case 'placeholders': return `placeholders differ from English (${g.detail})`;
    case 'staff-key': return 'is for staff and stays in English: remove it from this language';
  }
}
