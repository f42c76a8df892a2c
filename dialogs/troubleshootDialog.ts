import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { Vars } from '../src/content/content.js';
import type { DialogDeps } from '../src/conversation/deps.js';
import type { LinkId } from '../src/conversation/links.js';
import type { ChoiceId } from '../src/conversation/prompts.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import type { EscalationOptions } from './escalationDialog.js';
import { ESCALATION_DIALOG, FORGOT_USERNAME_DIALOG, PASSWORD_RESET_DIALOG, TROUBLESHOOT_DIALOG } from './dialogIds.js';

const TROUBLESHOOT_WATERFALL = 'troubleshootWaterfall';

/** Which steps to walk and where the walk stands. Each step key has `<key>.text` and `<key>.label`. */
export interface TroubleshootOptions {
  /** Content keys of the steps, in order (`login.steps.connection`, …). */
  steps: string[];
  index?: number;
  /** The step after which the recovery dialogs are offered (credentials). */
  recoveryStep?: string;
  /** For the case when every step failed. */
  intent: string;
  team?: string;
  vars?: Vars;
  /** Pages a step names (an app store listing for "reinstall"), by step key. */
  links?: Record<string, LinkId[]>;
}

/** Where a walk should begin: the named step first, then the others in their usual order. */
export function startingWith(steps: readonly string[], first: string): string[] {
  return steps.includes(first) ? [first, ...steps.filter((s) => s !== first)] : [...steps];
}

/**
 * Troubleshooting one step at a time, each followed by "did that fix it?". A step that did not
 * help is recorded; when none helped, escalation starts with the steps already tried.
 */
export class TroubleshootDialog extends CancelAndHelpDialog {
  constructor(deps: DialogDeps) {
    // always started from a topic dialog, which is the outermost and the one whose topic counts
    super(TROUBLESHOOT_DIALOG, 'login_help', deps);
    this.addDialog(new WaterfallDialog(TROUBLESHOOT_WATERFALL, [this.stepStep.bind(this), this.outcomeStep.bind(this)]));
    this.initialDialogId = TROUBLESHOOT_WATERFALL;
  }

  /** Gives the current step (recording that it was shown, for the case) and asks whether it fixed things. */
  private async stepStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = step.options as TroubleshootOptions;
    const index = o.index ?? 0;
    const key = o.steps[index];
    const ids: ChoiceId[] = key === o.recoveryStep ? ['fixed', 'not_fixed', 'forgot_username', 'password_reset'] : ['fixed', 'not_fixed'];
    const vars = { ...o.vars, n: index + 1, total: o.steps.length };
    const { walk } = await this.deps.progress.get(step.context);
    await this.deps.progress.update(step.context, { walk: { total: o.steps.length, shown: index + 1, failed: index === 0 ? 0 : walk?.failed ?? 0 } });
    await this.send(step.context, this.deps.content.text(`${key}.text`, vars), undefined, o.links?.[key]);
    return this.ask(step, 'troubleshoot.ask_fixed', ids, vars);
  }

  /** Fixed: done. Credentials: recovery. Not fixed: the next step, or a person when none is left. */
  private async outcomeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = step.options as TroubleshootOptions;
    const index = o.index ?? 0;
    switch (this.choice(step)) {
      case 'fixed':
        await this.say(step, 'troubleshoot.fixed');
        return step.endDialog({ fixed: true });
      case 'forgot_username':
        return step.replaceDialog(FORGOT_USERNAME_DIALOG);
      case 'password_reset':
        return step.replaceDialog(PASSWORD_RESET_DIALOG);
      default: {
        await this.deps.progress.addTried(step.context, this.deps.content.text(`${o.steps[index]}.label`));
        const { walk } = await this.deps.progress.get(step.context);
        if (walk) await this.deps.progress.update(step.context, { walk: { ...walk, failed: Math.min(walk.failed + 1, walk.total) } });
        if (index + 1 < o.steps.length) return step.replaceDialog(TROUBLESHOOT_WATERFALL, { ...o, index: index + 1 });
        await this.say(step, 'troubleshoot.exhausted');
        return step.replaceDialog(ESCALATION_DIALOG, { intent: o.intent, team: o.team } satisfies EscalationOptions);
      }
    }
  }
}
