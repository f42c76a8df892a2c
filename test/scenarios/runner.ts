import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { Activity } from 'botbuilder';
import { Content } from '../../src/content/content.js';
import { DEFAULT_LANGUAGE, LANGUAGES, type Language } from '../../src/content/languages.js';
import { readYamlFile } from '../../src/content/yamlFile.js';
import type { CaseRecord } from '../../src/cases/types.js';
import { buttonsOf, Chat, config } from '../dialogs/harness.js';
import { visibleText } from '../channels/fixtures.js';

/** Where the scenario files live. */
export const SCENARIO_DIR = import.meta.dirname;

const Words = z.union([z.string().min(1), z.array(z.string().min(1))]).transform((w) => (Array.isArray(w) ? w : [w]));

const Expect = z.object({
  /** Content keys (`recovery.locked.info`): the reply includes that message, whichever variant, any {placeholder} filled. */
  says: Words.optional(),
  /** Words the reply must contain (case ignored). */
  contains: Words.optional(),
  /** Words the reply must not contain (case ignored). */
  not_contains: Words.optional(),
  /** Buttons (titles) the reply must offer, among others. */
  buttons: Words.optional(),
  /** The reply offers no buttons at all. */
  no_buttons: z.boolean().optional(),
}).strict();

const LanguageCode = z.enum(LANGUAGES);

const Step = z.object({
  /** What the customer types (an empty string is a message with no text). */
  user: z.string(),
  /** The locale the channel sends with this message, instead of the scenario's (the page's language switch). */
  locale: z.string().optional(),
  /** The language this reply must be in (its `says` keys), from this step on. */
  language: LanguageCode.optional(),
  bot: Expect.optional(),
}).strict();

const CaseCheck = z.object({
  intent: z.string().optional(),
  team: z.string().optional(),
  contact_method: z.string().optional(),
  callback_window: z.string().optional(),
  summary_contains: Words.optional(),
  summary_not_contains: Words.optional(),
  steps_tried: z.array(z.string()).optional(),
}).strict();

const Scenario = z.object({
  name: z.string().min(1),
  /** Why this scenario exists: the problem it guards against, in the customer's words. */
  why: z.string().optional(),
  /** The channel the customer uses (default `webchat`): `webchat`, `emulator`, `msteams`, `slack`, `console`. */
  channel: z.string().optional(),
  /** The locale the channel sends with every message (`es-US`: a Spanish-speaking customer's browser); none by default. */
  locale: z.string().optional(),
  /** The language replies must be in (`says` keys are looked up in it); default English. */
  language: LanguageCode.optional(),
  /** Brand values to use instead of data/brand.yml (e.g. `links` or `phone`), to check what they change. */
  brand: z.record(z.string(), z.unknown()).optional(),
  steps: z.array(Step).min(1),
  /** No case may be opened in this scenario. */
  no_case: z.boolean().optional(),
  /** The case the scenario opened (the newest one). */
  case: CaseCheck.optional(),
}).strict();

const ScenarioFile = z.object({
  /** What the file covers, for the report. */
  topic: z.string().min(1),
  scenarios: z.array(Scenario).min(1),
}).strict();

export type Scenario = z.infer<typeof Scenario>;
export interface ScenarioFileData { file: string; topic: string; scenarios: Scenario[] }

/** Every `*.yml` in the folder, validated: a mistake names the file and the key (like the content files). */
export function loadScenarioFiles(dir = SCENARIO_DIR, only: string[] = []): ScenarioFileData[] {
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()
    .filter((f) => only.length === 0 || only.some((o) => f === o || f === `${o}.yml` || basename(o) === f));
  return files.map((f) => {
    const file = join(dir, f);
    const data = readYamlFile(file, ScenarioFile);
    return { file, topic: data.topic, scenarios: data.scenarios };
  });
}

/** One thing that did not match, with what the bot actually said. */
export interface Failure { step?: number; user?: string; problem: string; reply?: string; buttons?: string[] }

let sharedContent: Content | undefined;

/** Plays a scenario against the real bot (dialogs, recognizer, content, privacy screen, channel handling); returns what failed. */
export async function runScenario(s: Scenario): Promise<Failure[]> {
  const content = contentFor(s.brand);
  const chat = await Chat.open({ channelId: s.channel ?? 'webchat', content, locale: s.locale });
  const failures: Failure[] = [];
  let language: Language = s.language ?? DEFAULT_LANGUAGE;
  for (const [i, step] of s.steps.entries()) {
    language = step.language ?? language;
    const wording = content.in(language);
    const turn = await chat.say(step.user, step.locale ?? s.locale);
    const messages = turn.activities.filter((a) => a.type === 'message');
    const reply = messages.map(replyText).join('\n');
    const withButtons = [...messages].reverse().find((a) => buttonsOf(a).length);
    const buttons = withButtons ? buttonsOf(withButtons) : [];
    const fail = (problem: string) => failures.push({ step: i + 1, user: step.user, problem, reply, buttons });
    if (messages.length === 0) fail('the bot said nothing');
    const e = step.bot;
    if (!e) continue;
    for (const key of e.says ?? []) {
      if (!content.has(key)) fail(`"${key}" is not a message key in data/messages*.yml`);
      else if (!wording.list(key).some((v) => template(v).test(reply))) fail(`should say the message "${key}"${language === DEFAULT_LANGUAGE ? '' : ` in ${language}`}`);
    }
    for (const w of e.contains ?? []) if (!lower(reply).includes(lower(w))) fail(`should contain "${w}"`);
    for (const w of e.not_contains ?? []) if (lower(reply).includes(lower(w))) fail(`should not contain "${w}"`);
    for (const bt of e.buttons ?? []) if (!buttons.some((x) => lower(x) === lower(bt))) fail(`should offer the button "${bt}"`);
    if (e.no_buttons && buttons.length) fail('should offer no buttons');
  }
  const newest = (await chat.cases.list()).cases[0];
  if (s.no_case && newest) failures.push({ problem: `no case should be opened, but ${newest.number} was` });
  if (s.case) failures.push(...checkCase(s.case, newest));
  return failures;
}

function checkCase(c: z.infer<typeof CaseCheck>, record: CaseRecord | undefined): Failure[] {
  if (!record) return [{ problem: 'a case should have been opened' }];
  const out: Failure[] = [];
  const eq = (what: string, want: string | undefined, got: string | undefined) => {
    if (want !== undefined && want !== got) out.push({ problem: `the case's ${what} should be "${want}", is "${got ?? ''}"` });
  };
  eq('intent', c.intent, record.intent);
  eq('team', c.team, record.team);
  eq('contact method', c.contact_method, record.contactMethod);
  eq('call-back window', c.callback_window, record.callbackWindow);
  for (const w of c.summary_contains ?? []) if (!lower(record.summary).includes(lower(w))) out.push({ problem: `the case summary should contain "${w}": "${record.summary}"` });
  for (const w of c.summary_not_contains ?? []) if (lower(record.summary).includes(lower(w))) out.push({ problem: `the case summary should not contain "${w}": "${record.summary}"` });
  if (c.steps_tried && JSON.stringify(c.steps_tried) !== JSON.stringify(record.stepsTried)) {
    out.push({ problem: `the case's steps tried should be ${JSON.stringify(c.steps_tried)}, are ${JSON.stringify(record.stepsTried)}` });
  }
  return out;
}

/** The shipped content, or a copy with some brand values replaced. */
function contentFor(brand: Record<string, unknown> | undefined): Content {
  sharedContent ??= Content.load(config.contentDir);
  if (!brand) return sharedContent;
  const c = Content.load(config.contentDir);
  Object.assign(c, { brand: { ...c.brand, ...brand } });
  return c;
}

/** Everything a reply shows as text: the message, a card's text blocks, and a card's summary. */
function replyText(a: Partial<Activity>): string {
  const hero = (a.attachments ?? []).map((x) => (x.content as { text?: string } | undefined)?.text).filter(Boolean);
  return [visibleText(a), ...hero, a.summary ?? ''].filter(Boolean).join('\n');
}

/** A message as a pattern: its `{placeholders}` stand for anything. */
function template(message: string): RegExp {
  const parts = message.split(/\{[\w.]+\}/).map((p) => p.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'));
  return new RegExp(parts.join('[\\s\\S]*?'));
}

function lower(s: string): string {
  return s.toLowerCase().replace(/[’]/g, "'");
}
