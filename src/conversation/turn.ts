import type { TurnContext } from 'botbuilder';
import type { IntentResult } from '../nlu/recognizerPort.js';
import type { Recognizer } from '../nlu/recognizerPort.js';
import type { IntentName } from '../nlu/intents.js';
import { hadSecret, withoutSecrets } from './secrets.js';
import { tracedRecognition } from '../telemetry/spans.js';

const RESULT = Symbol('support-bot.intentResult');
const CHECKED = Symbol('support-bot.interruptionsChecked');
const ROUTE = Symbol('support-bot.routeRequest');
const STUCK = Symbol('support-bot.promptGaveUp');
const FALLBACK = Symbol('support-bot.fallback');

/**
 * The turn's recognition, computed once and kept in `turnState`: the router, the interruption
 * check and the dialogs all read the same result, and the Emulator shows one trace per turn.
 */
export async function recognizeOnce(context: TurnContext, recognizer: Recognizer): Promise<IntentResult> {
  const cached = context.turnState.get(RESULT) as IntentResult | undefined;
  if (cached) return cached;
  // "my PIN is [REDACTED:pin]" is not a request to reset a PIN: classify what is left around the secret
  const text = context.activity.text ?? '';
  const result = await tracedRecognition(() => hadSecret(text) ? recognizer.recognizeText(withoutSecrets(text)) : recognizer.recognize(context));
  context.turnState.set(RESULT, result);
  return result;
}

/** The cached recognition of this turn, if any dialog asked for it already. */
export function cachedRecognition(context: TurnContext): IntentResult | undefined {
  return context.turnState.get(RESULT) as IntentResult | undefined;
}

/**
 * Marks the interruption check as done for this turn. Returns false when it already was: nested
 * dialogs share one base class, and only the outermost one may act on an interruption.
 */
export function claimInterruptionCheck(context: TurnContext): boolean {
  if (context.turnState.get(CHECKED)) return false;
  context.turnState.set(CHECKED, true);
  return true;
}

/** Where the router should go next, asked for by a dialog deep in the stack. */
export interface RouteRequest {
  intent: IntentName;
  options?: Record<string, unknown>;
  /** A specific request within the intent (`subtopics.ts`), e.g. `locked`. */
  subtopic?: string;
  /** The route comes from what the customer just wrote (their words become the topic's request). */
  fromMessage?: boolean;
}

/** Asks the router to leave the current topic and start `route` in this same turn. */
export function requestRoute(context: TurnContext, route: RouteRequest): void {
  context.turnState.set(ROUTE, route);
}

/** Takes (and clears) the pending route request of this turn. */
export function takeRoute(context: TurnContext): RouteRequest | undefined {
  const r = context.turnState.get(ROUTE) as RouteRequest | undefined;
  context.turnState.delete(ROUTE);
  return r;
}

/** Marks that a prompt gave up on this turn (two answers it could not match); the outermost dialog ends the topic. */
export function markPromptGaveUp(context: TurnContext): void {
  context.turnState.set(STUCK, true);
}

/** Whether a prompt gave up on this turn. */
export function promptGaveUp(context: TurnContext): boolean {
  return context.turnState.get(STUCK) === true;
}

/** Marks this turn as one the bot did not understand (counted in `supportbot_fallbacks_total`). */
export function markFallback(context: TurnContext): void {
  context.turnState.set(FALLBACK, true);
}

/** Whether the bot answered this turn with its fallback. */
export function wasFallback(context: TurnContext): boolean {
  return context.turnState.get(FALLBACK) === true;
}
