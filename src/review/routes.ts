import type { Request, Response, Server } from 'restify';
import type { Logger } from '../logger.js';
import type { ServingRecognizer } from '../nlu/recognizerHolder.js';
import type { AuditLog } from '../storage/auditLog.js';
import type { EventBus } from '../storage/eventBus.js';
import type { OutcomeStore } from '../storage/outcomeStore.js';
import type { ReviewLabelStore } from '../storage/reviewLabelStore.js';
import { HttpError } from '../http/errors.js';
import { jsonBody } from '../http/body.js';
import { requireSupervisor, staffOf, type StaffAuthenticator } from '../http/staffAccess.js';
import { BadRangeError, parseRange } from '../insights/range.js';
import { reviewQueue, similarityFeaturizer } from './queue.js';
import type { Featurizer } from '../nlu/features.js';
import { label, LabelRefused, TrainingData } from './labelling.js';
import { LABELS_TOPIC, type Retrainer } from './retrainer.js';

export interface ReviewDeps {
  outcomes: Pick<OutcomeStore, 'list' | 'get'>;
  labels: ReviewLabelStore;
  bus: Pick<EventBus, 'publish'>;
  audit: Pick<AuditLog, 'record'>;
  /** The model serving now (what the queue and labels say the bot makes of a message today). */
  recognizer: ServingRecognizer;
  retrainer: Retrainer;
  training: TrainingData;
  authenticators: readonly StaffAuthenticator[];
  logger: Logger;
  maxBodyBytes?: number;
  now?: () => Date;
}

/**
 * The review loop's API, for supervisors and administrators:
 * - `GET /api/review/queue?from=&to=&tz=&limit=`: misunderstood and low-confidence messages of the
 *   period (30 days by default), grouped by similarity, with counts and the bot's best guesses;
 * - `POST /api/review/labels` `{messageIds, intent | outOfScope: true}`: a group or a message
 *   belongs to an intent (or is out of scope); every instance then retrains;
 * - `GET /api/review/labels`, `DELETE /api/review/labels/{messageId}` (undo);
 * - `GET /api/review/model`: the serving model, the last retrain and the accuracy before/after;
 *   `POST /api/review/model/evaluate` starts measuring it.
 */
export function registerReviewRoutes(server: Server, deps: ReviewDeps): void {
  for (const k of ['outcomes', 'labels', 'bus', 'audit', 'recognizer', 'retrainer', 'training', 'logger'] as const) {
    if (!deps?.[k]) throw new Error(`[registerReviewRoutes]: Missing parameter. ${k} is required`);
  }
  const auth = requireSupervisor(deps.authenticators, 'The review queue');
  const now = deps.now ?? (() => new Date());
  const threshold = () => deps.recognizer.options.threshold;
  let featurizer: Featurizer | undefined;

  server.get('/api/review/queue', auth, async (req: Request, res: Response) => {
    const q = query(req);
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new HttpError(400, 'BadQuery', 'limit must be a whole number from 1 to 500.');
    let range;
    try { range = parseRange(q, now()); } catch (err) {
      if (err instanceof BadRangeError) throw new HttpError(400, 'BadRange', err.message);
      throw err;
    }
    const events = await deps.outcomes.list({ from: range.from, to: range.to, kinds: ['message'] });
    const labelled = new Set((await deps.labels.list()).map((l) => l.messageId));
    featurizer ??= similarityFeaturizer(deps.training.definitions('en')?.flatMap((d) => d.examples) ?? []);
    const groups = reviewQueue(events, labelled, deps.recognizer, threshold(), featurizer);
    res.setHeader('cache-control', 'no-store');
    res.send(200, {
      range: { from: range.from.toISOString(), to: range.to.toISOString(), timeZone: range.timeZone },
      groups: groups.length, messages: groups.reduce((n, g) => n + g.count, 0),
      queue: groups.slice(0, limit),
      model: deps.retrainer.status(),
    });
  });

  server.post('/api/review/labels', auth, jsonBody('the label', { maxBytes: Math.min(deps.maxBodyBytes ?? 262_144, 262_144) }), async (req: Request, res: Response) => {
    const body = req.body as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'BadLabel', 'Send a JSON object: {"messageIds": [...], "intent": "billing"} or {"messageIds": [...], "outOfScope": true}.');
    const who = staffOf(req).actor;
    let result;
    try {
      result = await label(body, who, { outcomes: deps.outcomes, labels: deps.labels, training: deps.training, now: now() });
    } catch (err) {
      if (err instanceof LabelRefused) throw new HttpError(err.status, err.code, err.message);
      throw err;
    }
    const intent = result.labels[0].intent;
    await deps.audit.record({ actor: who, action: 'review.label', target: intent, detail: { messages: result.labels.length, revision: result.revision } });
    await changed(result.revision);
    res.send(201, { labelled: result.labels.length, revision: result.revision, labels: result.labels });
  });

  server.get('/api/review/labels', auth, async (_req: Request, res: Response) => {
    const labels = await deps.labels.list();
    res.setHeader('cache-control', 'no-store');
    res.send(200, {
      revision: await deps.labels.revision(),
      model: deps.retrainer.status(),
      labels: labels.map((l) => {
        const top = best(deps.recognizer, l.text);
        // learned: the serving model now reads the phrasing as its label
        return { ...l, now: top, learned: top.intent === l.intent && (l.intent === 'none' || top.score >= threshold()) };
      }),
    });
  });

  server.del('/api/review/labels/:messageId', auth, async (req: Request, res: Response) => {
    const id = String(req.params.messageId ?? '');
    if (!id || id.length > 100) throw new HttpError(400, 'BadLabel', 'Name the message id whose label to remove.');
    if (!(await deps.labels.remove(id))) throw new HttpError(404, 'UnknownLabel', `Message ${id.slice(0, 100)} has no label.`);
    const revision = await deps.labels.revision();
    await deps.audit.record({ actor: staffOf(req).actor, action: 'review.unlabel', target: id, detail: { revision } });
    await changed(revision);
    res.send(204);
  });

  server.get('/api/review/model', auth, async (_req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    res.send(200, deps.retrainer.status());
  });

  server.post('/api/review/model/evaluate', auth, async (_req: Request, res: Response) => {
    deps.retrainer.evaluate();
    res.send(202, deps.retrainer.status());
  });

  /** Tells every instance (this one too) that the labels changed; a lost message is caught up at the next change or resync. */
  async function changed(revision: number): Promise<void> {
    void deps.retrainer.request();
    await deps.bus.publish(LABELS_TOPIC, { revision }).catch((err: unknown) => deps.logger.warn({ err }, 'could not tell the other instances that the labels changed'));
  }
}

function query(req: Request): Record<string, string | undefined> {
  const q = (req.query ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(q)) if (typeof v !== 'string') throw new HttpError(400, 'BadQuery', `${k.slice(0, 40)} was given more than once.`);
  return q as Record<string, string | undefined>;
}

function best(recognizer: ServingRecognizer, text: string): { intent: string; score: number } {
  return Object.entries(recognizer.recognizeText(text).intents).map(([intent, v]) => ({ intent, score: v?.score ?? 0 })).sort((a, b) => b.score - a.score)[0];
}
