import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import type { ChoiceId } from '../src/conversation/prompts.js';
import { intentButtons } from '../src/conversation/menu.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import type { EscalationResult } from './escalationDialog.js';
import { noteEvent } from '../src/insights/turnNotes.js';
import { ESCALATION_DIALOG, GOODBYE_DIALOG } from './dialogIds.js';

const GOODBYE_WATERFALL = 'goodbyeWaterfall';
const RATINGS: ChoiceId[] = ['rate_1', 'rate_2', 'rate_3', 'rate_4', 'rate_5'];

/**
 * Goodbye: asks whether the problem was solved; when it was not, a person is offered first and
 * the rating comes after (never "rate us" to someone still stuck). A customer who goes to live
 * chat is not asked for a rating: they are waiting for a person. The answers are kept in the
 * feedback store for analytics; saving feedback never spoils the goodbye.
 */
export class GoodbyeDialog extends CancelAndHelpDialog {
  constructor(deps: DialogDeps) {
    super(GOODBYE_DIALOG, 'goodbye', deps);
    this.addDialog(new WaterfallDialog(GOODBYE_WATERFALL, [
      this.solvedStep.bind(this), this.offerStep.bind(this), this.personStep.bind(this), this.ratingStep.bind(this), this.closeStep.bind(this),
    ]));
    this.initialDialogId = GOODBYE_WATERFALL;
  }

  /** Was the problem solved? */
  private async solvedStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.ask(step, 'goodbye.ask_solved', ['yes', 'no']);
  }

  /** Not solved: a person first. */
  private async offerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const solved = this.choice(step) === 'yes';
    this.values(step).solved = solved;
    // counted as soon as it is answered: a customer who leaves before the rating has still answered
    noteEvent(step.context, { kind: 'solved', solved });
    if (solved) return step.next();
    return this.ask(step, 'goodbye.ask_person', ['yes_person', 'no_thanks']);
  }

  /** A person: escalation (the case gets the conversation's topic and what was tried). */
  private async personStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (this.choice(step) === 'yes_person') return step.beginDialog(ESCALATION_DIALOG);
    return step.next();
  }

  /** An optional rating, 1 to 5, unless the customer is now waiting for a live agent. */
  private async ratingStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const escalated = step.result as EscalationResult | undefined;
    if (escalated?.caseNumber) this.values(step).caseNumber = escalated.caseNumber;
    if (escalated?.method === 'live_chat') {
      await this.record(step, undefined);
      return step.endDialog();
    }
    return this.ask(step, 'goodbye.ask_rating', [...RATINGS, 'skip']);
  }

  /** Keeps the answers and says goodbye (offering a person when it was not solved and none was asked for). */
  private async closeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.choice(step);
    await this.record(step, c && RATINGS.includes(c) ? RATINGS.indexOf(c) + 1 : undefined);
    if (this.values(step).solved) await this.say(step, 'goodbye.bye_solved');
    else if (this.values(step).caseNumber) await this.say(step, 'goodbye.bye_case', { number: String(this.values(step).caseNumber) });
    else await this.send(step.context, this.deps.content.text('goodbye.bye_unsolved'), intentButtons(this.deps.content, ['escalate']));
    return step.endDialog();
  }

  /** Keeps what the customer said for analytics; a failing store is reported, never shown. */
  private async record(step: WaterfallStepContext, rating: number | undefined): Promise<void> {
    const a = step.context.activity;
    if (rating) noteEvent(step.context, { kind: 'rating', rating });
    try {
      const progress = await this.deps.progress.get(step.context);
      await this.deps.feedback.record({
        at: new Date().toISOString(), channelId: a.channelId, conversationId: a.conversation?.id ?? 'unknown',
        topic: progress.topic, solved: this.values(step).solved === true, ...(rating ? { rating } : {}),
      });
    } catch (err) {
      this.deps.onError?.(err, 'feedback');
    }
  }
}
