import { getCaseForUser, customerId } from '../src/cases/visibility.js';
import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { parseCaseNumber } from '../src/cases/caseNumber.js';
import type { DialogDeps } from '../src/conversation/deps.js';
import { mentionsChoice } from '../src/conversation/prompts.js';
import { cachedRecognition } from '../src/conversation/turn.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import { CASE_STATUS_DIALOG, TEXT_PROMPT } from './dialogIds.js';

const CASE_STATUS_WATERFALL = 'caseStatusWaterfall';
/** Wrong numbers allowed before the bot stops asking. */
const MAX_ATTEMPTS = 3;
/** Most cases listed by "my cases". */
const LIST_MAX = 10;

interface CaseStatusOptions { attempts?: number }

/**
 * Case status: reads the number from the message or asks for it, reads it leniently, and shows
 * the case only to the customer who opened it (same channel and user id). Anyone else's number
 * gets exactly the reply a number that does not exist gets. "My cases" lists their own.
 */
export class CaseStatusDialog extends CancelAndHelpDialog {
  constructor(deps: DialogDeps) {
    super(CASE_STATUS_DIALOG, 'case_status', deps);
    this.addDialog(new WaterfallDialog(CASE_STATUS_WATERFALL, [this.askStep.bind(this), this.lookupStep.bind(this)]));
    this.initialDialogId = CASE_STATUS_WATERFALL;
  }

  /** Lists, looks up the number in the message, or asks for one. */
  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = (step.options ?? {}) as CaseStatusOptions;
    if (!o.attempts) {
      const text = step.context.activity.text ?? '';
      const inMessage = cachedRecognition(step.context)?.entities.caseNumber?.[0];
      if (inMessage) return step.next(inMessage.text);
      if (mentionsChoice(this.deps.content, text, 'my_cases')) return step.next(text);
    }
    return this.askText(step, TEXT_PROMPT, o.attempts ? 'case_status.ask_again' : 'case_status.ask_number', ['my_cases']);
  }

  /** "My cases", or the number: checked, then looked up for this customer only. */
  private async lookupStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { content } = this.deps;
    const text = String(step.result ?? '');
    if (mentionsChoice(content, text, 'my_cases') && !parseCaseNumber(text).ok) return this.listOwn(step);
    const candidate = cachedRecognition(step.context)?.entities.caseNumber?.[0]?.text ?? text;
    const parsed = parseCaseNumber(candidate);
    if (!parsed.ok) {
      const attempts = ((step.options as CaseStatusOptions)?.attempts ?? 0) + 1;
      if (attempts >= MAX_ATTEMPTS) { await this.say(step, 'case_status.give_up'); return step.endDialog(); }
      await this.say(step, parsed.reason === 'check' ? 'case_status.bad_check' : 'case_status.bad_format');
      return step.replaceDialog(CASE_STATUS_WATERFALL, { attempts } satisfies CaseStatusOptions);
    }
    const a = step.context.activity;
    const record = await getCaseForUser(this.deps.cases, parsed.number, a.channelId, customerId(a));
    if (!record) {
      // the same words for "not yours" as for "does not exist": a number reveals nothing
      await this.say(step, 'case_status.not_found');
      return step.endDialog();
    }
    await this.say(step, 'case_status.found', {
      number: record.number, status: content.text(`case_status.status.${record.status}`), updated: record.updatedAt.slice(0, 10),
      team: record.team ? content.text(`team.${record.team}`) : content.text('team.general'),
    });
    return step.endDialog();
  }

  /** The customer's own cases, newest first. */
  private async listOwn(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { content, cases } = this.deps;
    const a = step.context.activity;
    const own = (await cases.listByUser(a.channelId, customerId(a) ?? '')).sort((x, y) => y.createdAt.localeCompare(x.createdAt)).slice(0, LIST_MAX);
    if (own.length === 0) { await this.say(step, 'case_status.none'); return step.endDialog(); }
    const lines = own.map((c) => content.text('case_status.list_line', { number: c.number, status: content.text(`case_status.status.${c.status}`), created: c.createdAt.slice(0, 10) }));
    await this.send(step.context, `${content.text('case_status.list_intro')}\n\n${lines.join('\n')}`);
    return step.endDialog();
  }
}
