import type { Content } from '../content/content.js';

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
