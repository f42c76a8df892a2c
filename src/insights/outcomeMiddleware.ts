import { randomUUID } from 'node:crypto';
import type { ConversationState, Middleware, StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { Logger } from '../logger.js';
import type { IntentResult } from '../nlu/recognizerPort.js';
import { cachedRecognition } from '../conversation/turn.js';
import { redact } from '../privacy/redact.js';
import type { IntentGuess, OutcomeEvent, OutcomeStore } from '../storage/outcomeStore.js';
import { turnNotes, type ReadingNote } from './turnNotes.js';
import { isFallback } from './figures.js';

/** A conversation quiet for this long starts a new one at its next message (Teams and Slack chats never end). */
export const CONVERSATION_IDLE_MS = 24 * 3_600_000;
/** A message the router placed with less confidence than this is kept (redacted) for the review queue. */
export const LOW_CONFIDENCE = 0.5;
/** Longest text kept for review. */
const TEXT_MAX = 500;

/** Per conversation, in its state: which conversation the next events belong to. */
interface ConversationOutcome { started: string; last: string; topic?: string }

export interface OutcomeMiddlewareDeps {
  conversationState: ConversationState;
  outcomes: Pick<OutcomeStore, 'record'>;
  logger?: Logger;
  now?: () => Date;
}

/**
 * Records the outcome events of every customer message, once, when its turn ends: the
 * conversation's start (its first message, or the first after a day's quiet), the message with
 * how the bot took it (the redacted text only when it was not understood well), and whatever
 * the dialogs noted (`turnNotes.ts`). A failure to record is logged and never breaks the turn;
 * a turn that fails still has its message recorded.
 */
export class OutcomeMiddleware implements Middleware {
  private readonly conversation: StatePropertyAccessor<ConversationOutcome | undefined>;
  private readonly now: () => Date;

  constructor(private readonly deps: OutcomeMiddlewareDeps) {
    if (!deps?.conversationState) throw new Error('[OutcomeMiddleware]: Missing parameter. conversationState is required');
    if (!deps.outcomes) throw new Error('[OutcomeMiddleware]: Missing parameter. outcomes is required');
    this.conversation = deps.conversationState.createProperty<ConversationOutcome | undefined>('outcome');
    this.now = deps.now ?? (() => new Date());
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const a = context.activity;
    if (a.type !== 'message' || a.from?.role === 'bot') return next();
    const at = this.now();
    try {
      await next();
    } finally {
      try {
        await this.deps.outcomes.record(await this.events(context, at));
      } catch (err) {
        this.deps.logger?.warn({ err, conversationId: a.conversation?.id }, 'outcome events not recorded');
      }
    }
  }

  /** The turn's events; moves the conversation's outcome state on (saved with the turn's state). */
  private async events(context: TurnContext, at: Date): Promise<OutcomeEvent[]> {
    const a = context.activity;
    const when = at.toISOString();
    let conv = await this.conversation.get(context);
    const out: OutcomeEvent[] = [];
    // one id per turn, numbered: the turn's events keep their order (same time, ids in sequence)
    const turnId = randomUUID();
    const id = () => `${turnId}.${String(out.length).padStart(2, '0')}`;
    const fresh = !conv || at.getTime() - Date.parse(conv.last) > CONVERSATION_IDLE_MS;
    if (fresh) conv = { started: when, last: when };
    const base = { at: when, channelId: a.channelId ?? '', conversationId: a.conversation?.id ?? '', started: conv!.started };
    if (fresh) out.push({ id: id(), kind: 'conversation.started', ...base });
    const notes = turnNotes(context);
    // the topic the bot's own progress holds: read raw, so a turn that never touched it does not create it
    const topic = (this.deps.conversationState.get(context) as { progress?: { topic?: string } } | undefined)?.progress?.topic;
    const setsTopic = !conv!.topic && topic ? topic : undefined;
    out.push({ id: id(), kind: 'message', ...base, ...this.reading(context, notes.reading), ...(setsTopic ? { topic: setsTopic } : {}) });
    for (const e of notes.events) out.push({ id: id(), ...base, ...e });
    await this.conversation.set(context, { started: conv!.started, last: when, topic: conv!.topic ?? setsTopic });
    return out;
  }

  /** How the message was taken, with the text and best guesses when it was not understood well. */
  private reading(context: TurnContext, note: ReadingNote | undefined): Omit<Extract<OutcomeEvent, { kind: 'message' }>, 'id' | 'kind' | 'at' | 'channelId' | 'conversationId' | 'started'> {
    const recognition = cachedRecognition(context) as (IntentResult & { language?: string }) | undefined;
    const ranked = recognition ? rank(recognition) : [];
    const reading = note?.reading ?? 'other';
    // what the dialog acted on; otherwise (an answer, a queued message) what the classifier made of it
    const intent = note?.intent ?? ranked[0]?.intent;
    const score = note?.intent !== undefined ? note.score : ranked[0]?.score;
    const out: ReturnType<OutcomeMiddleware['reading']> = { reading, ...(intent !== undefined ? { intent } : {}), ...(score !== undefined ? { score } : {}) };
    if (recognition?.language) out.language = recognition.language;
    // below the threshold: the classifier's best was a real intent, not sure enough; out of scope: it put `none` first itself
    const fallback = isFallback(out);
    if (fallback) {
      if (recognition?.belowThreshold) out.belowThreshold = true; else out.outOfScope = true;
    }
    const unsure = fallback || reading === 'clarify' || (reading === 'routed' && score !== undefined && score < LOW_CONFIDENCE);
    const text = context.activity.text ?? '';
    if (unsure && text.trim()) {
      out.text = oneLine(redact(text).text);
      out.guesses = ranked.slice(0, 3);
    }
    return out;
  }
}

/** Every intent of a result, best first. */
function rank(result: IntentResult): IntentGuess[] {
  return Object.entries(result.intents).map(([intent, v]) => ({ intent, score: v?.score ?? 0 })).sort((x, y) => y.score - x.score);
}

function oneLine(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > TEXT_MAX ? `${t.slice(0, TEXT_MAX - 1)}…` : t;
}
