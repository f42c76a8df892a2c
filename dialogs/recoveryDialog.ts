import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import { ESCALATION_DIALOG, FORGOT_USERNAME_DIALOG, PASSWORD_RESET_DIALOG } from './dialogIds.js';

const RECOVERY_WATERFALL = 'recoveryWaterfall';
export type RecoveryKind = 'username' | 'password';

/** Go straight to the help for one snag ("my account is locked", "the code never arrives"). */
export interface RecoveryOptions { branch?: 'locked' | 'code_missing' }

/**
 * Forgot username / password reset: the "Forgot …" link and the identity check by text or email,
 * then what to do when the code never arrives or the account is locked. One class, two dialogs
 * (`forgotUsernameDialog`, `passwordResetDialog`): the paths are the same, the words differ.
 * The bot never asks for the password, a PIN or a code.
 */
export class RecoveryDialog extends CancelAndHelpDialog {
  constructor(private readonly kind: RecoveryKind, deps: DialogDeps) {
    super(kind === 'username' ? FORGOT_USERNAME_DIALOG : PASSWORD_RESET_DIALOG, kind === 'username' ? 'forgot_username' : 'password_reset', deps);
    if (kind !== 'username' && kind !== 'password') throw new Error('[RecoveryDialog]: kind must be "username" or "password"');
    this.addDialog(new WaterfallDialog(RECOVERY_WATERFALL, [this.stepsStep.bind(this), this.outcomeStep.bind(this), this.followUpStep.bind(this), this.finalStep.bind(this)]));
    this.initialDialogId = RECOVERY_WATERFALL;
  }

  /** The recovery steps, then "did it work?" with the two usual snags as options; a snag named up front goes straight to its fix. */
  private async stepsStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const branch = (step.options as RecoveryOptions | undefined)?.branch;
    if (branch) return step.next({ value: branch });
    await this.say(step, `recovery.${this.kind}.steps`, {}, [this.kind === 'username' ? 'forgot_username' : 'forgot_password']);
    return this.ask(step, `recovery.${this.kind}.ask_worked`, ['yes', 'code_missing', 'locked', 'no']);
  }

  /** Worked: done. Code missing or locked: the fix for that. Otherwise a person. */
  private async outcomeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const c = this.choice(step);
    this.values(step).branch = c;
    switch (c) {
      case 'yes':
        await this.say(step, `recovery.${this.kind}.success`);
        return step.endDialog();
      case 'code_missing':
        await this.say(step, 'recovery.code_missing.tips');
        return this.ask(step, 'recovery.code_missing.ask_arrived', ['yes', 'no']);
      case 'locked':
        await this.say(step, 'recovery.locked.info', {}, ['forgot_password']);
        return this.ask(step, 'recovery.locked.ask_person', ['yes', 'no']);
      default:
        await this.deps.progress.addTried(step.context, this.deps.content.text(`recovery.${this.kind}.label`));
        await this.say(step, 'recovery.not_worked');
        return step.beginDialog(ESCALATION_DIALOG, { intent: this.topic });
    }
  }

  /** The code arrived, or a person helps; a locked account can also wait and retry. */
  private async followUpStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const branch = this.values(step).branch;
    const c = this.choice(step);
    if (branch === 'code_missing') {
      if (c === 'yes') { await this.say(step, `recovery.${this.kind}.success`); return step.endDialog(); }
      await this.deps.progress.addTried(step.context, this.deps.content.text('recovery.code_missing.label'));
      return step.beginDialog(ESCALATION_DIALOG, { intent: this.topic });
    }
    if (branch === 'locked') {
      await this.deps.progress.addTried(step.context, this.deps.content.text('recovery.locked.label'));
      if (c === 'yes') return step.beginDialog(ESCALATION_DIALOG, { intent: this.topic });
      await this.say(step, 'recovery.locked.later');
    }
    return step.endDialog();
  }

  /** Escalation finished. */
  private async finalStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
