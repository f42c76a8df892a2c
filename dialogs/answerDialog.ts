import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import { socialText } from '../src/conversation/contact.js';
import { intentButtons } from '../src/conversation/menu.js';
import { subtopicById } from '../src/conversation/subtopics.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import { ANSWER_DIALOG } from './dialogIds.js';

const ANSWER_WATERFALL = 'answerWaterfall';

export interface AnswerOptions { subtopic: string }

/**
 * A direct answer to a specific question ("what are your hours", "I want to cancel my service",
 * "can I DM you on Twitter"): a short, honest reply from `answer.<id>.text`, links to the pages
 * it names, and the next steps as buttons (a person, the topic's own help). It asks nothing,
 * so there is nothing to get stuck in.
 */
export class AnswerDialog extends CancelAndHelpDialog {
  constructor(deps: DialogDeps) {
    super(ANSWER_DIALOG, 'help', deps);
    this.addDialog(new WaterfallDialog(ANSWER_WATERFALL, [this.answerStep.bind(this)]));
    this.initialDialogId = ANSWER_WATERFALL;
  }

  /** The answer, its links and what to do next. */
  private async answerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const sub = subtopicById((step.options as AnswerOptions | undefined)?.subtopic);
    if (!sub || sub.route.kind !== 'answer') throw new Error(`[AnswerDialog]: no answer for subtopic "${(step.options as AnswerOptions | undefined)?.subtopic}"`);
    await this.send(step.context, this.text(sub.id), intentButtons(this.deps.content, sub.route.next), sub.links ?? []);
    return step.endDialog();
  }

  /** The answer's words; hours and social media use the contact details from the brand file when they are set. */
  private text(id: string): string {
    const { content } = this.deps;
    if (id === 'hours' && content.brand.phoneHours.trim()) return content.text('answer.hours.known', { hours: content.brand.phoneHours });
    if (id === 'social') return `${content.text('answer.social.text')}\n\n${socialText(content)}`;
    return content.text(`answer.${id}.text`);
  }
}
