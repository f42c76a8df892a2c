import type { Activity, Attachment, CardAction } from 'botbuilder';
import type { Choice } from './render.js';
import { matchChoice } from '../text/matching.js';

/** Keys a card's submit data commonly names its answer by, most specific first. */
const VALUE_KEYS = ['choice', 'value', 'text', 'answer', 'option', 'action', 'selection', 'id', 'title'];
/** Longest string read from a submit's data as if typed. */
const VALUE_MAX = 200;

/**
 * What a card submit that carries only `value` (no text) means, as text: the offered choice one
 * of its strings names (`{"msteams":{"value":"Billing"}}`, `{"choice":"2"}`, `"Billing"`), mapped
 * exactly as typed text would be; else its only string, read as typed; else nothing (a submit
 * with several unrelated fields says nothing the bot can read).
 */
export function choiceFromValue(value: unknown, choices: Choice[]): string | undefined {
  const strings = valueStrings(value);
  if (choices.length) {
    for (const s of strings) {
      const c = matchChoice(s, choices);
      if (c) return c.value;
    }
  }
  const distinct = [...new Set(strings)];
  return distinct.length === 1 ? distinct[0] : undefined;
}

/** The non-empty strings of a submit's data: Teams' own `msteams` fields, then the usual keys, then the rest. */
function valueStrings(value: unknown): string[] {
  const ok = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= VALUE_MAX;
  if (ok(value)) return [value.trim()];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  const o = value as Record<string, unknown>;
  const teams = o.msteams && typeof o.msteams === 'object' ? o.msteams as Record<string, unknown> : {};
  const ordered = [teams.value, teams.text, teams.displayText, ...VALUE_KEYS.map((k) => o[k]), ...Object.entries(o).filter(([k]) => k !== 'msteams' && !VALUE_KEYS.includes(k)).map(([, v]) => v)];
  return ordered.filter(ok).map((s) => s.trim());
}

/**
 * The choices an outgoing activity offers, read from whatever form it has: the metadata
 * `render()` attaches, suggested actions, hero/thumbnail card buttons, Adaptive Card submit
 * actions, or trailing numbered lines ("1. Billing") in plain text. Empty when it offers none.
 */
export function offeredChoices(activity: Partial<Activity>, metadataKey: symbol): Choice[] {
  const meta = (activity as Record<symbol, unknown>)[metadataKey];
  if (Array.isArray(meta) && meta.length) return meta as Choice[];
  const fromActions = (actions: CardAction[] | undefined): Choice[] => (actions ?? [])
    .filter((a) => a && (a.type === 'imBack' || a.type === 'postBack' || a.type === 'messageBack') && typeof a.title === 'string')
    .map((a) => ({ title: a.title, value: typeof a.value === 'string' ? a.value : typeof a.text === 'string' ? a.text : a.title }));
  const suggested = fromActions(activity.suggestedActions?.actions);
  if (suggested.length) return suggested;
  for (const att of (activity.attachments ?? []) as Attachment[]) {
    const content = att?.content as Record<string, unknown> | undefined;
    if (!content) continue;
    if (att.contentType === 'application/vnd.microsoft.card.adaptive') {
      const found = adaptiveSubmits(content);
      if (found.length) return found;
    } else {
      const found = fromActions(content.buttons as CardAction[] | undefined);
      if (found.length) return found;
    }
  }
  return numberedLines(activity.text ?? '');
}

function adaptiveSubmits(card: Record<string, unknown>): Choice[] {
  const out: Choice[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) { node.forEach(visit); return; }
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (n.type === 'Action.Submit' && typeof n.title === 'string') {
      const data = n.data as Record<string, any> | string | undefined;
      const value = typeof data === 'string' ? data : typeof data?.msteams?.value === 'string' ? data.msteams.value : typeof data?.msteams?.text === 'string' ? data.msteams.text : n.title;
      out.push({ title: n.title, value });
    }
    for (const k of ['body', 'actions', 'items', 'columns']) if (k in n) visit(n[k]);
  };
  visit(card);
  return out;
}

/** "1. A\n2. B" closing a text, numbered from 1 without gaps (Slack-escaped `&amp;` allowed). */
function numberedLines(text: string): Choice[] {
  const lines = text.split('\n').map((l) => l.trim());
  while (lines.length && !lines[lines.length - 1]) lines.pop();
  const run: RegExpExecArray[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^(\d{1,2})[.)]\s+(.+)$/.exec(lines[i]);
    if (!m) break;
    run.unshift(m);
  }
  if (run.length < 2 || run.some((m, i) => Number(m[1]) !== i + 1)) return [];
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return run.map((m) => ({ title: unescape(m[2]), value: unescape(m[2]) }));
}
