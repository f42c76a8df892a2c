import type { TurnContext } from 'botbuilder';
import type { IntentRecognizer, IntentRecognizerOptions } from './recognizer.js';
import type { IntentResult, Recognizer } from './recognizerPort.js';
import type { Language } from './languages.js';
import type { LanguageIdentifier } from './languageId.js';

/**
 * What the bot's wiring needs of the recognizer besides what dialogs need (`Recognizer`): its
 * settings (the review's threshold) and its language identifier (the language middleware).
 */
export interface ServingRecognizer extends Recognizer {
  readonly options: IntentRecognizerOptions;
  /** Tells which language a message is written in (the turn's language is set from it). */
  readonly languageId: LanguageIdentifier;
}

/**
 * The recognizer the running bot uses, replaceable while it runs: a retrained model is swapped
 * in with one assignment, so a turn reads either the old model or the new one, never half of
 * each, and no turn waits for training (it happens elsewhere: `src/review/retrainer.ts`). A turn
 * classifies its message once (`recognizeOnce`), so one turn always sees one model.
 */
export class RecognizerHolder implements ServingRecognizer {
  private model: IntentRecognizer;
  private swaps = 0;

  constructor(initial: IntentRecognizer) {
    if (!initial) throw new Error('[RecognizerHolder]: Missing parameter. initial is required');
    this.model = initial;
  }

  /** The model serving now. */
  get current(): IntentRecognizer { return this.model; }
  /** How many times a model was swapped in. */
  get generation(): number { return this.swaps; }
  get options(): IntentRecognizerOptions { return this.model.options; }
  get intentCount(): number { return this.model.intentCount; }
  get languageId(): LanguageIdentifier { return this.model.languageId; }

  /** Serves `next` from the next call on. */
  swap(next: IntentRecognizer): void {
    if (!next) throw new Error('[RecognizerHolder]: Missing parameter. next is required');
    this.model = next;
    this.swaps++;
  }

  recognize(context: TurnContext): Promise<IntentResult> {
    return this.model.recognize(context);
  }

  recognizeText(text: string, opts?: { language?: Language; prior?: Language }): IntentResult {
    return this.model.recognizeText(text, opts);
  }
}
