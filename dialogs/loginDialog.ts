import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import { mentionsChoice } from '../src/conversation/prompts.js';
import { cachedRecognition } from '../src/conversation/turn.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import { startingWith, type TroubleshootOptions } from './troubleshootDialog.js';
import { FORGOT_USERNAME_DIALOG, LOGIN_DIALOG, PASSWORD_RESET_DIALOG, TROUBLESHOOT_DIALOG } from './dialogIds.js';

const LOGIN_WATERFALL = 'loginWaterfall';
export type SignInPath = 'website' | 'app';

/** Start the walk at this step ("how do I clear my cache") instead of with the sign-in steps. */
export interface LoginOptions { firstStep?: string }

/** Troubleshooting steps for each way of signing in, in the order they are tried. */
export const LOGIN_STEPS: Record<SignInPath, string[]> = {
  website: ['login.steps.connection', 'login.steps.credentials', 'login.steps.cache', 'login.steps.vpn', 'login.steps.device'],
  app: ['login.steps.connection', 'login.steps.credentials', 'login.steps.update', 'login.steps.vpn', 'login.steps.device'],
};

/**
 * Sign-in help: website or app (not asked when the message already said which), the sign-in
 * steps for that path, then troubleshooting one step at a time, with username and password
 * recovery offered when the credentials are in doubt.
 */
export class LoginDialog extends CancelAndHelpDialog {
  constructor(deps: DialogDeps) {
    super(LOGIN_DIALOG, 'login_help', deps);
    this.addDialog(new WaterfallDialog(LOGIN_WATERFALL, [this.pathStep.bind(this), this.signInStep.bind(this), this.outcomeStep.bind(this), this.finalStep.bind(this)]));
    this.initialDialogId = LOGIN_WATERFALL;
  }

  /** Website or app: from the message's platform entity or wording, else asked. A named step starts the walk at once. */
  private async pathStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const known = this.knownPath(step);
    const first = (step.options as LoginOptions | undefined)?.firstStep;
    if (first) return this.walkFrom(step, first, known);
    if (known) return step.next({ value: known });
    return this.ask(step, 'login.ask_path', ['website', 'app']);
  }

  /** Gives the sign-in steps for the path and asks whether they worked. */
  private async signInStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const path = this.choice(step) as SignInPath;
    this.values(step).path = path;
    await this.deps.progress.update(step.context, { platform: path });
    await this.say(step, `login.signin.${path}`, {}, path === 'website' ? ['sign_in'] : []);
    return this.ask(step, 'login.ask_worked', ['yes', 'no', 'forgot_username', 'password_reset']);
  }

  /**
   * The walk, starting with the step the customer asked about: on their path when it is known or
   * the step belongs to one path only (cache and cookies are the website's), otherwise the steps
   * both paths share.
   */
  private async walkFrom(step: WaterfallStepContext, first: string, known: SignInPath | undefined): Promise<DialogTurnResult> {
    const only = (['website', 'app'] as const).filter((p) => LOGIN_STEPS[p].includes(first));
    const path = known ?? (only.length === 1 ? only[0] : undefined);
    if (path) await this.deps.progress.update(step.context, { platform: path });
    const steps = path ? LOGIN_STEPS[path] : LOGIN_STEPS.website.filter((s) => LOGIN_STEPS.app.includes(s));
    await this.say(step, 'troubleshoot.from_question');
    const options: TroubleshootOptions = { steps: startingWith(steps, first), recoveryStep: 'login.steps.credentials', intent: 'login_help' };
    return step.replaceDialog(TROUBLESHOOT_DIALOG, options);
  }

  /** In: done. Credentials: recovery. Otherwise the troubleshooting walk. */
  private async outcomeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    switch (this.choice(step)) {
      case 'yes':
        await this.say(step, 'login.success');
        return step.endDialog();
      case 'forgot_username': return step.replaceDialog(FORGOT_USERNAME_DIALOG);
      case 'password_reset': return step.replaceDialog(PASSWORD_RESET_DIALOG);
      default: {
        await this.say(step, 'login.troubleshoot_intro');
        const options: TroubleshootOptions = { steps: LOGIN_STEPS[this.values(step).path as SignInPath], recoveryStep: 'login.steps.credentials', intent: 'login_help' };
        return step.beginDialog(TROUBLESHOOT_DIALOG, options);
      }
    }
  }

  /** The walk ended (fixed, recovered or escalated). */
  private async finalStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }

  private knownPath(step: WaterfallStepContext): SignInPath | undefined {
    const platforms = cachedRecognition(step.context)?.entities.platform ?? [];
    const app = platforms.some((p) => p === 'ios' || p === 'android');
    const web = platforms.includes('web');
    if (app !== web) return app ? 'app' : 'website';
    if (platforms.length) return undefined;
    const text = step.context.activity.text ?? '';
    const saysApp = mentionsChoice(this.deps.content, text, 'app');
    const saysWeb = mentionsChoice(this.deps.content, text, 'website');
    return saysApp !== saysWeb ? (saysApp ? 'app' : 'website') : undefined;
  }
}
