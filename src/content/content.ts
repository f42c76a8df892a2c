import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ContentError, readYamlFile } from './yamlFile.js';
import { LiveChatHours } from '../handoff/hours.js';

export { ContentError };

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

/** A message is one string or several variants (the bot picks one, so repeated replies vary). */
const Message = z.union([z.string().trim().min(1, 'is empty'), z.array(z.string().trim().min(1, 'is empty')).min(1, 'has no variants')]);
const Messages = z.record(z.string(), z.union([Message, z.record(z.string(), z.unknown())]));

export type Vars = Record<string, string | number | undefined>;

/**
 * Customer-facing wording, looked up by key (`login.ask_platform`). Loaded from `data/*.yml`
 * at start-up and validated; `{brand.name}` and `{var}` placeholders are filled in.
 */
export class Content {
  private readonly messages = new Map<string, string[]>();
  private counter = 0;

  constructor(readonly brand: Brand, messageFiles: Array<{ file: string; tree: Record<string, unknown> }>) {
    for (const { file, tree } of messageFiles) this.flatten(file, '', tree);
  }

  /**
   * Loads `brand.yml` and every `messages*.yml` in `dir` (`messages.yml`, `messages-cases.yml`, …:
   * one file per area keeps edits apart). A key defined in two files is an error.
   */
  static load(dir: string): Content {
    const brandFile = join(dir, 'brand.yml');
    const brand = readYamlFile(brandFile, Brand);
    const files = readdirSync(dir).filter((f) => /^messages.*\.ya?ml$/.test(f)).sort().map((f) => join(dir, f));
    if (files.length === 0) throw new ContentError(join(dir, 'messages.yml'), '(file)', 'missing');
    return new Content(brand, files.map((file) => ({ file, tree: readYamlFile(file, Messages) as Record<string, unknown> })));
  }

  has(key: string): boolean { return this.messages.has(key); }

  /** The keys of every message, for the content test. */
  keys(): string[] { return [...this.messages.keys()]; }

  /** One variant of the message at `key` with its placeholders filled; throws for an unknown key. */
  text(key: string, vars: Vars = {}): string {
    const variants = this.messages.get(key);
    if (!variants) throw new Error(`[Content]: no message with key "${key}"`);
    const v = variants.length === 1 ? variants[0] : variants[this.counter++ % variants.length];
    return this.fill(v, vars);
  }

  /** Every variant of a message (e.g. a list of steps). */
  list(key: string, vars: Vars = {}): string[] {
    const variants = this.messages.get(key);
    if (!variants) throw new Error(`[Content]: no message with key "${key}"`);
    return variants.map((v) => this.fill(v, vars));
  }

  private fill(template: string, vars: Vars): string {
    return template.replace(/\{([\w.]+)\}/g, (m, name: string) => {
      if (name.startsWith('brand.')) {
        const v = (this.brand as unknown as Record<string, unknown>)[name.slice(6)];
        return typeof v === 'string' ? v : m;
      }
      const v = vars[name];
      return v === undefined ? m : String(v);
    });
  }

  private flatten(file: string, prefix: string, tree: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(tree)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (typeof v === 'string' || Array.isArray(v)) {
        const r = Message.safeParse(v);
        if (!r.success) throw new ContentError(file, key, r.error.issues[0].message);
        if (this.messages.has(key)) throw new ContentError(file, key, 'defined twice');
        this.messages.set(key, Array.isArray(r.data) ? r.data : [r.data]);
      } else if (v && typeof v === 'object') {
        this.flatten(file, key, v as Record<string, unknown>);
      } else {
        throw new ContentError(file, key, 'must be text, a list of texts, or a group of keys');
      }
    }
  }
}
