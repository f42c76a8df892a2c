import type { Choice } from '../channels/render.js';
import type { Content } from '../content/content.js';
import type { IntentName } from '../nlu/intents.js';
import { isLabel } from '../text/matching.js';

/** The main options, shown as buttons on welcome, help, cancel and fallback. */
export const MAIN_MENU: IntentName[] = ['login_help', 'forgot_username', 'password_reset', 'app_install', 'billing', 'case_status', 'escalate'];

/** The main options with a person first: offered when the bot could not help (fallbacks, a prompt that gave up). */
export const PERSON_FIRST_MENU: IntentName[] = ['escalate', ...MAIN_MENU.filter((i) => i !== 'escalate')];

/** Every intent the router can start a topic for; each has a button label `menu.<intent>`. */
export const ROUTABLE: IntentName[] = [
  'login_help', 'forgot_username', 'password_reset', 'app_install', 'billing', 'data_usage', 'plan_change', 'store_visit',
  'business', 'international', 'tech_support', 'case_status', 'escalate', 'help', 'goodbye',
];

/** Buttons for intents; clicking one sends its label, which the router maps straight back. */
export function intentButtons(content: Content, intents: IntentName[]): Choice[] {
  return intents.map((i) => { const title = content.text(`menu.${i}`); return { title, value: title }; });
}

/**
 * The intent whose button label is exactly this text (a click, or the label typed out), in any
 * language: buttons shown before the customer switched language are still on screen.
 */
export function intentForLabel(content: Content, text: string): IntentName | undefined {
  if (!text.trim()) return undefined;
  const wordings = [content, ...content.languages.map((l) => content.in(l))];
  return ROUTABLE.find((i) => wordings.some((w) => isLabel(text, w.text(`menu.${i}`))));
}
