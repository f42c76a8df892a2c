import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import { intentButtons, MAIN_MENU } from '../src/conversation/menu.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import { HELP_DIALOG } from './dialogIds.js';

const HELP_WATERFALL = 'helpWaterfall';

export interface HelpOptions { greeting?: boolean }

/** Welcome and help: what the bot can do, with the main options as buttons. */
export class HelpDialog extends CancelAndHelpDialog {
  constructor(deps: DialogDeps) {
    super(HELP_DIALOG, 'help', deps);
    this.addDialog(new WaterfallDialog(HELP_WATERFALL, [this.showStep.bind(this)]));
    this.initialDialogId = HELP_WATERFALL;
  }

  /** A hello back, or the full list of what it can help with. */
  private async showStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { content } = this.deps;
    const text = (step.options as HelpOptions)?.greeting
      ? content.text('welcome.again')
      : [content.text('help.intro'), content.text('help.topics'), content.text('help.tail')].join('\n\n');
    await this.send(step.context, text, intentButtons(content, MAIN_MENU));
    return step.endDialog();
  }
}
