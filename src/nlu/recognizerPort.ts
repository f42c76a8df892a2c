/**
 * What the dialogs need of a recognizer, and what it answers: the trained `IntentRecognizer`
 * (through `RecognizerHolder` in the running bot) or, in a test, any small hand-written class.
 * Nothing here trains or loads a model, so importing it costs nothing.
 */
import type { RecognizerResult, TurnContext } from 'botbuilder';
import type { Entities } from './entities.js';
import type { IntentName } from './intents.js';
import type { Language } from './languages.js';

export interface IntentResult extends RecognizerResult {
  intents: Partial<Record<IntentName, { score: number }>>;
  entities: Entities;
  /** The best intent was a real one but scored below the threshold, so `none` was put first. */
  belowThreshold?: boolean;
  /** The language the text was understood in (and the reply should be in). */
  language?: Language;
}

/** Classifies a customer's message into one of the intents (`IntentResult.intents`: intent → score). */
export interface Recognizer {
  /** The turn's message, in the turn's language. */
  recognize(context: TurnContext): Promise<IntentResult>;
  /** Any text (a message with its secrets taken out, a review sample). */
  recognizeText(text: string, opts?: { language?: Language; prior?: Language }): IntentResult;
}

/** The winning intent of a result, honouring the threshold rule applied in `recognizeText`. */
export function topIntent(result: IntentResult): { intent: IntentName; score: number } {
  let best: IntentName = 'none', score = -1;
  for (const [name, v] of Object.entries(result.intents) as Array<[IntentName, { score: number }]>) {
    if (v.score > score) { best = name; score = v.score; }
  }
  return { intent: best, score };
}

/** The top two intents, for "did you mean … or …?" when they are close. */
export function topTwo(result: IntentResult): Array<{ intent: IntentName; score: number }> {
  return (Object.entries(result.intents) as Array<[IntentName, { score: number }]>)
    .map(([intent, v]) => ({ intent, score: v.score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 2);
}
