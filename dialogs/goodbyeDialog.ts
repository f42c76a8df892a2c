import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import type { ChoiceId } from '../src/conversation/prompts.js';
import { intentButtons } from '../src/conversation/menu.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';

export const GOODBYE_DIALOG = 'goodbyeDialog';
const GOODBYE_WATERFALL = 'goodbyeWaterfall';
const RATINGS: ChoiceId[] = ['rate_1', 'rate_2', 'rate_3', 'rate_4', 'rate_5'];

/**
 * Goodbye: asks whether the problem was solved and, optionally, for a 1–5 rating; the answers are
 * kept in the feedback store for analytics. Saving feedback never spoils the goodbye.
 */
export class GoodbyeDialog extends CancelAndHelpDialog {
  constructor(deps: DialogDeps) {
    super(GOODBYE_DIALOG, 'goodbye', deps);
    this.addDialog(new WaterfallDialog(GOODBYE_WATERFALL, [this.solvedStep.bind(this), this.ratingStep.bind(this), this.closeStep.bind(this)]));
    this.initialDialogId = GOODBYE_WATERFALL;
  }

  /** Was the problem solved? */
  private async solvedStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.ask(step, 'goodbye.ask_solved', ['yes', 'no']);
  }

  /** An optional rating, 1 to 5. */
  private async ratingStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    this.values(step).solved = this.choice(step) === 'yes';
    return this.ask(step, 'goodbye.ask_rating', [...RATINGS, 'skip']);
  }

  /** Keeps the answers and says goodbye (offering a person when it was not solved). */
  private async closeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.choice(step);
    const rating = c && RATINGS.includes(c) ? RATINGS.indexOf(c) + 1 : undefined;
    const solved = this.values(step).solved as boolean;
    const a = step.context.activity;
    try {
      const progress = await this.deps.progress.get(step.context);
      await this.deps.feedback.record({
        at: new Date().toISOString(), channelId: a.channelId, conversationId: a.conversation?.id ?? 'unknown',
        topic: progress.topic, solved, ...(rating ? { rating } : {}),
      });
    } catch (err) {
      this.deps.onError?.(err, 'feedback');
    }
    if (solved) await this.say(step, 'goodbye.bye_solved');
    else await this.send(step.context, this.deps.content.text('goodbye.bye_unsolved'), intentButtons(this.deps.content, ['escalate']));
    return step.endDialog();
  }
}
