import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DialogDeps } from '../src/conversation/deps.js';
import { cachedRecognition } from '../src/conversation/turn.js';
import type { LinkId } from '../src/conversation/links.js';
import { CancelAndHelpDialog } from './cancelAndHelpDialog.js';
import { startingWith, type TroubleshootOptions } from './troubleshootDialog.js';
import { APP_INSTALL_DIALOG, TROUBLESHOOT_DIALOG } from './dialogIds.js';

const APP_INSTALL_WATERFALL = 'appInstallWaterfall';
export type Device = 'ios' | 'android';

/** Install troubleshooting, one at a time. */
export const APP_STEPS = ['app_install.steps.storage', 'app_install.steps.compatibility', 'app_install.steps.update', 'app_install.steps.reinstall', 'app_install.steps.connection'];
/** Each device's app store listing. */
const LISTING: Record<Device, LinkId> = { ios: 'app_store', android: 'google_play' };

/** Start the walk at this step ("storage full", "reinstall") instead of asking about the device first. */
export interface AppInstallOptions { firstStep?: string }

/**
 * Getting the app: iPhone/iPad or Android (from the message, else asked), where to get it, and
 * install troubleshooting one step at a time, ending with a person and the steps tried.
 */
export class AppInstallDialog extends CancelAndHelpDialog {
  constructor(deps: DialogDeps) {
    super(APP_INSTALL_DIALOG, 'app_install', deps);
    this.addDialog(new WaterfallDialog(APP_INSTALL_WATERFALL, [this.deviceStep.bind(this), this.getStep.bind(this), this.outcomeStep.bind(this), this.finalStep.bind(this)]));
    this.initialDialogId = APP_INSTALL_WATERFALL;
  }

  /** iPhone/iPad or Android: from the platform entity, else asked. A named problem starts its walk at once. */
  private async deviceStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const platforms = (cachedRecognition(step.context)?.entities.platform ?? []).filter((p) => p !== 'web') as Device[];
    const device = platforms.length === 1 ? platforms[0] : undefined;
    const first = (step.options as AppInstallOptions | undefined)?.firstStep;
    if (first) {
      if (device) await this.deps.progress.update(step.context, { platform: device });
      await this.say(step, 'troubleshoot.from_question');
      return step.replaceDialog(TROUBLESHOOT_DIALOG, this.walk(device, startingWith(APP_STEPS, first)));
    }
    if (device) return step.next({ value: device });
    return this.ask(step, 'app_install.ask_device', ['ios', 'android']);
  }

  /** Where to get the app for that device, then "is it working?". */
  private async getStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const device = this.choice(step) as Device;
    this.values(step).device = device;
    await this.deps.progress.update(step.context, { platform: device });
    await this.say(step, `app_install.get.${device}`, {}, [LISTING[device]]);
    return this.ask(step, 'app_install.ask_working', ['yes', 'no']);
  }

  /** Working: done. Otherwise the troubleshooting walk. */
  private async outcomeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (this.choice(step) === 'yes') {
      await this.say(step, 'app_install.success');
      return step.endDialog();
    }
    await this.say(step, 'app_install.troubleshoot_intro');
    return step.beginDialog(TROUBLESHOOT_DIALOG, this.walk(this.values(step).device as Device, APP_STEPS));
  }

  /** The install walk for a device (or either, when not known), with its store named and linked where a step sends the customer there. */
  private walk(device: Device | undefined, steps: string[]): TroubleshootOptions {
    const listings = device ? [LISTING[device]] : [LISTING.ios, LISTING.android];
    return {
      steps, intent: 'app_install',
      vars: { store: this.deps.content.text(`app_install.store.${device ?? 'any'}`) },
      links: { 'app_install.steps.update': listings, 'app_install.steps.reinstall': listings },
    };
  }

  /** The walk ended (fixed or escalated). */
  private async finalStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }
}
