import { createHash } from 'node:crypto';
import { Featurizer, DEFAULT_FEATURIZER, type SparseVector } from '../nlu/features.js';
import { normalize } from '../text/normalize.js';
import type { Recognizer } from '../nlu/recognizerPort.js';
import type { IntentGuess, MessageReading, OutcomeEvent } from '../storage/outcomeStore.js';

/** A phrasing at least this similar to one in a group (cosine of their TF-IDF vectors) joins it. */
export const SIMILARITY = 0.5;
/** Messages shown per group (the group's count and ids cover all of them). */
const SHOWN = 20;
/** Distinct phrasings grouped per language, newest first (comparing each with all is quadratic). */
export const MAX_PHRASINGS = 1000;

type Message = Extract<OutcomeEvent, { kind: 'message' }>;

/** One message waiting for review, as supervisors see it. */
export interface ReviewMessage {
  id: string;
  at: string;
  channelId: string;
  /** Redacted, as stored. */
  text: string;
  reading: MessageReading;
  intent?: string;
  score?: number;
}

/** Messages that are worded alike, with what the bot made of them. */
export interface ReviewGroup {
  /** Stable while the group's most frequent phrasing is the same. */
  id: string;
  language: string;
  /** Messages in the group. */
  count: number;
  /** The most frequent phrasing. */
  sample: string;
  /** Every message id in the group (label them all at once). */
  messageIds: string[];
  /** The newest messages, at most 20. */
  messages: ReviewMessage[];
  /** The bot's best guesses when they were written: mean probability over the group, best 3. */
  guesses: IntentGuess[];
  /** What the model serving now makes of the sample (after a retrain it may understand it). */
  now: IntentGuess & { understood: boolean };
}

/** Message events that belong in the review queue: not understood well, with their text kept. */
export function isReviewable(e: OutcomeEvent): e is Message & { text: string } {
  return e.kind === 'message' && typeof e.text === 'string' && e.text.trim() !== '';
}

/**
 * The classifier's features (normaliser, spelling, word and character n-grams) with weights
 * fitted on the training phrasings: words every request uses ("my", "is") weigh little, so two
 * messages are alike when they share what matters. Fitted once (a fraction of a second).
 */
export function similarityFeaturizer(trainingTexts: readonly string[]): Featurizer {
  return new Featurizer(DEFAULT_FEATURIZER).fit([...trainingTexts]);
}

/**
 * Groups the misunderstood and low-confidence messages (`events`, minus `labelled` ones) by
 * similarity, per language: identical phrasings (once normalised) together, then each phrasing,
 * most frequent first, joins the group holding the phrasing most like it (cosine ≥ `SIMILARITY`
 * with any member), or starts its own. Biggest groups first, then newest.
 */
export function reviewQueue(events: readonly OutcomeEvent[], labelled: ReadonlySet<string>, recognizer: Recognizer, threshold: number, featurizer: Featurizer): ReviewGroup[] {
  const byLanguage = new Map<string, Array<Message & { text: string }>>();
  for (const e of events) {
    if (!isReviewable(e) || labelled.has(e.id)) continue;
    const language = e.language ?? 'en';
    const list = byLanguage.get(language);
    if (list) list.push(e); else byLanguage.set(language, [e]);
  }
  const groups: ReviewGroup[] = [];
  for (const [language, messages] of byLanguage) groups.push(...groupLanguage(language, messages, recognizer, threshold, featurizer));
  return groups.sort((a, b) => b.count - a.count || (a.messages[0].at < b.messages[0].at ? 1 : -1) || (a.id < b.id ? -1 : 1));
}

function groupLanguage(language: string, messages: Array<Message & { text: string }>, recognizer: Recognizer, threshold: number, featurizer: Featurizer): ReviewGroup[] {
  // identical phrasings (once normalised) first: the most frequent leads, ties to the newest
  const phrasings = new Map<string, Array<Message & { text: string }>>();
  for (const m of messages) {
    const key = normalize(m.text);
    const list = phrasings.get(key);
    if (list) list.push(m); else phrasings.set(key, [m]);
  }
  const ordered = [...phrasings.entries()]
    .sort((a, b) => (newest(b[1]) > newest(a[1]) ? 1 : newest(b[1]) < newest(a[1]) ? -1 : 0)).slice(0, MAX_PHRASINGS)
    .sort((a, b) => b[1].length - a[1].length || (newest(b[1]) > newest(a[1]) ? 1 : -1));
  const leaders: Array<{ vectors: Array<Map<number, number>>; members: Array<Message & { text: string }>; key: string }> = [];
  for (const [key, ms] of ordered) {
    const v = featurizer.transform(ms[0].text);
    let best = -1, bestSim = SIMILARITY;
    leaders.forEach((l, j) => { for (const u of l.vectors) { const s = cosine(v, u); if (s >= bestSim) { best = j; bestSim = s; } } });
    if (best >= 0) { leaders[best].members.push(...ms); leaders[best].vectors.push(asMap(v)); }
    else leaders.push({ vectors: [asMap(v)], members: [...ms], key });
  }
  return leaders.map((l) => {
    const members = l.members.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    const sample = l.members.find((m) => normalize(m.text) === l.key)!.text;
    const top = Object.entries(recognizer.recognizeText(sample).intents).map(([intent, v]) => ({ intent, score: v?.score ?? 0 })).sort((a, b) => b.score - a.score)[0];
    return {
      id: createHash('sha256').update(`${language}\u0000${l.key}`).digest('base64url').slice(0, 16),
      language, count: members.length, sample,
      messageIds: members.map((m) => m.id),
      messages: members.slice(0, SHOWN).map((m) => ({
        id: m.id, at: m.at, channelId: m.channelId, text: m.text, reading: m.reading,
        ...(m.intent !== undefined ? { intent: m.intent } : {}), ...(m.score !== undefined ? { score: m.score } : {}),
      })),
      guesses: meanGuesses(members),
      now: { intent: top.intent, score: top.score, understood: top.intent !== 'none' && top.score >= threshold },
    };
  });
}

/** The mean probability of each intent over the messages' stored guesses, best 3. */
function meanGuesses(messages: readonly Message[]): IntentGuess[] {
  const sums = new Map<string, number>();
  for (const m of messages) for (const g of m.guesses ?? []) sums.set(g.intent, (sums.get(g.intent) ?? 0) + g.score);
  return [...sums].map(([intent, s]) => ({ intent, score: Math.round((s / messages.length) * 1e4) / 1e4 }))
    .sort((a, b) => b.score - a.score || (a.intent < b.intent ? -1 : 1)).slice(0, 3);
}

function newest(ms: readonly Message[]): string {
  return ms.reduce((n, m) => (m.at > n ? m.at : n), '');
}

function asMap(v: SparseVector): Map<number, number> {
  const m = new Map<number, number>();
  for (let i = 0; i < v.idx.length; i++) m.set(v.idx[i], v.val[i]);
  return m;
}

/** Vectors are L2-normalised: the cosine is their dot product. */
function cosine(v: SparseVector, leader: Map<number, number>): number {
  let dot = 0;
  for (let i = 0; i < v.idx.length; i++) dot += v.val[i] * (leader.get(v.idx[i]) ?? 0);
  return dot;
}
