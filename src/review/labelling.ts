import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { INTENTS, isIntentName, loadIntents, type IntentDefinition } from '../nlu/intents.js';
import { normalize } from '../text/normalize.js';
import { withoutSecrets } from '../conversation/secrets.js';
import type { OutcomeStore } from '../storage/outcomeStore.js';
import type { ReviewLabel, ReviewLabelStore } from '../storage/reviewLabelStore.js';
import { isReviewable } from './queue.js';

/** Most messages one label request may cover (a big group). */
export const MAX_MESSAGES = 1000;

/** Why a label request was refused: `status` is the HTTP answer, `code` stable for clients. */
export class LabelRefused extends Error {
  constructor(readonly status: 400 | 404 | 409, readonly code: string, message: string) { super(message); this.name = 'LabelRefused'; }
}

/** What a supervisor asks: these messages belong to `intent`, or are out of scope. */
export interface LabelRequest { messageIds?: unknown; intent?: unknown; outOfScope?: unknown }

/** The training phrasings of a language (`intents/` for English, `intents/<language>/` for others), read once. */
export class TrainingData {
  private readonly cache = new Map<string, IntentDefinition[] | null>();

  constructor(readonly intentsDir: string) {}

  /** The folder of `language`'s intent files. */
  dirOf(language: string): string {
    return language === 'en' ? this.intentsDir : join(this.intentsDir, language);
  }

  /** Its intents, or undefined when the language has no training data here. */
  definitions(language: string): IntentDefinition[] | undefined {
    if (!this.cache.has(language)) {
      const dir = this.dirOf(language);
      this.cache.set(language, /^[a-z]{2}$/.test(language) && existsSync(dir) ? loadIntents(dir) : null);
    }
    return this.cache.get(language) ?? undefined;
  }

  /** Where `intent`'s file of `language` is, relative to the project (for messages). */
  fileOf(language: string, intent: string): string {
    return relative(join(this.intentsDir, '..'), join(this.dirOf(language), `${intent}.yml`));
  }
}

/**
 * Checks a label request and stores its labels: the intent must be known; the messages must be
 * in the review queue; a phrasing already taught as another intent (in the training files, or by
 * an earlier label) is refused with the reason, as `npm run -s lint-intents` would report it; of
 * two supervisors labelling the same messages at once, the second is told who was first.
 * Returns the labels stored and the new revision.
 */
export async function label(
  request: LabelRequest, by: string,
  deps: { outcomes: Pick<OutcomeStore, 'get'>; labels: Pick<ReviewLabelStore, 'add'>; training: TrainingData; now: Date },
): Promise<{ labels: ReviewLabel[]; revision: number }> {
  const intent = intentOf(request);
  const ids = request.messageIds;
  if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_MESSAGES || !ids.every((x) => typeof x === 'string' && x.length > 0 && x.length <= 100)) {
    throw new LabelRefused(400, 'BadLabel', `messageIds must be a list of 1 to ${MAX_MESSAGES} message ids (from the review queue).`);
  }
  const unique = [...new Set(ids as string[])];
  const found = new Map((await deps.outcomes.get(unique)).filter(isReviewable).map((e) => [e.id, e]));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length) throw new LabelRefused(404, 'UnknownMessage', `${missing.length === 1 ? 'Message' : 'Messages'} ${missing.slice(0, 5).join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in the review queue (unknown, or no longer kept).`);

  const labels: ReviewLabel[] = [];
  for (const id of unique) {
    const m = found.get(id)!;
    const language = m.language ?? 'en';
    // what the model learns: the words around a redacted secret, never its marker
    const text = withoutSecrets(m.text);
    const key = normalize(text);
    if (!key) throw new LabelRefused(400, 'NothingToLearn', `Message ${id} has no words left once its redacted parts are taken out; there is nothing to learn from it.`);
    const definitions = deps.training.definitions(language);
    if (!definitions) throw new LabelRefused(400, 'UnknownLanguage', `Message ${id} is in "${language}", which has no training data here (${deps.training.dirOf(language)}).`);
    const other = definitions.find((d) => d.intent !== intent && d.examples.some((e) => normalize(e) === key));
    if (other) {
      throw new LabelRefused(409, 'PhrasingConflict', `"${text}" is already an example of ${other.intent} (${deps.training.fileOf(language, other.intent)}); one phrasing cannot be under two intents. Label it ${other.intent}, or change that file first.`);
    }
    labels.push({ messageId: id, text, key, intent, language, by, at: deps.now.toISOString(), channelId: m.channelId, conversationId: m.conversationId });
  }
  const r = await deps.labels.add(labels);
  if (!r.ok && r.reason === 'taken') {
    const first = r.labels[0];
    throw new LabelRefused(409, 'AlreadyLabelled', `${r.labels.length === 1 ? 'This message was' : `${r.labels.length} of these messages were`} labelled already, by ${first.by} as ${describe(first.intent)}; nothing was changed. Reload the queue.`);
  }
  if (!r.ok) {
    const first = r.labels[0];
    throw new LabelRefused(409, 'PhrasingConflict', `"${first.text}" is already labelled ${describe(first.intent)} (by ${first.by}); one phrasing cannot be under two intents. Remove that label first, or label this the same.`);
  }
  return { labels, revision: r.revision };
}

/** The intent asked for: a known one, or `none` for out of scope. */
function intentOf(request: LabelRequest): string {
  if (request.outOfScope === true) {
    if (request.intent !== undefined && request.intent !== 'none') throw new LabelRefused(400, 'BadLabel', 'Give either an intent or outOfScope: true, not both.');
    return 'none';
  }
  if (request.outOfScope !== undefined && request.outOfScope !== false) throw new LabelRefused(400, 'BadLabel', 'outOfScope must be true or false.');
  if (typeof request.intent !== 'string' || !request.intent) throw new LabelRefused(400, 'BadLabel', `Give an intent (one of ${INTENTS.filter((i) => i !== 'none').join(', ')}) or outOfScope: true.`);
  if (!isIntentName(request.intent)) throw new LabelRefused(400, 'UnknownIntent', `"${request.intent.slice(0, 60)}" is not an intent; use one of ${INTENTS.join(', ')} (none: out of scope).`);
  return request.intent;
}

function describe(intent: string): string {
  return intent === 'none' ? 'out of scope' : intent;
}
