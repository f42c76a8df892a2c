import type { Content, Language, Wording } from '../content/content.js';
import { currentLanguage } from '../content/turnLanguage.js';
import type { IntentName } from '../nlu/intents.js';
import type { ContactMethod } from './contact.js';
import type { LinkId } from './links.js';
import { matchKey } from '../text/matching.js';

/** Where a specific request goes. */
export type SubtopicRoute =
  /** Troubleshooting that starts with the step the customer named, then the rest of that walk. */
  | { kind: 'walk'; flow: 'login' | 'app'; step: string }
  /** The password (or username) recovery help for one snag. */
  | { kind: 'recovery'; branch: 'locked' | 'code_missing' }
  /** A short answer (`answer.<id>.text`), then these options as buttons. */
  | { kind: 'answer'; next: IntentName[] }
  /** Reaching a person through the channel the customer named ("call me back", "can I text you"). */
  | { kind: 'contact'; method: ContactMethod };

/**
 * A request the bot recognises by the customer's own words within (or beside) an intent, so the
 * intent list stays a small contract while "my account is locked" still gets the lock-out help
 * and "I want to cancel my service" never reaches the plan dialog. The words are data
 * (`subtopic.<id>.phrases` in `data/messages-subtopics.yml`); where each one goes is here.
 */
export interface Subtopic {
  id: string;
  /** The contract intent the request belongs to: the conversation's topic and the case's intent. */
  intent: IntentName;
  route: SubtopicRoute;
  /** The specialised team a person for this request belongs to. */
  team?: string;
  /** Pages the answer links to (URLs in `data/brand.yml`). */
  links?: LinkId[];
  /** A question about reaching us is not a new problem: the conversation keeps its topic and steps tried. */
  keepsTopic?: boolean;
}

const PERSON: IntentName[] = ['escalate'];

/**
 * In order: the first whose words appear in the message wins. Other companies come first ("my
 * Verizon account is locked" is not ours to unlock) unless the message is about leaving for them
 * or about a T-Mobile plan (their `unless` words); then specific snags, then ways to reach us.
 */
export const SUBTOPICS: readonly Subtopic[] = [
  { id: 'other_company', intent: 'none', keepsTopic: true, route: { kind: 'answer', next: ['login_help', 'billing', 'escalate'] } },
  { id: 'code_missing', intent: 'password_reset', route: { kind: 'recovery', branch: 'code_missing' } },
  { id: 'locked', intent: 'password_reset', route: { kind: 'recovery', branch: 'locked' } },
  { id: 'create_username', intent: 'login_help', route: { kind: 'answer', next: ['login_help', 'escalate'] }, links: ['sign_in'] },
  { id: 'verify_identity', intent: 'login_help', route: { kind: 'answer', next: ['password_reset', 'forgot_username', 'escalate'] } },
  { id: 'cache', intent: 'login_help', route: { kind: 'walk', flow: 'login', step: 'login.steps.cache' } },
  { id: 'vpn', intent: 'login_help', route: { kind: 'walk', flow: 'login', step: 'login.steps.vpn' } },
  { id: 'compatibility', intent: 'app_install', route: { kind: 'walk', flow: 'app', step: 'app_install.steps.compatibility' } },
  { id: 'storage', intent: 'app_install', route: { kind: 'walk', flow: 'app', step: 'app_install.steps.storage' } },
  { id: 'reinstall', intent: 'app_install', route: { kind: 'walk', flow: 'app', step: 'app_install.steps.reinstall' } },
  { id: 'cancel_service', intent: 'plan_change', route: { kind: 'answer', next: PERSON }, links: ['account'] },
  { id: 'port_out', intent: 'plan_change', route: { kind: 'answer', next: PERSON }, links: ['account'] },
  { id: 'device_upgrade', intent: 'plan_change', route: { kind: 'answer', next: ['store_visit', 'escalate'] }, links: ['account', 'store_locator'] },
  { id: 'hotspot', intent: 'plan_change', route: { kind: 'answer', next: ['plan_change', 'escalate'] }, links: ['account'] },
  { id: 'roaming', intent: 'international', team: 'international', route: { kind: 'answer', next: PERSON }, links: ['account'] },
  { id: 'outage', intent: 'tech_support', team: 'tech_support', route: { kind: 'answer', next: PERSON }, links: ['coverage_map'] },
  { id: 'hours', intent: 'escalate', keepsTopic: true, route: { kind: 'answer', next: PERSON }, links: ['contact_page'] },
  { id: 'help_center', intent: 'escalate', keepsTopic: true, route: { kind: 'answer', next: ['escalate', 'login_help', 'billing'] }, links: ['help_center'] },
  { id: 'social', intent: 'escalate', keepsTopic: true, route: { kind: 'answer', next: PERSON } },
  { id: 'contact_live_chat', intent: 'escalate', keepsTopic: true, route: { kind: 'contact', method: 'live_chat' } },
  { id: 'contact_callback', intent: 'escalate', keepsTopic: true, route: { kind: 'contact', method: 'callback' } },
  { id: 'contact_text', intent: 'escalate', keepsTopic: true, route: { kind: 'contact', method: 'text' } },
  { id: 'contact_email', intent: 'escalate', keepsTopic: true, route: { kind: 'contact', method: 'email' } },
  { id: 'contact_phone', intent: 'escalate', keepsTopic: true, route: { kind: 'contact', method: 'phone' } },
];

const BY_ID = new Map(SUBTOPICS.map((s) => [s.id, s]));

/** Content keys a request may have but need not: words that stop it from matching. */
export function optionalSubtopicKeys(): string[] {
  return SUBTOPICS.map((s) => `subtopic.${s.id}.unless`);
}

/** The subtopic with this id, if there is one (ids come back from conversation state, so unknown ones are possible). */
export function subtopicById(id: string | undefined): Subtopic | undefined {
  return id ? BY_ID.get(id) : undefined;
}

/** "AT&T" and "AT and T" read alike; everything else as `matchKey` reads it. */
function words(s: string): string {
  return matchKey(s.replace(/&/g, ' and '));
}

/**
 * The first subtopic whose phrases appear in the text as whole words (case, punctuation, accents
 * and apostrophes ignored), and none of whose `unless` words do: "it says my account is locked" →
 * `locked`; "text me a reset code" is not a request to be contacted by text.
 *
 * The turn's language's phrases are tried first, then the other languages': a short message keeps
 * the conversation's language, so "cuenta bloqueada" in an English conversation is still a lock-out.
 * `unless` words count in every language ("add netflix to my plan" stays a plan question whichever
 * language's list names Netflix).
 */
export function findSubtopic(content: Content, text: string): Subtopic | undefined {
  const t = ` ${words(text)} `;
  if (t.trim() === '') return undefined;
  const says = (phrases: string[]) => phrases.some((p) => t.includes(p));
  const prepared = phrasesOf(content);
  const turn = currentLanguage();
  const order = [turn, ...content.languages.filter((l) => l !== turn)];
  for (const language of order) {
    const found = prepared.phrases.get(language)?.find((s) => says(s.phrases) && !says(prepared.unless.get(s.subtopic.id) ?? []));
    if (found) return found.subtopic;
  }
  return undefined;
}

interface Phrases { subtopic: Subtopic; phrases: string[] }
interface Prepared { phrases: Map<Language, Phrases[]>; unless: Map<string, string[]> }
const PREPARED = new WeakMap<Content, Prepared>();

/** Each language's phrases and every language's `unless` words, read as `words` once per content (the router asks on every message). */
function phrasesOf(content: Content): Prepared {
  let prepared = PREPARED.get(content);
  if (!prepared) {
    const list = (w: Wording, key: string) => (w.has(key) ? w.list(key) : []).map((p) => ` ${words(p)} `).filter((p) => p.trim());
    const languages = content.languages.map((l) => [l, content.in(l)] as const);
    prepared = {
      phrases: new Map(languages.map(([l, w]) => [l, SUBTOPICS.map((subtopic) => ({ subtopic, phrases: list(w, `subtopic.${subtopic.id}.phrases`) }))])),
      unless: new Map(SUBTOPICS.map((s) => [s.id, [...new Set(languages.flatMap(([, w]) => list(w, `subtopic.${s.id}.unless`)))]])),
    };
    PREPARED.set(content, prepared);
  }
  return prepared;
}
