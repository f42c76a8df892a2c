import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import { CALLBACK_WINDOWS, callbackWindowOf } from '../src/conversation/contact.js';
import type { ChoiceId } from '../src/conversation/prompts.js';
import { DEFAULT_LANGUAGE } from '../src/content/languages.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import { ALTERNATIVES_DIALOG, TEXT_PROMPT } from './dialogIds.js';

const ALTERNATIVES_WATERFALL = 'liveChatAlternativesWaterfall';
/** What is offered instead of live chat: staff reach out later, at the details on the account. */
export const ALTERNATIVES: readonly ChoiceId[] = ['callback', 'text', 'email', 'no_thanks'];

export interface AlternativesOptions { caseNumber: string }
/** The way the customer chose (undefined: none, thanks). */
export interface AlternativesResult { method?: 'callback' | 'text' | 'email' }

/**
 * When live chat cannot happen (closed, nobody on duty, or a wait past the limit), the customer's
 * open case gets another way: we call back (at a time they pick), text or email them at the
 * details on the account; nothing is asked for but the time. The case's contact method is
 * changed, so the request lands on the desk's follow-up list.
 */
export class LiveChatAlternativesDialog extends CancelAndHelpDialog {
  constructor(deps: DialogDeps) {
    super(ALTERNATIVES_DIALOG, 'escalate', deps);
    this.addDialog(new WaterfallDialog(ALTERNATIVES_WATERFALL, [this.offerStep.bind(this), this.windowStep.bind(this), this.recordStep.bind(this)]));
    this.initialDialogId = ALTERNATIVES_WATERFALL;
  }

  /** Call back, text, email, or no thanks. */
  private async offerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return this.ask(step, 'live.alternatives.ask', ALTERNATIVES, { caseNumber: this.caseNumber(step) });
  }

  /** For a call back: when would suit them. */
  private async windowStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const chosen = this.choice(step);
    this.values(step).chosen = chosen;
    if (chosen !== 'callback') return step.next();
    return this.askText(step, TEXT_PROMPT, 'escalate.ask_callback_time', CALLBACK_WINDOWS);
  }

  /** Puts the way chosen on the case (the desk's follow-up list) and says what happens next. */
  private async recordStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { content, cases } = this.deps;
    const caseNumber = this.caseNumber(step);
    const chosen = this.values(step).chosen as ChoiceId | undefined;
    if (chosen !== 'callback' && chosen !== 'text' && chosen !== 'email') {
      await this.say(step, 'live.alternatives.declined', { caseNumber });
      return step.endDialog({} satisfies AlternativesResult);
    }
    const window = chosen === 'callback' ? callbackWindowOf(content, String(step.result ?? '')) : undefined;
    await cases.update(caseNumber, { contactMethod: chosen, ...(window ? { callbackWindow: window.window } : {}) });
    // staff read notes in English, whatever language the customer chats in
    await cases.addNote(caseNumber, { author: 'system', text: content.text('live.note.alternative', { method: content.in(DEFAULT_LANGUAGE).text(`choice.${chosen}.title`) }) });
    if (chosen === 'callback') await this.say(step, 'escalate.method.callback_window', { window: window!.windowShown });
    else await this.say(step, chosen === 'text' ? 'live.alternatives.text_done' : 'live.alternatives.email_done', { caseNumber });
    return step.endDialog({ method: chosen } satisfies AlternativesResult);
  }

  private caseNumber(step: WaterfallStepContext): string {
    return String((step.options as AlternativesOptions | undefined)?.caseNumber ?? '');
  }
}
