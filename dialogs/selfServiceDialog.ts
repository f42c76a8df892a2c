import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import { ESCALATION_DIALOG, LOGIN_DIALOG, SELF_SERVICE_TOPICS, selfServiceDialogId, type SelfServiceTopic } from './dialogIds.js';

const SELF_SERVICE_WATERFALL = 'selfServiceWaterfall';

/**
 * Things customers do themselves in their account (billing, data usage, plan changes, store
 * visits): what they can do, where to find it on the website and in the app, with sign-in help
 * or a person one tap away. One class, one dialog per topic; the words are per topic.
 */
export class SelfServiceDialog extends CancelAndHelpDialog {
  constructor(topic: SelfServiceTopic, deps: DialogDeps) {
    super(selfServiceDialogId(topic), topic, deps);
    if (!SELF_SERVICE_TOPICS.includes(topic)) throw new Error(`[SelfServiceDialog]: unknown topic "${topic}"`);
    this.addDialog(new WaterfallDialog(SELF_SERVICE_WATERFALL, [this.infoStep.bind(this), this.outcomeStep.bind(this), this.finalStep.bind(this)]));
    this.initialDialogId = SELF_SERVICE_WATERFALL;
  }

  /** What the customer can do and where, then whether that covers it. */
  private async infoStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await this.say(step, `self_service.${this.topic}.info`, {}, this.topic === 'store_visit' ? ['store_locator'] : ['account']);
    return this.ask(step, 'self_service.ask_done', ['yes', 'signin_help', 'person']);
  }

  /** Covered: done. Can't sign in: sign-in help. Otherwise a person for this topic. */
  private async outcomeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    switch (this.choice(step)) {
      case 'yes':
        await this.say(step, 'self_service.glad');
        return step.endDialog();
      case 'signin_help':
        return step.beginDialog(LOGIN_DIALOG);
      default:
        return step.beginDialog(ESCALATION_DIALOG, { intent: this.topic });
    }
  }

  /** Sign-in help or escalation ended. */
  private async finalStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
