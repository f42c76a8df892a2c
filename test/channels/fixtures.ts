import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from '../support/server.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'channels');

/** A channel payload from `test/fixtures/channels/<name>.json`, freshly parsed. */
export function fixture(name: string): any {
  return JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8'));
}

let n = 0;
/**
 * Gives a fixture's conversation its own id (so tests do not share state) in the channel's own
 * shape: `…-t7@thread.tacv2;messageid=…` for Teams threads, `…-t7` otherwise.
 */
export function isolate(activity: any, tag = `t${++n}`): any {
  const id: string = activity.conversation.id;
  activity.conversation.id = id.includes('@') ? id.replace('@', `-${tag}@`) : `${id}-${tag}`;
  return activity;
}

/** Posts an activity to the real `/api/messages` as the channel would (replies go to `serviceUrl`). */
export async function post(base: string, activity: any): Promise<number> {
  const r = await request('POST', `${base}/api/messages`, activity);
  return r.status;
}

/** The next message from the same conversation with new text (and a new id), like the channel sends. */
export function next(activity: any, text: string): any {
  const a = structuredClone(activity);
  a.id = `${a.id}-${++n}`;
  a.text = text;
  if (a.channelData?.SlackMessage?.event) a.channelData.SlackMessage.event.text = text;
  delete a.attachments;
  if (!/<at>/.test(text)) a.entities = (a.entities ?? []).filter((e: any) => e.type !== 'mention');
  return a;
}

/** Everything an Adaptive Card or message shows as text, for assertions. */
export function visibleText(a: any): string {
  const parts: string[] = [a.text ?? ''];
  const visit = (x: any): void => {
    if (Array.isArray(x)) return x.forEach(visit);
    if (!x || typeof x !== 'object') return;
    if (x.type === 'TextBlock') parts.push(x.text);
    ['body', 'items', 'columns'].forEach((k) => visit(x[k]));
  };
  for (const att of a.attachments ?? []) visit(att.content);
  return parts.join('\n');
}

/** Titles of the Adaptive Card submit actions in a Teams reply. */
export function cardActions(a: any): Array<{ title: string; value: string }> {
  const out: Array<{ title: string; value: string }> = [];
  const visit = (x: any): void => {
    if (Array.isArray(x)) return x.forEach(visit);
    if (!x || typeof x !== 'object') return;
    if (x.type === 'Action.Submit') out.push({ title: x.title, value: x.data?.msteams?.value });
    ['body', 'actions', 'items', 'columns'].forEach((k) => visit(x[k]));
  };
  for (const att of a.attachments ?? []) if (att.contentType === 'application/vnd.microsoft.card.adaptive') visit(att.content);
  return out;
}
