/** Slack mrkdwn and Slack's message-size limits, shared by `render()` and the Slack middleware. */

/**
 * Longest text put in one Slack message. Slack truncates `text` past 40,000 characters and asks
 * for at most 4,000 for readable messages; a little headroom stays for the numbered choices.
 */
export const SLACK_MAX_TEXT = 3900;
/** A reply never turns into more Slack messages than this; the last one is trimmed with "…". */
export const SLACK_MAX_PARTS = 5;

/** Escapes the three characters Slack mrkdwn treats as control characters. */
export function slackMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Markdown as dialogs write it (`[text](url)`, `**bold**`) in Slack mrkdwn (`<url|text>`, `*bold*`). */
export function toSlackText(markdown: string): string {
  const parts: string[] = [];
  const re = /\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g;
  let last = 0;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    parts.push(plain(markdown.slice(last, m.index)), `<${m[2]}|${slackMrkdwn(m[1])}>`);
    last = m.index + m[0].length;
  }
  parts.push(plain(markdown.slice(last)));
  return parts.join('');
}

function plain(s: string): string {
  return slackMrkdwn(s).replace(/\*\*([^*\n]+)\*\*/g, '*$1*').replace(/__([^_\n]+)__/g, '_$1_');
}

/**
 * Splits a long Slack text into messages of at most `max` characters at the most natural break
 * (paragraph, line, sentence, word) and never inside a `<url|text>` link; past `maxParts` the
 * last part is trimmed with "…" rather than flooding the channel.
 */
export function splitForSlack(text: string, max = SLACK_MAX_TEXT, maxParts = SLACK_MAX_PARTS): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    if (parts.length === maxParts - 1) { rest = `${cut(rest, max - 1).head.trimEnd()}…`; break; }
    const { head, tail } = cut(rest, max);
    parts.push(head.trimEnd());
    rest = tail.trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

function cut(s: string, max: number): { head: string; tail: string } {
  const window = s.slice(0, max);
  let at = -1;
  for (const sep of ['\n\n', '\n', '. ', ' ']) {
    const i = window.lastIndexOf(sep);
    if (i >= max / 2) { at = i + (sep === '. ' ? 1 : 0); break; }
  }
  if (at < 0) at = max;
  const open = s.lastIndexOf('<', at);
  if (open > s.lastIndexOf('>', at) && open > 0) at = open;
  return { head: s.slice(0, at), tail: s.slice(at) };
}

