import { Dialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import { requestRoute } from '../src/conversation/turn.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import { OFFER_HUMAN_DIALOG } from './dialogIds.js';

const OFFER_HUMAN_WATERFALL = 'offerHumanWaterfall';

/**
 * Offered when a customer sounds fed up mid-dialog: a person, or keep going where they were (the
 * question they were answering is asked again when this dialog ends).
 */
export class OfferHumanDialog extends CancelAndHelpDialog {
  constructor(deps: DialogDeps) {
    super(OFFER_HUMAN_DIALOG, 'escalate', deps);
    this.addDialog(new WaterfallDialog(OFFER_HUMAN_WATERFALL, [this.askStep.bind(this), this.answerStep.bind(this)]));
    this.initialDialogId = OFFER_HUMAN_WATERFALL;
  }

  /** Acknowledges the frustration and offers a person, in words the customer can type back ("a person", "keep going"). */
  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.ask(step, 'offer_human.ask', ['yes_person', 'keep_going']);
  }

  /** A person: the router starts escalation with what was tried; otherwise back to the question. */
  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (this.choice(step) === 'yes_person') {
      requestRoute(step.context, { intent: 'escalate' });
      return Dialog.EndOfTurn;
    }
    await this.say(step, 'offer_human.keep_going');
    return step.endDialog();
  }
}
