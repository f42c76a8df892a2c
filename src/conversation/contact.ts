import type { Content } from '../content/content.js';
import { DEFAULT_LANGUAGE } from '../content/languages.js';
import { redact } from '../privacy/redact.js';
import { promptChoices, type ChoiceId } from './prompts.js';
import { isExactChoice, matchPromptChoice } from '../text/matching.js';
import { oneLine } from './summary.js';

/** Every way to reach a person, in the order offered; the id is stored on the case as `contactMethod`. */
export const CONTACT_METHODS = ['live_chat', 'callback', 'phone', 'text', 'social', 'store', 'email'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

/** Time windows offered for a call back (`choice.<id>`); customers may also type their own. */
export const CALLBACK_WINDOWS = ['callback_asap', 'callback_morning', 'callback_afternoon', 'callback_evening'] as const;

/**
 * Where to message the brand on social media, with the privacy warning the seeds insist on:
 * the configured handles, or where to find the official accounts when none is configured.
 */
export function socialText(content: Content): string {
  const handles = Object.entries(content.brand.social).filter(([, v]) => v.trim()).map(([k, v]) => `${k}: ${v}`);
  const where = handles.length ? content.text('escalate.method.social_handles', { handles: handles.join(', ') }) : content.text('escalate.method.social_find');
  return `${where}\n\n${content.text('escalate.method.social_warning')}`;
}

/** Customer care's phone number and hours from the brand file, or where to find them. */
export function phoneText(content: Content): string {
  const b = content.brand;
  if (!b.phone.trim()) return content.text('escalate.method.phone_find');
  const hours = b.phoneHours.trim() ? content.text('escalate.method.phone_hours', { hours: b.phoneHours }) : '';
  return [content.text('escalate.method.phone_number', { phone: b.phone }), hours].filter(Boolean).join(' ');
}

/** Longest call-back window kept from what the customer typed. */
const WINDOW_MAX = 80;

/**
 * A call-back window as staff read it on the case (an offered one by its English label, else the
 * customer's words as written, one line, redacted) and as the confirmation shows it within a
 * sentence, in the customer's language.
 */
export function callbackWindowOf(content: Content, typed: string): { window: string; windowShown: string } {
  const choices = promptChoices(content, CALLBACK_WINDOWS);
  // only a whole offered answer becomes its label: "tomorrow afternoon" keeps its "tomorrow"
  const id = isExactChoice(typed, choices) ? matchPromptChoice(typed, choices) as ChoiceId | undefined : undefined;
  if (!id) { const own = oneLine(redact(typed).text, WINDOW_MAX); return { window: own, windowShown: own }; }
  const label = content.text(`choice.${id}.title`);
  return { window: content.in(DEFAULT_LANGUAGE).text(`choice.${id}.title`), windowShown: label.charAt(0).toLowerCase() + label.slice(1) };
}
