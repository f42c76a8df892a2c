import type { Content } from '../content/content.js';
import type { ConversationProgress } from './progress.js';

/** Longest case summary; staff see it in one line of a list. */
export const SUMMARY_MAX = 200;
/** Longest part of the customer's own words kept as the topic's request. */
export const REQUEST_MAX = 120;

/** The text as one line of at most `max` characters (an ellipsis marks a cut). */
export function oneLine(text: string, max = SUMMARY_MAX): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
}

export interface SummaryInput {
  /** The case's intent (`login_help`, `escalate`, …). */
  intent: string;
  progress: Pick<ConversationProgress, 'subtopic' | 'platform' | 'request' | 'walk'>;
  /** What the customer typed when asked to describe the problem, if anything. */
  described?: string;
}

/**
 * The one-line summary staff see on a case, saying what actually happened: the topic (or the
 * specific request), how far troubleshooting got ("tried 2 of 5 troubleshooting steps without
 * success", never "troubleshooting did not help" after one step), and the customer's own words,
 * so "explain the charges" reads as such and not just as "Billing question".
 */
export function caseSummary(content: Content, { intent, progress, described }: SummaryInput): string {
  if (described?.trim()) return oneLine(described);
  const subKey = `case_summary.sub.${progress.subtopic}`;
  const topicKey = content.has(`case_summary.${intent}`) ? `case_summary.${intent}` : 'case_summary.escalate';
  const platform = content.text(`platform.${progress.platform ?? 'unknown'}`);
  let summary = progress.subtopic && content.has(subKey) ? content.text(subKey, { platform }) : content.text(topicKey, { platform });
  const walk = progress.walk;
  if (walk && walk.total > 0 && walk.shown > 0) {
    const vars = { summary, total: walk.total, failed: walk.failed, shown: walk.shown };
    summary = content.text(walk.failed >= walk.total ? 'case_summary.walk_all' : walk.failed > 0 ? 'case_summary.walk_some' : 'case_summary.walk_none', vars);
  }
  const request = progress.request?.trim();
  if (!request) return oneLine(summary);
  const room = SUMMARY_MAX - content.text('case_summary.with_request', { summary, request: '' }).length;
  return oneLine(content.text('case_summary.with_request', { summary, request: oneLine(request, Math.max(room, 20)) }));
}
