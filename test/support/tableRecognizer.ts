import type { TurnContext } from 'botbuilder';
import type { IntentName } from '../../src/nlu/intents.js';
import type { IntentResult, Recognizer } from '../../src/nlu/recognizerPort.js';

/**
 * A recognizer written out as a table (whole message, case ignored → intent and score), for
 * dialog tests that need a given reading without training a model: anything not in the table is
 * `none`. It implements the same `Recognizer` interface the dialogs get in production, and
 * keeps what it was asked, so a test can show the dialog consulted it.
 */
export class TableRecognizer implements Recognizer {
  readonly asked: string[] = [];
  private readonly table: Map<string, { intent: IntentName; score: number }>;

  constructor(table: Record<string, IntentName | { intent: IntentName; score: number }>) {
    this.table = new Map(Object.entries(table).map(([text, v]) => [text.toLowerCase(), typeof v === 'string' ? { intent: v, score: 0.95 } : v]));
  }

  recognizeText(text: string): IntentResult {
    this.asked.push(text);
    const hit = this.table.get(text.trim().toLowerCase());
    const intents: IntentResult['intents'] = hit ? { [hit.intent]: { score: hit.score }, none: { score: Math.max(0, 1 - hit.score) } } : { none: { score: 1 } };
    return { text, intents, entities: {} };
  }

  recognize(context: TurnContext): Promise<IntentResult> {
    return Promise.resolve(this.recognizeText(context.activity.text ?? ''));
  }
}
