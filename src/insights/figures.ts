/**
 * The numbers supervisors read, computed from outcome events in one place, exactly as the
 * README's "Insights" section defines them:
 *
 * - a **conversation** has at least one customer message; it counts in the period (and on the
 *   day, and in the hour) its first customer message was written, with everything in it;
 * - **escalated**: a case was opened for a person in it; **contained**: not escalated;
 * - **containment rate** = contained / conversations; **escalation rate** = escalated / conversations;
 * - **fallback rate** = customer messages whose intent was `none` (below the threshold or out of
 *   scope) and that nothing else understood / customer messages (`isFallback`);
 * - **CSAT** = the mean of the ratings given (1–5), with their count and distribution;
 * - **solved rate** = "yes" / all answers to "was your problem solved?";
 * - **wait** = from the escalation to a person's acceptance; **handle time** = from acceptance to
 *   the end; each as the median (the middle value, the mean of the two middle ones for an even
 *   count) and p90 (nearest rank: the smallest value at least 90% of them do not exceed).
 *
 * A rate or mean over nothing is 0 (its count says there was nothing).
 */
import type { MessageReading, OutcomeEvent } from '../storage/outcomeStore.js';
import { addDays, dayKey, hourOf, type Range } from './range.js';

/** Median and p90 of durations, in seconds. */
export interface Durations { count: number; medianSeconds: number; p90Seconds: number }

export interface Figures {
  conversations: number;
  contained: number;
  escalated: number;
  containmentRate: number;
  escalationRate: number;
  messages: number;
  /** Messages whose intent was `none`. */
  fallbacks: number;
  fallbackRate: number;
  /** Of the fallbacks: the best real intent scored below the threshold. */
  belowThreshold: number;
  /** Of the fallbacks: the classifier put `none` first itself. */
  outOfScope: number;
  /** Messages answered with "did you mean … or …?". */
  disambiguations: number;
  csat: { mean: number; count: number; distribution: Record<'1' | '2' | '3' | '4' | '5', number> };
  solved: { yes: number; answers: number; rate: number };
  wait: Durations;
  handle: Durations;
}

export interface Insights {
  range: { from: string; to: string; timeZone: string; channel?: string };
  totals: Figures;
  /** Per topic (the conversation's first routed intent; `none` when it never had one), most conversations first. */
  byTopic: Array<{ topic: string } & Figures>;
  byChannel: Array<{ channel: string } & Figures>;
  /** Every day of the period, empty ones too. */
  daily: Array<{ date: string } & Figures>;
  /** Hours of the day (0–23): conversations started and customer messages written in each. */
  hours: Array<{ hour: number; conversations: number; messages: number }>;
  /** The busiest hours by customer messages, most first (at most 3, none when there were no messages). */
  busiestHours: number[];
  /** Escalations by team and by contact method. */
  escalations: { byTeam: Record<string, number>; byContactMethod: Record<string, number> };
}

/** One conversation, folded from its events. */
interface Conversation {
  channel: string;
  started: string;
  topic?: string;
  messages: number;
  fallbacks: number;
  belowThreshold: number;
  outOfScope: number;
  disambiguations: number;
  escalations: Array<{ team: string; contactMethod: string }>;
  ratings: number[];
  solved: boolean[];
  waitsMs: number[];
  handlesMs: number[];
  messageTimes: string[];
}

/**
 * The figures for `range` (and `channel`) from the events of the conversations that started in
 * it (`OutcomeStore.list`). Events outside the range or channel are ignored.
 */
export function computeInsights(events: readonly OutcomeEvent[], range: Range, channel?: string): Insights {
  const from = range.from.toISOString(), to = range.to.toISOString();
  const conversations = new Map<string, Conversation>();
  for (const e of events) {
    if (e.started < from || e.started >= to || (channel !== undefined && e.channelId !== channel)) continue;
    const key = `${e.channelId}\u0000${e.conversationId}\u0000${e.started}`;
    let c = conversations.get(key);
    if (!c) {
      c = { channel: e.channelId, started: e.started, messages: 0, fallbacks: 0, belowThreshold: 0, outOfScope: 0, disambiguations: 0, escalations: [], ratings: [], solved: [], waitsMs: [], handlesMs: [], messageTimes: [] };
      conversations.set(key, c);
    }
    fold(c, e);
  }
  // a conversation has at least one customer message
  const counted = [...conversations.values()].filter((c) => c.messages > 0);
  const groups = <K extends string>(keyOf: (c: Conversation) => string, name: K) =>
    [...groupBy(counted, keyOf)].map(([k, cs]) => ({ [name]: k, ...figures(cs) }) as { [P in K]: string } & Figures)
      .sort((a, b) => b.conversations - a.conversations || (a[name] < b[name] ? -1 : 1));
  const byDay = groupBy(counted, (c) => dayKey(new Date(c.started), range.timeZone));
  const daily: Insights['daily'] = [];
  for (const day of daysOf(range)) daily.push({ date: day, ...figures(byDay.get(day) ?? []) });
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, conversations: 0, messages: 0 }));
  for (const c of counted) {
    hours[hourOf(new Date(c.started), range.timeZone)].conversations++;
    for (const t of c.messageTimes) hours[hourOf(new Date(t), range.timeZone)].messages++;
  }
  const byTeam: Record<string, number> = {}, byContactMethod: Record<string, number> = {};
  for (const c of counted) for (const x of c.escalations) {
    byTeam[x.team] = (byTeam[x.team] ?? 0) + 1;
    byContactMethod[x.contactMethod] = (byContactMethod[x.contactMethod] ?? 0) + 1;
  }
  return {
    range: { from, to, timeZone: range.timeZone, ...(channel !== undefined ? { channel } : {}) },
    totals: figures(counted),
    byTopic: groups((c) => c.topic ?? 'none', 'topic'),
    byChannel: groups((c) => c.channel, 'channel'),
    daily,
    hours,
    busiestHours: hours.filter((h) => h.messages > 0).sort((a, b) => b.messages - a.messages || a.hour - b.hour).slice(0, 3).map((h) => h.hour),
    escalations: { byTeam, byContactMethod },
  };
}

/**
 * A message the bot did not understand because its intent was `none`: the router's "I didn't get
 * that", or a question's "I didn't catch which one you meant" for a message the classifier also
 * read as `none`. An answer a question took ("yes", a button) is understood whatever the
 * classifier makes of it.
 */
export function isFallback(e: { reading: MessageReading; intent?: string }): boolean {
  return e.reading === 'fallback' || (e.reading === 'unmatched' && e.intent === 'none');
}

function fold(c: Conversation, e: OutcomeEvent): void {
  switch (e.kind) {
    case 'message':
      c.messages++;
      c.messageTimes.push(e.at);
      if (isFallback(e)) {
        c.fallbacks++;
        if (e.belowThreshold) c.belowThreshold++;
        if (e.outOfScope) c.outOfScope++;
      }
      if (e.reading === 'clarify') c.disambiguations++;
      // the first routed intent: events come in time order, the first message that set a topic wins
      if (e.topic && !c.topic) c.topic = e.topic;
      break;
    case 'escalation': c.escalations.push({ team: e.team, contactMethod: e.contactMethod }); break;
    case 'rating': c.ratings.push(e.rating); break;
    case 'solved': c.solved.push(e.solved); break;
    case 'handoff.accepted': c.waitsMs.push(e.waitMs); break;
    case 'handoff.ended': c.handlesMs.push(e.handleMs); break;
    default: break;
  }
}

function figures(cs: readonly Conversation[]): Figures {
  const conversations = cs.length;
  const escalated = cs.filter((c) => c.escalations.length > 0).length;
  const contained = conversations - escalated;
  const sum = (f: (c: Conversation) => number) => cs.reduce((n, c) => n + f(c), 0);
  const messages = sum((c) => c.messages), fallbacks = sum((c) => c.fallbacks);
  const ratings = cs.flatMap((c) => c.ratings);
  const answers = cs.flatMap((c) => c.solved);
  const yes = answers.filter(Boolean).length;
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const r of ratings) distribution[String(r) as keyof typeof distribution]++;
  return {
    conversations, contained, escalated,
    containmentRate: ratio(contained, conversations),
    escalationRate: ratio(escalated, conversations),
    messages, fallbacks,
    fallbackRate: ratio(fallbacks, messages),
    belowThreshold: sum((c) => c.belowThreshold),
    outOfScope: sum((c) => c.outOfScope),
    disambiguations: sum((c) => c.disambiguations),
    csat: { mean: ratio(ratings.reduce((a, b) => a + b, 0), ratings.length), count: ratings.length, distribution },
    solved: { yes, answers: answers.length, rate: ratio(yes, answers.length) },
    wait: durations(cs.flatMap((c) => c.waitsMs)),
    handle: durations(cs.flatMap((c) => c.handlesMs)),
  };
}

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

/** Median and p90 (nearest rank) of `ms`, in seconds. */
export function durations(ms: readonly number[]): Durations {
  const s = [...ms].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return { count: 0, medianSeconds: 0, p90Seconds: 0 };
  const median = n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const p90 = s[Math.ceil(0.9 * n) - 1];
  return { count: n, medianSeconds: median / 1000, p90Seconds: p90 / 1000 };
}

function groupBy<T>(items: readonly T[], keyOf: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) { const k = keyOf(t); const l = m.get(k); if (l) l.push(t); else m.set(k, [t]); }
  return m;
}

/** The calendar days the range touches, in its time zone. */
function daysOf(range: Range): string[] {
  if (range.to.getTime() <= range.from.getTime()) return [];
  const last = dayKey(new Date(range.to.getTime() - 1), range.timeZone);
  const out: string[] = [];
  for (let d = dayKey(range.from, range.timeZone); d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}
